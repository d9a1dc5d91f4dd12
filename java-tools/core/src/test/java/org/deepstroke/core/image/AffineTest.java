package org.deepstroke.core.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Rotations by Euler angles: each axis alone turns the right way, and the order is Rz Ry Rx. */
class AffineTest {

    @Test
    void eachAxisTurnsCounterClockwiseSeenFromItsPositiveEnd() {
        assertArrayEquals(new double[] {0, 0, 1}, Affine.rotationDegrees(90, 0, 0).apply(0, 1, 0), 1e-12);
        assertArrayEquals(new double[] {1, 0, 0}, Affine.rotationDegrees(0, 90, 0).apply(0, 0, 1), 1e-12);
        assertArrayEquals(new double[] {0, 1, 0}, Affine.rotationDegrees(0, 0, 90).apply(1, 0, 0), 1e-12);
    }

    @Test
    void xIsAppliedFirstThenYThenZ() {
        // x then z: (0,1,0) -x90-> (0,0,1) -z90-> (0,0,1); z first would give (0,1,0) -z90-> (-1,0,0) -x90-> (-1,0,0)
        assertArrayEquals(new double[] {0, 0, 1}, Affine.rotationDegrees(90, 0, 90).apply(0, 1, 0), 1e-12);
        assertEquals(1, Affine.rotationDegrees(8, -5, 4).determinant3(), 1e-12);
    }
}
