package org.deepstroke.registration.register;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.deepstroke.core.image.Affine;
import org.deepstroke.core.image.ImageVolume;
import org.junit.jupiter.api.Test;

/** The registration check that decides, the brain overlap, on hand-counted cubes. */
class RegistrationQcTest {

    /** A 4^3 cube of {@code value} at x0..x0+3, y and z 2..5, on a 10^3 grid. */
    private static ImageVolume cube(int x0, float value) {
        ImageVolume v = new ImageVolume(10, 10, 10, Affine.identity());
        for (int z = 2; z < 6; z++) {
            for (int y = 2; y < 6; y++) {
                for (int x = x0; x < x0 + 4; x++) {
                    v.set(x, y, z, value);
                }
            }
        }
        return v;
    }

    @Test
    void aShiftedBrainOverlapsByTheSharedVoxels() {
        // 3 of 4 columns shared: 48 voxels of 64 + 64
        assertEquals(0.75, RegistrationQc.brainOverlap(RegistrationQc.brainOf(cube(3, 25f)), cube(2, 1f)), 1e-12);
    }

    @Test
    void csfAtZeroHuInsideTheBrainCountsAsBrain() {
        ImageVolume warped = cube(2, 25f);
        warped.set(3, 3, 3, 0f); // an enclosed voxel at 0 HU
        warped.set(4, 4, 4, -3f); // negative HU is brain too: only exact 0 is the stripped background
        ImageVolume brain = RegistrationQc.brainOf(warped);
        assertEquals(64, sum(brain));
        assertEquals(1.0, RegistrationQc.brainOverlap(brain, cube(2, 1f)), 1e-12);
    }

    @Test
    void aWarpedMaskCountsFromHalfMembership() {
        ImageVolume warped = cube(2, 1f);
        warped.set(2, 2, 2, 0.49f); // a corner that interpolation left below half: not brain
        warped.set(7, 7, 7, 0.5f); // a stray voxel at half: brain
        // 63 + 1 moving voxels, 63 shared with the 64 atlas voxels
        assertEquals(2.0 * 63 / 128, RegistrationQc.brainOverlap(warped, cube(2, 1f)), 1e-12);
    }

    private static int sum(ImageVolume v) {
        int n = 0;
        for (float f : v.data()) {
            n += Math.round(f);
        }
        return n;
    }

    @Test
    void anEmptyPairIsNotANumberAndGridsMustAgree() {
        ImageVolume empty = new ImageVolume(10, 10, 10, Affine.identity());
        assertEquals(Double.NaN, RegistrationQc.brainOverlap(empty, empty));
        assertThrows(IllegalArgumentException.class,
                () -> RegistrationQc.brainOverlap(cube(2, 1f), new ImageVolume(9, 10, 10, Affine.identity())));
    }
}
