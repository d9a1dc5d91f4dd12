package org.deepstroke.core.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs a real program for a test and keeps its exit code, stdout and stderr apart. */
public final class Subprocess {

    private Subprocess() {
    }

    /** Exit code and output of a finished program. */
    public record Result(int exit, String stdout, String stderr, List<String> command) {
        /** A readable dump for assertion messages. */
        public String describe() {
            return "command " + command + " exited " + exit + "\n--- stdout\n" + stdout + "\n--- stderr\n" + stderr;
        }
    }

    public static Result run(List<String> command, Path directory, Map<String, String> env, Duration timeout) {
        try {
            Path out = Files.createTempFile("subprocess-", ".out");
            Path err = Files.createTempFile("subprocess-", ".err");
            ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
            if (directory != null) {
                builder.directory(directory.toFile());
            }
            builder.environment().putAll(env);
            Process process = builder.start();
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                fail("timed out after " + timeout + ": " + command + "\n" + Files.readString(err));
            }
            Result result = new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8), command);
            Files.delete(out);
            Files.delete(err);
            return result;
        } catch (IOException e) {
            return fail("cannot run " + command + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return fail("interrupted: " + command);
        }
    }

    public static Result run(List<String> command, Duration timeout) {
        return run(command, null, Map.of(), timeout);
    }

    /** Runs and fails the test unless the program exits 0. */
    public static Result check(List<String> command, Path directory, Map<String, String> env, Duration timeout) {
        Result result = run(command, directory, env, timeout);
        if (result.exit() != 0) {
            fail(result.describe());
        }
        return result;
    }
}
