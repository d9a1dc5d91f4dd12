package org.deepstroke.core.image;

import java.util.Arrays;

/**
 * An immutable 4x4 affine transform (last row 0 0 0 1), e.g. voxel indices (i, j, k) to world coordinates in
 * millimetres, RAS+ as in NIfTI.
 */
public final class Affine {

    private final double[] m; // row-major 4x4

    private Affine(double[] m) {
        this.m = m;
    }

    public static Affine identity() {
        return diagonal(1, 1, 1);
    }

    public static Affine diagonal(double sx, double sy, double sz) {
        return new Affine(new double[] {sx, 0, 0, 0, 0, sy, 0, 0, 0, 0, sz, 0, 0, 0, 0, 1});
    }

    /** The rotation R = Rz(zDeg) Ry(yDeg) Rx(xDeg) about the RAS axes through the origin (angles in degrees). */
    public static Affine rotationDegrees(double xDeg, double yDeg, double zDeg) {
        double a = Math.toRadians(xDeg);
        double b = Math.toRadians(yDeg);
        double c = Math.toRadians(zDeg);
        Affine rx = ofRows(new double[] {1, 0, 0, 0}, new double[] {0, Math.cos(a), -Math.sin(a), 0},
                new double[] {0, Math.sin(a), Math.cos(a), 0});
        Affine ry = ofRows(new double[] {Math.cos(b), 0, Math.sin(b), 0}, new double[] {0, 1, 0, 0},
                new double[] {-Math.sin(b), 0, Math.cos(b), 0});
        Affine rz = ofRows(new double[] {Math.cos(c), -Math.sin(c), 0, 0},
                new double[] {Math.sin(c), Math.cos(c), 0, 0}, new double[] {0, 0, 1, 0});
        return rz.multiply(ry).multiply(rx);
    }

    /** From the first three rows (each 4 values); the last row is 0 0 0 1. */
    public static Affine ofRows(double[] row0, double[] row1, double[] row2) {
        double[] m = new double[16];
        for (int c = 0; c < 4; c++) {
            m[c] = row0[c];
            m[4 + c] = row1[c];
            m[8 + c] = row2[c];
        }
        m[15] = 1;
        return new Affine(m);
    }

    /** From a full 4x4 matrix given as rows. */
    public static Affine of(double[][] rows) {
        return ofRows(rows[0], rows[1], rows[2]);
    }

    public double get(int row, int col) {
        return m[4 * row + col];
    }

    /** The first three rows, 4 values each. */
    public double[][] rows() {
        return new double[][] {Arrays.copyOfRange(m, 0, 4), Arrays.copyOfRange(m, 4, 8), Arrays.copyOfRange(m, 8, 12)};
    }

    /** {@code this * other}: apply {@code other} first, then this. */
    public Affine multiply(Affine other) {
        double[] r = new double[16];
        for (int i = 0; i < 4; i++) {
            for (int j = 0; j < 4; j++) {
                double s = 0;
                for (int k = 0; k < 4; k++) {
                    s += m[4 * i + k] * other.m[4 * k + j];
                }
                r[4 * i + j] = s;
            }
        }
        return new Affine(r);
    }

    public Affine translate(double tx, double ty, double tz) {
        return ofRows(new double[] {1, 0, 0, tx}, new double[] {0, 1, 0, ty}, new double[] {0, 0, 1, tz}).multiply(this);
    }

    public Affine inverse() {
        double a = m[0], b = m[1], c = m[2], d = m[4], e = m[5], f = m[6], g = m[8], h = m[9], k = m[10];
        double det = a * (e * k - f * h) - b * (d * k - f * g) + c * (d * h - e * g);
        if (Math.abs(det) < 1e-12) {
            throw new IllegalStateException("singular affine");
        }
        double[] inv3 = {
            (e * k - f * h) / det, (c * h - b * k) / det, (b * f - c * e) / det,
            (f * g - d * k) / det, (a * k - c * g) / det, (c * d - a * f) / det,
            (d * h - e * g) / det, (b * g - a * h) / det, (a * e - b * d) / det};
        double[] r = new double[16];
        for (int i = 0; i < 3; i++) {
            double t = 0;
            for (int j = 0; j < 3; j++) {
                r[4 * i + j] = inv3[3 * i + j];
                t -= inv3[3 * i + j] * m[4 * j + 3];
            }
            r[4 * i + 3] = t;
        }
        r[15] = 1;
        return new Affine(r);
    }

    /** Maps a point (x, y, z) to {@code out}. */
    public void apply(double x, double y, double z, double[] out) {
        out[0] = m[0] * x + m[1] * y + m[2] * z + m[3];
        out[1] = m[4] * x + m[5] * y + m[6] * z + m[7];
        out[2] = m[8] * x + m[9] * y + m[10] * z + m[11];
    }

    public double[] apply(double x, double y, double z) {
        double[] out = new double[3];
        apply(x, y, z, out);
        return out;
    }

    /** Lengths of the first three columns: the voxel size when this maps indices to millimetres. */
    public double[] columnNorms() {
        double[] n = new double[3];
        for (int c = 0; c < 3; c++) {
            n[c] = Math.sqrt(m[c] * m[c] + m[4 + c] * m[4 + c] + m[8 + c] * m[8 + c]);
        }
        return n;
    }

    public double determinant3() {
        return m[0] * (m[5] * m[10] - m[6] * m[9]) - m[1] * (m[4] * m[10] - m[6] * m[8])
                + m[2] * (m[4] * m[9] - m[5] * m[8]);
    }

    /** True when the columns are orthogonal (no shear), e.g. an untilted scan. */
    public boolean isOrthogonal(double tolerance) {
        double[] n = columnNorms();
        for (int a = 0; a < 3; a++) {
            for (int b = a + 1; b < 3; b++) {
                double dot = m[a] * m[b] + m[4 + a] * m[4 + b] + m[8 + a] * m[8 + b];
                if (Math.abs(dot / (n[a] * n[b])) > tolerance) {
                    return false;
                }
            }
        }
        return true;
    }

    /** Largest absolute element difference to another affine. */
    public double maxDifference(Affine other) {
        double max = 0;
        for (int i = 0; i < 12; i++) {
            max = Math.max(max, Math.abs(m[i] - other.m[i]));
        }
        return max;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Affine other && Arrays.equals(m, other.m);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(m);
    }

    @Override
    public String toString() {
        double[][] r = rows();
        return Arrays.toString(r[0]) + "\n" + Arrays.toString(r[1]) + "\n" + Arrays.toString(r[2]);
    }
}
