package org.deepstroke.registration.atlas;

import org.deepstroke.core.image.ImageVolume;

/** Agreement of two images on one grid, as a number for provenance files and QC dashboards. */
public final class ImageSimilarity {

    private ImageSimilarity() {
    }

    /**
     * Pearson correlation of {@code a} and {@code b} over the voxels where {@code inside} is nonzero (e.g. the
     * fixed template's brain); NaN when fewer than two such voxels or a constant image.
     */
    public static double correlation(ImageVolume a, ImageVolume b, ImageVolume inside) {
        if (!a.sameGrid(b, 1e-4) || !a.sameGrid(inside, 1e-4)) {
            throw new IllegalArgumentException("correlation needs three images on one grid");
        }
        float[] x = a.data();
        float[] y = b.data();
        float[] m = inside.data();
        long n = 0;
        double sx = 0;
        double sy = 0;
        double sxx = 0;
        double syy = 0;
        double sxy = 0;
        for (int i = 0; i < x.length; i++) {
            if (m[i] != 0) {
                n++;
                sx += x[i];
                sy += y[i];
                sxx += (double) x[i] * x[i];
                syy += (double) y[i] * y[i];
                sxy += (double) x[i] * y[i];
            }
        }
        if (n < 2) {
            return Double.NaN;
        }
        double cov = sxy - sx * sy / n;
        double vx = sxx - sx * sx / n;
        double vy = syy - sy * sy / n;
        return vx <= 0 || vy <= 0 ? Double.NaN : cov / Math.sqrt(vx * vy);
    }
}
