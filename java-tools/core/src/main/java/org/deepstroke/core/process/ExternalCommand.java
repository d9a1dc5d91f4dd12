package org.deepstroke.core.process;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Runs an external program (ANTs, dcm2niix, ...) through {@link ProcessBuilder}: output goes to a log file (never
 * to an unbounded buffer), a timeout ends a runaway process tree, and a failure becomes a
 * {@link CommandFailedException} whose one-line message holds the command line and the log's last lines.
 */
public final class ExternalCommand {

    private static final int TAIL_LINES = 8;

    private final List<String> command;
    private final Map<String, String> environment = new LinkedHashMap<>();
    private Path workingDirectory;
    private Path logFile;
    private Duration timeout = Duration.ofHours(6);

    private ExternalCommand(List<String> command) {
        if (command.isEmpty()) {
            throw new IllegalArgumentException("empty command");
        }
        this.command = List.copyOf(command);
    }

    public static ExternalCommand of(List<String> command) {
        return new ExternalCommand(command);
    }

    public static ExternalCommand of(String... command) {
        return new ExternalCommand(Arrays.asList(command));
    }

    public ExternalCommand env(String name, String value) {
        environment.put(name, value);
        return this;
    }

    public ExternalCommand directory(Path dir) {
        this.workingDirectory = dir;
        return this;
    }

    /** Where stdout and stderr go (appended). Without one, a temporary log is used and deleted on success. */
    public ExternalCommand log(Path file) {
        this.logFile = file;
        return this;
    }

    public ExternalCommand timeout(Duration limit) {
        this.timeout = limit;
        return this;
    }

    public List<String> command() {
        return command;
    }

    /** The command as one shell-quoted line, for logs and error messages. */
    public String commandLine() {
        return command.stream().map(ExternalCommand::quote).collect(Collectors.joining(" "));
    }

    /**
     * Runs the command to completion.
     *
     * @return the result with the full log text
     * @throws CommandFailedException on a nonzero exit, a timeout, or a program that cannot be started
     */
    public Result run() throws IOException, InterruptedException {
        boolean temporaryLog = logFile == null;
        Path log = temporaryLog ? Files.createTempFile("deepstroke-cmd-", ".log") : logFile;
        if (log.toAbsolutePath().getParent() != null) {
            Files.createDirectories(log.toAbsolutePath().getParent());
        }
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().putAll(environment);
        if (workingDirectory != null) {
            builder.directory(workingDirectory.toFile());
        }
        long start = System.nanoTime();
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new CommandFailedException(command.get(0) + " could not be started (" + e.getMessage()
                    + "); command: " + commandLine(), -1, log);
        }
        boolean finished;
        try {
            finished = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            destroyTree(process);
            throw e;
        }
        if (!finished) {
            destroyTree(process);
            throw new CommandFailedException(programName() + " timed out after " + timeout.toSeconds()
                    + " s; command: " + commandLine() + "; log " + log + tailSuffix(log), -1, log);
        }
        int exit = process.exitValue();
        Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
        if (exit != 0) {
            throw new CommandFailedException(programName() + " failed (exit " + exit + "); command: "
                    + commandLine() + "; log " + log + tailSuffix(log), exit, log);
        }
        String text = Files.readString(log, StandardCharsets.UTF_8);
        if (temporaryLog) {
            Files.deleteIfExists(log);
        }
        return new Result(text, elapsed);
    }

    private String programName() {
        return Path.of(command.get(0)).getFileName().toString();
    }

    private static void destroyTree(Process process) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }

    private static String tailSuffix(Path log) {
        List<String> tail = tail(log, TAIL_LINES);
        return tail.isEmpty() ? "" : "; last lines: " + String.join(" | ", tail);
    }

    /** The last {@code n} non-blank lines of a file (empty when unreadable). */
    static List<String> tail(Path file, int n) {
        try {
            List<String> lines = new ArrayList<>();
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                if (!line.isBlank()) {
                    lines.add(line.strip());
                }
            }
            return lines.subList(Math.max(0, lines.size() - n), lines.size());
        } catch (IOException e) {
            return List.of();
        }
    }

    private static String quote(String arg) {
        if (!arg.isEmpty() && arg.matches("[A-Za-z0-9_./,:=+@%\\-\\[\\]x]+")) {
            return arg;
        }
        return "'" + arg.replace("'", "'\\''") + "'";
    }

    /** Output and wall time of a successful run. */
    public record Result(String log, Duration elapsed) {
    }

    /** A nonzero exit, a timeout or a start failure, with the command line and log tail in its message. */
    public static final class CommandFailedException extends IOException {
        private final int exitCode;
        private final Path log;

        CommandFailedException(String message, int exitCode, Path log) {
            super(message);
            this.exitCode = exitCode;
            this.log = log;
        }

        public int exitCode() {
            return exitCode;
        }

        public Path log() {
            return log;
        }
    }
}
