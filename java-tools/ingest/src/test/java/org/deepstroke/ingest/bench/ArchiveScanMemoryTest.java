package org.deepstroke.ingest.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.deepstroke.core.testing.Subprocess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 16 item 11: the scan's memory grows by about 100 bytes per instance. 60,000 instances on sixty 1,000-instance
 * DICOMDIR media (an archive of per-patient exports in small) are scanned by dicomdir-scan in a 32 MB heap. Measured
 * on the same media: the previous main (a list of every file, then a record with strings per instance) ran out of
 * memory at 40 MB and needed 48 MB; this scan passes at 20 MB. The archive-scale figures (1,000,000 instances,
 * 256 MB, files/s) are the benchmark's ({@code make bench}), not a test's.
 */
class ArchiveScanMemoryTest {

    private static final int MEDIA = 60;
    private static final int PER_MEDIUM = 1_000;

    @Test
    void sixtyThousandInstancesOnSixtyMediaFitA32MegabyteHeap(@TempDir Path tmp) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx32m", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"),
                "org.deepstroke.core.cli.Launcher", "dicomdir-scan", "--input"));
        for (int m = 0; m < MEDIA; m++) {
            Path medium = tmp.resolve("media").resolve("medium-" + m);
            assertEquals(PER_MEDIUM, IngestBenchmark.SyntheticFileSet.write(medium, PER_MEDIUM, PER_MEDIUM / 100,
                    m + 1));
            cmd.add(medium.toString());
        }
        Path key = Files.writeString(tmp.resolve("key"), "memory-test-key-0123456789abcdef");
        Path out = tmp.resolve("scan");
        cmd.addAll(List.of("--output", out.toString(), "--pseudonym-key-file", key.toString(), "--threads", "2"));

        Subprocess.Result r = Subprocess.run(cmd, Duration.ofMinutes(5));

        assertEquals(0, r.exit(), r.describe());
        List<String> rows = Files.readAllLines(out.resolve("manifest.tsv"));
        assertEquals(1 + MEDIA * PER_MEDIUM / 100, rows.size(), "one row per series (10 per medium)");
        int column = List.of(rows.get(0).split("\t")).indexOf("instances");
        long sum = rows.stream().skip(1).mapToLong(l -> Long.parseLong(l.split("\t", -1)[column])).sum();
        assertEquals(MEDIA * PER_MEDIUM, sum, "every instance is in its series' row");
        String report = Files.readString(out.resolve("scan-report.json"));
        assertTrue(report.contains("\"headers_read\" : " + MEDIA * PER_MEDIUM), report);
        // every medium read through its DICOMDIR (PixelMed running out of memory on one would fall back to a walk)
        assertEquals(MEDIA, report.split("\"kind\" : \"dicomdir\"", -1).length - 1, report);
        // the file lists come from the packed path pool: a series' list names its medium's files in slice order
        String first = rows.get(1).split("\t", -1)[List.of(rows.get(0).split("\t")).indexOf("files")];
        List<String> files = Files.readAllLines(out.resolve(first));
        assertEquals(101, files.size());
        assertTrue(files.get(1).matches("fs-[0-9a-f]{12}\tDICOM/P\\d{3}/S\\d/I0001\t0\\.0000"), files.get(1));
    }

    /**
     * A DICOMDIR whose PixelMed tree does not fit the heap (5,000 records, ~25 MB, in 20 MB) loses nothing: its
     * folder is walked instead, and the warning says it is the heap, not a broken file.
     */
    @Test
    void aDicomdirTooLargeForTheHeapIsWalkedAndSaysSo(@TempDir Path tmp) throws Exception {
        Path medium = tmp.resolve("medium");
        IngestBenchmark.SyntheticFileSet.write(medium, 5_000, 50, 1);
        Path key = Files.writeString(tmp.resolve("key"), "memory-test-key-0123456789abcdef");
        Path out = tmp.resolve("scan");
        Subprocess.Result r = Subprocess.run(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-Xmx20m", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"),
                "org.deepstroke.core.cli.Launcher", "dicomdir-scan", "--input", medium.toString(), "--output",
                out.toString(), "--pseudonym-key-file", key.toString()), Duration.ofMinutes(5));

        assertEquals(0, r.exit(), r.describe());
        assertTrue(r.stderr().matches("(?s).*DICOMDIR unreadable \\(too large for this Java heap \\([0-9.]+ MB file, "
                + "heap \\d+ MB.*folder walked instead.*"), r.stderr());
        String report = Files.readString(out.resolve("scan-report.json"));
        assertTrue(report.contains("\"headers_read\" : 5000"), report);
        List<String> rows = Files.readAllLines(out.resolve("manifest.tsv"));
        assertEquals(51, rows.size());
        assertTrue(rows.get(1).contains("dicomdir_unreadable_folder_walked"), rows.get(1));
    }
}
