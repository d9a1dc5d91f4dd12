package org.deepstroke.registration.atlas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.deepstroke.core.aspects.AspectsRegion;
import org.deepstroke.core.image.Affine;
import org.deepstroke.core.image.ImageVolume;
import org.junit.jupiter.api.Test;

/**
 * The snap on a small 1 mm grid: a mask lying half on white matter next to a grey-matter bar. Exact voxel sets.
 */
class GreyNucleusSnapTest {

    private static final int N = 20;

    /** Grey matter: x 4..7 for all y, z (a bar); everything else white matter (3). */
    private static ImageVolume tissue() {
        ImageVolume t = new ImageVolume(N, N, N, Affine.identity());
        for (int z = 0; z < N; z++) {
            for (int y = 0; y < N; y++) {
                for (int x = 0; x < N; x++) {
                    t.set(x, y, z, x >= 4 && x <= 7 ? 2 : 3);
                }
            }
        }
        return t;
    }

    /** The mask: x 6..11, y 8..11, z 8..11 (membership 1), i.e. 2 of its 6 columns on grey matter. */
    private static ImageVolume mask() {
        ImageVolume m = new ImageVolume(N, N, N, Affine.identity());
        for (int z = 8; z <= 11; z++) {
            for (int y = 8; y <= 11; y++) {
                for (int x = 6; x <= 11; x++) {
                    m.set(x, y, z, 1);
                }
            }
        }
        return m;
    }

    @Test
    void theRegionIsCutToGreyMatterAndGrownThroughItWithinItsLevels() {
        ImageVolume snapped = GreyNucleusSnap.snap(mask(), tissue());
        int steps = (int) Math.round(GreyNucleusSnap.GROWTH_MM); // 1 mm voxels
        for (int z = 0; z < N; z++) {
            for (int y = 0; y < N; y++) {
                for (int x = 0; x < N; x++) {
                    // Face-connected growth from x 6..7, y 8..11 within grey x 4..7 and the mask's levels z 8..11:
                    // the city-block distance in x and y to the cut region is at most `steps`.
                    int dx = Math.max(0, 6 - x);
                    int dy = y < 8 ? 8 - y : Math.max(0, y - 11);
                    boolean expected = x >= 4 && x <= 7 && z >= 8 && z <= 11 && dx + dy <= steps;
                    assertEquals(expected ? 1f : 0f, snapped.get(x, y, z), "voxel " + x + "," + y + "," + z);
                }
            }
        }
        assertFalse(snapped.get(8, 9, 9) > 0, "white matter of the mask is cut");
        assertTrue(snapped.get(4, 9, 9) > 0, "grey matter next to the mask is taken");
    }

    @Test
    void tissueOnAnotherGridIsTakenThroughWorldCoordinates() {
        // The same tissue on a grid shifted by one voxel in x: grey now at mask-grid x 5..8.
        ImageVolume shifted = tissue().withData(tissue().data());
        ImageVolume onOtherGrid = new ImageVolume(N, N, N, shifted.data(), Affine.identity().translate(1, 0, 0),
                shifted.xformCode());
        ImageVolume snapped = GreyNucleusSnap.snap(mask(), onOtherGrid);
        assertTrue(snapped.get(8, 9, 9) > 0);
        assertFalse(snapped.get(4, 9, 9) > 0);
    }

    @Test
    void onlyTheCaudateIsSnapped() {
        for (AspectsRegion r : AspectsRegion.all()) {
            assertEquals(r.code().equals("C"), GreyNucleusSnap.applies(r), r.key());
        }
    }
}
