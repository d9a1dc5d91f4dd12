package org.deepstroke.core.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * Broken inputs made from a valid file (truncation at many offsets, bit flips in the header, random elements
 * inserted into the header) and the contract a tool must keep on each (issue 16): exit 1 or 2, exactly one error
 * line naming a file, no stack trace, no output left behind, no input modified.
 */
public final class HostileInputs {

    private static final java.util.regex.Pattern LOG_LINE =
            java.util.regex.Pattern.compile("^\\d\\d:\\d\\d:\\d\\d \\[(INFO|WARN)\\] ");

    /** One broken input: what was done, and the bytes. */
    public record Case(String name, byte[] bytes) {
    }

    private HostileInputs() {
    }

    /** Truncations at {@code count} offsets spread over [1, length) plus the empty file. */
    public static List<Case> truncations(byte[] valid, int count) {
        List<Case> out = new ArrayList<>();
        out.add(new Case("empty", new byte[0]));
        for (int i = 0; i < count; i++) {
            int at = (int) (1 + (long) (valid.length - 2) * i / Math.max(1, count - 1));
            out.add(new Case("truncated-at-" + at, Arrays.copyOf(valid, at)));
        }
        return out;
    }

    /**
     * A file-reading tool's standard corpus for a binary format whose header fixes the length: the empty file,
     * {@code truncations} truncations, {@code flips} bit flips and {@code runs} 8-byte random runs in the first
     * {@code headerBytes} bytes (seeds {@code seed} and {@code seed + 1}).
     */
    public static List<Case> headerCorpus(byte[] valid, int headerBytes, int truncations, int flips, int runs,
            long seed) {
        List<Case> corpus = new ArrayList<>(truncations(valid, truncations));
        corpus.addAll(bitFlips(valid, 0, headerBytes, flips, seed));
        corpus.addAll(randomRuns(valid, 0, headerBytes, 8, runs, seed + 1));
        return corpus;
    }

    /** Single and multiple bit flips at random positions of [from, to). */
    public static List<Case> bitFlips(byte[] valid, int from, int to, int count, long seed) {
        Random random = new Random(seed);
        List<Case> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            byte[] b = valid.clone();
            int flips = 1 + random.nextInt(3);
            StringBuilder name = new StringBuilder("bitflip");
            for (int f = 0; f < flips; f++) {
                int at = from + random.nextInt(to - from);
                int bit = random.nextInt(8);
                b[at] ^= (byte) (1 << bit);
                name.append('-').append(at).append('.').append(bit);
            }
            out.add(new Case(name.toString(), b));
        }
        return out;
    }

    /** {@code count} copies with {@code size} random bytes overwritten at a random offset in [from, to). */
    public static List<Case> randomRuns(byte[] valid, int from, int to, int size, int count, long seed) {
        Random random = new Random(seed);
        List<Case> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            byte[] b = valid.clone();
            int at = from + random.nextInt(Math.max(1, to - from - size));
            byte[] run = new byte[size];
            random.nextBytes(run);
            System.arraycopy(run, 0, b, at, Math.min(size, b.length - at));
            out.add(new Case("random-" + size + "-at-" + at, b));
        }
        return out;
    }

    /** SHA-256 of every regular file below {@code dir} (or of one file). */
    public static Map<Path, String> checksums(Path dirOrFile) throws IOException {
        Map<Path, String> out = new TreeMap<>();
        if (Files.isRegularFile(dirOrFile)) {
            out.put(dirOrFile, sha(dirOrFile));
            return out;
        }
        try (Stream<Path> walk = Files.walk(dirOrFile)) {
            for (Path f : walk.filter(Files::isRegularFile).toList()) {
                out.put(f, sha(f));
            }
        }
        return out;
    }

    private static String sha(Path f) throws IOException {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(f)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Runs {@code deepstroke args} in-process and asserts an output-guard refusal: exit 2, one stderr line naming
     * {@code named} with {@code reason}, no exception name, and nothing under {@code watched} changed or added.
     */
    public static void assertRefused(Path watched, Path named, String reason, String... args) throws IOException {
        Map<Path, String> before = checksums(watched);
        InProcessTool.Result run = InProcessTool.deepstroke(args);
        assertEquals(2, run.exit(), String.join(" ", args) + ": " + run.err());
        List<String> lines = run.err().lines().filter(l -> !l.isBlank()).toList();
        assertEquals(1, lines.size(), run.err());
        assertTrue(lines.get(0).contains(named.toString()) && lines.get(0).contains(reason), run.err());
        assertFalse(lines.get(0).contains("Exception"), run.err());
        assertEquals(before, checksums(watched), "inputs unchanged, nothing written");
    }

    /**
     * The failure contract: exit 1 or 2; stderr is exactly one non-blank line, naming {@code file} (its full path or
     * its file name); no stack trace nor exception class name; no {@code outputs} exist; inputs unchanged.
     */
    public static void assertCleanFailure(String what, InProcessTool.Result run, Path file, List<Path> outputs,
            Map<Path, String> inputsBefore) throws IOException {
        String context = what + ": exit " + run.exit() + "\n" + run.err();
        assertTrue(run.exit() == 1 || run.exit() == 2, context);
        // progress and warnings logged before the failure ("12:00:00 [INFO] ...") are not error lines
        List<String> lines = run.err().lines().filter(l -> !l.isBlank() && !LOG_LINE.matcher(l).find()).toList();
        assertEquals(1, lines.size(), context);
        assertTrue(lines.get(0).contains(file.getFileName().toString()), "no file named: " + context);
        assertFalse(run.err().contains("\tat ") || run.err().matches("(?s).*\\bat [a-z]+\\.[a-z.]+\\(.*"),
                "stack trace: " + context);
        assertFalse(run.err().matches("(?s).*\\b[A-Z][A-Za-z]*(Exception|Error)\\b.*"), "exception name: " + context);
        for (Path out : outputs) {
            assertFalse(Files.exists(out), "output left behind: " + out + " " + context);
        }
        assertEquals(inputsBefore, checksumsOf(inputsBefore.keySet()), "input modified: " + context);
    }

    private static Map<Path, String> checksumsOf(Iterable<Path> files) throws IOException {
        Map<Path, String> out = new TreeMap<>();
        for (Path f : files) {
            out.put(f, Files.exists(f) ? sha(f) : "(deleted)");
        }
        return out;
    }

    /** No temporary files (".name.*.tmp", ".name.*.nii") left in {@code dir}. */
    public static void assertNoTemporaries(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            List<Path> temps = walk.filter(p -> p.getFileName().toString().startsWith(".")
                    && (p.getFileName().toString().endsWith(".tmp") || p.getFileName().toString().endsWith(".nii")))
                    .toList();
            assertEquals(List.of(), temps, "temporary files left");
        }
    }

    /** What a tool run on one broken input produced: its result and the outputs it was asked to write. */
    public record Run(InProcessTool.Result result, List<Path> outputs) {
    }

    /** How a fuzz corpus went: inputs the tool read (a change nothing uses) and inputs it refused cleanly. */
    public record Outcome(int accepted, int refused) {
    }

    /**
     * Writes each case to {@code dir/<case name><suffix>} and runs {@code tool} on it: the run either succeeds (its
     * outputs are then removed) or keeps the failure contract of {@link #assertCleanFailure} naming that file.
     * With {@code truncationsMustFail} (binary formats whose header fixes the length) truncated and empty inputs
     * must be refused. No temporary file may be left in {@code dir}.
     */
    public static Outcome fuzz(List<Case> corpus, Path dir, String suffix, boolean truncationsMustFail,
            Function<Path, Run> tool) throws IOException {
        Files.createDirectories(dir);
        int accepted = 0;
        int refused = 0;
        for (Case c : corpus) {
            Path in = dir.resolve(c.name() + suffix);
            Files.write(in, c.bytes());
            Map<Path, String> before = checksums(in);
            Run run = tool.apply(in);
            boolean mustFail = truncationsMustFail && (c.name().startsWith("truncated") || c.name().equals("empty"));
            if (run.result().exit() == 0 && !mustFail) {
                for (Path out : run.outputs()) {
                    Files.deleteIfExists(out);
                }
                accepted++;
            } else {
                assertCleanFailure(c.name(), run.result(), in, run.outputs(), before);
                refused++;
            }
            Files.delete(in);
        }
        assertNoTemporaries(dir);
        return new Outcome(accepted, refused);
    }
}
