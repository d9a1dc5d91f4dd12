package org.deepstroke.core.image;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class InterpolationTest {

    /** f(x, y, z) = 1 + 2x + 3y + 4z on a 3x3x3 grid: trilinear interpolation reproduces a linear function. */
    private static final float[] LINEAR = new float[27];

    static {
        for (int z = 0; z < 3; z++) {
            for (int y = 0; y < 3; y++) {
                for (int x = 0; x < 3; x++) {
                    LINEAR[x + 3 * (y + 3 * z)] = 1 + 2 * x + 3 * y + 4 * z;
                }
            }
        }
    }

    @Test
    void reproducesLinearFunctionsInside() {
        assertEquals(1 + 2 * 0.25 + 3 * 1.5 + 4 * 0.75, Interpolation.trilinear(LINEAR, 3, 3, 3, 0.25, 1.5, 0.75, -9), 1e-5);
        assertEquals(1 + 2 * 2 + 3 * 2 + 4 * 2, Interpolation.trilinear(LINEAR, 3, 3, 3, 2, 2, 2, -9), 1e-5);
    }

    @Test
    void fadesToTheOutsideValueBeyondTheGrid() {
        // Half a voxel past the last x: half the edge value, half the outside value.
        float edge = 1 + 2 * 2 + 3 + 4;
        assertEquals(0.5 * edge + 0.5 * -1000, Interpolation.trilinear(LINEAR, 3, 3, 3, 2.5, 1, 1, -1000), 1e-4);
        assertEquals(-1000, Interpolation.trilinear(LINEAR, 3, 3, 3, 5, 1, 1, -1000));
        assertEquals(0, Interpolation.trilinear(LINEAR, 3, 3, 3, -1.5, 1, 1, 0));
    }
}
