package org.deepstroke.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

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

    public static Path dcm2niix() {
        Path local = ProjectPaths.root().resolve(".tools/dicom-tools/bin/dcm2niix");
        if (Files.isExecutable(local)) {
            return local;
        }
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            Path p = Path.of(dir, "dcm2niix");
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        return fail("dcm2niix missing: run `make setup` (bin/setup/install-dicom-tools.sh)");
    }

    /** Runs Debian's dcm2niix on a folder; returns the produced .nii files (uncompressed). */
    public static List<Path> runDcm2niix(Path dicomFolder, Path outDir) throws Exception {
        Files.createDirectories(outDir);
        Subprocess.check(List.of(dcm2niix().toString(), "-z", "n", "-b", "y", "-f", "%s", "-o", outDir.toString(),
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
