package org.deepstroke.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.deepstroke.core.image.Affine;
import org.deepstroke.core.image.ImageVolume;
import org.deepstroke.core.testing.ProjectPaths;
import org.deepstroke.core.testing.Subprocess;
import org.deepstroke.core.testing.InProcessTool;
import org.deepstroke.core.testing.InProcessTool.Result;

/** Shared helpers of the ingest tests: the launcher in-process, dcm2niix, world-space comparison. */
public final class IngestTesting {

    public static final String KEY = "ingest-test-key-0123456789";

    private IngestTesting() {
    }

    public static Path philips() {
        return ProjectPaths.sharedFile("dicom/philips-phantom-fileset");
    }

    /** Runs a tool through the launcher in this JVM (the key comes from a key file written to a temp dir). */
    public static Result tool(String... args) {
        return InProcessTool.deepstroke(args);
    }

    public static Path keyFile(Path dir) throws Exception {
        Path key = dir.resolve("pseudonym.key");
        Files.writeString(key, KEY + "\n");
        return key;
    }

    /** Scans {@code inputs} into {@code out}; fails on a non-zero exit. */
    public static Result scan(Path out, Path keyFile, String... inputsAndOptions) {
        List<String> args = new ArrayList<>(List.of("dicomdir-scan", "--output", out.toString(), "--pseudonym-key-file",
                keyFile.toString()));
        args.addAll(Arrays.asList(inputsAndOptions));
        Result run = tool(args.toArray(String[]::new));
        assertEquals(0, run.exit(), run.err());
        return run;
    }

    /** scan-report.json of a scan folder. */
    public static com.fasterxml.jackson.databind.JsonNode report(Path dir) throws Exception {
        return new com.fasterxml.jackson.databind.ObjectMapper().readTree(dir.resolve("scan-report.json").toFile());
    }

    /** manifest.tsv rows as column maps. */
    public static List<Map<String, String>> manifest(Path dir) throws Exception {
        List<String> lines = Files.readAllLines(dir.resolve("manifest.tsv"));
        String[] header = lines.get(0).split("\t", -1);
        List<Map<String, String>> rows = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            String[] cells = line.split("\t", -1);
            assertEquals(header.length, cells.length, line);
            Map<String, String> row = new java.util.LinkedHashMap<>();
            for (int i = 0; i < header.length; i++) {
                row.put(header[i], cells[i]);
            }
            rows.add(row);
        }
        return rows;
    }

    /** Runs the venv's dcm2niix on a folder; returns the produced .nii files (uncompressed), sorted by name. */
    public static List<Path> runDcm2niix(Path dicomFolder, Path outDir) throws Exception {
        Files.createDirectories(outDir);
        Subprocess.check(List.of(ProjectPaths.dcm2niix().toString(), "-z", "n", "-b", "y", "-f", "%s", "-o", outDir.toString(),
                dicomFolder.toString()), null, Map.of(), Duration.ofMinutes(3));
        try (var files = Files.list(outDir)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".nii")).sorted().toList();
        }
    }

    /** Result of a world-space voxel comparison. */
    public record Agreement(long voxels, long compared, double maxAbsDiff, double maxIndexOffset) {
    }

    /**
     * Compares two volumes voxel by voxel in world space: each voxel of {@code ours} is mapped through our affine and
     * the inverse of theirs; the index must land on a voxel centre (within {@code tolMm} mm) and the values compare.
     */
    public static Agreement compareWorld(ImageVolume ours, ImageVolume theirs, double tolMm) {
        Affine toTheirs = theirs.voxelToWorld().inverse().multiply(ours.voxelToWorld());
        double[] v = new double[3];
        long compared = 0;
        double maxDiff = 0;
        double maxOffset = 0;
        double[] sp = theirs.spacing();
        for (int z = 0; z < ours.nz(); z++) {
            for (int y = 0; y < ours.ny(); y++) {
                for (int x = 0; x < ours.nx(); x++) {
                    toTheirs.apply(x, y, z, v);
                    int i = (int) Math.round(v[0]);
                    int j = (int) Math.round(v[1]);
                    int k = (int) Math.round(v[2]);
                    double off = Math.max(Math.abs(v[0] - i) * sp[0], Math.max(Math.abs(v[1] - j) * sp[1],
                            Math.abs(v[2] - k) * sp[2]));
                    maxOffset = Math.max(maxOffset, off);
                    assertTrue(theirs.contains(i, j, k), "voxel " + x + "," + y + "," + z + " maps outside theirs");
                    maxDiff = Math.max(maxDiff, Math.abs(ours.get(x, y, z) - theirs.get(i, j, k)));
                    compared++;
                }
            }
        }
        return new Agreement(ours.size(), compared, maxDiff, maxOffset);
    }

    /**
     * Our tilt-corrected volume against dcm2niix's {@code _Tilt} file of the same series: {@code offsetMm} is where
     * dcm2niix's header puts its voxel (x, ny-1-y, z) minus where ours puts our voxel (x, y, z) (dcm2niix stores
     * rows bottom-up); {@code index*} compare the values grid index for grid index (rows flipped), {@code world*}
     * sample theirs (trilinear) at our voxel centres through both headers ({@code worldOutside}: our voxels outside
     * their grid). Fails unless both grids have the same dimensions and axes.
     */
    public record TiltAgreement(double[] offsetMm, double indexMedian, double indexP95, double indexMax,
            long worldOutside, double worldMedian, double worldP95, double worldP99) {

        public double offsetNorm() {
            return Math.sqrt(offsetMm[0] * offsetMm[0] + offsetMm[1] * offsetMm[1] + offsetMm[2] * offsetMm[2]);
        }

        @Override
        public String toString() {
            return String.format(java.util.Locale.ROOT, "dcm2niix _Tilt grid %.2f mm (%.3f, %.3f, %.3f) from ours; "
                    + "grid index for index |dHU| median %.2f, p95 %.1f, max %.0f; world space %d voxels outside "
                    + "theirs, |dHU| median %.2f, p95 %.2f, p99 %.2f", offsetNorm(), offsetMm[0], offsetMm[1],
                    offsetMm[2], indexMedian, indexP95, indexMax, worldOutside, worldMedian, worldP95, worldP99);
        }
    }

    public static TiltAgreement compareWithDcm2niixTilt(ImageVolume ours, ImageVolume theirs) {
        assertEquals(List.of(ours.nx(), ours.ny(), ours.nz()), List.of(theirs.nx(), theirs.ny(), theirs.nz()),
                "same widened grid as dcm2niix's _Tilt");
        Affine toTheirs = theirs.voxelToWorld().inverse().multiply(ours.voxelToWorld());
        double[][] m = toTheirs.rows();
        double[][] flip = {{1, 0, 0}, {0, -1, 0}, {0, 0, 1}};
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                assertEquals(flip[i][j], m[i][j], 1e-4, "same axes as dcm2niix's _Tilt, rows flipped: " + toTheirs);
            }
        }
        double[] a = theirs.voxelToWorld().apply(-m[0][3], theirs.ny() - 1 - m[1][3], -m[2][3]);
        double[] b = theirs.voxelToWorld().apply(0, 0, 0);
        double[] offset = {a[0] - b[0], a[1] - b[1], a[2] - b[2]};
        double[] byIndex = new double[ours.size()];
        double[] world = new double[ours.size()];
        int n = 0;
        int inside = 0;
        double[] v = new double[3];
        for (int z = 0; z < ours.nz(); z++) {
            for (int y = 0; y < ours.ny(); y++) {
                for (int x = 0; x < ours.nx(); x++) {
                    float value = ours.get(x, y, z);
                    byIndex[n++] = Math.abs(value - theirs.get(x, theirs.ny() - 1 - y, z));
                    toTheirs.apply(x, y, z, v);
                    double got = sample(theirs, v[0], v[1], v[2]);
                    if (!Double.isNaN(got)) {
                        world[inside++] = Math.abs(got - value);
                    }
                }
            }
        }
        Arrays.sort(byIndex);
        world = Arrays.copyOf(world, inside);
        Arrays.sort(world);
        return new TiltAgreement(offset, byIndex[n / 2], byIndex[(int) (n * 0.95)], byIndex[n - 1], n - inside,
                inside == 0 ? Double.NaN : world[inside / 2], inside == 0 ? Double.NaN : world[(int) (inside * 0.95)],
                inside == 0 ? Double.NaN : world[(int) (inside * 0.99)]);
    }

    /**
     * Our negative-tilt volume against dcm2niix's {@code _Tilt}: its header is right there, so the grids coincide
     * (within 0.5 mm: the two widen the grid by sub-voxel different amounts) and its HU sampled at our voxel centres
     * agree.
     */
    public static void assertAgreesWithDcm2niixTilt(TiltAgreement t, ImageVolume ours) {
        assertTrue(t.offsetNorm() <= 0.5, t.toString());
        assertTrue(t.worldOutside() <= ours.size() / 20, t.toString());
        assertTrue(t.worldMedian() <= 1.0, t.toString());
        assertTrue(t.worldP95() <= 5.0, t.toString());
    }

    /**
     * Our positive-tilt volume against dcm2niix's {@code _Tilt}: the same voxel values grid index for grid index, but
     * its header displaces the grid along -z (more than 10 mm; x and y unchanged), the error of both 1.0.20220720 and
     * 1.0.20260724. A dcm2niix that fixes it fails here: then compare in world space as for negative tilt.
     */
    public static void assertDcm2niixPositiveTiltError(TiltAgreement t) {
        double[] o = t.offsetMm();
        assertTrue(o[2] < -10 && Math.abs(o[0]) <= 0.1 && Math.abs(o[1]) <= 1.0, "dcm2niix's positive-tilt _Tilt "
                + "header no longer has its -z error (" + t + "): compare in world space as for negative tilt");
        assertTrue(t.indexMedian() <= 1.0, t.toString());
        assertTrue(t.indexP95() <= 40.0, t.toString());
    }

    /** Trilinear sample at continuous voxel coordinates (NaN outside). */
    public static double sample(ImageVolume vol, double x, double y, double z) {
        x = snap(x);
        y = snap(y);
        z = snap(z);
        int x0 = (int) Math.floor(x);
        int y0 = (int) Math.floor(y);
        int z0 = (int) Math.floor(z);
        double fx = x - x0;
        double fy = y - y0;
        double fz = z - z0;
        double sum = 0;
        double wsum = 0;
        for (int dz = 0; dz <= 1; dz++) {
            for (int dy = 0; dy <= 1; dy++) {
                for (int dx = 0; dx <= 1; dx++) {
                    double w = (dx == 0 ? 1 - fx : fx) * (dy == 0 ? 1 - fy : fy) * (dz == 0 ? 1 - fz : fz);
                    if (w < 1e-6) {
                        continue;
                    }
                    if (!vol.contains(x0 + dx, y0 + dy, z0 + dz)) {
                        return Double.NaN;
                    }
                    sum += w * vol.get(x0 + dx, y0 + dy, z0 + dz);
                    wsum += w;
                }
            }
        }
        return wsum == 0 ? Double.NaN : sum / wsum;
    }

    private static double snap(double v) {
        double r = Math.rint(v);
        return Math.abs(v - r) < 1e-5 ? r : v;
    }
}
