package org.deepstroke.core.image;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import org.deepstroke.core.cli.ToolFailure;

/**
 * Reads NIfTI-1 single files (.nii, or gzip-compressed whatever the extension says) into an {@link ImageVolume}:
 * every scalar datatype, either byte order, scl_slope/scl_inter applied, sform preferred over qform. Written
 * for this platform because no NIfTI reader exists on Maven Central; verified against nibabel in the tests.
 */
public final class NiftiReader {

    private NiftiReader() {
    }

    /**
     * Reads a volume.
     *
     * @throws ToolFailure naming the file and the reason when it is not a readable NIfTI-1 volume
     */
    public static ImageVolume read(Path file) {
        try (DataInputStream in = open(file)) {
            NiftiHeader h = header(file, in);
            int[] d = checkedDims(file, h);
            NiftiDatatype type = NiftiDatatype.fromCode(h.datatypeCode);
            if (type == null) {
                throw new ToolFailure(file, "unsupported NIfTI datatype " + h.datatypeCode
                        + " (only scalar integer and float types are read)");
            }
            if (!Float.isFinite(h.voxOffset)) {
                throw new ToolFailure(file, "vox_offset is not a number");
            }
            long skip = (long) h.voxOffset - NiftiHeader.SIZE;
            if (skip < 0) {
                throw new ToolFailure(file, "vox_offset " + h.voxOffset + " points into the header");
            }
            float[] data = new float[checkedSize(file, h, d, type, (long) h.voxOffset)];
            in.skipNBytes(skip);
            if (!readData(in, type, h, data, d[0] * d[1])) {
                throw new ToolFailure(file, "scl_slope " + h.sclSlope + " / scl_inter " + h.sclInter
                        + " scale stored values beyond the float range");
            }
            // Read to the end: only then does GZIPInputStream check the trailer (CRC-32, length), so a .nii.gz cut
            // short after its last data block is noticed (found by the skull-strip fuzz test).
            in.skip(Long.MAX_VALUE);
            while (in.read() >= 0) {
                in.skip(Long.MAX_VALUE);
            }
            return new ImageVolume(d[0], d[1], d[2], data, h.affine(), h.xformCode());
        } catch (EOFException e) {
            throw new ToolFailure(file, "truncated NIfTI file: the data or its gzip stream ends early");
        } catch (java.util.zip.ZipException e) {
            throw new ToolFailure(file, "corrupt gzip stream (" + e.getMessage() + ")");
        } catch (IOException e) {
            throw new ToolFailure(file, "cannot read: " + e.getMessage(), e);
        }
    }

    /** Reads only the header (cheap even for large compressed files). */
    public static NiftiHeader readHeader(Path file) {
        try (DataInputStream in = open(file)) {
            return header(file, in);
        } catch (IOException e) {
            throw new ToolFailure(file, "cannot read: " + e.getMessage(), e);
        }
    }

    private static DataInputStream open(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new ToolFailure(file, "no such file");
        }
        InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
        raw.mark(2);
        int b0 = raw.read();
        int b1 = raw.read();
        raw.reset();
        boolean gzip = b0 == 0x1f && b1 == 0x8b;
        return new DataInputStream(gzip ? new BufferedInputStream(new GZIPInputStream(raw, 1 << 16), 1 << 16) : raw);
    }

    private static NiftiHeader header(Path file, DataInputStream in) throws IOException {
        byte[] bytes = in.readNBytes(NiftiHeader.SIZE);
        NiftiHeader h;
        try {
            h = NiftiHeader.parse(bytes);
        } catch (IllegalArgumentException e) {
            throw new ToolFailure(file, e.getMessage());
        }
        String problem = h.geometryProblem();
        if (problem != null) {
            throw new ToolFailure(file, "invalid NIfTI geometry: " + problem);
        }
        return h;
    }

    /**
     * The voxel count, checked before anything is allocated: it must fit a Java array, the data the header promises
     * must be in the file (for gzip: the stream's uncompressed length from its trailer), and the volume must fit
     * the heap. Issue 16: a 164 KB file whose header said 1200^3 was allocated first (OutOfMemoryError, no file
     * name) and 30000^3 overflowed (ArithmeticException).
     */
    private static int checkedSize(Path file, NiftiHeader h, int[] d, NiftiDatatype type, long voxOffset)
            throws IOException {
        long voxels = (long) d[0] * d[1] * d[2]; // each < 2^15: no overflow
        if (voxels > Integer.MAX_VALUE - 8) {
            throw new ToolFailure(file, "header dimensions " + d[0] + "x" + d[1] + "x" + d[2] + " = " + voxels
                    + " voxels: more than one volume can hold (2^31)");
        }
        long needed = voxOffset + voxels * type.bytes();
        long available = dataLength(file);
        if (available >= 0 && available < needed) {
            throw new ToolFailure(file, "truncated NIfTI file: the header's " + d[0] + "x" + d[1] + "x" + d[2] + " "
                    + type.name().toLowerCase() + " voxels need " + needed + " bytes, the "
                    + (gzip(file) ? "uncompressed stream holds " : "file holds ") + available);
        }
        long heap = Runtime.getRuntime().maxMemory() - (Runtime.getRuntime().totalMemory()
                - Runtime.getRuntime().freeMemory());
        if (voxels * 4 > heap) {
            throw new ToolFailure(file, "a " + d[0] + "x" + d[1] + "x" + d[2] + " volume needs " + voxels * 4 / (1 << 20)
                    + " MB, more than the " + heap / (1 << 20) + " MB of heap left (DEEPSTROKE_JAVA_OPTS=-Xmx...)");
        }
        return (int) voxels;
    }

    /**
     * Bytes of NIfTI data in the file: its size, or for gzip the ISIZE of the trailer (uncompressed length mod 2^32,
     * exact below 4 GiB; above that the bound of deflate's best ratio, 1032:1). -1 when unknown.
     */
    private static long dataLength(Path file) throws IOException {
        long size = Files.size(file);
        if (!gzip(file)) {
            return size;
        }
        if (size < 18) {
            return 0;
        }
        try (java.nio.channels.SeekableByteChannel ch = Files.newByteChannel(file)) {
            ch.position(size - 4);
            ByteBuffer b = ByteBuffer.allocate(4).order(java.nio.ByteOrder.LITTLE_ENDIAN);
            while (b.hasRemaining() && ch.read(b) > 0) {
                // read the 4 trailer bytes
            }
            long isize = b.getInt(0) & 0xffffffffL;
            long bound = size * 1032;
            // A stream over 4 GiB wraps ISIZE: only the ratio bound is usable then.
            return bound >= (1L << 32) ? Math.max(isize, bound) : isize;
        }
    }

    private static boolean gzip(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return in.read() == 0x1f && in.read() == 0x8b;
        }
    }

    private static int[] checkedDims(Path file, NiftiHeader h) {
        int n = h.dim[0];
        if (n < 1 || n > 7) {
            throw new ToolFailure(file, "invalid dim[0] = " + n);
        }
        int[] d = {1, 1, 1};
        for (int i = 1; i <= n; i++) {
            if (h.dim[i] < 1) {
                throw new ToolFailure(file, "invalid dim[" + i + "] = " + h.dim[i]);
            }
            if (i <= 3) {
                d[i - 1] = h.dim[i];
            } else if (h.dim[i] > 1) {
                throw new ToolFailure(file, "a " + n + "-D image with " + h.dim[i]
                        + " volumes; only 3-D volumes are supported");
            }
        }
        return d;
    }

    /**
     * Converts slice by slice so a large volume never needs a second full-size buffer. Returns false when the
     * scaling turned a finite stored value into an infinite one (a broken scl_slope/scl_inter, found by fuzzing).
     */
    private static boolean readData(DataInputStream in, NiftiDatatype type, NiftiHeader h, float[] out, int sliceVoxels)
            throws IOException {
        // NIfTI: a zero (or non-finite) slope means "no scaling".
        boolean scaled = h.sclSlope != 0 && Float.isFinite(h.sclSlope)
                && !(h.sclSlope == 1 && (h.sclInter == 0 || !Float.isFinite(h.sclInter)));
        double slope = scaled ? h.sclSlope : 1;
        double inter = scaled && Float.isFinite(h.sclInter) ? h.sclInter : 0;
        byte[] slice = new byte[sliceVoxels * type.bytes()];
        ByteBuffer buffer = ByteBuffer.wrap(slice).order(h.order);
        boolean finite = true;
        for (int offset = 0; offset < out.length; offset += sliceVoxels) {
            in.readFully(slice);
            for (int i = 0; i < sliceVoxels; i++) {
                double v = value(buffer, type, i);
                float f = (float) (scaled ? v * slope + inter : v);
                out[offset + i] = f;
                if (scaled && Double.isFinite(v) && !Float.isFinite(f)) {
                    finite = false;
                }
            }
        }
        return finite;
    }

    private static double value(ByteBuffer b, NiftiDatatype type, int i) {
        switch (type) {
            case UINT8:
                return b.get(i) & 0xff;
            case INT8:
                return b.get(i);
            case INT16:
                return b.getShort(2 * i);
            case UINT16:
                return b.getShort(2 * i) & 0xffff;
            case INT32:
                return b.getInt(4 * i);
            case UINT32:
                return b.getInt(4 * i) & 0xffffffffL;
            case INT64:
                return b.getLong(8 * i);
            case UINT64: {
                long v = b.getLong(8 * i);
                return v >= 0 ? v : (v >>> 1) * 2.0 + (v & 1);
            }
            case FLOAT32:
                return b.getFloat(4 * i);
            case FLOAT64:
                return b.getDouble(8 * i);
            default:
                throw new IllegalStateException(type.name());
        }
    }
}
