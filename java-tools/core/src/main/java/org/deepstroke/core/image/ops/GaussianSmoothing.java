package org.deepstroke.core.image.ops;

import org.deepstroke.core.image.Affine;
import org.deepstroke.core.image.ImageVolume;

/**
 * Separable Gaussian smoothing in millimetres (zero outside the grid: the background of skull-stripped templates),
 * used to bring a finer template down to a coarser one's resolution before registration.
 */
public final class GaussianSmoothing {

    private GaussianSmoothing() {
    }

    /**
     * The per-voxel-axis sigma (mm) that takes {@code image} to the resolution of {@code other}:
     * {@code sqrt(max(0, s_other^2 - s_own^2))} along each axis, where s_other is {@code other}'s spacing along the
     * voxel axis of {@code other} closest in direction. Zero along axes where {@code image} is already as coarse.
     */
    public static double[] sigmaToMatch(ImageVolume image, ImageVolume other) {
        double[] own = image.spacing();
        double[] theirs = other.spacing();
        Affine a = image.voxelToWorld();
        Affine b = other.voxelToWorld();
        double[] sigma = new double[3];
        for (int i = 0; i < 3; i++) {
            int best = 0;
            double bestCos = -1;
            for (int j = 0; j < 3; j++) {
                double dot = 0;
                for (int r = 0; r < 3; r++) {
                    dot += a.get(r, i) * b.get(r, j);
                }
                double cos = Math.abs(dot) / (own[i] * theirs[j]);
                if (cos > bestCos) {
                    bestCos = cos;
                    best = j;
                }
            }
            sigma[i] = Math.sqrt(Math.max(0, theirs[best] * theirs[best] - own[i] * own[i]));
        }
        return sigma;
    }

    /** A smoothed copy; {@code sigmaMm} per voxel axis, 0 leaves that axis alone. */
    public static ImageVolume smooth(ImageVolume image, double[] sigmaMm) {
        float[] data = image.data().clone();
        double[] spacing = image.spacing();
        int[] dims = image.dims();
        for (int axis = 0; axis < 3; axis++) {
            double sigmaVoxels = sigmaMm[axis] / spacing[axis];
            if (sigmaVoxels > 0.05) {
                data = smoothAxis(data, dims, axis, kernel(sigmaVoxels));
            }
        }
        return image.withData(data);
    }

    /** Normalised Gaussian taps out to 3 sigma. */
    static double[] kernel(double sigmaVoxels) {
        int radius = Math.max(1, (int) Math.ceil(3 * sigmaVoxels));
        double[] k = new double[2 * radius + 1];
        double sum = 0;
        for (int i = -radius; i <= radius; i++) {
            k[i + radius] = Math.exp(-0.5 * i * i / (sigmaVoxels * sigmaVoxels));
            sum += k[i + radius];
        }
        for (int i = 0; i < k.length; i++) {
            k[i] /= sum;
        }
        return k;
    }

    private static float[] smoothAxis(float[] in, int[] dims, int axis, double[] k) {
        int radius = k.length / 2;
        int n = dims[axis];
        int stride = axis == 0 ? 1 : axis == 1 ? dims[0] : dims[0] * dims[1];
        float[] out = new float[in.length];
        double[] line = new double[n];
        // Visit every line along the axis: its first voxel has index 0 on that axis.
        for (int start = 0; start < in.length; start++) {
            if ((start / stride) % n != 0) {
                continue;
            }
            for (int i = 0; i < n; i++) {
                line[i] = in[start + i * stride];
            }
            for (int i = 0; i < n; i++) {
                double s = 0;
                int from = Math.max(0, i - radius);
                int to = Math.min(n - 1, i + radius);
                for (int j = from; j <= to; j++) {
                    s += k[j - i + radius] * line[j];
                }
                out[start + i * stride] = (float) s;
            }
        }
        return out;
    }
}
