package org.deepstroke.phantom;

import static org.deepstroke.core.testing.InProcessTool.deepstroke;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.deepstroke.core.testing.InProcessTool.Result;
import org.deepstroke.core.testing.ProjectPaths;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14 item 3, beam hardening and skull-base streaks (opt-in, {@link BeamHardening}): one tilted MNI subject
 * generated without the option, with {@code --streak-share 0} and with {@code --streak-share 1}. Without streaks the
 * output is the artefact-free one byte for byte; with them the truth is unchanged, the recorded streak lines are
 * darker by their recorded amplitude, and every other slice differs by the cupping alone.
 */
class StreakTest {

    /** The subject of {@link MotionTest} (4 mm NCCT, tilted, 128 matrix). */
    static final long SEED = MotionTest.SEED;

    private static Path clean;
    private static Path zero;
    private static Path streaks;

    @BeforeAll
    static void generate() throws IOException {
        Path root = TestCohorts.scratch().resolve("streaks");
        clean = cohort(root.resolve("clean"), List.of());
        zero = cohort(root.resolve("zero"), List.of("--streak-share", "0"));
        streaks = cohort(root.resolve("streaks"), List.of("--streak-share", "1"));
    }

    private static Path cohort(Path out, List<String> extra) throws IOException {
        List<String> args = new ArrayList<>(List.of("phantom", "--anatomy", "mni", "--aspects-masks",
                ProjectPaths.sharedFile("atlas/aspects-regions-mni").toString(), "--subjects", "1", "--seed",
                Long.toString(SEED), "--overlay-share", "0", "--tilt-share", "1", "--matrix", "128",
                "--thin-coverage", "slab", "--threads", "1", "--pseudonym-key-file", TestCohorts.keyFile().toString(),
                "--output-dir", out.toString()));
        args.addAll(extra);
        TestCohorts.run(args);
        return out;
    }

    @Test
    void withoutTheOptionOrWithShareZeroNothingChanges() throws Exception {
        Map<Path, String> a = PhantomCohortTest.hashes(clean);
        Map<Path, String> b = PhantomCohortTest.hashes(zero);
        assertTrue(a.size() > 100, "files: " + a.size());
        assertEquals(a, b, "--streak-share 0 writes what no option writes, byte for byte");
        assertFalse(TestCohorts.truth(subject(clean)).has("beam_hardening"), "no key without the option");
        assertFalse(Files.readString(clean.resolve("truth/cohort.json")).contains("streak"));
        assertTrue(Files.readString(streaks.resolve("truth/cohort.json")).contains("streak_share"));
    }

    @Test
    void theTruthTheCtaAndTheScoutDoNotChange() throws Exception {
        for (String f : new String[] {"labels.nii.gz", "brain_mask.nii.gz", "lesion_mask.nii.gz"}) {
            assertArrayEquals(Files.readAllBytes(subject(clean).resolve(f)),
                    Files.readAllBytes(subject(streaks).resolve(f)), f + ": artefacts are not anatomy");
        }
        for (String role : new String[] {"cta", "localizer"}) {
            List<Path> fa = files(clean, role);
            List<Path> fb = files(streaks, role);
            assertEquals(fa.size(), fb.size());
            for (int i = 0; i < fa.size(); i++) {
                assertArrayEquals(Files.readAllBytes(fa.get(i)), Files.readAllBytes(fb.get(i)), role + " " + i);
            }
        }
        // the bone series (same acquisition) carries them
        DicomRead.Series ba = DicomRead.series(files(clean, "bone"));
        DicomRead.Series bb = DicomRead.series(files(streaks, "bone"));
        int changed = 0;
        for (int k = 0; k < ba.hu().size(); k++) {
            changed += Arrays.equals(ba.hu().get(k), bb.hu().get(k)) ? 0 : 1;
        }
        assertTrue(changed > 0, "bone slices changed: " + changed);
    }

    @Test
    void theRecordedStreakLinesAreDarkerByTheirAmplitude() throws Exception {
        JsonNode bh = TestCohorts.truth(subject(streaks)).get("beam_hardening");
        assertNotNull(bh);
        double cupping = bh.get("cupping_hu").asDouble();
        int first = bh.get("first_streak_slice").asInt();
        int last = bh.get("last_streak_slice").asInt();
        assertTrue(last >= first, bh.toString());
        assertTrue(bh.get("slices").size() >= 1, "streak slices painted: " + bh.get("slices"));
        DicomRead.Series a = ncct(clean);
        DicomRead.Series b = ncct(streaks);
        int cols = a.columns();
        int lines = 0;
        for (JsonNode s : bh.get("slices")) {
            int k = s.get("slice").asInt();
            assertTrue(k >= first && k <= last, "slice " + k);
            for (JsonNode st : s.get("streaks")) {
                double amplitude = st.get("amplitude_hu").asDouble();
                double[] p = {st.get("from_px").get(0).asDouble(), st.get("from_px").get(1).asDouble()};
                double[] q = {st.get("to_px").get(0).asDouble(), st.get("to_px").get(1).asDouble()};
                // the central 60 % of the segment (away from the bone points and their radial streaks)
                Set<Integer> pixels = new HashSet<>();
                for (double t = 0.2; t <= 0.8; t += 0.005) {
                    int c = (int) Math.round(p[0] + t * (q[0] - p[0]));
                    int r = (int) Math.round(p[1] + t * (q[1] - p[1]));
                    pixels.add(r * cols + c);
                }
                double diff = 0;
                for (int i : pixels) {
                    diff += b.hu().get(k)[i] - a.hu().get(k)[i];
                }
                diff /= pixels.size();
                System.out.printf("streak slice %d: amplitude %.2f HU, bone path %.1f mm, mean change on the line "
                        + "%.2f HU (%d px), cupping %.2f%n", k, amplitude, st.get("bone_path_mm").asDouble(), diff,
                        pixels.size(), cupping);
                assertTrue(amplitude >= 5 && amplitude <= BeamHardening.MAX_DEPTH_HU, "amplitude " + amplitude);
                // the line's own depth, plus at most the cupping and the crossing of another line or a ray
                assertTrue(diff <= -0.7 * amplitude + 1 && diff >= -1.3 * amplitude - cupping - 1,
                        "slice " + k + ": mean change " + diff + " for amplitude " + amplitude);
                lines++;
            }
        }
        assertTrue(lines >= 1);
    }

    @Test
    void slicesAboveTheStreakLevelsDifferOnlyByTheCupping() throws Exception {
        JsonNode bh = TestCohorts.truth(subject(streaks)).get("beam_hardening");
        double cupping = bh.get("cupping_hu").asDouble();
        int last = bh.get("last_streak_slice").asInt();
        DicomRead.Series a = ncct(clean);
        DicomRead.Series b = ncct(streaks);
        int cupped = 0;
        double deepest = 0;
        for (int k = 0; k < a.hu().size(); k++) {
            if (k >= bh.get("first_streak_slice").asInt() && k <= last) {
                continue;
            }
            float[] x = a.hu().get(k);
            float[] y = b.hu().get(k);
            boolean changed = false;
            for (int i = 0; i < x.length; i++) {
                double d = y[i] - x[i];
                // the rounding of HU + noise may add one HU
                assertTrue(d <= 0 && d >= -Math.ceil(cupping) - 1, "slice " + k + " pixel " + i + ": " + d);
                if (x[i] < -200 || x[i] > 1000) {
                    assertEquals(0, d, "slice " + k + " pixel " + i + ": air and bone are not cupped");
                }
                changed |= d != 0;
                deepest = Math.min(deepest, d);
            }
            cupped += changed ? 1 : 0;
        }
        System.out.printf("cupping %.2f HU: %d slices cupped outside the streak levels, deepest change %.0f HU%n",
                cupping, cupped, deepest);
        assertTrue(cupped > 5, "cupped slices " + cupped);
    }

    @Test
    void aShareOutside0To1IsAUsageError(@TempDir Path dir) {
        for (String bad : new String[] {"1.5", "-0.1"}) {
            Result r = deepstroke("phantom", "--streak-share", bad, "--output-dir", dir.resolve("c").toString());
            assertEquals(2, r.exit(), r.err());
            assertEquals(1, r.err().strip().lines().count(), r.err());
            assertTrue(r.err().contains("--streak-share") && r.err().contains(bad), r.err());
        }
        assertFalse(Files.exists(dir.resolve("c")));
    }

    // ---- helpers --------------------------------------------------------------------------------------------

    private static Path subject(Path cohort) throws IOException {
        List<Path> dirs = TestCohorts.subjectDirs(cohort);
        assertEquals(1, dirs.size());
        return dirs.get(0);
    }

    private static List<Path> files(Path cohort, String role) throws IOException {
        String uid = TestCohorts.series(TestCohorts.truth(subject(cohort)), role).get("series_instance_uid").asText();
        return DicomRead.seriesFiles(cohort.resolve("dicom"), uid);
    }

    private static DicomRead.Series ncct(Path cohort) throws IOException {
        return DicomRead.series(files(cohort, "ncct"));
    }
}
