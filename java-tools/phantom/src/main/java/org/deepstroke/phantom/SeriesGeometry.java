package org.deepstroke.phantom;

import org.deepstroke.core.image.Affine;
import org.deepstroke.phantom.dicom.Ds;

/**
 * The voxel grid of one image series in DICOM patient coordinates (LPS, mm), as a scanner writes it: every slice
 * has the same Image Orientation (row and column direction cosines), slice k sits at
 * {@code first + k * step * (0, 0, 1)} (the table moves along z; with gantry tilt the slice planes are tilted
 * about the x axis while their positions still advance along z, i.e. the grid is sheared). All values are already
 * rounded to what their DICOM decimal strings say, so a reader's geometry equals this one.
 *
 * @param columns image columns (x index, along {@code rowDir})
 * @param rows image rows (y index, along {@code colDir})
 * @param pixelSpacing square pixel size (mm)
 * @param step table increment between slices (mm), along +z
 * @param thickness nominal slice thickness (mm)
 * @param tiltDeg gantry/detector tilt in degrees (0 = untilted), as written to (0018,1120)
 * @param rowDir direction of increasing column index (LPS unit vector)
 * @param colDir direction of increasing row index (LPS unit vector)
 * @param first Image Position (Patient) of slice 0: centre of its first pixel (LPS)
 * @param segments null for equally spaced slices; else the two segments of a series with a step in its spacing
 *     ({@link SpacingStep}): slice positions and steps per slice come from them, {@code step} is the lower
 *     segment's, {@code thickness} every slice's
 */
public record SeriesGeometry(int columns, int rows, int slices, double pixelSpacing, double step, double thickness,
        double tiltDeg, double[] rowDir, double[] colDir, double[] first, SpacingStep.Segments segments) {

    /** Equally spaced slices. */
    public SeriesGeometry(int columns, int rows, int slices, double pixelSpacing, double step, double thickness,
            double tiltDeg, double[] rowDir, double[] colDir, double[] first) {
        this(columns, rows, slices, pixelSpacing, step, thickness, tiltDeg, rowDir, colDir, first, null);
    }

    /** An axial stack: rows along +y (posterior), columns along +x (patient left), tilted by {@code tiltDeg} about x;
     * the in-plane centre of each slice is {@code centre} (LPS x, y) and slice 0 is at table position {@code z0}. */
    static SeriesGeometry axial(int matrix, double pixelSpacing, double[] centreXy, double z0, int slices, double step,
            double thickness, double tiltDeg) {
        double t = Math.toRadians(tiltDeg);
        double[] rowDir = {1, 0, 0};
        double[] colDir = tiltDeg == 0 ? new double[] {0, 1, 0} : round9(new double[] {0, Math.cos(t), Math.sin(t)});
        double half = (matrix - 1) / 2.0 * pixelSpacing;
        double[] first = {
            centreXy[0] - half * rowDir[0] - half * colDir[0],
            centreXy[1] - half * rowDir[1] - half * colDir[1],
            z0 - half * rowDir[2] - half * colDir[2]};
        for (int a = 0; a < 3; a++) {
            first[a] = Math.round(first[a] * 1e4) / 1e4;
        }
        return new SeriesGeometry(matrix, matrix, slices, Ds.round(pixelSpacing), Ds.round(step), Ds.round(thickness),
                tiltDeg, rowDir, colDir, Ds.round(first));
    }

    /** This stack acquired in the two segments of {@code s} instead: same first slice, orientation and pixels. */
    SeriesGeometry withSegments(SpacingStep.Segments s) {
        return new SeriesGeometry(columns, rows, s.slices(), pixelSpacing, step, thickness, tiltDeg, rowDir, colDir,
                first, s);
    }

    /** The equally spaced grid of this series' first slice, orientation and (lower) step, {@code n} slices. */
    SeriesGeometry regular(int n) {
        return new SeriesGeometry(columns, rows, n, pixelSpacing, step, thickness, tiltDeg, rowDir, colDir, first);
    }

    /** Whether the slice spacing changes within the series ({@link SpacingStep}). */
    public boolean variable() {
        return segments != null;
    }

    /** The table step of the acquisition (segment) slice k belongs to. */
    public double step(int k) {
        return segments == null ? step : segments.step(k);
    }

    /** Table length the slices cover, each slice its own step (the dose length). */
    double coverageMm() {
        return segments == null ? slices * step : segments.coverage();
    }

    /** The slice whose table position is nearest Slice Location {@code location} (may lie outside the series). */
    int sliceAtLocation(double location) {
        return segments == null ? (int) Math.round((location - sliceLocation(0)) / step)
                : segments.sliceAt(location - sliceLocation(0));
    }

    private static double[] round9(double[] v) {
        double[] r = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            r[i] = Ds.round(Math.round(v[i] * 1e9) / 1e9);
        }
        return r;
    }

    /** Image Position (Patient) of slice k, as written. */
    public double[] position(int k) {
        return segments == null ? Ds.round(first[0], first[1], first[2] + k * step)
                : Ds.round(first[0], first[1], first[2] + segments.offset(k));
    }

    /** Where slice k + 1 would be if the slice after k lay one step of k's own segment above it. */
    double[] nextPosition(int k) {
        return segments == null ? position(k + 1)
                : Ds.round(first[0], first[1], first[2] + segments.offset(k) + segments.step(k));
    }

    /** LPS position of pixel (column c, row r) of slice k. */
    public double[] lps(double c, double r, int k) {
        double[] p = position(k);
        return new double[] {
            p[0] + pixelSpacing * (c * rowDir[0] + r * colDir[0]),
            p[1] + pixelSpacing * (c * rowDir[1] + r * colDir[1]),
            p[2] + pixelSpacing * (c * rowDir[2] + r * colDir[2])};
    }

    /** Voxel (column, row, slice) to world RAS mm: the NIfTI sform of this grid (sheared when tilted); with
     * {@link #segments}, of the lower segment's grid continued (true for slices 0..split only). */
    public Affine voxelToRas() {
        return Affine.ofRows(
                new double[] {-rowDir[0] * pixelSpacing, -colDir[0] * pixelSpacing, 0, -first[0]},
                new double[] {-rowDir[1] * pixelSpacing, -colDir[1] * pixelSpacing, 0, -first[1]},
                new double[] {rowDir[2] * pixelSpacing, colDir[2] * pixelSpacing, step, first[2]});
    }

    /** Voxel (column, row, 0) of the one-slice volume of slice k to world RAS mm. */
    public Affine sliceToRas(int k) {
        Affine a = voxelToRas();
        if (segments == null) {
            return a.multiply(Affine.identity().translate(0, 0, k));
        }
        double[] p = position(k);
        double[][] r = a.rows();
        return Affine.ofRows(new double[] {r[0][0], r[0][1], r[0][2], -p[0]},
                new double[] {r[1][0], r[1][1], r[1][2], -p[1]}, new double[] {r[2][0], r[2][1], r[2][2], p[2]});
    }

    /** Image Orientation (Patient): row then column direction cosines. */
    public double[] orientation() {
        return new double[] {rowDir[0], rowDir[1], rowDir[2], colDir[0], colDir[1], colDir[2]};
    }

    /** Slice Location: the table position of slice k (its z at the in-plane centre line). */
    public double sliceLocation(int k) {
        double half = (rows - 1) / 2.0 * pixelSpacing;
        return Ds.round(position(k)[2] + half * colDir[2] + (columns - 1) / 2.0 * pixelSpacing * rowDir[2]);
    }

    public boolean tilted() {
        return tiltDeg != 0;
    }
}
