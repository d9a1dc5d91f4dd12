package org.deepstroke.core.image;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.deepstroke.core.cli.Version;
import org.deepstroke.core.io.AtomicFiles;

/**
 * Writes an {@link ImageVolume} as NIfTI-1 (gzip-compressed when the name ends in .gz), atomically. The sform and
 * the qform are both set from the volume's affine (the qform only when the affine has no shear), with the volume's
 * world-space code. Output is byte-identical for identical input (the gzip header carries no time stamp), so
 * Nextflow's cache and checksums compare files meaningfully.
 */
public final class NiftiWriter {

    private NiftiWriter() {
    }

    /** Writes without scaling; integer types get values rounded to the nearest integer. */
    public static void write(ImageVolume volume, Path file, NiftiDatatype type) throws IOException {
        write(volume, file, type, 1.0, 0.0);
    }

    /**
     * Writes stored values {@code (value - inter) / slope} with scl_slope/scl_inter in the header, so readers
     * recover {@code value}.
     *
     * @throws IllegalArgumentException when a value does not fit the datatype (rather than clipping silently)
     */
    public static void write(ImageVolume volume, Path file, NiftiDatatype type, double slope, double inter)
            throws IOException {
        if (slope == 0 || !Double.isFinite(slope) || !Double.isFinite(inter)) {
            throw new IllegalArgumentException("bad scaling slope " + slope + " inter " + inter);
        }
        NiftiHeader h = new NiftiHeader();
        h.dim[0] = 3;
        int[] d = volume.dims();
        for (int i = 0; i < 3; i++) {
            if (d[i] > Short.MAX_VALUE) {
                throw new IllegalArgumentException("dimension " + d[i] + " exceeds NIfTI-1's limit of 32767");
            }
            h.dim[i + 1] = (short) d[i];
        }
        for (int i = 4; i < 8; i++) {
            h.dim[i] = 1;
            h.pixdim[i] = 1;
        }
        h.datatypeCode = type.code();
        h.sclSlope = (float) slope;
        h.sclInter = (float) inter;
        h.xyztUnits = 2 | 8; // millimetres, seconds
        h.descrip = "deepstroke " + Version.get();
        h.setAffine(volume.voxelToWorld(), Math.max(volume.xformCode(), 1));
        boolean gzip = file.getFileName().toString().endsWith(".gz");
        AtomicFiles.write(file, raw -> {
            OutputStream out = gzip ? new GZIPOutputStream(raw, 1 << 16) : raw;
            out.write(h.toBytes());
            writeData(out, volume, type, slope, inter);
            if (gzip) {
                ((GZIPOutputStream) out).finish();
            }
        });
    }

    private static void writeData(OutputStream out, ImageVolume volume, NiftiDatatype type, double slope,
            double inter) throws IOException {
        float[] data = volume.data();
        int slice = volume.nx() * volume.ny();
        ByteBuffer b = ByteBuffer.allocate(slice * type.bytes()).order(ByteOrder.LITTLE_ENDIAN);
        boolean identity = slope == 1.0 && inter == 0.0;
        for (int offset = 0; offset < data.length; offset += slice) {
            b.clear();
            for (int i = 0; i < slice; i++) {
                double v = identity ? data[offset + i] : (data[offset + i] - inter) / slope;
                put(b, type, v);
            }
            out.write(b.array(), 0, b.position());
        }
    }

    private static void put(ByteBuffer b, NiftiDatatype type, double v) {
        if (type.isInteger()) {
            if (!Double.isFinite(v)) {
                throw new IllegalArgumentException("non-finite value " + v + " cannot be stored as " + type);
            }
            v = Math.rint(v);
            if (v < type.min() || v > type.max()) {
                throw new IllegalArgumentException("value " + v + " does not fit " + type);
            }
        }
        switch (type) {
            case UINT8, INT8 -> b.put((byte) (long) v);
            case INT16, UINT16 -> b.putShort((short) (long) v);
            case INT32, UINT32 -> b.putInt((int) (long) v);
            case INT64 -> b.putLong((long) v);
            case UINT64 -> b.putLong(v >= 0x1p63 ? (long) (v - 0x1p63) ^ Long.MIN_VALUE : (long) v);
            case FLOAT32 -> b.putFloat((float) v);
            case FLOAT64 -> b.putDouble(v);
            default -> throw new IllegalStateException(type.name());
        }
    }
}
