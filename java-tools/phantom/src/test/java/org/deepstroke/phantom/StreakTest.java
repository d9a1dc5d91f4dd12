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
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.deepstroke.core.testing.InProcessTool.Result;
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


    private static Path clean;
    private static Path zero;
    private static Path streaks;

    @BeforeAll
    static void generate() throws IOException {
        clean = TestCohorts.tiltedMniPlain();
        zero = TestCohorts.tiltedMni("streak-0", List.of("--streak-share", "0"));
        streaks = TestCohorts.tiltedMni("streak-1", List.of("--streak-share", "1"));
    }

    @Test
    void withoutTheOptionOrWithShareZeroNothingChanges() throws Exception {
        Map<Path, String> a = PhantomCohortTest.hashes(clean);
        Map<Path, String> b = PhantomCohortTest.hashes(zero);
        assertTrue(a.size() > 100, "files: " + a.size());
        assertEquals(a, b, "--streak-share 0 writes what no option writes, byte for byte");
        assertFalse(TestCohorts.truth(TestCohorts.onlySubject(clean)).has("beam_hardening"), "no key without the option");
        assertFalse(Files.readString(clean.resolve("truth/cohort.json")).contains("streak"));
        assertTrue(Files.readString(streaks.resolve("truth/cohort.json")).contains("streak_share"));
    }

    @Test
    void theTruthTheCtaAndTheScoutDoNotChange() throws Exception {
        for (String f : new String[] {"labels.nii.gz", "brain_mask.nii.gz", "lesion_mask.nii.gz"}) {
            assertArrayEquals(Files.readAllBytes(TestCohorts.onlySubject(clean).resolve(f)),
                    Files.readAllBytes(TestCohorts.onlySubject(streaks).resolve(f)), f + ": artefacts are not anatomy");
        }
        for (String role : new String[] {"cta", "localizer"}) {
            List<Path> fa = TestCohorts.seriesFiles(clean, role);
            List<Path> fb = TestCohorts.seriesFiles(streaks, role);
            assertEquals(fa.size(), fb.size());
            for (int i = 0; i < fa.size(); i++) {
                assertArrayEquals(Files.readAllBytes(fa.get(i)), Files.readAllBytes(fb.get(i)), role + " " + i);
            }
        }
        // the bone series (same acquisition) carries them
        DicomRead.Series ba = DicomRead.series(TestCohorts.seriesFiles(clean, "bone"));
        DicomRead.Series bb = DicomRead.series(TestCohorts.seriesFiles(streaks, "bone"));
        int changed = 0;
        for (int k = 0; k < ba.hu().size(); k++) {
            changed += Arrays.equals(ba.hu().get(k), bb.hu().get(k)) ? 0 : 1;
        }
        assertTrue(changed > 0, "bone slices changed: " + changed);
    }

    @Test
    void theRecordedStreakLinesAreDarkerByTheirAmplitude() throws Exception {
        JsonNode bh = TestCohorts.truth(TestCohorts.onlySubject(streaks)).get("beam_hardening");
        assertNotNull(bh);
        double cupping = bh.get("cupping_hu").asDouble();
        int first = bh.get("first_streak_slice").asInt();
        int last = bh.get("last_streak_slice").asInt();
        assertTrue(last >= first, bh.toString());
        assertTrue(bh.get("slices").size() >= 1, "streak slices painted: " + bh.get("slices"));
        DicomRead.Series a = TestCohorts.ncct(clean);
        DicomRead.Series b = TestCohorts.ncct(streaks);
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
        JsonNode bh = TestCohorts.truth(TestCohorts.onlySubject(streaks)).get("beam_hardening");
        double cupping = bh.get("cupping_hu").asDouble();
        int last = bh.get("last_streak_slice").asInt();
        DicomRead.Series a = TestCohorts.ncct(clean);
        DicomRead.Series b = TestCohorts.ncct(streaks);
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



}
