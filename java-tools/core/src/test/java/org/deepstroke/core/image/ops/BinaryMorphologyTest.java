package org.deepstroke.core.image.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class BinaryMorphologyTest {

    @Test
    void distanceTransformEqualsBruteForceOnAnAnisotropicGrid() {
        int nx = 9, ny = 7, nz = 5;
        double[] spacing = {0.45, 0.6, 5.0};
        boolean[] feature = new boolean[nx * ny * nz];
        Random random = new Random(1);
        for (int i = 0; i < feature.length; i++) {
            feature[i] = random.nextDouble() < 0.05;
        }
        float[] d = DistanceTransform.squaredDistanceTo(feature, nx, ny, nz, spacing);
        for (int i = 0; i < feature.length; i++) {
            double best = Double.POSITIVE_INFINITY;
            for (int j = 0; j < feature.length; j++) {
                if (feature[j]) {
                    double dx = (i % nx - j % nx) * spacing[0];
                    double dy = ((i / nx) % ny - (j / nx) % ny) * spacing[1];
                    double dz = (i / (nx * ny) - j / (nx * ny)) * spacing[2];
                    best = Math.min(best, dx * dx + dy * dy + dz * dz);
                }
            }
            assertEquals(best, d[i], 1e-3 * Math.max(1, best), "voxel " + i);
        }
    }

    @Test
    void erosionAndDilationUseMillimetres() {
        // A 21-voxel line (x = 2..22) at 1 mm; erosion keeps voxels more than 2.5 mm from the outside.
        int nx = 25;
        boolean[] line = new boolean[nx];
        for (int x = 2; x < 23; x++) {
            line[x] = true;
        }
        boolean[] eroded = BinaryMorphology.erode(line, nx, 1, 1, new double[] {1, 1, 1}, 2.5);
        assertEquals(17, count(eroded)); // x = 4..20: the distance to x = 1 or x = 23 must exceed 2.5 mm
        assertTrue(eroded[4] && eroded[20] && !eroded[3] && !eroded[21]);
        boolean[] dilated = BinaryMorphology.dilate(eroded, nx, 1, 1, new double[] {1, 1, 1}, 2);
        assertEquals(21, count(dilated));
    }

    @Test
    void largestComponentUsesSixConnectivity() {
        int nx = 6, ny = 3, nz = 1;
        boolean[] m = new boolean[nx * ny];
        // Component A: 3 voxels in a row; component B: 4 voxels touching A only diagonally.
        m[0] = m[1] = m[2] = true;
        m[nx + 3] = m[nx + 4] = m[nx + 5] = m[2 * nx + 5] = true;
        boolean[] largest = BinaryMorphology.largestComponent(m, nx, ny, nz);
        assertEquals(4, count(largest));
        assertTrue(largest[nx + 3]);
        assertFalse(largest[0]);
        assertArrayEquals(new long[] {0, 3, 4}, BinaryMorphology.componentSizes(BinaryMorphology.label(m, nx, ny, nz)));
    }

    @Test
    void fillsEnclosedCavitiesButNotOpenOnes() {
        int n = 7;
        boolean[] shell = new boolean[n * n * n];
        for (int z = 1; z < 6; z++) {
            for (int y = 1; y < 6; y++) {
                for (int x = 1; x < 6; x++) {
                    boolean inner = x > 1 && x < 5 && y > 1 && y < 5 && z > 1 && z < 5;
                    shell[x + n * (y + n * z)] = !inner;
                }
            }
        }
        assertEquals(125 - 27, count(shell));
        assertEquals(125, count(BinaryMorphology.fillHoles(shell, n, n, n)));
        shell[3 + n * (3 + n * 1)] = false; // open the cavity to the outside through the bottom face
        assertEquals(125 - 27 - 1, count(BinaryMorphology.fillHoles(shell, n, n, n)));
        // Slice by slice, the cavity's slices are closed rings and fill; the opened face slice is a hole too.
        assertEquals(125, count(BinaryMorphology.fillHolesPerSlice(shell, n, n, n)));
    }

    @Test
    void dice() {
        assertEquals(2.0 * 1 / 3, BinaryMorphology.dice(new boolean[] {true, true, false}, new boolean[] {true, false, false}), 1e-12);
        assertEquals(1.0, BinaryMorphology.dice(new boolean[2], new boolean[2]));
    }

    private static int count(boolean[] m) {
        int c = 0;
        for (boolean b : m) {
            c += b ? 1 : 0;
        }
        return c;
    }
}
