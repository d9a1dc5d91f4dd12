package org.deepstroke.unet.train;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Everything a training wrote to its MLflow spool (journal lines and run files), as one text to search. */
final class SpoolText {

    private SpoolText() {
    }

    static String of(Path spool) throws IOException {
        try (var files = Files.walk(spool)) {
            return files.filter(f -> f.toString().endsWith(".jsonl") || f.toString().endsWith(".json")).map(f -> {
                try {
                    return Files.readString(f);
                } catch (IOException x) {
                    throw new UncheckedIOException(x);
                }
            }).reduce("", String::concat);
        }
    }
}
