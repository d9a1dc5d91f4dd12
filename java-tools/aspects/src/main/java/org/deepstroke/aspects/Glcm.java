package org.deepstroke.aspects;

/**
 * Grey-level co-occurrence texture of one region on axial planes: grey levels are HU quantised into {@code levels}
 * bins over {@code [low, high)} (values outside are clamped into the end bins), pairs are the four in-plane
 * neighbour directions (0, 45, 90, 135 degrees) at distance 1 voxel, counted symmetrically, and only pairs whose two
 * voxels both belong to the region (and to the parenchymal window) count. Early ischaemia blurs grey/white
 * contrast, which lowers GLCM contrast and raises homogeneity.
 *
 * <p>Definitions (as scikit-image's graycoprops, and Haralick for entropy), with P the normalised matrix:
 * contrast = sum P(i,j) (i-j)^2; homogeneity = sum P(i,j) / (1 + (i-j)^2); entropy = -sum P(i,j) ln P(i,j).
 * No Maven Central library computes a masked 3-D GLCM on our volumes, so this is written here (and hand-tested).
 */
public final class Glcm {

    /** In-plane offsets (dx, dy): 0, 45, 90, 135 degrees. */
    private static final int[][] OFFSETS = {{1, 0}, {1, 1}, {0, 1}, {-1, 1}};

    /** The three features, NaN when the region has no voxel pair. */
    public record Features(double contrast, double homogeneity, double entropy, long pairs) {
    }

    private final double low;
    private final double high;
    private final int levels;

    public Glcm(double low, double high, int levels) {
        if (!(high > low) || levels < 2) {
            throw new IllegalArgumentException("GLCM needs low < high and at least 2 levels");
        }
        this.low = low;
        this.high = high;
        this.levels = levels;
    }

    /** Grey level of a HU value. */
    int level(double hu) {
        int q = (int) Math.floor((hu - low) / (high - low) * levels);
        return Math.max(0, Math.min(levels - 1, q));
    }

    /**
     * Texture of the voxels where {@code member} is true; {@code hu} and {@code member} are x-fastest volumes of
     * {@code nx * ny * nz} voxels whose first two axes are the axial plane.
     */
    public Features compute(float[] hu, boolean[] member, int nx, int ny, int nz) {
        double[] counts = new double[levels * levels];
        long pairs = 0;
        for (int z = 0; z < nz; z++) {
            for (int y = 0; y < ny; y++) {
                for (int x = 0; x < nx; x++) {
                    int i = x + nx * (y + ny * z);
                    if (!member[i]) {
                        continue;
                    }
                    int a = level(hu[i]);
                    for (int[] o : OFFSETS) {
                        int x2 = x + o[0];
                        int y2 = y + o[1];
                        if (x2 < 0 || x2 >= nx || y2 >= ny) {
                            continue;
                        }
                        int j = x2 + nx * (y2 + ny * z);
                        if (!member[j]) {
                            continue;
                        }
                        int b = level(hu[j]);
                        counts[a * levels + b]++;
                        counts[b * levels + a]++;
                        pairs++;
                    }
                }
            }
        }
        return features(counts, pairs);
    }

    private Features features(double[] counts, long pairs) {
        if (pairs == 0) {
            return new Features(Double.NaN, Double.NaN, Double.NaN, 0);
        }
        double total = 2.0 * pairs;
        double contrast = 0;
        double homogeneity = 0;
        double entropy = 0;
        for (int a = 0; a < levels; a++) {
            for (int b = 0; b < levels; b++) {
                double p = counts[a * levels + b] / total;
                if (p == 0) {
                    continue;
                }
                double d2 = (double) (a - b) * (a - b);
                contrast += p * d2;
                homogeneity += p / (1 + d2);
                entropy -= p * Math.log(p);
            }
        }
        return new Features(contrast, homogeneity, entropy, pairs);
    }
}
