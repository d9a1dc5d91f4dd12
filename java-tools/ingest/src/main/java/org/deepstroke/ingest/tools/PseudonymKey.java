package org.deepstroke.ingest.tools;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.deepstroke.core.cli.ToolFailure;
import org.deepstroke.core.cli.UsageError;
import org.deepstroke.core.privacy.Pseudonymizer;

/** The pseudonymisation key: --pseudonym-key-file, else the environment; never printed (also aspects-scan). */
public final class PseudonymKey {

    private PseudonymKey() {
    }

    public static Pseudonymizer load(String keyFile, java.util.Map<String, String> env) {
        String secret;
        if (keyFile != null) {
            Path file = Path.of(keyFile);
            if (!Files.isRegularFile(file)) {
                throw new ToolFailure(file, "pseudonym key file not found");
            }
            try {
                secret = Files.readString(file, StandardCharsets.UTF_8).strip();
            } catch (IOException e) {
                throw new ToolFailure(file, "cannot read the pseudonym key file");
            }
        } else {
            secret = env.get(Pseudonymizer.KEY_ENV);
        }
        if (secret == null || secret.isBlank()) {
            throw new UsageError("no pseudonymisation key: set " + Pseudonymizer.KEY_ENV
                    + " (at least 16 characters) or give --pseudonym-key-file FILE");
        }
        try {
            return new Pseudonymizer(secret);
        } catch (IllegalArgumentException e) {
            throw new UsageError(e.getMessage());
        }
    }
}
