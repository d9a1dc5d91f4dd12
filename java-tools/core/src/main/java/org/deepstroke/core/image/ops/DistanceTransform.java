package org.deepstroke.core.image.ops;

import java.util.Arrays;

/**
 * Exact Euclidean distance transform in millimetres on an anisotropic grid (Felzenszwalb and Huttenlocher's
 * separable lower-envelope algorithm, linear in the number of voxels). Morphology by a ball of radius r mm is then a
 * threshold of the distance, whatever the voxel size: a 0.45 x 0.45 x 5 mm CT and a 2 mm template get the same
 * physical operation.
 */
public final class DistanceTransform {

    private DistanceTransform() {
    }

    /**
     * Squared distance (mm^2) from every voxel to the nearest voxel where {@code feature} is true (0 on features;
     * infinity when there is none).
     */
    public static float[] squaredDistanceTo(boolean[] feature, int nx, int ny, int nz, double[] spacing) {
        float[] d = new float[feature.length];
        for (int i = 0; i < d.length; i++) {
            d[i] = feature[i] ? 0f : Float.POSITIVE_INFINITY;
        }
        int[] dims = {nx, ny, nz};
        int[] strides = {1, nx, nx * ny};
        for (int axis = 0; axis < 3; axis++) {
            int n = dims[axis];
            if (n == 1) {
                continue;
            }
            double w2 = spacing[axis] * spacing[axis];
            int stride = strides[axis];
            double[] f = new double[n];
            double[] out = new double[n];
            int[] v = new int[n];
            double[] z = new double[n + 1];
            int a = (axis + 1) % 3;
            int b = (axis + 2) % 3;
            for (int ib = 0; ib < dims[b]; ib++) {
                for (int ia = 0; ia < dims[a]; ia++) {
                    int base = ia * strides[a] + ib * strides[b];
                    for (int i = 0; i < n; i++) {
                        f[i] = d[base + i * stride];
                    }
                    lowerEnvelope(f, n, w2, out, v, z);
                    for (int i = 0; i < n; i++) {
                        d[base + i * stride] = (float) out[i];
                    }
                }
            }
        }
        return d;
    }

    /** One-dimensional pass: out[q] = min_p f[p] + w2 (q - p)^2. */
    private static void lowerEnvelope(double[] f, int n, double w2, double[] out, int[] v, double[] z) {
        int k = -1;
        for (int q = 0; q < n; q++) {
            if (f[q] == Double.POSITIVE_INFINITY) {
                continue;
            }
            while (true) {
                if (k < 0) {
                    k = 0;
                    v[0] = q;
                    z[0] = Double.NEGATIVE_INFINITY;
                    z[1] = Double.POSITIVE_INFINITY;
                    break;
                }
                double s = ((f[q] + w2 * q * q) - (f[v[k]] + w2 * v[k] * (double) v[k])) / (2 * w2 * (q - v[k]));
                if (s <= z[k]) {
                    k--;
                    continue;
                }
                k++;
                v[k] = q;
                z[k] = s;
                z[k + 1] = Double.POSITIVE_INFINITY;
                break;
            }
        }
        if (k < 0) {
            Arrays.fill(out, 0, n, Double.POSITIVE_INFINITY);
            return;
        }
        int j = 0;
        for (int q = 0; q < n; q++) {
            while (z[j + 1] < q) {
                j++;
            }
            double dq = q - v[j];
            out[q] = w2 * dq * dq + f[v[j]];
        }
    }
}
