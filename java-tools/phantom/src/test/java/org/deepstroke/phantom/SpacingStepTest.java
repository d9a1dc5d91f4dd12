package org.deepstroke.phantom;

import static org.deepstroke.core.testing.InProcessTool.deepstroke;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.TagFromName;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.deepstroke.core.image.ImageVolume;
import org.deepstroke.core.image.NiftiReader;
import org.deepstroke.core.testing.InProcessTool.Result;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14 item 3, variable slice spacing within a series (opt-in, {@link SpacingStep}): one tilted MNI subject
 * generated without the option, with {@code --spacing-step-share 0} and with {@code --spacing-step-share 1}. Without
 * the step the output is the regular one byte for byte; with it the NCCT's positions advance by exactly the two
 * recorded steps, every slice of the series' one thickness, the lower segment is the regular series' slices pixel for pixel,
 * and the truth stays on the regular grid of the lower step (the regular cohort's truth, plane for plane). The real
 * converter's view of this series: ingest's PhantomSpacingStepConversionTest (phantom may not depend on ingest).
 */
class SpacingStepTest {

    private static Path plain;
    private static Path zero;
    private static Path stepped;

    @BeforeAll
    static void generate() throws IOException {
        plain = TestCohorts.tiltedMniPlain();
        zero = TestCohorts.tiltedMni("spacing-0", List.of("--spacing-step-share", "0"));
        stepped = TestCohorts.tiltedMni("spacing-1", List.of("--spacing-step-share", "1"));
    }

    @Test
    void withoutTheOptionOrWithShareZeroNothingChanges() throws Exception {
        Map<Path, String> a = PhantomCohortTest.hashes(plain);
        Map<Path, String> b = PhantomCohortTest.hashes(zero);
        assertTrue(a.size() > 100, "files: " + a.size());
        assertEquals(a, b, "--spacing-step-share 0 writes what no option writes, byte for byte");
        assertFalse(TestCohorts.truth(TestCohorts.onlySubject(plain)).has("slice_spacing"), "no key without it");
        assertFalse(Files.readString(plain.resolve("truth/cohort.json")).contains("spacing"));
        assertTrue(Files.readString(stepped.resolve("truth/cohort.json")).contains("\"spacing_step_share\""));
    }

    @Test
    void theNcctAdvancesByExactlyTheTwoRecordedStepsWithThicknessesToMatch() throws Exception {
        JsonNode ss = spacing();
        double s1 = ss.get("lower_step_mm").asDouble();
        double s2 = ss.get("upper_step_mm").asDouble();
        int split = ss.get("split_slice").asInt();
        JsonNode lower = ss.get("segments").get(0);
        JsonNode upper = ss.get("segments").get(1);
        DicomRead.Series ct = TestCohorts.ncct(stepped);
        int n = ct.positions().size();
        assertEquals(0, lower.get("first_slice").asInt());
        assertEquals(split, lower.get("last_slice").asInt());
        assertEquals(split + 1, upper.get("first_slice").asInt());
        assertEquals(n - 1, upper.get("last_slice").asInt());
        double ratio = s2 / s1;
        assertTrue(ratio >= 1.49 && ratio <= 2.01, "step ratio " + ratio);
        assertEquals(s1, lower.get("step_mm").asDouble());
        assertEquals(s2, upper.get("step_mm").asDouble());
        assertEquals(s1, lower.get("slice_thickness_mm").asDouble(), 1e-9, "the series' one thickness");
        assertEquals(s1, upper.get("slice_thickness_mm").asDouble(), 1e-9, "the series' one thickness: gaps above");
        double[] p0 = ct.positions().get(0);
        for (int k = 0; k < n; k++) {
            double[] p = ct.positions().get(k);
            // tilted: the planes are tilted, their positions advance along the table (z) alone
            assertEquals(p0[0], p[0], 1e-6, "slice " + k + " x");
            assertEquals(p0[1], p[1], 1e-6, "slice " + k + " y");
            double step = k <= split ? s1 : s2;
            assertEquals(s1, header(ct, k, TagFromName.SliceThickness), 1e-9, "slice " + k);
            assertEquals(step, header(ct, k, TagFromName.SpacingBetweenSlices), 1e-9, "slice " + k);
            if (k + 1 < n) {
                double gap = ct.positions().get(k + 1)[2] - p[2];
                assertEquals(k < split ? s1 : s2, gap, 1e-3, "gap above slice " + k);
                assertEquals(gap, sliceLocation(ct, k + 1) - sliceLocation(ct, k), 1e-3, "Slice Location " + k);
            }
        }
        // the split at 25-45 % of the extent (the lower segment), give or take the rounding to whole slices
        DicomRead.Series regular = TestCohorts.ncct(plain);
        int m = regular.positions().size();
        double regularExtent = sliceLocation(regular, m - 1) - sliceLocation(regular, 0);
        double fraction = split * s1 / regularExtent;
        assertTrue(fraction >= 0.25 - s1 / regularExtent && fraction <= 0.45 + s1 / regularExtent,
                "split at " + fraction + " of the regular extent");
        // the same start, and the top of the head still covered (the regular series ends less than s1 above it)
        assertEquals(sliceLocation(regular, 0), sliceLocation(ct, 0), 1e-9);
        assertTrue(sliceLocation(ct, n - 1) > sliceLocation(regular, m - 1) - s1, "top " + sliceLocation(ct, n - 1)
                + " vs " + sliceLocation(regular, m - 1));
        System.out.printf("spacing step: %d slices (regular %d): 0..%d at %.3f mm, %d..%d at %.3f mm (ratio %.3f, "
                + "split at %.3f of the extent), tilt %.1f deg%n", n, m, split, s1, split + 1, n - 1, s2, ratio,
                fraction, TestCohorts.truth(TestCohorts.onlySubject(stepped)).get("tilt_deg").asDouble());
    }

    @Test
    void theLowerSegmentIsTheRegularSeriesAndOnlyTheNcctChanges() throws Exception {
        int split = spacing().get("split_slice").asInt();
        DicomRead.Series a = TestCohorts.ncct(plain);
        DicomRead.Series b = TestCohorts.ncct(stepped);
        for (int k = 0; k <= split; k++) {
            assertArrayEquals(a.positions().get(k), b.positions().get(k), "slice " + k);
            assertTrue(Arrays.equals(a.hu().get(k), b.hu().get(k)), "slice " + k + ": the same slice, pixel for pixel");
        }
        assertFalse(Arrays.equals(a.hu().get(split + 1), b.hu().get(split + 1)), "the first upper slice moved up");
        // the scout is another acquisition
        List<Path> fa = TestCohorts.seriesFiles(plain, "localizer");
        List<Path> fb = TestCohorts.seriesFiles(stepped, "localizer");
        assertEquals(1, fb.size());
        assertArrayEquals(Files.readAllBytes(fa.get(0)), Files.readAllBytes(fb.get(0)), "localizer");
        // the thin bone series (a 1 mm reconstruction) and the CTA stay regular (their 60 mm slab is centred on the
        // NCCT's basal-ganglia slice, which may now lie in the upper segment, so the slab itself may shift)
        for (String role : new String[] {"bone", "cta"}) {
            DicomRead.Series s = DicomRead.series(TestCohorts.seriesFiles(stepped, role));
            for (int k = 0; k < s.positions().size(); k++) {
                assertEquals(1.0, header(s, k, TagFromName.SliceThickness), 1e-9, role + " " + k);
                assertEquals(1.0, header(s, k, TagFromName.SpacingBetweenSlices), 1e-9, role + " " + k);
                if (k > 0) {
                    assertEquals(1.0, s.positions().get(k)[2] - s.positions().get(k - 1)[2], 1e-3, role + " " + k);
                }
            }
        }
    }

    @Test
    void theTruthStaysOnTheRegularGridOfTheLowerStep() throws Exception {
        JsonNode truth = TestCohorts.truth(TestCohorts.onlySubject(stepped));
        JsonNode ss = truth.get("slice_spacing");
        double s1 = ss.get("lower_step_mm").asDouble();
        DicomRead.Series ct = TestCohorts.ncct(stepped);
        int n = ct.positions().size();
        for (String f : new String[] {"labels.nii.gz", "brain_mask.nii.gz", "lesion_mask.nii.gz"}) {
            ImageVolume a = NiftiReader.read(TestCohorts.onlySubject(plain).resolve(f));
            ImageVolume b = NiftiReader.read(TestCohorts.onlySubject(stepped).resolve(f));
            assertEquals(ss.get("truth_grid").get("slices").asInt(), b.nz(), f);
            assertEquals(s1, ss.get("truth_grid").get("step_mm").asDouble());
            assertArrayEquals(truth.get("truth_grid").get("dims").traverse(TestCohorts.JSON).readValueAs(int[].class),
                    b.dims(), f);
            // the regular cohort's grid (same first slice, same step), longer where the upper segment reaches higher
            double[][] ra = a.voxelToWorld().rows();
            double[][] rb = b.voxelToWorld().rows();
            for (int i = 0; i < 3; i++) {
                assertArrayEquals(ra[i], rb[i], 1e-9, f + " affine row " + i);
                for (int j = 0; j < 4; j++) { // the NIfTI sform is single precision
                    assertEquals(truth.get("truth_grid").get("voxel_to_ras").get(i).get(j).asDouble(), rb[i][j], 1e-4);
                }
            }
            assertEquals(s1, rb[2][2], 1e-6, f + ": planes one lower step apart along the table");
            assertTrue(b.nz() >= a.nz(), f + " " + b.nz() + " planes vs " + a.nz());
            double[] w = new double[3];
            b.voxelToWorld().apply(0, 0, b.nz() - 1, w);
            assertTrue(w[2] >= ct.positions().get(n - 1)[2] - 1e-6, f + ": the truth reaches the last slice");
            // the truth does not depend on the segments: the regular cohort's, plane for plane; above it nothing
            int plane = a.nx() * a.ny();
            assertArrayEquals(a.data(), Arrays.copyOf(b.data(), a.data().length), f + ": same planes");
            for (int i = a.data().length; i < b.data().length; i++) {
                assertEquals(0f, b.data()[i], f + ": above the head, plane " + i / plane);
            }
        }
    }

    @Test
    void aShareOutside0To1IsAUsageError(@TempDir Path dir) {
        for (String bad : new String[] {"1.5", "-0.1", "x"}) {
            Result r = deepstroke("phantom", "--spacing-step-share", bad, "--output-dir", dir.resolve("c").toString());
            assertEquals(2, r.exit(), r.err());
            assertEquals(1, r.err().strip().lines().count(), r.err());
            assertTrue(r.err().contains("--spacing-step-share") && r.err().contains(bad), r.err());
        }
        assertFalse(Files.exists(dir.resolve("c")));
    }

    // ---- helpers --------------------------------------------------------------------------------------------

    private static JsonNode spacing() throws IOException {
        JsonNode ss = TestCohorts.truth(TestCohorts.onlySubject(stepped)).get("slice_spacing");
        assertNotNull(ss);
        return ss;
    }

    private static double header(DicomRead.Series s, int k, AttributeTag tag) {
        return DicomRead.doubles(s.headers().get(k), tag)[0];
    }

    private static double sliceLocation(DicomRead.Series s, int k) {
        return header(s, k, TagFromName.SliceLocation);
    }
}
