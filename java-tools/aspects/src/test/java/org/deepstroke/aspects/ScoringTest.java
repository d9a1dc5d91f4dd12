package org.deepstroke.aspects;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.deepstroke.core.image.Affine;
import org.deepstroke.core.image.ImageVolume;
import org.deepstroke.core.aspects.AspectsRegion;
import org.deepstroke.core.aspects.AspectsRegion.Side;
import org.deepstroke.core.aspects.AspectsRegion.Structure;
import org.junit.jupiter.api.Test;

/** Relative HU, the window, side detection and the score on hand-computed fixtures. */
class ScoringTest {

    /**
     * 6 x 1 x 1 voxels of 2 mm: left caudate (id 1) HU 30, 20, 500 (bone: outside 10..60), right caudate (id 11) HU
     * 40, 40, 0 (CSF: outside). Left mean = median = 25 over 2 voxels, right 40; relative HU left = 25/40 = 0.625.
     */
    @Test
    void windowExcludesBoneAndCsfAndRelativeHuIsTheRatioOfMeans() {
        ImageVolume ct = new ImageVolume(6, 1, 1, new float[] {30, 20, 500, 40, 40, 0}, Affine.diagonal(2, 2, 2), 1);
        ImageVolume labels = ct.withData(new float[] {1, 1, 1, 11, 11, 11});
        Map<AspectsRegion, RegionDescriptors> m = new RegionMeasurer(new HuInclusionRange(10, 60), RegionMeasurer.DEFAULT_GLCM)
                .measure(ct, labels);
        RegionDescriptors left = m.get(AspectsRegion.C_L);
        assertEquals(3, left.voxels());
        assertEquals(3 * 8 / 1000.0, left.volumeMl(), 1e-12);
        assertEquals(2, left.windowVoxels());
        assertEquals(25, left.mean(), 1e-12);
        assertEquals(25, left.median(), 1e-12);
        assertEquals(40, m.get(AspectsRegion.C_R).mean(), 1e-12);
        assertEquals(0.625, AspectsScorer.relativeHu(m, Structure.C, Side.L), 1e-12);
        assertEquals(1.6, AspectsScorer.relativeHu(m, Structure.C, Side.R), 1e-12);
        assertFalse(m.get(AspectsRegion.L_L).measured(), "absent region");
        assertTrue(Double.isNaN(AspectsScorer.relativeHu(m, Structure.L, Side.L)));
    }

    static RegionDescriptors desc(AspectsRegion r, double mean) {
        return new RegionDescriptors(r, 100, 1, 100, mean, mean, 3, 0, mean - 4, mean - 2, mean + 2, mean + 4, 1, 0.5,
                2);
    }

    /** Left C 24 and L 27 HU, everything else 30: relative HU left C 0.8, L 0.9; deficits L 0.3, R 0. */
    static Map<AspectsRegion, RegionDescriptors> leftLesion() {
        Map<AspectsRegion, RegionDescriptors> m = new EnumMap<>(AspectsRegion.class);
        for (AspectsRegion r : AspectsRegion.values()) {
            m.put(r, desc(r, 30));
        }
        m.put(AspectsRegion.C_L, desc(AspectsRegion.C_L, 24));
        m.put(AspectsRegion.L_L, desc(AspectsRegion.L_L, 27));
        return m;
    }

    @Test
    void sideWithTheLargerDeficitIsDetected() {
        Map<AspectsRegion, RegionDescriptors> m = leftLesion();
        assertEquals(0.3, AspectsScorer.deficit(m, Side.L), 1e-12);
        assertEquals(0.0, AspectsScorer.deficit(m, Side.R), 1e-12);
        assertEquals(Side.L, AspectsScorer.detectSide(m));
        // mirror it: the right side is detected
        Map<AspectsRegion, RegionDescriptors> mirrored = new EnumMap<>(AspectsRegion.class);
        m.forEach((r, d) -> {
            AspectsRegion twin = AspectsScorer.region(r.structure(), AspectsScorer.other(r.side()));
            mirrored.put(twin, desc(twin, d.mean()));
        });
        assertEquals(Side.R, AspectsScorer.detectSide(mirrored));
    }

    @Test
    void scoreIsTenMinusRegionsBelowTheirCutPoints() {
        CutPoints c = CutPoints.publicDefaults(new HuInclusionRange(1, 250));
        AspectsScorer.Result detected = AspectsScorer.score(leftLesion(), c, null);
        assertEquals(Side.L, detected.side());
        assertTrue(detected.sideDetected());
        assertEquals(List.of(Structure.C, Structure.L), detected.affected()); // 0.8 < 0.916, 0.9 < 0.930
        assertEquals(8, detected.score());
        // a given side is scored as given: the right side has relative HU >= 1 everywhere
        AspectsScorer.Result given = AspectsScorer.score(leftLesion(), c, Side.R);
        assertEquals(Side.R, given.side());
        assertFalse(given.sideDetected());
        assertEquals(10, given.score());
        // 0.9 lies above L's cut once the cut is 0.9 (strictly below counts)
        Map<Structure, Double> v = new EnumMap<>(Structure.class);
        for (Structure s : Structure.values()) {
            v.put(s, 0.9);
        }
        assertEquals(9, AspectsScorer.score(leftLesion(), new CutPoints(v, c.window(), "t"), null).score());
    }

    @Test
    void regionIdsFollowThePlatformContract() {
        assertEquals(AspectsRegion.I_L, AspectsScorer.region(Structure.I, Side.L));
        assertEquals(4, AspectsScorer.region(Structure.I, Side.L).id());
        assertEquals(13, AspectsScorer.region(Structure.IC, Side.R).id());
    }

    @Test
    void labelsOnAnotherGridAreResampledByNearestNeighbour() {
        ImageVolume ct = new ImageVolume(4, 1, 1, new float[4], Affine.diagonal(1, 1, 1), 1);
        // labels at 2 mm: voxel 0 covers x 0..1 (centre 0), voxel 1 centre 2
        ImageVolume labels = new ImageVolume(2, 1, 1, new float[] {3, 13}, Affine.diagonal(2, 1, 1), 1);
        ImageVolume on = LabelGrid.onGridOf(labels, ct);
        // ct x = 0, 1, 2, 3 -> label voxel 0, 0.5 (rounds up to 1), 1, 1.5 (-> 2: outside)
        assertEquals(List.of(3f, 13f, 13f, 0f), List.of(on.data()[0], on.data()[1], on.data()[2], on.data()[3]));
        assertTrue(LabelGrid.onGridOf(ct, ct) == ct);
    }
}
