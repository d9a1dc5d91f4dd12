package org.deepstroke.unet.data;

import java.util.SplittableRandom;
import org.deepstroke.core.image.Interpolation;

/**
 * Training augmentation on the net grid, drawn from a per-(seed, epoch, sample) random stream so a resumed run
 * sees exactly the augmentations an uninterrupted one would:
 * <ul>
 * <li>left-right flip (p = 0.5) of net axis 0 (world x); label ids swap hemispheres (1..10 <-> 11..20), so the
 *     lateralised labels stay anatomically true (a flipped left insula is a right insula);</li>
 * <li>rotation about the three axes, each uniform in +-{@code maxRotationDeg}, and isotropic scaling in
 *     1 +- {@code maxScale}, about the grid centre (CT trilinear, labels nearest neighbour);</li>
 * <li>intensity shift uniform in +-{@code maxShift} and Gaussian noise with sd {@code noiseSd} (normalised units).</li>
 * </ul>
 */
public final class Augmenter {

    public record Settings(boolean flip, double maxRotationDeg, double maxScale, double maxShift, double noiseSd) {
        public static Settings defaults() {
            return new Settings(true, 8, 0.08, 0.05, 0.02);
        }

        public static Settings none() {
            return new Settings(false, 0, 0, 0, 0);
        }
    }

    private final Settings settings;
    private final long seed;

    public Augmenter(Settings settings, long seed) {
        this.settings = settings;
        this.seed = seed;
    }

    public Sample augment(Sample s, int epoch, int index) {
        SplittableRandom rng = new SplittableRandom(seed * 1_000_003L + epoch * 10_007L + index);
        Sample out = s;
        if (settings.flip() && rng.nextBoolean()) {
            out = flipLeftRight(out);
        }
        if (settings.maxRotationDeg() > 0 || settings.maxScale() > 0) {
            double ax = Math.toRadians(uniform(rng, settings.maxRotationDeg()));
            double ay = Math.toRadians(uniform(rng, settings.maxRotationDeg()));
            double az = Math.toRadians(uniform(rng, settings.maxRotationDeg()));
            double scale = 1 + uniform(rng, settings.maxScale());
            out = rotateScale(out, ax, ay, az, scale);
        }
        if (settings.maxShift() > 0 || settings.noiseSd() > 0) {
            double shift = uniform(rng, settings.maxShift());
            float[] ct = out.ct().clone();
            for (int i = 0; i < ct.length; i++) {
                ct[i] += (float) (shift + settings.noiseSd() * gaussian(rng));
            }
            out = new Sample(out.subject(), out.size(), ct, out.labels(), out.lesion());
        }
        return out;
    }

    /** Mirror along net axis 0 with hemisphere-swapped label ids (the lesion mask mirrors as it is). */
    public static Sample flipLeftRight(Sample s) {
        int n = s.size();
        float[] ct = new float[ct(s).length];
        int[] labels = new int[ct.length];
        int[] lesion = s.lesion() == null ? null : new int[ct.length];
        for (int z = 0; z < n; z++) {
            for (int y = 0; y < n; y++) {
                int row = n * (y + n * z);
                for (int x = 0; x < n; x++) {
                    ct[row + x] = s.ct()[row + n - 1 - x];
                    labels[row + x] = LabelScheme.swapHemisphere(s.labels()[row + n - 1 - x]);
                    if (lesion != null) {
                        lesion[row + x] = s.lesion()[row + n - 1 - x];
                    }
                }
            }
        }
        return new Sample(s.subject(), n, ct, labels, lesion);
    }

    private static float[] ct(Sample s) {
        return s.ct();
    }

    /** Resamples about the grid centre: output voxel p takes the input at c + R^-1 (p - c) / scale. */
    static Sample rotateScale(Sample s, double ax, double ay, double az, double scale) {
        int n = s.size();
        double[][] r = multiply(multiply(rotZ(az), rotY(ay)), rotX(ax));
        // inverse of a rotation is its transpose
        double c = (n - 1) / 2.0;
        float[] ct = new float[s.ct().length];
        int[] labels = new int[ct.length];
        int[] lesion = s.lesion() == null ? null : new int[ct.length];
        for (int z = 0, i = 0; z < n; z++) {
            for (int y = 0; y < n; y++) {
                for (int x = 0; x < n; x++, i++) {
                    double dx = (x - c) / scale;
                    double dy = (y - c) / scale;
                    double dz = (z - c) / scale;
                    double sx = c + r[0][0] * dx + r[1][0] * dy + r[2][0] * dz;
                    double sy = c + r[0][1] * dx + r[1][1] * dy + r[2][1] * dz;
                    double sz = c + r[0][2] * dx + r[1][2] * dy + r[2][2] * dz;
                    ct[i] = Interpolation.trilinear(s.ct(), n, n, n, sx, sy, sz, 0f);
                    int ix = (int) Math.round(sx);
                    int iy = (int) Math.round(sy);
                    int iz = (int) Math.round(sz);
                    boolean in = ix >= 0 && iy >= 0 && iz >= 0 && ix < n && iy < n && iz < n;
                    labels[i] = in ? s.labels()[ix + n * (iy + n * iz)] : 0;
                    if (lesion != null) {
                        lesion[i] = in ? s.lesion()[ix + n * (iy + n * iz)] : 0; // nearest neighbour, as labels
                    }
                }
            }
        }
        return new Sample(s.subject(), n, ct, labels, lesion);
    }

    private static double uniform(SplittableRandom rng, double max) {
        return max == 0 ? 0 : (2 * rng.nextDouble() - 1) * max;
    }

    private static double gaussian(SplittableRandom rng) {
        double u1 = Math.max(rng.nextDouble(), 1e-12);
        double u2 = rng.nextDouble();
        return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
    }

    private static double[][] rotX(double a) {
        return new double[][] {{1, 0, 0}, {0, Math.cos(a), -Math.sin(a)}, {0, Math.sin(a), Math.cos(a)}};
    }

    private static double[][] rotY(double a) {
        return new double[][] {{Math.cos(a), 0, Math.sin(a)}, {0, 1, 0}, {-Math.sin(a), 0, Math.cos(a)}};
    }

    private static double[][] rotZ(double a) {
        return new double[][] {{Math.cos(a), -Math.sin(a), 0}, {Math.sin(a), Math.cos(a), 0}, {0, 0, 1}};
    }

    private static double[][] multiply(double[][] a, double[][] b) {
        double[][] r = new double[3][3];
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                for (int k = 0; k < 3; k++) {
                    r[i][j] += a[i][k] * b[k][j];
                }
            }
        }
        return r;
    }
}
