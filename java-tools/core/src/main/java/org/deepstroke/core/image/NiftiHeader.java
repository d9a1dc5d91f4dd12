package org.deepstroke.core.image;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * The fields of a NIfTI-1 header (348 bytes) this platform uses, with the affine rules of the standard: the sform
 * when its code is set, else the qform (quaternion), else the voxel sizes alone (method 1).
 */
public final class NiftiHeader {

    public static final int SIZE = 348;
    /** Data starts after the header and the 4-byte extension flag. */
    public static final int DATA_OFFSET = 352;

    final short[] dim = new short[8];
    final float[] pixdim = new float[8];
    int datatypeCode;
    float voxOffset = DATA_OFFSET;
    float sclSlope;
    float sclInter;
    int xyztUnits;
    int qformCode;
    int sformCode;
    float quaternB;
    float quaternC;
    float quaternD;
    final float[] qoffset = new float[3];
    final float[][] srow = new float[3][4];
    String descrip = "";
    ByteOrder order = ByteOrder.LITTLE_ENDIAN;

    NiftiHeader() {
    }

    /**
     * Parses the first 348 bytes of a single-file NIfTI-1 image.
     *
     * @throws IllegalArgumentException with the reason when the bytes are not a supported NIfTI-1 header
     */
    static NiftiHeader parse(byte[] bytes) {
        if (bytes.length < SIZE) {
            throw new IllegalArgumentException("file too short for a NIfTI-1 header (" + bytes.length + " bytes)");
        }
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        int sizeof = b.getInt(0);
        if (sizeof != SIZE) {
            b.order(ByteOrder.BIG_ENDIAN);
            sizeof = b.getInt(0);
        }
        if (sizeof == 540 || Integer.reverseBytes(sizeof) == 540) {
            throw new IllegalArgumentException("NIfTI-2 files are not supported (convert to NIfTI-1)");
        }
        if (sizeof != SIZE) {
            throw new IllegalArgumentException("not a NIfTI-1 file (sizeof_hdr is not 348)");
        }
        String magic = new String(bytes, 344, 3, StandardCharsets.US_ASCII);
        if ("ni1".equals(magic)) {
            throw new IllegalArgumentException("NIfTI header/image pairs (.hdr/.img) are not supported (use .nii)");
        }
        if (!"n+1".equals(magic)) {
            throw new IllegalArgumentException("not a NIfTI-1 file (magic is not n+1)");
        }
        NiftiHeader h = new NiftiHeader();
        h.order = b.order();
        for (int i = 0; i < 8; i++) {
            h.dim[i] = b.getShort(40 + 2 * i);
            h.pixdim[i] = b.getFloat(76 + 4 * i);
        }
        h.datatypeCode = b.getShort(70);
        h.voxOffset = b.getFloat(108);
        h.sclSlope = b.getFloat(112);
        h.sclInter = b.getFloat(116);
        h.xyztUnits = b.get(123);
        h.descrip = new String(bytes, 148, 80, StandardCharsets.US_ASCII).replace("\0", "").strip();
        h.qformCode = b.getShort(252);
        h.sformCode = b.getShort(254);
        h.quaternB = b.getFloat(256);
        h.quaternC = b.getFloat(260);
        h.quaternD = b.getFloat(264);
        for (int i = 0; i < 3; i++) {
            h.qoffset[i] = b.getFloat(268 + 4 * i);
            for (int j = 0; j < 4; j++) {
                h.srow[i][j] = b.getFloat(280 + 16 * i + 4 * j);
            }
        }
        return h;
    }

    /** Serialises to 352 bytes (header + empty extension flag), little-endian. */
    byte[] toBytes() {
        ByteBuffer b = ByteBuffer.allocate(DATA_OFFSET).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(0, SIZE);
        b.put(38, (byte) 'r'); // "regular", as ANALYZE readers expect
        for (int i = 0; i < 8; i++) {
            b.putShort(40 + 2 * i, dim[i]);
            b.putFloat(76 + 4 * i, pixdim[i]);
        }
        NiftiDatatype type = NiftiDatatype.fromCode(datatypeCode);
        b.putShort(70, (short) datatypeCode);
        b.putShort(72, (short) (8 * type.bytes()));
        b.putFloat(108, voxOffset);
        b.putFloat(112, sclSlope);
        b.putFloat(116, sclInter);
        b.put(123, (byte) xyztUnits);
        byte[] text = descrip.getBytes(StandardCharsets.US_ASCII);
        b.put(148, text, 0, Math.min(text.length, 79));
        b.putShort(252, (short) qformCode);
        b.putShort(254, (short) sformCode);
        b.putFloat(256, quaternB);
        b.putFloat(260, quaternC);
        b.putFloat(264, quaternD);
        for (int i = 0; i < 3; i++) {
            b.putFloat(268 + 4 * i, qoffset[i]);
            for (int j = 0; j < 4; j++) {
                b.putFloat(280 + 16 * i + 4 * j, srow[i][j]);
            }
        }
        b.put(344, "n+1\0".getBytes(StandardCharsets.US_ASCII));
        return b.array();
    }

    /** The voxel-to-world affine by the standard's precedence: sform, else qform, else voxel sizes. */
    public Affine affine() {
        if (sformCode > 0) {
            double[][] rows = new double[3][4];
            for (int i = 0; i < 3; i++) {
                for (int j = 0; j < 4; j++) {
                    rows[i][j] = srow[i][j];
                }
            }
            return Affine.of(rows);
        }
        if (qformCode > 0) {
            return qformAffine();
        }
        return Affine.diagonal(positive(pixdim[1]), positive(pixdim[2]), positive(pixdim[3]));
    }

    /** The world-space code of the affine returned by {@link #affine()}. */
    public int xformCode() {
        return sformCode > 0 ? sformCode : Math.max(qformCode, 0);
    }

    /** The qform as a matrix (nifti_quatern_to_mat44 of nifti1_io.c). */
    Affine qformAffine() {
        double b = quaternB;
        double c = quaternC;
        double d = quaternD;
        double a = 1.0 - (b * b + c * c + d * d);
        if (a < 1e-7) { // quaternion slightly off unit length: renormalise as nifti1_io does
            a = 1.0 / Math.sqrt(b * b + c * c + d * d);
            b *= a;
            c *= a;
            d *= a;
            a = 0;
        } else {
            a = Math.sqrt(a);
        }
        double xd = positive(pixdim[1]);
        double yd = positive(pixdim[2]);
        double zd = positive(pixdim[3]);
        if (pixdim[0] < 0) {
            zd = -zd;
        }
        return Affine.ofRows(
                new double[] {(a * a + b * b - c * c - d * d) * xd, 2 * (b * c - a * d) * yd, 2 * (b * d + a * c) * zd, qoffset[0]},
                new double[] {2 * (b * c + a * d) * xd, (a * a + c * c - b * b - d * d) * yd, 2 * (c * d - a * b) * zd, qoffset[1]},
                new double[] {2 * (b * d - a * c) * xd, 2 * (c * d + a * b) * yd, (a * a + d * d - c * c - b * b) * zd, qoffset[2]});
    }

    /**
     * Sets sform and (when the affine has no shear) qform from an affine. A sheared affine, e.g. a gantry-tilted
     * scan kept in its acquisition grid, cannot be a qform: the qform code is then 0 so that no reader uses an
     * approximation.
     */
    void setAffine(Affine affine, int code) {
        double[][] rows = affine.rows();
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 4; j++) {
                srow[i][j] = (float) rows[i][j];
            }
        }
        sformCode = code;
        double[] norms = affine.columnNorms();
        for (int i = 0; i < 3; i++) {
            pixdim[i + 1] = (float) norms[i];
            qoffset[i] = (float) rows[i][3];
        }
        if (!affine.isOrthogonal(1e-4)) {
            qformCode = 0;
            quaternB = quaternC = quaternD = 0;
            pixdim[0] = 1;
            return;
        }
        qformCode = code;
        double[][] r = new double[3][3];
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                r[i][j] = rows[i][j] / norms[j];
            }
        }
        double det = r[0][0] * (r[1][1] * r[2][2] - r[1][2] * r[2][1]) - r[0][1] * (r[1][0] * r[2][2] - r[1][2] * r[2][0])
                + r[0][2] * (r[1][0] * r[2][1] - r[1][1] * r[2][0]);
        double qfac = 1;
        if (det < 0) { // left-handed: flip the third column and record qfac = -1 (nifti_mat44_to_quatern)
            qfac = -1;
            r[0][2] = -r[0][2];
            r[1][2] = -r[1][2];
            r[2][2] = -r[2][2];
        }
        pixdim[0] = (float) qfac;
        double a = r[0][0] + r[1][1] + r[2][2] + 1;
        double b;
        double c;
        double d;
        if (a > 0.5) {
            a = 0.5 * Math.sqrt(a);
            b = 0.25 * (r[2][1] - r[1][2]) / a;
            c = 0.25 * (r[0][2] - r[2][0]) / a;
            d = 0.25 * (r[1][0] - r[0][1]) / a;
        } else {
            double xd = 1.0 + r[0][0] - (r[1][1] + r[2][2]);
            double yd = 1.0 + r[1][1] - (r[0][0] + r[2][2]);
            double zd = 1.0 + r[2][2] - (r[0][0] + r[1][1]);
            if (xd > 1.0) {
                b = 0.5 * Math.sqrt(xd);
                c = 0.25 * (r[0][1] + r[1][0]) / b;
                d = 0.25 * (r[0][2] + r[2][0]) / b;
                a = 0.25 * (r[2][1] - r[1][2]) / b;
            } else if (yd > 1.0) {
                c = 0.5 * Math.sqrt(yd);
                b = 0.25 * (r[0][1] + r[1][0]) / c;
                d = 0.25 * (r[1][2] + r[2][1]) / c;
                a = 0.25 * (r[0][2] - r[2][0]) / c;
            } else {
                d = 0.5 * Math.sqrt(zd);
                b = 0.25 * (r[0][2] + r[2][0]) / d;
                c = 0.25 * (r[1][2] + r[2][1]) / d;
                a = 0.25 * (r[1][0] - r[0][1]) / d;
            }
            if (a < 0) {
                b = -b;
                c = -c;
                d = -d;
            }
        }
        quaternB = (float) b;
        quaternC = (float) c;
        quaternD = (float) d;
    }

    public int[] dims() {
        return new int[] {dim[1], dim[2], dim[3]};
    }

    public int ndim() {
        return dim[0];
    }

    public int datatypeCode() {
        return datatypeCode;
    }

    public double sclSlope() {
        return sclSlope;
    }

    public double sclInter() {
        return sclInter;
    }

    public int qformCode() {
        return qformCode;
    }

    public int sformCode() {
        return sformCode;
    }

    /**
     * Why this header's geometry cannot be used, or null: a non-finite sform row, quaternion, offset or voxel size,
     * a voxel size that is zero or negative, or an affine without volume. Checked at read time so that NaN never
     * travels on to the next tool (issue 16: nifti-convert copied NaN into sform, qform and pixdim with exit 0).
     */
    public String geometryProblem() {
        int n = Math.min(3, Math.max(dim[0], 0));
        for (int i = 1; i <= n; i++) {
            if (!Float.isFinite(pixdim[i])) {
                return "voxel size pixdim[" + i + "] is not a number (" + pixdim[i] + ")";
            }
            if (pixdim[i] <= 0 && sformCode <= 0) {
                return "voxel size pixdim[" + i + "] = " + pixdim[i] + " is not positive";
            }
        }
        if (sformCode > 0) {
            for (float[] row : srow) {
                for (float v : row) {
                    if (!Float.isFinite(v)) {
                        return "sform (srow) holds a value that is not a number";
                    }
                }
            }
        }
        if (qformCode > 0) {
            float[] q = {quaternB, quaternC, quaternD, qoffset[0], qoffset[1], qoffset[2], pixdim[0]};
            for (float v : q) {
                if (!Float.isFinite(v)) {
                    return "qform (quaternion or offset) holds a value that is not a number";
                }
            }
        }
        Affine a = affine();
        for (double[] row : a.rows()) {
            for (double v : row) {
                if (!Double.isFinite(v)) {
                    return "the voxel-to-world affine holds a value that is not a number";
                }
            }
        }
        double[] norms = a.columnNorms();
        for (int i = 0; i < 3; i++) {
            if (!(norms[i] > 0)) {
                return "the voxel-to-world affine has a zero voxel size along axis " + (i + 1);
            }
        }
        if (!(Math.abs(a.determinant3()) > 0)) {
            return "the voxel-to-world affine is singular";
        }
        return null;
    }

    public String description() {
        return descrip;
    }

    private static double positive(float v) {
        return v > 0 ? v : 1.0;
    }
}
