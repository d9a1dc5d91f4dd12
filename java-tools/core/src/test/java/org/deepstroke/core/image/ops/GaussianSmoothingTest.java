package org.deepstroke.core.image.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.deepstroke.core.image.Affine;
import org.deepstroke.core.image.ImageVolume;
import org.junit.jupiter.api.Test;

class GaussianSmoothingTest {

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
