package org.deepstroke.onescan;

import java.math.BigDecimal;
import java.math.RoundingMode;
import org.deepstroke.core.image.Affine;
import org.deepstroke.core.image.ImageVolume;

/**
 * The DICOM geometry of a volume's axial slices, computed once so that the CT copy and the Segmentation state the
 * same numbers. DICOM's patient space is LPS where the volume's affine is NIfTI RAS+: x and y change sign. Pixel
 * (row r, column c) of slice k is voxel (i = c, j = r, k), so a row runs along i and a column along j.
 *
 * @param rowCosines LPS unit vector of the i axis (along a row)
 * @param columnCosines LPS unit vector of the j axis (down a column)
 * @param positions LPS position of voxel (0, 0, k) for each slice k
 * @param rowSpacing mm between rows (along j); DICOM's PixelSpacing is [rowSpacing, columnSpacing]
 * @param columnSpacing mm between columns (along i)
 * @param sliceSpacing mm between slices (along k)
 */
record SliceGeometry(double[] rowCosines, double[] columnCosines, double[][] positions, double rowSpacing,
        double columnSpacing, double sliceSpacing) {

    static SliceGeometry of(ImageVolume v) {
        Affine a = v.voxelToWorld();
        double[] spacing = v.spacing();
        double[][] positions = new double[v.nz()][];
        for (int k = 0; k < v.nz(); k++) {
            positions[k] = lps(a.apply(0, 0, k));
        }
        return new SliceGeometry(unitLps(a, 0, spacing[0]), unitLps(a, 1, spacing[1]), positions, spacing[1],
                spacing[0], spacing[2]);
    }

    /** ImageOrientationPatient: the row then the column direction cosines. */
    String[] orientation() {
        return ds(rowCosines[0], rowCosines[1], rowCosines[2], columnCosines[0], columnCosines[1], columnCosines[2]);
    }

    String[] position(int k) {
        return ds(positions[k]);
    }

    String[] pixelSpacing() {
        return ds(rowSpacing, columnSpacing);
    }

    String thickness() {
        return ds(sliceSpacing)[0];
    }

    /**
     * Decimal String values (at most 16 characters, no exponent): 6 decimals, a micrometre at most, also turns a
     * float affine's 1e-8 cosine into 0.
     */
    static String[] ds(double... values) {
        String[] s = new String[values.length];
        for (int n = 0; n < values.length; n++) {
            s[n] = BigDecimal.valueOf(values[n]).setScale(6, RoundingMode.HALF_UP).stripTrailingZeros()
                    .toPlainString();
        }
        return s;
    }

    private static double[] unitLps(Affine a, int axis, double norm) {
        return lps(new double[] {a.get(0, axis) / norm, a.get(1, axis) / norm, a.get(2, axis) / norm});
    }

    private static double[] lps(double[] ras) {
        return new double[] {-ras[0], -ras[1], ras[2]};
    }
}
