package org.deepstroke.registration.atlas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.deepstroke.core.aspects.AspectsRegion;
import org.deepstroke.core.image.Affine;
import org.deepstroke.core.image.ImageVolume;
import org.deepstroke.core.image.Interpolation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The atlas stage's pieces without ANTs: the fusion rule, world resampling (the region contract: core). */
class AtlasUnitsTest {

    @TempDir
    Path dir;

    @Test
    void fusionTakesTheHighestMembershipAboveHalfAndTiesGoToTheLowestId() {
        ImageVolume grid = new ImageVolume(4, 1, 1, Affine.identity());
        LabelFusion fusion = new LabelFusion(grid);
        // voxel 0: C_L 0.6 vs L_L 0.7 -> L_L; voxel 1: tie 0.8 -> C_L; voxel 2: both 0.4 -> none; voxel 3: only C_R.
        fusion.add(AspectsRegion.C_L, grid.withData(new float[] {0.6f, 0.8f, 0.4f, 0f}));
        fusion.add(AspectsRegion.L_L, grid.withData(new float[] {0.7f, 0.8f, 0.4f, 0f}));
        fusion.add(AspectsRegion.C_R, grid.withData(new float[] {0f, 0f, 0f, 0.5f}));
        assertEquals(Map.of(0, 2f, 1, 1f, 2, 0f, 3, 11f), Map.of(0, fusion.labels().data()[0],
                1, fusion.labels().data()[1], 2, fusion.labels().data()[2], 3, fusion.labels().data()[3]));
        assertEquals(1L, fusion.voxelCounts().get(AspectsRegion.C_L));
        assertEquals(0L, fusion.voxelCounts().get(AspectsRegion.M6_R));
        assertThrows(IllegalStateException.class,
                () -> fusion.add(AspectsRegion.L_L, grid.withData(new float[4])), "ids must increase");
    }

    @Test
    void worldResamplingFollowsPhysicalSpaceNotIndices() {
        // Source: LAS 1 mm grid; target: RAS 2 mm grid over the same space. A point mask at world (3, 4, 2).
        Affine las = Affine.ofRows(new double[] {-1, 0, 0, 9}, new double[] {0, 1, 0, 0}, new double[] {0, 0, 1, 0});
        ImageVolume source = new ImageVolume(10, 10, 10, las);
        source.set(9 - 3, 4, 2, 1); // world x = 9 - i = 3
        source.set(9 - 4, 4, 2, 1); // and world (4, 4, 2)
        ImageVolume target = new ImageVolume(5, 5, 5, Affine.diagonal(2, 2, 2));
        ImageVolume out = Interpolation.trilinearOnto(source, target);
        assertEquals(1.0, out.get(2, 2, 1), 1e-6, "world (4, 4, 2)");
        assertEquals(0.0, out.get(1, 2, 1), 1e-6, "world (2, 4, 2)");
        // Between grid points: world (3.5, 4, 2) interpolates two ones.
        assertEquals(1.0, Interpolation.trilinear(source, 9 - 3.5, 4, 2, 0f), 1e-6);
        assertEquals(0.5, Interpolation.trilinear(source, 9 - 2.5, 4, 2, 0f), 1e-6);
        assertEquals(0.0, Interpolation.trilinear(source, -5, 4, 2, 0f), 1e-6, "outside is background");
        assertTrue(out.sameGrid(target, 0));
    }

    @Test
    void brainWindowTurnsBoneIntoBackgroundRatherThanABrightRim() {
        ImageVolume ct = new ImageVolume(5, 1, 1, Affine.identity()).withData(new float[] {-1000, 0, 35, 80, 1200});
        float[] out = HuClip.BRAIN.apply(ct).data();
        assertEquals(List.of(0f, 0f, 35f, 80f, 0f), List.of(out[0], out[1], out[2], out[3], out[4]));
        assertEquals(0.5, HuClip.BRAIN.fractionInside(ct), 1e-9, "2 of the 4 nonzero voxels");
    }
}
