package org.deepstroke.ingest.bench;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.CodeStringAttribute;
import com.pixelmed.dicom.DecimalStringAttribute;
import com.pixelmed.dicom.DicomDirectory;
import com.pixelmed.dicom.FileMetaInformation;
import com.pixelmed.dicom.IntegerStringAttribute;
import com.pixelmed.dicom.LongStringAttribute;
import com.pixelmed.dicom.OtherWordAttribute;
import com.pixelmed.dicom.PersonNameAttribute;
import com.pixelmed.dicom.ShortStringAttribute;
import com.pixelmed.dicom.TagFromName;
import com.pixelmed.dicom.TransferSyntax;
import com.pixelmed.dicom.UniqueIdentifierAttribute;
import com.pixelmed.dicom.UnsignedShortAttribute;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Ingest benchmark (not a test; `make bench`): dicomdir-scan files/s and peak RSS on the Philips file-set and on a
 * generated file-set of >= 20,000 small CT instances, then dicom-to-nifti wall time and peak RSS per Philips series
 * side by side with dcm2niix (both writing .nii.gz, both as fresh processes: JVM start included).
 *
 * <pre>
 * java -cp "java-tools/dist/target/lib/base/*" org.deepstroke.ingest.bench.IngestBenchmark \
 *     [--philips ../shared/data/dicom/philips-phantom-fileset] [--instances 20000] [--archive-instances 1000000]
 *     [--per-root 5000] [--heap 256m] [--work DIR] [--dcm2niix PATH]
 * </pre>
 * The archive check (issue 16 item 11; goal: 1,000,000 instances in a 256 MB heap at >= 5,000 files/s on 2 cores)
 * scans {@code --archive-instances} instances on {@code --per-root}-instance DICOMDIR media (10 subjects x 5 series
 * x 100 slices each, like an archive of per-patient exports) in one run with {@code -Xmx<heap>}, then the same files
 * as plain folders ({@code --folders}: walked, ids hashed from content); 0 skips it. The media are generated once
 * under the work folder (about 4 KB of disk per instance) and reused.
 * Peak RSS comes from /usr/bin/time when present, else from sampling /proc/PID/status every 20 ms.
 */
public final class IngestBenchmark {

    private IngestBenchmark() {
    }

    /** One measured run. */
    record Measure(double seconds, long peakRssKb, int exit, String stderr) {
    }

    /** The command line, defaults filled in; {@code work} exists. */
    private record Settings(Path philips, int instances, int archive, int perRoot, String heap, Path work,
            String dcm2niix) {
    }

    public static void main(String[] args) throws Exception {
        Settings s = settings(args);
        Path key = s.work().resolve("bench.key");
        Files.writeString(key, "benchmark-key-0123456789abcdef");
        scanBenchmarks(s, key);
        if (s.archive() > 0) {
            archiveBenchmark(s, key);
        }
        System.out.println();
        conversionBenchmark(s);
    }

    private static Settings settings(String[] args) throws IOException {
        Path philips = Path.of("../shared/data/dicom/philips-phantom-fileset");
        int instances = 20_000;
        int archive = 1_000_000;
        int perRoot = 5_000;
        String heap = "256m";
        Path work = null;
        String dcm2niix = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--philips" -> philips = Path.of(args[++i]);
                case "--instances" -> instances = Integer.parseInt(args[++i]);
                case "--archive-instances" -> archive = Integer.parseInt(args[++i]);
                case "--per-root" -> perRoot = Integer.parseInt(args[++i]);
                case "--heap" -> heap = args[++i];
                case "--work" -> work = Path.of(args[++i]);
                case "--dcm2niix" -> dcm2niix = args[++i];
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        if (work == null) {
            work = Files.createTempDirectory("ingest-bench");
        }
        Files.createDirectories(work);
        if (dcm2niix == null) {
            dcm2niix = venvDcm2niix();
        }
        return new Settings(philips, instances, archive, perRoot, heap, work, dcm2niix);
    }

    /** dicomdir-scan on the Philips file-set and on the generated one, with the default heap and capped. */
    private static void scanBenchmarks(Settings s, Path key) throws Exception {
        System.out.println("# dicomdir-scan (headers only; 2 threads)");
        System.out.printf("%-36s %9s %9s %10s %12s%n", "file-set", "instances", "seconds", "files/s", "peak RSS MB");
        Path work = s.work();
        scan("philips", List.of(s.philips()), work, key, null);
        Path synthetic = work.resolve("synthetic");
        long t0 = System.nanoTime();
        int written = SyntheticFileSet.write(synthetic, s.instances(), 100, 0);
        System.out.printf("(generated %d synthetic instances in %.1f s)%n", written, (System.nanoTime() - t0) / 1e9);
        scan("synthetic-" + written, List.of(synthetic), work, key, null);
        // The same with the heap capped (RSS above reflects a lazily collected default heap). One DICOMDIR is read
        // whole by PixelMed: its attribute tree, about 5 KB per directory record, is the largest transient.
        scan("synthetic-" + written + " -Xmx" + s.heap(), List.of(synthetic), work, key, "-Xmx" + s.heap());
    }

    /** The archive check: {@code --archive-instances} on DICOMDIR media, then the same files as plain folders. */
    private static void archiveBenchmark(Settings s, Path key) throws Exception {
        Path work = s.work();
        String heap = s.heap();
        List<Path> media = new ArrayList<>();
        int total = 0;
        long t0 = System.nanoTime();
        for (int m = 0; total < s.archive(); m++) {
            Path medium = work.resolve("archive").resolve(String.format(Locale.ROOT, "medium-%04d", m));
            int n = Math.min(s.perRoot(), s.archive() - total);
            total += SyntheticFileSet.write(medium, n, Math.max(1, n / 100), m + 1);
            media.add(medium);
        }
        System.out.printf("(archive: %d instances on %d DICOMDIR media, generated or reused in %.1f s)%n", total,
                media.size(), (System.nanoTime() - t0) / 1e9);
        scan(String.format(Locale.ROOT, "archive-%d -Xmx%s", total, heap), media, work, key, "-Xmx" + heap);
        // the same files as plain folders (PACS exports without a DICOMDIR): walked, ids from their content
        scan(String.format(Locale.ROOT, "archive-%d folders -Xmx%s", total, heap),
                media.stream().map(m -> m.resolve("DICOM")).toList(), work, key, "-Xmx" + heap, "--folders");
        System.out.printf(Locale.ROOT, "goal: >= 1,000,000 instances in a 256 MB heap at >= 5,000 files/s%n");
    }

    /** dicom-to-nifti and dcm2niix on five Philips series, one table row each. */
    private static void conversionBenchmark(Settings s) throws Exception {
        System.out.println("# dicom-to-nifti vs dcm2niix, one series each, .nii.gz, fresh processes "
                + "(wall s / peak RSS MB)");
        System.out.printf("%-24s %7s %12s %12s %12s %12s %7s%n", "series", "slices", "ours s", "ours MB", "dcm2niix s",
                "dcm2niix MB", "ratio");
        Path workDir = s.work();
        String[][] series = {{"STD BRAIN 5 mm", "DICOM/S21570/S2010"}, {"STD BRAIN 1 mm iDose", "DICOM/S21570/S2020"},
            {"BONE 1 mm", "DICOM/S21570/S2030"}, {"STEREOTAXIS tilt -18.5", "DICOM/S21610/S2010"},
            {"STEREOTAXIS tilt +16.5", "DICOM/S21610/S3010"}};
        for (String[] row : series) {
            Path folder = s.philips().resolve(row[1]);
            long slices;
            try (Stream<Path> f = Files.list(folder)) {
                slices = f.count();
            }
            Measure ours = best(() -> run(List.of(javaExe(), "-XX:+UseParallelGC", "-cp",
                    System.getProperty("java.class.path"), "org.deepstroke.core.cli.Launcher", "dicom-to-nifti",
                    "--dicom", folder.toString(), "--output", workDir.resolve("ours.nii.gz").toString()), Map.of()));
            String exe = s.dcm2niix();
            Measure theirs = best(() -> {
                Path out = Files.createDirectories(workDir.resolve("dcm2niix-" + System.nanoTime()));
                return run(List.of(exe, "-z", "y", "-f", "%s", "-o", out.toString(), folder.toString()), Map.of());
            });
            System.out.printf(Locale.ROOT, "%-24s %7d %12.2f %12.0f %12.2f %12.0f %7.2f%n", row[0], slices,
                    ours.seconds(), ours.peakRssKb() / 1024.0, theirs.seconds(), theirs.peakRssKb() / 1024.0,
                    ours.seconds() / theirs.seconds());
        }
    }

    interface Run {
        Measure go() throws Exception;
    }

    /** The faster of two runs (the machine is shared: the first run also warms the page cache). */
    private static Measure best(Run r) throws Exception {
        Measure a = r.go();
        Measure b = r.go();
        if (a.exit() != 0 || b.exit() != 0) {
            throw new IllegalStateException("benchmark run failed: " + a.stderr() + b.stderr());
        }
        return a.seconds() <= b.seconds() ? a : b;
    }

    private static void scan(String label, List<Path> roots, Path work, Path key, String heap, String... extra)
            throws Exception {
        Path out = work.resolve("scan-" + label.replace(' ', '_'));
        Measure m = null;
        for (int i = 0; i < 2; i++) {
            List<String> cmd = new ArrayList<>(List.of(javaExe(), "-XX:+UseParallelGC"));
            if (heap != null) {
                cmd.add(heap);
            }
            cmd.addAll(List.of("-cp", System.getProperty("java.class.path"),
                    "org.deepstroke.core.cli.Launcher", "dicomdir-scan", "--input"));
            roots.forEach(r -> cmd.add(r.toString()));
            cmd.addAll(List.of("--output", out.toString(), "--pseudonym-key-file", key.toString(), "--threads", "2"));
            cmd.addAll(List.of(extra));
            Measure x = run(cmd, Map.of());
            if (x.exit() != 0) {
                throw new IllegalStateException("scan failed: " + x.stderr());
            }
            m = m == null || x.seconds() < m.seconds() ? x : m;
        }
        String report = Files.readString(out.resolve("scan-report.json"));
        int headers = Integer.parseInt(report.replaceAll("(?s).*\"headers_read\" : (\\d+).*", "$1"));
        System.out.printf(Locale.ROOT, "%-36s %9d %9.2f %10.0f %12.0f%n", label, headers, m.seconds(),
                headers / m.seconds(), m.peakRssKb() / 1024.0);
    }

    /**
     * The program of the venv's pinned dcm2niix wheel (bin/setup/requirements.txt), run directly: its console script
     * .tools/venv/bin/dcm2niix is a Python shim that starts this program as a child, which would add the shim's start
     * (20-50 ms measured) to every dcm2niix time.
     */
    private static String venvDcm2niix() throws java.io.IOException {
        Path lib = Path.of(".tools/venv/lib");
        if (Files.isDirectory(lib)) {
            try (Stream<Path> pythons = Files.list(lib)) {
                for (Path python : pythons.sorted().toList()) {
                    Path program = python.resolve("site-packages/dcm2niix/dcm2niix");
                    if (Files.isExecutable(program)) {
                        return program.toAbsolutePath().toString();
                    }
                }
            }
        }
        throw new IllegalStateException("no dcm2niix under " + lib.toAbsolutePath()
                + ": run `make setup` from the project root (or pass --dcm2niix PATH)");
    }

    private static String javaExe() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** Runs a command, timing it and measuring its peak RSS (with /usr/bin/time when available). */
    static Measure run(List<String> command, Map<String, String> env) throws Exception {
        boolean gnuTime = Files.isExecutable(Path.of("/usr/bin/time"));
        Path timeOut = Files.createTempFile("bench-time", ".txt");
        List<String> cmd = new ArrayList<>();
        if (gnuTime) {
            cmd.addAll(List.of("/usr/bin/time", "-f", "%M", "-o", timeOut.toString()));
        }
        cmd.addAll(command);
        Path err = Files.createTempFile("bench-err", ".txt");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(err.toFile());
        pb.environment().putAll(env);
        long start = System.nanoTime();
        Process p = pb.start();
        long sampled = 0;
        while (!p.waitFor(20, java.util.concurrent.TimeUnit.MILLISECONDS)) {
            if (!gnuTime) {
                sampled = Math.max(sampled, rssKb(p.pid()));
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        long peak = sampled;
        if (gnuTime) {
            String t = Files.readString(timeOut).strip();
            String last = t.lines().reduce((a, b) -> b).orElse("0");
            peak = Long.parseLong(last.strip());
        }
        String stderr = Files.readString(err, StandardCharsets.UTF_8);
        Files.deleteIfExists(timeOut);
        Files.deleteIfExists(err);
        return new Measure(seconds, peak, p.exitValue(), stderr);
    }

    private static long rssKb(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("\\D+", ""));
                }
            }
        } catch (IOException | NumberFormatException e) {
            return 0;
        }
        return 0;
    }

    /**
     * A DICOMDIR file-set of small CT instances (16x16 pixels): {@code seriesCount} series of N/seriesCount slices,
     * 5 per subject; {@code medium} makes the UIDs and patient ids unique across media.
     */
    static final class SyntheticFileSet {

        private SyntheticFileSet() {
        }

        static int write(Path root, int instances, int seriesCount, int medium) throws Exception {
            if (Files.exists(root.resolve("DICOMDIR"))) {
                try (Stream<Path> s = Files.walk(root)) {
                    return (int) s.filter(Files::isRegularFile).count() - 1;
                }
            }
            // written beside and renamed when complete: an interrupted generation is not mistaken for a medium
            Path partial = root.resolveSibling(root.getFileName() + ".partial");
            if (Files.exists(partial)) {
                delete(partial);
            }
            int n = generate(partial, instances, seriesCount, medium);
            Files.createDirectories(root.getParent());
            Files.move(partial, root);
            return n;
        }

        private static int generate(Path root, int instances, int seriesCount, int medium) throws Exception {
            int slices = (instances + seriesCount - 1) / seriesCount;
            DicomDirectory dicomdir = new DicomDirectory();
            short[] pixels = new short[16 * 16];
            for (int i = 0; i < pixels.length; i++) {
                pixels[i] = (short) (1000 + i);
            }
            int n = 0;
            for (int s = 0; s < seriesCount; s++) {
                int subject = s / 5;
                String study = "2.25." + (medium + 1) + (1000 + subject);
                String series = study + "." + (s % 5 + 1);
                for (int k = 0; k < slices; k++) {
                    String sop = series + "." + (k + 1);
                    AttributeList list = new AttributeList();
                    put(list, new ShortStringAttribute(TagFromName.SpecificCharacterSet), "ISO_IR 100");
                    put(list, new CodeStringAttribute(TagFromName.ImageType), "ORIGINAL", "PRIMARY", "AXIAL");
                    put(list, new UniqueIdentifierAttribute(TagFromName.SOPClassUID), "1.2.840.10008.5.1.4.1.1.2");
                    put(list, new UniqueIdentifierAttribute(TagFromName.SOPInstanceUID), sop);
                    put(list, new CodeStringAttribute(TagFromName.Modality), "CT");
                    put(list, new PersonNameAttribute(TagFromName.PatientName), "BENCH^" + medium + "^" + subject);
                    put(list, new LongStringAttribute(TagFromName.PatientID), "BENCH" + medium + "-" + subject);
                    put(list, new UniqueIdentifierAttribute(TagFromName.StudyInstanceUID), study);
                    put(list, new UniqueIdentifierAttribute(TagFromName.SeriesInstanceUID), series);
                    put(list, new ShortStringAttribute(TagFromName.StudyID), "1");
                    put(list, new IntegerStringAttribute(TagFromName.SeriesNumber), String.valueOf(s % 5 + 1));
                    put(list, new IntegerStringAttribute(TagFromName.InstanceNumber), String.valueOf(k + 1));
                    put(list, new ShortStringAttribute(new AttributeTag(0x0018, 0x1210)), "H30s");
                    put(list, new DecimalStringAttribute(TagFromName.SliceThickness), "1");
                    put(list, new DecimalStringAttribute(TagFromName.ImagePositionPatient), "-100", "-100",
                            String.valueOf(k));
                    put(list, new DecimalStringAttribute(TagFromName.ImageOrientationPatient), "1", "0", "0", "0", "1",
                            "0");
                    put(list, new DecimalStringAttribute(TagFromName.PixelSpacing), "12.5", "12.5");
                    putUs(list, TagFromName.SamplesPerPixel, 1);
                    put(list, new CodeStringAttribute(TagFromName.PhotometricInterpretation), "MONOCHROME2");
                    putUs(list, TagFromName.Rows, 16);
                    putUs(list, TagFromName.Columns, 16);
                    putUs(list, TagFromName.BitsAllocated, 16);
                    putUs(list, TagFromName.BitsStored, 12);
                    putUs(list, TagFromName.HighBit, 11);
                    putUs(list, TagFromName.PixelRepresentation, 0);
                    put(list, new DecimalStringAttribute(TagFromName.RescaleIntercept), "-1024");
                    put(list, new DecimalStringAttribute(TagFromName.RescaleSlope), "1");
                    Attribute pd = new OtherWordAttribute(TagFromName.PixelData);
                    pd.setValues(pixels);
                    list.put(pd);
                    FileMetaInformation.addFileMetaInformation(list, "1.2.840.10008.5.1.4.1.1.2", sop,
                            TransferSyntax.ExplicitVRLittleEndian, "BENCH");
                    String rel = String.format("DICOM/P%03d/S%d/I%04d", subject, s % 5 + 1, k + 1);
                    Path file = root.resolve(rel);
                    Files.createDirectories(file.getParent());
                    list.write(file.toString(), TransferSyntax.ExplicitVRLittleEndian, true, true);
                    list.remove(TagFromName.PixelData);
                    dicomdir.addAttributeListFromDicomFileToDirectory(list, rel.replace('/', File.separatorChar));
                    n++;
                }
            }
            dicomdir.write(root.resolve("DICOMDIR").toString());
            return n;
        }

        private static void put(AttributeList list, Attribute a, String... values) throws Exception {
            for (String v : values) {
                a.addValue(v);
            }
            list.put(a);
        }

        private static void putUs(AttributeList list, AttributeTag tag, int v) throws Exception {
            Attribute a = new UnsignedShortAttribute(tag);
            a.addValue(v);
            list.put(a);
        }
    }

    /** Removes a benchmark work folder (not called automatically: results stay for inspection). */
    static void delete(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
