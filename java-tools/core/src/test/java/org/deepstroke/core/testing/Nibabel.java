package org.deepstroke.core.testing;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assertions;

/**
 * nibabel (from the project venv) as a real, independent NIfTI client: what it reads from a file (shape, affine,
 * every voxel of get_fdata) and fixtures it writes.
 */
public final class Nibabel {

    /** What nibabel read: shape, the best affine (sform, else qform), voxels x-fastest as float64. */
    public record Reading(int[] shape, double[][] affine, double[] data, int sformCode, int qformCode) {
    }

    private Nibabel() {
    }

    private static Path script() throws IOException {
        Path script = Files.createTempFile("nibabel_tool", ".py");
        try (var in = Nibabel.class.getResourceAsStream("nibabel_tool.py")) {
            Files.write(script, in.readAllBytes());
        }
        return script;
    }

    /** Reads {@code nifti} with nibabel; the dump and the script are deleted afterwards (tests run thousands). */
    public static Reading read(Path nifti) {
        Path dir = null;
        Path script = null;
        try {
            dir = Files.createTempDirectory("nibabel");
            script = script();
            Path prefix = dir.resolve("dump");
            Subprocess.check(List.of(ProjectPaths.venvPython().toString(), script.toString(), "dump",
                    nifti.toString(), prefix.toString()), null, Map.of(), Duration.ofMinutes(2));
            var meta = new com.fasterxml.jackson.databind.ObjectMapper().readTree(
                    Path.of(prefix + ".json").toFile());
            int[] shape = new int[meta.get("shape").size()];
            for (int i = 0; i < shape.length; i++) {
                shape[i] = meta.get("shape").get(i).asInt();
            }
            double[][] affine = new double[4][4];
            for (int i = 0; i < 4; i++) {
                for (int j = 0; j < 4; j++) {
                    affine[i][j] = meta.get("affine").get(i).get(j).asDouble();
                }
            }
            byte[] raw = Files.readAllBytes(Path.of(prefix + ".f64"));
            double[] data = new double[raw.length / 8];
            ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN).asDoubleBuffer().get(data);
            return new Reading(shape, affine, data, meta.get("sform_code").asInt(), meta.get("qform_code").asInt());
        } catch (IOException e) {
            return Assertions.fail("nibabel dump of " + nifti + " failed: " + e.getMessage());
        } finally {
            deleteQuietly(script);
            if (dir != null) {
                deleteQuietly(dir.resolve("dump.json"));
                deleteQuietly(dir.resolve("dump.f64"));
                deleteQuietly(dir);
            }
        }
    }

    private static void deleteQuietly(Path p) {
        if (p == null) {
            return;
        }
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            // a leftover temp file is not a test failure
        }
    }

    /** Has nibabel write its own fixtures (big-endian, scaled, qform-only, ...) into {@code dir}. */
    public static List<Path> writeFixtures(Path dir) {
        Path script = null;
        try {
            script = script();
            Subprocess.Result r = Subprocess.check(List.of(ProjectPaths.venvPython().toString(), script.toString(),
                    "fixtures", dir.toString()), null, Map.of(), Duration.ofMinutes(2));
            return r.stdout().lines().filter(l -> !l.isBlank()).map(Path::of).toList();
        } catch (IOException e) {
            return Assertions.fail("nibabel fixtures failed: " + e.getMessage());
        } finally {
            deleteQuietly(script);
        }
    }
}
