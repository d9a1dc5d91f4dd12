package org.deepstroke.ingest.convert;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.deepstroke.core.image.Affine;
import org.deepstroke.ingest.dicom.InstanceHeader;
import org.deepstroke.ingest.rules.IngestRules;

/**
 * The geometry of one series and the output grid both dicom-to-nifti and overlay-extract use (so an overlay mask
 * lands on exactly the CT's grid).
 *
 * <p>Slices are ordered by their position along the slice normal {@code n = row x column} (never by instance
 * number). The output grid keeps the acquisition planes: voxel (i, j, m) lies at
 * {@code q0 + i*dc*r + j*dr*c + m*t*n} (LPS), with r/c the row/column direction cosines, dc/dr the column/row
 * spacing and t the slice spacing along the normal; the NIfTI affine is that map with x and y negated (RAS).
 *
 * <p>Gantry tilt: the slice origins then drift in-plane from slice to slice, so the acquisition grid is sheared.
 * Output slice m is the input slice at that depth shifted in-plane by its drift (a pure translation, sampled
 * bilinearly; exact when the shift is whole pixels), which puts every slice on one orthogonal grid (as dcm2niix's
 * _Tilt output), and the grid is widened by the total drift so no acquired pixel falls outside it. Unequal slice
 * spacing is resampled (linear between the two neighbouring slices) to equal spacing at the median spacing, the
 * first and last slices kept, or rejected, as the rules say. An untilted, equally spaced series is copied voxel for
 * voxel.
 */
public final class SeriesGeometry {

    /** A series that cannot be put on a grid, with the reason. */
    public static final class GeometryException extends Exception {
        private final String code;
        private final int slice;

        public GeometryException(String code, String message) {
            this(code, message, -1);
        }

        /** @param slice index (in the order given) of the slice that differs from the first, or -1 */
        public GeometryException(String code, String message, int slice) {
            super(message);
            this.code = code;
            this.slice = slice;
        }

        /** The index of the slice the problem was found at (in the order given), or -1 for the series as a whole. */
        public int slice() {
            return slice;
        }

        /** A short reason code for manifests, e.g. {@code variable_spacing}. */
        public String code() {
            return code;
        }
    }

    /** One source slice's share of an output slice: {@code source(i + di, j + dj) * weight}. */
    public record Contribution(int slice, double weight, double di, double dj) {
    }

    private final int nx;
    private final int ny;
    private final int nz;
    private final int sourceColumns;
    private final int sourceRows;
    private final Affine lps;
    private final List<List<Contribution>> plan;
    private final int[] order;
    private final double[] depths;
    private final double tiltDeg;
    private final boolean tilted;
    private final boolean variableSpacing;
    private final double sliceSpacing;
    private final double minGap;
    private final double maxGap;
    private final double[] rowCosines;
    private final double[] columnCosines;
    private final double[] normal;

    private SeriesGeometry(int nx, int ny, int nz, int sourceColumns, int sourceRows, Affine lps,
            List<List<Contribution>> plan, int[] order, double[] depths, double tiltDeg, boolean tilted,
            boolean variableSpacing, double sliceSpacing, double minGap, double maxGap, double[] r, double[] c,
            double[] n) {
        this.nx = nx;
        this.ny = ny;
        this.nz = nz;
        this.sourceColumns = sourceColumns;
        this.sourceRows = sourceRows;
        this.lps = lps;
        this.plan = plan;
        this.order = order;
        this.depths = depths;
        this.tiltDeg = tiltDeg;
        this.tilted = tilted;
        this.variableSpacing = variableSpacing;
        this.sliceSpacing = sliceSpacing;
        this.minGap = minGap;
        this.maxGap = maxGap;
        this.rowCosines = r;
        this.columnCosines = c;
        this.normal = n;
    }

    /** The slices sorted along the normal: source index, depth and position of each, in slice order. */
    private record Stack(int[] order, double[] depth, double[][] pos) {
        int count() {
            return order.length;
        }
    }

    /**
     * Slice spacing t of the output grid, whether the input spacing varies (and its range), the gantry tilt and each
     * slice origin's in-plane drift (a along the rows, b along the columns) relative to the first slice.
     */
    private record Spacing(double t, boolean variable, double minGap, double maxGap, double tilt, double[] a,
            double[] b) {
    }

    /** Plans the grid of the slices (headers in any order). */
    public static SeriesGeometry plan(List<InstanceHeader> slices, IngestRules.Convert rules) throws GeometryException {
        if (slices.isEmpty()) {
            throw new GeometryException("no_slices", "no slices");
        }
        InstanceHeader first = slices.get(0);
        int columns = first.columns();
        int rows = first.rows();
        if (rows <= 0 || columns <= 0) {
            throw new GeometryException("no_image", "no rows/columns");
        }
        double[] orientation = first.orientation();
        double[] spacing = first.pixelSpacing();
        boolean geometryKnown = orientation != null && first.position() != null;
        if (orientation == null) {
            if (slices.size() > 1) {
                throw new GeometryException("no_orientation", "ImageOrientationPatient missing in a multi-slice series");
            }
            orientation = new double[] {1, 0, 0, 0, 1, 0};
        }
        if (spacing == null || spacing[0] <= 0 || spacing[1] <= 0) {
            if (slices.size() > 1) {
                throw new GeometryException("no_pixel_spacing", "PixelSpacing missing");
            }
            spacing = new double[] {1, 1};
        }
        double[] r = unit(Arrays.copyOfRange(orientation, 0, 3));
        double[] c = unit(Arrays.copyOfRange(orientation, 3, 6));
        if (r == null || c == null || Math.abs(dot(r, c)) > 1e-3) {
            throw new GeometryException("bad_orientation", "ImageOrientationPatient is not two orthogonal unit vectors");
        }
        double[] n = unit(cross(r, c));
        double dc = spacing[1];
        double dr = spacing[0];
        checkSameGrid(slices, orientation, dr, dc);
        Stack stack = sortAlong(slices, n);
        Spacing sp = spacing(first, stack, r, c, dr, dc, rules);
        double[] a = sp.a();
        double[] b = sp.b();
        double[] depth = stack.depth();
        int count = stack.count();
        double aMin = Arrays.stream(a).min().orElse(0);
        double aMax = Arrays.stream(a).max().orElse(0);
        double bMin = Arrays.stream(b).min().orElse(0);
        double bMax = Arrays.stream(b).max().orElse(0);
        int nx = columns + (int) Math.ceil((aMax - aMin) / dc - 1e-3);
        int ny = rows + (int) Math.ceil((bMax - bMin) / dr - 1e-3);
        double[] q0 = add(stack.pos()[0], add(scale(r, aMin), scale(c, bMin)));
        double t = sp.t();
        int nz = count == 1 ? 1 : (int) Math.round((depth[count - 1] - depth[0]) / t) + 1;
        List<List<Contribution>> plan = resamplingPlan(nz, depth, t, sp.variable(), a, b, aMin, bMin, dc, dr);
        double[][] cols = {scale(r, dc), scale(c, dr), scale(n, t)};
        Affine lps = Affine.ofRows(
                new double[] {cols[0][0], cols[1][0], cols[2][0], q0[0]},
                new double[] {cols[0][1], cols[1][1], cols[2][1], q0[1]},
                new double[] {cols[0][2], cols[1][2], cols[2][2], q0[2]});
        boolean tilted = sp.tilt() > rules.tiltToleranceDeg();
        return new SeriesGeometry(nx, ny, nz, columns, rows, lps, plan, stack.order(), depth,
                geometryKnown ? sp.tilt() : 0, tilted, sp.variable(), t, sp.minGap(), sp.maxGap(), r, c, n);
    }

    /** Every slice has the first one's matrix, orientation and pixel spacing (and, in a stack, a position). */
    private static void checkSameGrid(List<InstanceHeader> slices, double[] orientation, double dr, double dc)
            throws GeometryException {
        int rows = slices.get(0).rows();
        int columns = slices.get(0).columns();
        for (int s = 0; s < slices.size(); s++) {
            InstanceHeader h = slices.get(s);
            if (h.rows() != rows || h.columns() != columns) {
                throw new GeometryException("mixed_matrix", "slices of different sizes (" + h.rows() + "x"
                        + h.columns() + " here, " + rows + "x" + columns + " in the first)", s);
            }
            if (slices.size() > 1) {
                if (h.position() == null || h.orientation() == null) {
                    throw new GeometryException("no_position", "ImagePositionPatient/OrientationPatient missing", s);
                }
                for (int i = 0; i < 6; i++) {
                    if (Math.abs(h.orientation()[i] - orientation[i]) > 1e-4) {
                        throw new GeometryException("mixed_orientation",
                                "orientation differs from the series' first slice", s);
                    }
                }
                if (h.pixelSpacing() == null || Math.abs(h.pixelSpacing()[0] - dr) > 1e-3
                        || Math.abs(h.pixelSpacing()[1] - dc) > 1e-3) {
                    throw new GeometryException("mixed_pixel_spacing",
                            "pixel spacing differs from the series' first slice", s);
                }
            }
        }
    }

    /** Slices ordered by depth along the normal n (never by instance number; it only breaks ties). */
    private static Stack sortAlong(List<InstanceHeader> slices, double[] n) {
        int count = slices.size();
        double[] d = new double[count];
        double[][] p = new double[count][];
        for (int k = 0; k < count; k++) {
            double[] pos = slices.get(k).position();
            p[k] = pos == null ? new double[3] : pos.clone();
            d[k] = dot(p[k], n);
        }
        Integer[] idx = new Integer[count];
        for (int k = 0; k < count; k++) {
            idx[k] = k;
        }
        Arrays.sort(idx, Comparator.<Integer>comparingDouble(k -> d[k])
                .thenComparingInt(k -> slices.get(k).instanceNumber()));
        int[] order = new int[count];
        double[] depth = new double[count];
        double[][] pos = new double[count][];
        for (int k = 0; k < count; k++) {
            order[k] = idx[k];
            depth[k] = d[idx[k]];
            pos[k] = p[idx[k]];
        }
        return new Stack(order, depth, pos);
    }

    /**
     * The output slice spacing (equal: the mean gap; varying: resampled at the median gap, or rejected as the rules
     * say) and the origins' in-plane drift fitted against depth (the tilt; zero drift when within the tolerance).
     */
    private static Spacing spacing(InstanceHeader first, Stack stack, double[] r, double[] c, double dr, double dc,
            IngestRules.Convert rules) throws GeometryException {
        int count = stack.count();
        double[] depth = stack.depth();
        double[][] pos = stack.pos();
        double[] a = new double[count];
        double[] b = new double[count];
        if (count == 1) {
            double between = first.spacingBetweenSlices();
            double thick = first.sliceThickness();
            return new Spacing(between > 0 ? between : thick > 0 ? thick : 1.0, false, 0, 0, 0, a, b);
        }
        double[] gaps = new double[count - 1];
        for (int k = 0; k + 1 < count; k++) {
            gaps[k] = depth[k + 1] - depth[k];
            if (gaps[k] < 0.01) {
                throw new GeometryException("duplicate_positions", "two slices at the same position");
            }
        }
        double[] sorted = gaps.clone();
        Arrays.sort(sorted);
        double minGap = sorted[0];
        double maxGap = sorted[sorted.length - 1];
        double median = sorted[sorted.length / 2];
        boolean variable = maxGap - minGap > rules.spacingToleranceMm();
        // In-plane drift of each slice's origin relative to the first, and its fit against depth.
        double sae = 0;
        double sbe = 0;
        double see = 0;
        for (int k = 0; k < count; k++) {
            double[] delta = sub(pos[k], pos[0]);
            a[k] = dot(delta, r);
            b[k] = dot(delta, c);
            double e = depth[k] - depth[0];
            sae += a[k] * e;
            sbe += b[k] * e;
            see += e * e;
        }
        double alpha = sae / see;
        double beta = sbe / see;
        double worst = 0;
        for (int k = 0; k < count; k++) {
            double e = depth[k] - depth[0];
            worst = Math.max(worst, Math.hypot(a[k] - alpha * e, b[k] - beta * e));
        }
        if (worst > Math.max(0.05, 0.25 * Math.min(dc, dr))) {
            throw new GeometryException("inconsistent_positions",
                    String.format("slice origins do not lie on one line (off by %.2f mm)", worst));
        }
        double tilt = Math.toDegrees(Math.atan(Math.hypot(alpha, beta)));
        double t;
        if (variable) {
            if (!rules.resampleVariableSpacing()) {
                throw new GeometryException("variable_spacing", String.format(
                        "slice spacing varies from %.3f to %.3f mm", minGap, maxGap));
            }
            int m = (int) Math.round((depth[count - 1] - depth[0]) / median) + 1;
            t = (depth[count - 1] - depth[0]) / (m - 1);
        } else {
            t = (depth[count - 1] - depth[0]) / (count - 1);
        }
        if (tilt <= rules.tiltToleranceDeg()) {
            Arrays.fill(a, 0);
            Arrays.fill(b, 0);
        }
        return new Spacing(t, variable, minGap, maxGap, tilt, a, b);
    }

    /**
     * Which source slices make each of the nz output slices: one shifted copy when the spacing is equal, else the
     * two neighbours at the output depth, weighted linearly (a single one when the depth falls on it).
     */
    private static List<List<Contribution>> resamplingPlan(int nz, double[] depth, double t, boolean variable,
            double[] a, double[] b, double aMin, double bMin, double dc, double dr) {
        int count = depth.length;
        List<List<Contribution>> plan = new ArrayList<>(nz);
        int k = 0;
        for (int m = 0; m < nz; m++) {
            if (!variable) {
                plan.add(List.of(contribution(m, 1.0, a, b, aMin, bMin, dc, dr)));
                continue;
            }
            double dm = depth[0] + m * t;
            while (k + 1 < count && depth[k + 1] <= dm + 1e-4) {
                k++;
            }
            double gap = k + 1 < count ? depth[k + 1] - depth[k] : 0;
            double w = gap > 0 ? (dm - depth[k]) / gap : 0;
            if (w < 1e-4 || k + 1 >= count) {
                plan.add(List.of(contribution(k, 1.0, a, b, aMin, bMin, dc, dr)));
            } else if (w > 1 - 1e-4) {
                plan.add(List.of(contribution(k + 1, 1.0, a, b, aMin, bMin, dc, dr)));
            } else {
                plan.add(List.of(contribution(k, 1 - w, a, b, aMin, bMin, dc, dr),
                        contribution(k + 1, w, a, b, aMin, bMin, dc, dr)));
            }
        }
        return plan;
    }

    private static Contribution contribution(int k, double w, double[] a, double[] b, double aMin, double bMin,
            double dc, double dr) {
        double di = (aMin - a[k]) / dc;
        double dj = (bMin - b[k]) / dr;
        return new Contribution(k, w, snap(di), snap(dj));
    }

    private static double snap(double v) {
        double r = Math.rint(v);
        return Math.abs(v - r) < 1e-4 ? r : v;
    }

    /** The LPS to RAS flip: x and y negated. */
    public static Affine lpsToRas(Affine lps) {
        return Affine.diagonal(-1, -1, 1).multiply(lps);
    }

    public int nx() {
        return nx;
    }

    public int ny() {
        return ny;
    }

    public int nz() {
        return nz;
    }

    public int sourceColumns() {
        return sourceColumns;
    }

    public int sourceRows() {
        return sourceRows;
    }

    /** Voxel to world, LPS (DICOM). */
    public Affine lpsAffine() {
        return lps;
    }

    /** Voxel to world, RAS (NIfTI). */
    public Affine rasAffine() {
        return lpsToRas(lps);
    }

    /** Contributions to output slice m; their slice indices index {@link #sortedIndex(int)}. */
    public List<Contribution> contributions(int m) {
        return plan.get(m);
    }

    /** The input list index of the k-th slice along the normal. */
    public int sortedIndex(int k) {
        return order[k];
    }

    public int sliceCount() {
        return order.length;
    }

    /** Depth of the k-th sorted slice along the normal (mm). */
    public double depth(int k) {
        return depths[k];
    }

    public double tiltDeg() {
        return tiltDeg;
    }

    public boolean tilted() {
        return tilted;
    }

    public boolean variableSpacing() {
        return variableSpacing;
    }

    public boolean resampled() {
        return tilted || variableSpacing;
    }

    public double sliceSpacing() {
        return sliceSpacing;
    }

    public double minGap() {
        return minGap;
    }

    public double maxGap() {
        return maxGap;
    }

    public double[] rowCosines() {
        return rowCosines.clone();
    }

    public double[] columnCosines() {
        return columnCosines.clone();
    }

    public double[] normal() {
        return normal.clone();
    }

    /** Angle in degrees between the slice normal and the patient's superior axis. */
    public double obliquityDeg() {
        return Math.toDegrees(Math.acos(Math.min(1, Math.abs(normal[2]))));
    }

    // ---------------------------------------------------------------- resampling

    /** Supplies the source slices (sorted index k) as values on the source raster, column fastest. */
    @FunctionalInterface
    public interface SliceSupplier {
        float[] slice(int sortedIndex) throws Exception;
    }

    /**
     * Fills the output volume (x fastest, {@code nx*ny*nz}): linear in-plane and between slices for images, nearest
     * for masks ({@code nearest}). Points outside the acquired field get {@code fill}. Holds at most two source slices.
     */
    public float[] resample(SliceSupplier source, boolean nearest, float fill) throws Exception {
        float[] out = new float[Math.multiplyExact(Math.multiplyExact(nx, ny), nz)];
        int cachedK1 = -1;
        int cachedK2 = -1;
        float[] cached1 = null;
        float[] cached2 = null;
        for (int m = 0; m < nz; m++) {
            List<Contribution> parts = plan.get(m);
            if (nearest && parts.size() == 2) {
                parts = List.of(parts.get(0).weight() >= parts.get(1).weight() ? parts.get(0) : parts.get(1));
            }
            int offset = m * nx * ny;
            boolean firstPart = true;
            for (Contribution part : parts) {
                float[] src;
                if (part.slice() == cachedK1) {
                    src = cached1;
                } else if (part.slice() == cachedK2) {
                    src = cached2;
                } else {
                    src = source.slice(part.slice());
                    cachedK2 = cachedK1;
                    cached2 = cached1;
                    cachedK1 = part.slice();
                    cached1 = src;
                }
                addShifted(src, part, nearest, fill, out, offset, firstPart);
                firstPart = false;
            }
        }
        return out;
    }

    private void addShifted(float[] src, Contribution part, boolean nearest, float fill, float[] out, int offset,
            boolean first) {
        int sc = sourceColumns;
        int sr = sourceRows;
        double w = part.weight();
        boolean whole = part.di() == Math.rint(part.di()) && part.dj() == Math.rint(part.dj());
        for (int j = 0; j < ny; j++) {
            double y = j + part.dj();
            for (int i = 0; i < nx; i++) {
                double x = i + part.di();
                float v;
                if (x < -0.5 || y < -0.5 || x > sc - 0.5 || y > sr - 0.5) {
                    v = fill;
                } else if (nearest || whole) {
                    int xi = clamp((int) Math.floor(x + 0.5), sc);
                    int yi = clamp((int) Math.floor(y + 0.5), sr);
                    v = src[xi + sc * yi];
                } else {
                    int x0 = (int) Math.floor(x);
                    int y0 = (int) Math.floor(y);
                    double fx = x - x0;
                    double fy = y - y0;
                    int xa = clamp(x0, sc);
                    int xb = clamp(x0 + 1, sc);
                    int ya = clamp(y0, sr);
                    int yb = clamp(y0 + 1, sr);
                    v = (float) ((1 - fy) * ((1 - fx) * src[xa + sc * ya] + fx * src[xb + sc * ya])
                            + fy * ((1 - fx) * src[xa + sc * yb] + fx * src[xb + sc * yb]));
                }
                int o = offset + i + nx * j;
                out[o] = first ? (float) (w * v) : (float) (out[o] + w * v);
            }
        }
    }

    private static int clamp(int v, int n) {
        return v < 0 ? 0 : v >= n ? n - 1 : v;
    }

    // ---------------------------------------------------------------- small vector helpers

    static double dot(double[] x, double[] y) {
        return x[0] * y[0] + x[1] * y[1] + x[2] * y[2];
    }

    static double[] cross(double[] x, double[] y) {
        return new double[] {x[1] * y[2] - x[2] * y[1], x[2] * y[0] - x[0] * y[2], x[0] * y[1] - x[1] * y[0]};
    }

    static double[] sub(double[] x, double[] y) {
        return new double[] {x[0] - y[0], x[1] - y[1], x[2] - y[2]};
    }

    static double[] add(double[] x, double[] y) {
        return new double[] {x[0] + y[0], x[1] + y[1], x[2] + y[2]};
    }

    static double[] scale(double[] x, double s) {
        return new double[] {x[0] * s, x[1] * s, x[2] * s};
    }

    static double[] unit(double[] x) {
        double len = Math.sqrt(dot(x, x));
        return len < 1e-6 ? null : scale(x, 1 / len);
    }
}
