package org.deepstroke.phantom;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.deepstroke.core.image.Affine;

/**
 * A smooth, invertible displacement field on the template: {@code d(y) = sum_i a_i exp(-|y - c_i|^2 / (2 s_i^2))}
 * (y in template world mm, RAS), a few Gaussian bumps scaled so that {@code max |d|} is the drawn target (at most
 * ~6 mm) and the Jacobian determinant of {@code y -> y + d(y)} stays above {@link #MIN_JACOBIAN} everywhere on the
 * grid (checked analytically; the amplitude is reduced until it does). Stored on the template grid in voxel units
 * for trilinear look-up; the bump parameters are the exact definition written to the truth.
 */
final class Deformation {

    static final double MIN_JACOBIAN = 0.5;

    record Bump(double[] centerMm, double sigmaMm, double[] amplitudeMm) {
    }

    final List<Bump> bumps;
    /** The field in voxel units, interleaved (x, y, z of voxel i at 3i, 3i+1, 3i+2) for cache locality. */
    private final float[] field;
    final double maxMm;
    final double minJacobian;
    private final int nx;
    private final int ny;
    private final int nz;
    /** template voxels per field voxel along each axis (1: the field lives on the template grid) */
    private final int step;

    private Deformation(List<Bump> bumps, float[] field, double maxMm, double minJacobian, int nx, int ny, int nz,
            int step) {
        this.step = step;
        this.bumps = bumps;
        this.field = field;
        this.maxMm = maxMm;
        this.minJacobian = minJacobian;
        this.nx = nx;
        this.ny = ny;
        this.nz = nz;
    }

    /** Draws 4..7 bumps inside the brain's bounding box and scales them to {@code targetMaxMm}. */
    static Deformation draw(SplittableRandom rnd, TemplateSpace t, double targetMaxMm) {
        double[] lo = {Double.MAX_VALUE, Double.MAX_VALUE, Double.MAX_VALUE};
        double[] hi = {-Double.MAX_VALUE, -Double.MAX_VALUE, -Double.MAX_VALUE};
        for (double[] p : t.headSurface) {
            for (int a = 0; a < 3; a++) {
                lo[a] = Math.min(lo[a], p[a]);
                hi[a] = Math.max(hi[a], p[a]);
            }
        }
        int n = 4 + rnd.nextInt(4);
        List<Bump> raw = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            double[] c = new double[3];
            for (int a = 0; a < 3; a++) {
                double mid = (lo[a] + hi[a]) / 2;
                double half = 0.35 * (hi[a] - lo[a]);
                c[a] = Seeds.uniform(rnd, mid - half, mid + half);
            }
            double sigma = Seeds.uniform(rnd, 18, 35);
            double[] dir = unitVector(rnd);
            double mag = Seeds.uniform(rnd, 0.5, 1.0);
            raw.add(new Bump(c, sigma, new double[] {dir[0] * mag, dir[1] * mag, dir[2] * mag}));
        }
        return fit(raw, List.of(), t, targetMaxMm, 0, 1);
    }

    /**
     * Multi-scale (for --anatomy mni): 2-3 broad bumps (sigma 40-60 mm) and 4-7 regional ones (18-35 mm) scaled
     * together to {@code targetMaxMm}, plus 6-10 local ones (6-10 mm) scaled to {@code localMaxMm}; the field is
     * evaluated on a 2-voxel lattice (1 mm grid: 2 mm, as fine as the local bumps need) and interpolated.
     */
    static Deformation drawMultiScale(SplittableRandom rnd, TemplateSpace t, double targetMaxMm, double localMaxMm) {
        double[] lo = {Double.MAX_VALUE, Double.MAX_VALUE, Double.MAX_VALUE};
        double[] hi = {-Double.MAX_VALUE, -Double.MAX_VALUE, -Double.MAX_VALUE};
        for (double[] p : t.headSurface) {
            for (int a = 0; a < 3; a++) {
                lo[a] = Math.min(lo[a], p[a]);
                hi[a] = Math.max(hi[a], p[a]);
            }
        }
        List<Bump> broad = new ArrayList<>();
        List<Bump> local = new ArrayList<>();
        int nBroad = 2 + rnd.nextInt(2);
        int nRegional = 4 + rnd.nextInt(4);
        int nLocal = 6 + rnd.nextInt(5);
        for (int i = 0; i < nBroad + nRegional + nLocal; i++) {
            double[] c = new double[3];
            for (int a = 0; a < 3; a++) {
                double mid = (lo[a] + hi[a]) / 2;
                double half = 0.35 * (hi[a] - lo[a]);
                c[a] = Seeds.uniform(rnd, mid - half, mid + half);
            }
            double sigma = i < nBroad ? Seeds.uniform(rnd, 40, 60) : i < nBroad + nRegional
                    ? Seeds.uniform(rnd, 18, 35) : Seeds.uniform(rnd, 6, 10);
            double[] dir = unitVector(rnd);
            double mag = Seeds.uniform(rnd, 0.5, 1.0);
            Bump b = new Bump(c, sigma, new double[] {dir[0] * mag, dir[1] * mag, dir[2] * mag});
            (i < nBroad + nRegional ? broad : local).add(b);
        }
        return fit(broad, local, t, targetMaxMm, localMaxMm, 2);
    }

    private static Deformation fit(List<Bump> raw, List<Bump> rawLocal, TemplateSpace t, double targetMaxMm,
            double localMaxMm, int step) {
        Deformation unit = compute(raw, t, step);
        double scale = unit.maxMm > 0 ? targetMaxMm / unit.maxMm : 0;
        double localScale = 0;
        if (!rawLocal.isEmpty()) {
            Deformation unitLocal = compute(rawLocal, t, step);
            localScale = unitLocal.maxMm > 0 ? localMaxMm / unitLocal.maxMm : 0;
        }
        for (int attempt = 0; ; attempt++) {
            List<Bump> scaled = new ArrayList<>(scaled(raw, scale));
            scaled.addAll(scaled(rawLocal, localScale));
            Deformation d = compute(scaled, t, step);
            if (d.minJacobian >= MIN_JACOBIAN || attempt >= 20) {
                if (d.minJacobian < MIN_JACOBIAN) {
                    throw new IllegalStateException("could not make an invertible deformation (min Jacobian "
                            + d.minJacobian + ")");
                }
                return d;
            }
            scale *= 0.8;
            localScale *= 0.8;
        }
    }

    private static double[] unitVector(SplittableRandom rnd) {
        while (true) {
            double x = 2 * rnd.nextDouble() - 1;
            double y = 2 * rnd.nextDouble() - 1;
            double z = 2 * rnd.nextDouble() - 1;
            double r = Math.sqrt(x * x + y * y + z * z);
            if (r > 0.1 && r <= 1) {
                return new double[] {x / r, y / r, z / r};
            }
        }
    }

    private static List<Bump> scaled(List<Bump> bumps, double s) {
        List<Bump> out = new ArrayList<>();
        for (Bump b : bumps) {
            double[] a = b.amplitudeMm();
            out.add(new Bump(b.centerMm(), b.sigmaMm(), new double[] {a[0] * s, a[1] * s, a[2] * s}));
        }
        return out;
    }

    /**
     * The field in voxel units and its analytic Jacobian determinant on the grid. The template's axes are
     * orthogonal, so every Gaussian separates along the voxel axes; the determinant of {@code I + grad d} is the
     * same in voxel and in world coordinates.
     */
    static Deformation compute(List<Bump> bumps, TemplateSpace t) {
        return compute(bumps, t, 1);
    }

    static Deformation compute(List<Bump> bumps, TemplateSpace t, int step) {
        int nx = (t.nx - 1) / step + 1;
        int ny = (t.ny - 1) / step + 1;
        int nz = (t.nz - 1) / step + 1;
        Affine lin = linear(t.voxelToWorld);
        Affine linInv = lin.inverse();
        double[] spacing = t.voxelToWorld.columnNorms();
        int nb = bumps.size();
        double[][] gx = new double[nb][nx];
        double[][] gy = new double[nb][ny];
        double[][] gz = new double[nb][nz];
        double[][] fx = new double[nb][nx];
        double[][] fy = new double[nb][ny];
        double[][] fz = new double[nb][nz];
        double[][] av = new double[nb][]; // amplitude in voxel units
        double[][] amm = new double[nb][];
        for (int b = 0; b < nb; b++) {
            Bump bump = bumps.get(b);
            double[] c = t.worldToVoxel.apply(bump.centerMm()[0], bump.centerMm()[1], bump.centerMm()[2]);
            double s2 = bump.sigmaMm() * bump.sigmaMm();
            fill(gx[b], fx[b], c[0], spacing[0], s2, step);
            fill(gy[b], fy[b], c[1], spacing[1], s2, step);
            fill(gz[b], fz[b], c[2], spacing[2], s2, step);
            amm[b] = bump.amplitudeMm();
            av[b] = linInv.apply(amm[b][0], amm[b][1], amm[b][2]);
        }
        float[] field = new float[3 * nx * ny * nz];
        double maxMm2 = 0;
        double minDet = Double.MAX_VALUE;
        int i = 0;
        for (int z = 0; z < nz; z++) {
            for (int y = 0; y < ny; y++) {
                for (int x = 0; x < nx; x++, i++) {
                    double d0 = 0, d1 = 0, d2 = 0;     // voxel units
                    double m0 = 0, m1 = 0, m2 = 0;     // mm
                    double j00 = 1, j01 = 0, j02 = 0, j10 = 0, j11 = 1, j12 = 0, j20 = 0, j21 = 0, j22 = 1;
                    for (int b = 0; b < nb; b++) {
                        double g = gx[b][x] * gy[b][y] * gz[b][z];
                        if (g < 1e-12) {
                            continue;
                        }
                        double[] a = av[b];
                        d0 += a[0] * g;
                        d1 += a[1] * g;
                        d2 += a[2] * g;
                        m0 += amm[b][0] * g;
                        m1 += amm[b][1] * g;
                        m2 += amm[b][2] * g;
                        double gxd = fx[b][x] * g;
                        double gyd = fy[b][y] * g;
                        double gzd = fz[b][z] * g;
                        j00 += a[0] * gxd;
                        j01 += a[0] * gyd;
                        j02 += a[0] * gzd;
                        j10 += a[1] * gxd;
                        j11 += a[1] * gyd;
                        j12 += a[1] * gzd;
                        j20 += a[2] * gxd;
                        j21 += a[2] * gyd;
                        j22 += a[2] * gzd;
                    }
                    field[3 * i] = (float) d0;
                    field[3 * i + 1] = (float) d1;
                    field[3 * i + 2] = (float) d2;
                    maxMm2 = Math.max(maxMm2, m0 * m0 + m1 * m1 + m2 * m2);
                    double det = j00 * (j11 * j22 - j12 * j21) - j01 * (j10 * j22 - j12 * j20)
                            + j02 * (j10 * j21 - j11 * j20);
                    minDet = Math.min(minDet, det);
                }
            }
        }
        return new Deformation(List.copyOf(bumps), field, Math.sqrt(maxMm2), minDet, nx, ny, nz, step);
    }

    private static void fill(double[] g, double[] f, double centre, double spacing, double s2, int step) {
        for (int k = 0; k < g.length; k++) {
            double dv = (double) k * step - centre;
            double dmm = dv * spacing;
            g[k] = Math.exp(-dmm * dmm / (2 * s2));
            f[k] = -spacing * spacing * dv / s2; // d/dv of the exponent
        }
    }

    private static Affine linear(Affine a) {
        double[][] r = a.rows();
        return Affine.ofRows(new double[] {r[0][0], r[0][1], r[0][2], 0}, new double[] {r[1][0], r[1][1], r[1][2], 0},
                new double[] {r[2][0], r[2][1], r[2][2], 0});
    }

    /** Trilinear displacement (voxel units) at voxel position (x, y, z); 0 outside the grid. */
    void displacement(double x, double y, double z, double[] out) {
        if (step != 1) {
            x /= step;
            y /= step;
            z /= step;
        }
        int x0 = (int) Math.floor(x);
        int y0 = (int) Math.floor(y);
        int z0 = (int) Math.floor(z);
        if (x0 < 0 || y0 < 0 || z0 < 0 || x0 >= nx - 1 || y0 >= ny - 1 || z0 >= nz - 1) {
            out[0] = 0;
            out[1] = 0;
            out[2] = 0;
            return;
        }
        double fx = x - x0;
        double fy = y - y0;
        double fz = z - z0;
        int sy = 3 * nx;
        int sz = 3 * nx * ny;
        int i = 3 * (x0 + nx * (y0 + ny * z0));
        double gx = 1 - fx;
        double gy = 1 - fy;
        double gz = 1 - fz;
        double w000 = gx * gy * gz;
        double w100 = fx * gy * gz;
        double w010 = gx * fy * gz;
        double w110 = fx * fy * gz;
        double w001 = gx * gy * fz;
        double w101 = fx * gy * fz;
        double w011 = gx * fy * fz;
        double w111 = fx * fy * fz;
        float[] f = field;
        for (int a = 0; a < 3; a++) {
            int j = i + a;
            out[a] = w000 * f[j] + w100 * f[j + 3] + w010 * f[j + sy] + w110 * f[j + sy + 3]
                    + w001 * f[j + sz] + w101 * f[j + sz + 3] + w011 * f[j + sz + sy] + w111 * f[j + sz + sy + 3];
        }
    }

    /** The exact displacement in mm at a template world point (the analytic definition). */
    double[] displacementMm(double[] worldRas) {
        double[] d = new double[3];
        for (Bump b : bumps) {
            double r2 = 0;
            for (int a = 0; a < 3; a++) {
                double v = worldRas[a] - b.centerMm()[a];
                r2 += v * v;
            }
            double g = Math.exp(-r2 / (2 * b.sigmaMm() * b.sigmaMm()));
            for (int a = 0; a < 3; a++) {
                d[a] += b.amplitudeMm()[a] * g;
            }
        }
        return d;
    }
}
