package org.deepstroke.registration.atlas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.deepstroke.core.cli.ToolFailure;
import org.deepstroke.core.image.Affine;
import org.deepstroke.core.image.ImageVolume;
import org.deepstroke.core.image.Interpolation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The atlas stage's pieces without ANTs: ids, the label table, the fusion rule, world resampling. */
class AtlasUnitsTest {

    @TempDir
    Path dir;

    @Test
    void regionIdsAreTheFixedContract() {
        assertEquals(20, AspectsRegion.values().length);
        String[] codes = {"C", "L", "IC", "I", "M1", "M2", "M3", "M4", "M5", "M6"};
        for (int i = 0; i < 10; i++) {
            AspectsRegion left = AspectsRegion.ofId(i + 1);
            AspectsRegion right = AspectsRegion.ofId(i + 11);
            assertEquals(codes[i], left.code());
            assertEquals(codes[i], right.code());
            assertEquals(AspectsRegion.Side.L, left.side());
            assertEquals(AspectsRegion.Side.R, right.side());
            assertEquals(i < 7 ? AspectsRegion.Level.BG : AspectsRegion.Level.SG, left.level());
        }
        // The public mask set's own tokens: IC there is the insula, InCa the internal capsule (see AspectsRegion).
        assertEquals("IC", AspectsRegion.I_L.maskToken());
        assertEquals("InCa", AspectsRegion.IC_R.maskToken());
        assertEquals("LN", AspectsRegion.L_L.maskToken());
        assertEquals(AspectsRegion.IC_R, AspectsRegion.find("ic", "r").orElseThrow());
        assertTrue(AspectsRegion.find("InCa", "L").isEmpty(), "mask tokens are not region codes");
    }

    @Test
    void labelTableRoundTripsAndAcceptsOtherIdsAndColumnOrders() throws Exception {
        Path tsv = dir.resolve("labels.tsv");
        LabelsTsv.write(tsv);
        Map<AspectsRegion, Integer> ids = LabelsTsv.read(tsv);
        ids.forEach((region, id) -> assertEquals(region.id(), id));

        StringBuilder other = new StringBuilder("hemisphere\tid\tregion\tcomment\n");
        for (AspectsRegion r : AspectsRegion.all()) {
            other.append(r.side()).append('\t').append(100 + r.id()).append('\t').append(r.code()).append("\tx\n");
        }
        Files.writeString(dir.resolve("other.tsv"), other);
        assertEquals(105, LabelsTsv.read(dir.resolve("other.tsv")).get(AspectsRegion.M1_L));
    }

    @Test
    void labelTableMustNameEveryRegionOnce() throws Exception {
        Files.writeString(dir.resolve("short.tsv"), "id\tregion\themisphere\n1\tC\tL\n");
        ToolFailure missing = assertThrows(ToolFailure.class, () -> LabelsTsv.read(dir.resolve("short.tsv")));
        assertTrue(missing.getMessage().contains("L_L"), missing.getMessage());

        Files.writeString(dir.resolve("bad.tsv"), "id\tregion\themisphere\n1\tXX\tL\n");
        ToolFailure unknown = assertThrows(ToolFailure.class, () -> LabelsTsv.read(dir.resolve("bad.tsv")));
        assertTrue(unknown.getMessage().contains("unknown ASPECTS region 'XX'"), unknown.getMessage());

        Files.writeString(dir.resolve("twice.tsv"), "id\tregion\themisphere\n1\tC\tL\n1\tL\tL\n");
        ToolFailure twice = assertThrows(ToolFailure.class, () -> LabelsTsv.read(dir.resolve("twice.tsv")));
        assertTrue(twice.getMessage().contains("used twice"), twice.getMessage());
    }

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
        float[] out = HuWindow.BRAIN.apply(ct).data();
        assertEquals(List.of(0f, 0f, 35f, 80f, 0f), List.of(out[0], out[1], out[2], out[3], out[4]));
        assertEquals(0.5, HuWindow.BRAIN.fractionInside(ct), 1e-9, "2 of the 4 nonzero voxels");
    }

    @Test
    void smoothingBringsAFinerGridToACoarserOnesResolution() {
        ImageVolume fine = new ImageVolume(41, 41, 41, Affine.diagonal(1, 1, 1));
        // A 2 mm grid stored LAS and with axes swapped: the matching still goes by direction.
        ImageVolume coarse = new ImageVolume(10, 10, 5, Affine.ofRows(new double[] {-2, 0, 0, 0},
                new double[] {0, 0, 3, 0}, new double[] {0, 2, 0, 0}));
        double[] sigma = GaussianSmoothing.sigmaToMatch(fine, coarse);
        assertEquals(Math.sqrt(3), sigma[0], 1e-9);
        assertEquals(Math.sqrt(8), sigma[1], 1e-9, "y of the fine grid meets the 3 mm axis");
        assertEquals(Math.sqrt(3), sigma[2], 1e-9);
        assertEquals(0, GaussianSmoothing.sigmaToMatch(coarse, fine)[0], 1e-12, "never sharpen");

        fine.set(20, 20, 20, 1000);
        ImageVolume smooth = GaussianSmoothing.smooth(fine, new double[] {2, 2, 2});
        double sum = 0;
        for (float v : smooth.data()) {
            sum += v;
        }
        assertEquals(1000, sum, 0.01, "mass is kept away from the border");
        // Peak of a 3-D Gaussian with sigma 2 voxels: 1000 / (2 pi 4)^1.5, up to sampling of the kernel.
        assertEquals(1000 / Math.pow(2 * Math.PI * 4, 1.5), smooth.get(20, 20, 20), 0.05);
        assertEquals(smooth.get(18, 20, 20), smooth.get(20, 22, 20), 1e-4, "isotropic");
    }
}
