package org.deepstroke.aspects;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class GlcmTest {

    /**
     * 3 x 2 plane, grey levels = HU (levels 0..3 over 0..4 HU):
     * <pre>
     *   y0: 0 1 1
     *   y1: 2 1 0
     * </pre>
     * In-plane pairs at distance 1 (0, 45, 90, 135 degrees): 4 + 2 + 3 + 2 = 11, with |i-j| = 0 three times, 1 seven
     * times, 2 once. Contrast = (7*1 + 1*4) / 11 = 1; homogeneity = (3 + 7/2 + 1/5) / 11 = 0.609091; symmetric cells
     * (0,1),(1,0): 5 each, (1,1): 6, (1,2),(2,1): 2 each, (0,2),(2,0): 1 each, of 22: entropy = 1.744791.
     */
    @Test
    void handComputedPlane() {
        float[] hu = {0, 1, 1, 2, 1, 0};
        boolean[] member = new boolean[6];
        Arrays.fill(member, true);
        Glcm.Features f = new Glcm(0, 4, 4).compute(hu, member, 3, 2, 1);
        assertEquals(11, f.pairs());
        assertEquals(1.0, f.contrast(), 1e-12);
        assertEquals(6.7 / 11, f.homogeneity(), 1e-12);
        assertEquals(1.7447913323606286, f.entropy(), 1e-12);
    }

    @Test
    void pairsLeavingTheRegionOrCrossingSlicesDoNotCount() {
        // two slices of 2 x 1; only the first voxel of each slice is a member: no in-plane pair at all
        float[] hu = {0, 3, 0, 3};
        boolean[] member = {true, false, true, false};
        Glcm.Features f = new Glcm(0, 4, 4).compute(hu, member, 2, 1, 2);
        assertEquals(0, f.pairs());
        assertTrue(Double.isNaN(f.contrast()));
    }

    @Test
    void uniformRegionHasNoContrastFullHomogeneityZeroEntropy() {
        float[] hu = {30, 30, 30, 30};
        boolean[] member = {true, true, true, true};
        Glcm.Features f = RegionMeasurer.DEFAULT_GLCM.compute(hu, member, 2, 2, 1);
        assertEquals(0, f.contrast(), 1e-12);
        assertEquals(1, f.homogeneity(), 1e-12);
        assertEquals(0, f.entropy(), 1e-12);
    }

    @Test
    void quantisationClampsIntoTheEndBins() {
        Glcm g = new Glcm(10, 60, 25);
        assertEquals(0, g.level(-100));
        assertEquals(0, g.level(11.9));
        assertEquals(1, g.level(12));
        assertEquals(24, g.level(59.9));
        assertEquals(24, g.level(500));
    }
}
