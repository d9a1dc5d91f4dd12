package org.deepstroke.evaluation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.deepstroke.core.image.Affine;
import org.deepstroke.core.image.ImageVolume;
import org.junit.jupiter.api.Test;

/** Hand-computed fixtures: every expected value below is worked out in the comment beside it. */
class SegmentationMetricsTest {

    private static ImageVolume grid(int nx, int ny, int nz, double sx, double sy, double sz) {
        return new ImageVolume(nx, ny, nz, Affine.diagonal(sx, sy, sz));
    }

    @Test
    void diceOfTwoOverlappingRuns() {
        ImageVolume p = grid(6, 1, 1, 1, 1, 1);
        ImageVolume r = p.blankLike();
        for (int x = 0; x <= 2; x++) {
            p.set(x, 0, 0, 1);
        }
        for (int x = 1; x <= 3; x++) {
            r.set(x, 0, 0, 1);
        }
        r.set(5, 0, 0, 2);
        // label 1: |P|=3, |R|=3, overlap {1,2} -> 2*2/6
        assertEquals(2.0 / 3.0, SegmentationMetrics.dice(p, r, 1), 1e-12);
        // label 2 only in the reference -> 0; label 7 in neither -> 1 by convention
        assertEquals(0.0, SegmentationMetrics.dice(p, r, 2), 0);
        assertEquals(1.0, SegmentationMetrics.dice(p, r, 7), 0);
    }

    @Test
    void volumeInMillilitres() {
        ImageVolume p = grid(4, 4, 4, 2, 2, 2);
        p.set(0, 0, 0, 3);
        p.set(1, 0, 0, 3);
        p.set(1, 1, 0, 3);
        // 3 voxels of 8 mm^3 = 24 mm^3 = 0.024 ml
        assertEquals(0.024, SegmentationMetrics.volumeMl(p, 3), 1e-12);
        assertEquals(0.0, SegmentationMetrics.volumeMl(p, 1), 0);
    }

    @Test
    void hd95OfTwoSingleVoxelsIsTheirDistanceInMm() {
        ImageVolume p = grid(5, 3, 3, 2, 1, 1);
        ImageVolume r = p.blankLike();
        p.set(0, 1, 1, 4);
        r.set(3, 1, 1, 4);
        // 3 voxels apart along x at 2 mm: every pooled distance is 6 mm
        assertEquals(6.0, SegmentationMetrics.hd95(p, r, 4), 1e-6);
    }

    @Test
    void hd95InterpolatesThe95thPercentileOfPooledSurfaceDistances() {
        ImageVolume p = grid(10, 1, 1, 0.5, 1, 1);
        ImageVolume r = p.blankLike();
        for (int x = 0; x < 10; x++) {
            p.set(x, 0, 0, 1);
        }
        r.set(0, 0, 0, 1);
        // P -> R: 0, 0.5, ..., 4.5 mm (10 values); R -> P: 0 (1 value). Sorted 11 values 0,0,0.5,...,4.5;
        // position 0.95 * 10 = 9.5 -> halfway between 4.0 and 4.5 = 4.25 mm
        assertEquals(4.25, SegmentationMetrics.hd95(p, r, 1), 1e-6);
    }

    @Test
    void hd95UsesOnlySurfacesNotInteriors() {
        // A 5x5x5 cube vs the same cube: all distances 0
        ImageVolume p = grid(7, 7, 7, 1, 1, 1);
        for (int z = 1; z <= 5; z++) {
            for (int y = 1; y <= 5; y++) {
                for (int x = 1; x <= 5; x++) {
                    p.set(x, y, z, 1);
                }
            }
        }
        ImageVolume r = p.withData(p.data().clone());
        assertEquals(0.0, SegmentationMetrics.hd95(p, r, 1), 0);
        // Reference cube grown to x = 1..6. Surfaces: P 125 - 27 = 98 voxels, R 150 - 36 = 114. P -> R: the 9 voxels
        // of P's x = 5 face with y, z in 2..4 are interior to R, 1 mm from R's x = 6 face; the rest 0. R -> P: the
        // 25 voxels at x = 6 are 1 mm from P's x = 5 face; the rest 0. 34 of 212 pooled distances are 1 mm (> 5 %),
        // and the 95th percentile position 0.95 * 211 = 200.45 lies among them -> 1 mm.
        for (int z = 1; z <= 5; z++) {
            for (int y = 1; y <= 5; y++) {
                r.set(6, y, z, 1);
            }
        }
        assertEquals(1.0, SegmentationMetrics.hd95(p, r, 1), 1e-6);
    }

    @Test
    void emptyLabelConventions() {
        ImageVolume p = grid(3, 3, 3, 1, 1, 1);
        ImageVolume r = p.blankLike();
        p.set(1, 1, 1, 5);
        assertTrue(Double.isNaN(SegmentationMetrics.hd95(p, r, 5)));
        assertEquals(0.0, SegmentationMetrics.hd95(p, r, 9), 0);
        SegmentationMetrics.LabelMetrics m = SegmentationMetrics.compute(p, r, 5);
        assertEquals(0.001, m.predictedMl(), 1e-12);
        assertEquals(0.001, m.differenceMl(), 1e-12);
    }

    @Test
    void differentGridsAreRefused() {
        ImageVolume p = grid(3, 3, 3, 1, 1, 1);
        ImageVolume r = grid(3, 3, 3, 2, 2, 2);
        assertThrows(IllegalArgumentException.class, () -> SegmentationMetrics.dice(p, r, 1));
    }

    @Test
    void referenceIsResampledThroughWorldCoordinates() {
        // Reference on a 2 mm grid, prediction on a 1 mm grid covering the same world box.
        ImageVolume ref = grid(2, 1, 1, 2, 2, 2);
        ref.set(1, 0, 0, 3);
        ImageVolume pred = grid(4, 2, 2, 1, 1, 1);
        ImageVolume onPred = LabelResampler.nearestOnto(ref, pred);
        // world x of the 1 mm voxels 0..3 = 0..3 mm -> 2 mm voxel index x/2 = 0, 0.5, 1, 1.5, rounded half up:
        // 0, 1, 1, 2 (outside) -> labels 0, 3, 3, 0
        assertEquals(0f, onPred.get(0, 0, 0));
        assertEquals(3f, onPred.get(1, 0, 0));
        assertEquals(3f, onPred.get(2, 0, 0));
        assertEquals(0f, onPred.get(3, 0, 0));
        assertSame(pred, LabelResampler.nearestOnto(pred, pred));
    }
}
