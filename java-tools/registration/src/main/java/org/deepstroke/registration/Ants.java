package org.deepstroke.registration;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.deepstroke.core.cli.ToolFailure;
import org.deepstroke.core.process.ExternalCommand;

/**
 * Finds and starts ANTs programs. ANTs on PATH comes first (clusters and containers provide their own build); the
 * private install of {@code make setup} under {@code <project>/.tools/ants/bin} is the fallback. Every command gets
 * a fixed thread count and random seed, because ANTs results depend on both.
 */
public final class Ants {

    /** Set by bin/deepstroke to the project (or container install) root. */
    public static final String HOME_ENV = "DEEPSTROKE_HOME";

    private final Path binDir;

    private Ants(Path binDir) {
        this.binDir = binDir;
    }

    /** Locates ANTs by its {@code antsRegistration} program. */
    public static Ants locate() {
        return find().orElseThrow(() -> new ToolFailure("ANTs not found: antsRegistration is neither on PATH nor in "
                + "<project>/.tools/ants/bin (run `make setup`, or put ANTs on PATH)"));
    }

    public static Optional<Ants> find() {
        List<Path> candidates = new ArrayList<>();
        String path = System.getenv("PATH");
        if (path != null) {
            for (String dir : path.split(":")) {
                if (!dir.isEmpty()) {
                    candidates.add(Path.of(dir));
                }
            }
        }
        for (String root : new String[] {System.getenv(HOME_ENV), System.getProperty("deepstroke.root")}) {
            if (root != null) {
                candidates.add(Path.of(root, ".tools", "ants", "bin"));
            }
        }
        return candidates.stream().filter(d -> Files.isExecutable(d.resolve("antsRegistration"))).findFirst()
                .map(d -> new Ants(d.toAbsolutePath().normalize()));
    }

    public Path binDir() {
        return binDir;
    }

    /**
     * A command for one ANTs program with ITK's thread count and ANTs' random seed fixed; ANTSPATH points at the
     * same installation so that ANTs' shell scripts call matching programs.
     */
    public ExternalCommand command(String program, List<String> args, int threads, long seed) {
        List<String> command = new ArrayList<>();
        command.add(binDir.resolve(program).toString());
        command.addAll(args);
        return ExternalCommand.of(command)
                .env("ITK_GLOBAL_DEFAULT_NUMBER_OF_THREADS", Integer.toString(Math.max(1, threads)))
                .env("ANTS_RANDOM_SEED", Long.toString(seed))
                .env("ANTSPATH", binDir + "/");
    }

    /** The version antsRegistration reports, e.g. {@code 2.6.5}. */
    public String version() throws IOException, InterruptedException {
        String log = ExternalCommand.of(binDir.resolve("antsRegistration").toString(), "--version").run().log();
        return parseVersion(log);
    }

    static String parseVersion(String text) {
        Matcher m = Pattern.compile("ANTs Version:\\s*v?([0-9][^\\s]*)").matcher(text);
        if (!m.find()) {
            throw new ToolFailure("unexpected antsRegistration --version output: " + text.strip().replace('\n', ' '));
        }
        return m.group(1);
    }
}
