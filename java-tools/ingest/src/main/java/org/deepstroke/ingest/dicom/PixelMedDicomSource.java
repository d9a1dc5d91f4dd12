package org.deepstroke.ingest.dicom;

import static org.deepstroke.ingest.dicom.DicomAttributes.doubleValue;
import static org.deepstroke.ingest.dicom.DicomAttributes.doubles;
import static org.deepstroke.ingest.dicom.DicomAttributes.intValue;
import static org.deepstroke.ingest.dicom.DicomAttributes.integerOrNull;
import static org.deepstroke.ingest.dicom.DicomAttributes.ints;
import static org.deepstroke.ingest.dicom.DicomAttributes.string;
import static org.deepstroke.ingest.dicom.DicomAttributes.strings;
import static org.deepstroke.ingest.dicom.DicomAttributes.why;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.DicomInputStream;
import com.pixelmed.dicom.TagFromName;
import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@link DicomSource} on PixelMed (Debian's com.pixelmed 20220618; JPEG lossless through pixelmed-imageio).
 * Headers are read with a termination strategy that stops at the top-level Pixel Data element, so a scan never
 * reads pixel data; the element's offset lets the scan notice truncated files without reading them.
 */
public final class PixelMedDicomSource implements DicomSource {

    private static final AttributeTag PIXEL_DATA = TagFromName.PixelData;
    private static final AttributeTag CONVOLUTION_KERNEL = new AttributeTag(0x0018, 0x1210);
    private static final AttributeTag GANTRY_TILT = new AttributeTag(0x0018, 0x1120);
    private static final AttributeTag CONTRAST_AGENT = new AttributeTag(0x0018, 0x0010);
    private static final AttributeTag PADDING_VALUE = new AttributeTag(0x0028, 0x0120);
    private static final AttributeTag PADDING_RANGE = new AttributeTag(0x0028, 0x0121);
    private static final AttributeTag SPACING_BETWEEN = new AttributeTag(0x0018, 0x0088);
    private static final AttributeTag RECORD_SEQUENCE = PixelMedDicomDir.RECORD_SEQUENCE;

    @Override
    public String version() {
        Package p = AttributeList.class.getPackage();
        String v = p == null ? null : p.getImplementationVersion();
        if (v == null) {
            // Debian's jar has no Implementation-Version; the jar name carries it (pixelmed-20220618.jar).
            try {
                String location = AttributeList.class.getProtectionDomain().getCodeSource().getLocation().getPath();
                String name = Path.of(location).getFileName().toString();
                v = name.replaceAll("^pixelmed-?", "").replaceAll("\\.jar$", "");
            } catch (Exception e) {
                v = "";
            }
        }
        return v == null || v.isBlank() ? "unknown" : v;
    }

    // ---------------------------------------------------------------- headers

    @Override
    public InstanceHeader readHeader(Path file) throws IOException, DicomFormatException {
        long size = Files.size(file);
        AttributeList list = new AttributeList();
        long[] pixelOffset = {-1};
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 15);
                DicomInputStream in = new DicomInputStream(raw)) {
            list.read(in, (l, tag, byteOffset) -> {
                if (l == list && tag.getGroup() >= PIXEL_DATA.getGroup() && tag.equals(PIXEL_DATA)) {
                    pixelOffset[0] = byteOffset;
                    return true;
                }
                // Anything after pixel data (trailing padding, digital signatures) is not needed either.
                return l == list && tag.getGroup() > PIXEL_DATA.getGroup();
            });
        } catch (EOFException e) {
            if (list.isEmpty()) {
                throw new DicomFormatException("truncated before any element", e);
            }
            if ("1.2.840.10008.1.3.10".equals(string(list, TagFromName.MediaStorageSOPClassUID))) {
                throw new DicomFormatException(DicomFormatException.DICOMDIR);
            }
            if (list.get(TagFromName.SeriesInstanceUID) == null) {
                throw new DicomFormatException("truncated header", e);
            }
            // A header cut short: keep what was read; the instance is flagged truncated.
            return header(list, -1, true);
        } catch (DicomException | RuntimeException | OutOfMemoryError e) {
            throw new DicomFormatException("not readable as DICOM (" + why(e) + ")", e);
        }
        if ("1.2.840.10008.1.3.10".equals(string(list, TagFromName.MediaStorageSOPClassUID))
                || list.get(RECORD_SEQUENCE) != null) {
            throw new DicomFormatException(DicomFormatException.DICOMDIR);
        }
        if (list.get(TagFromName.SOPInstanceUID) == null && list.get(TagFromName.SeriesInstanceUID) == null) {
            throw new DicomFormatException("no DICOM data set (no SOP instance or series UID)");
        }
        boolean truncated = false;
        if (pixelOffset[0] >= 0) {
            String ts = string(list, TagFromName.TransferSyntaxUID);
            if (!TransferSyntaxes.encapsulated(ts)) {
                long expected = (long) intValue(list, TagFromName.Rows, 0) * intValue(list, TagFromName.Columns, 0)
                        * Math.max(1, intValue(list, TagFromName.NumberOfFrames, 1))
                        * Math.max(1, intValue(list, TagFromName.SamplesPerPixel, 1))
                        * intValue(list, TagFromName.BitsAllocated, 16) / 8;
                // PixelMed reports the offset just after the (7FE0,0010) tag: VR, reserved and length remain.
                int elementHeader = TransferSyntaxes.IMPLICIT_LE.equals(ts) ? 4 : 8;
                truncated = size < pixelOffset[0] + elementHeader + expected;
            } else {
                truncated = size < pixelOffset[0] + 12;
            }
        }
        return header(list, pixelOffset[0], truncated);
    }

    private static InstanceHeader header(AttributeList list, long pixelOffset, boolean truncated) {
        List<String> imageType = new ArrayList<>();
        for (String v : strings(list, TagFromName.ImageType)) {
            imageType.add(v.strip().toUpperCase(Locale.ROOT));
        }
        return new InstanceHeader(
                string(list, TagFromName.PatientID),
                string(list, TagFromName.StudyInstanceUID),
                string(list, TagFromName.SeriesInstanceUID),
                string(list, TagFromName.SOPInstanceUID),
                string(list, TagFromName.SOPClassUID),
                string(list, TagFromName.FrameOfReferenceUID),
                string(list, TagFromName.TransferSyntaxUID),
                string(list, TagFromName.Modality).toUpperCase(Locale.ROOT),
                List.copyOf(imageType),
                String.join("\\", strings(list, CONVOLUTION_KERNEL)),
                doubleValue(list, TagFromName.SliceThickness, Double.NaN),
                doubleValue(list, SPACING_BETWEEN, Double.NaN),
                doubles(list, TagFromName.ImagePositionPatient, 3),
                doubles(list, TagFromName.ImageOrientationPatient, 6),
                doubles(list, TagFromName.PixelSpacing, 2),
                intValue(list, TagFromName.Rows, 0),
                intValue(list, TagFromName.Columns, 0),
                Math.max(1, intValue(list, TagFromName.NumberOfFrames, 1)),
                Math.max(1, intValue(list, TagFromName.SamplesPerPixel, 1)),
                intValue(list, TagFromName.BitsAllocated, 16),
                intValue(list, TagFromName.BitsStored, intValue(list, TagFromName.BitsAllocated, 16)),
                intValue(list, TagFromName.HighBit, intValue(list, TagFromName.BitsStored,
                        intValue(list, TagFromName.BitsAllocated, 16)) - 1),
                intValue(list, TagFromName.PixelRepresentation, 0),
                string(list, TagFromName.PhotometricInterpretation).toUpperCase(Locale.ROOT),
                doubleValue(list, TagFromName.RescaleSlope, 1.0),
                doubleValue(list, TagFromName.RescaleIntercept, 0.0),
                integerOrNull(list, PADDING_VALUE),
                integerOrNull(list, PADDING_RANGE),
                doubleValue(list, GANTRY_TILT, 0.0),
                string(list, CONTRAST_AGENT),
                string(list, TagFromName.SeriesDescription),
                string(list, TagFromName.ProtocolName),
                string(list, TagFromName.StudyDescription),
                intValue(list, TagFromName.InstanceNumber, 0),
                intValue(list, TagFromName.SeriesNumber, 0),
                string(list, TagFromName.Manufacturer),
                string(list, TagFromName.ManufacturerModelName),
                doubleValue(list, new AttributeTag(0x0018, 0x0060), Double.NaN),
                string(list, TagFromName.BodyPartExamined),
                overlayHeaders(list),
                pixelOffset,
                truncated);
    }

    private static List<OverlayInfo> overlayHeaders(AttributeList list) {
        List<OverlayInfo> overlays = new ArrayList<>();
        for (int g = 0x6000; g <= 0x601E; g += 2) {
            Attribute rows = list.get(new AttributeTag(g, 0x0010));
            Attribute data = list.get(new AttributeTag(g, 0x3000));
            Attribute bitsAllocated = list.get(new AttributeTag(g, 0x0100));
            if (rows == null && data == null && bitsAllocated == null) {
                continue;
            }
            int[] origin = ints(list, new AttributeTag(g, 0x0050));
            overlays.add(new OverlayInfo(g,
                    intValue(list, new AttributeTag(g, 0x0010), 0),
                    intValue(list, new AttributeTag(g, 0x0011), 0),
                    origin.length > 0 ? origin[0] : 1,
                    origin.length > 1 ? origin[1] : 1,
                    intValue(list, new AttributeTag(g, 0x0100), 1),
                    intValue(list, new AttributeTag(g, 0x0102), 0),
                    Math.max(1, intValue(list, new AttributeTag(g, 0x0015), 1)),
                    string(list, new AttributeTag(g, 0x0040)),
                    data == null ? 0 : data.getVL() * 8));
        }
        return List.copyOf(overlays);
    }

    // ---------------------------------------------------------------- pixels

    /** The largest image read: 1 GiB of stored pixels (a 512x512 CT slice is 0.5 MiB). */
    private static final long MAX_PIXEL_BYTES = 1L << 30;

    @Override
    public DicomImage readImage(Path file) throws IOException, DicomFormatException {
        checkBeforeAllocating(file);
        AttributeList list = new AttributeList();
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
                DicomInputStream in = new DicomInputStream(raw)) {
            list.read(in);
        } catch (EOFException e) {
            throw new DicomFormatException("truncated file", e);
        } catch (DicomException | RuntimeException | OutOfMemoryError e) {
            throw new DicomFormatException("cannot decode (" + why(e) + ")", e);
        }
        InstanceHeader h = header(list, 0, false);
        if (h.frames() != 1) {
            throw new DicomFormatException("multi-frame images are not supported (" + h.frames() + " frames)");
        }
        if (h.samplesPerPixel() != 1 || !h.photometric().startsWith("MONOCHROME")) {
            throw new DicomFormatException("not a greyscale image (photometric " + h.photometric() + ")");
        }
        Attribute pixelData = list.getPixelData();
        if (pixelData == null) {
            throw new DicomFormatException("no pixel data");
        }
        int n = Math.multiplyExact(h.rows(), h.columns());
        int[] storedWords;
        try {
            storedWords = words(pixelData, h.bitsAllocated(), n);
        } catch (DicomException e) {
            throw new DicomFormatException("cannot decode pixel data (" + why(e) + ")", e);
        }
        int shift = Math.max(0, h.highBit() + 1 - h.bitsStored());
        int[] stored = new int[n];
        for (int i = 0; i < n; i++) {
            stored[i] = maskStored(storedWords[i] >>> shift, h.bitsStored(), h.pixelRepresentation());
        }
        List<OverlayPlane> planes = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        for (OverlayInfo info : h.overlays()) {
            OverlayPlane plane = overlayPlane(list, info, h, storedWords, warnings);
            if (plane != null) {
                planes.add(plane);
            }
        }
        return new DicomImage(h, stored, List.copyOf(planes), List.copyOf(warnings));
    }

    /**
     * Rows x columns x frames x samples x bits, and the Pixel Data element's own length, are checked against a limit
     * and against the file before PixelMed reads the file (it allocates what the element's length says): a header
     * that promises more than the file holds is "truncated", one beyond the limit "too large", both without
     * allocating anything (issue 16, item 7).
     */
    private void checkBeforeAllocating(Path file) throws IOException, DicomFormatException {
        InstanceHeader h = readHeader(file);
        long bytes = (long) h.rows() * h.columns() * h.frames() * h.samplesPerPixel()
                * Math.max(1, h.bitsAllocated()) / 8;
        if (h.rows() < 0 || h.columns() < 0 || bytes > MAX_PIXEL_BYTES) {
            throw new DicomFormatException("image too large: " + h.rows() + " rows x " + h.columns() + " columns x "
                    + h.frames() + " frames (" + bytes + " bytes; limit " + MAX_PIXEL_BYTES + ")");
        }
        if (h.truncated()) {
            throw new DicomFormatException("truncated file: shorter than its " + h.rows() + "x" + h.columns()
                    + " pixel data");
        }
        if (h.hasPixelData() && !TransferSyntaxes.DEFLATED_LE.equals(h.transferSyntaxUid())) {
            long size = Files.size(file);
            long length = pixelDataLength(file, h);
            if (length != 0xffffffffL && length > size - h.pixelDataOffset()) {
                throw new DicomFormatException("truncated file: pixel data element of " + length
                        + " bytes does not fit the file");
            }
        }
    }

    /** The Pixel Data element's value length (0xffffffff: undefined, encapsulated), read after its tag. */
    private static long pixelDataLength(Path file, InstanceHeader h) throws IOException {
        byte[] b = new byte[8];
        try (var ch = Files.newByteChannel(file)) {
            ch.position(h.pixelDataOffset());
            java.nio.ByteBuffer buf = java.nio.ByteBuffer.wrap(b);
            while (buf.hasRemaining() && ch.read(buf) > 0) {
                // 8 bytes
            }
        }
        String ts = h.transferSyntaxUid();
        java.nio.ByteOrder order = TransferSyntaxes.EXPLICIT_BE.equals(ts) ? java.nio.ByteOrder.BIG_ENDIAN
                : java.nio.ByteOrder.LITTLE_ENDIAN;
        java.nio.ByteBuffer v = java.nio.ByteBuffer.wrap(b).order(order);
        if (TransferSyntaxes.IMPLICIT_LE.equals(ts)) {
            return v.getInt(0) & 0xffffffffL;
        }
        return v.getInt(4) & 0xffffffffL;
    }

    /** Masks a stored value to its {@code bitsStored} low bits and sign-extends when the representation is signed. */
    public static int maskStored(int value, int bitsStored, int pixelRepresentation) {
        if (bitsStored >= 32) {
            return value;
        }
        int masked = value & ((1 << bitsStored) - 1);
        if (pixelRepresentation == 1 && (masked & (1 << (bitsStored - 1))) != 0) {
            masked -= 1 << bitsStored;
        }
        return masked;
    }

    /** The pixel words of frame 1, unsigned, unmasked (high bits still there for embedded overlays). */
    private static int[] words(Attribute pixelData, int bitsAllocated, int n) throws DicomException, DicomFormatException {
        int[] out = new int[n];
        if (bitsAllocated == 16) {
            short[] v = pixelData.getShortValues();
            if (v == null || v.length < n) {
                throw new DicomFormatException("pixel data shorter than rows x columns");
            }
            for (int i = 0; i < n; i++) {
                out[i] = v[i] & 0xFFFF;
            }
        } else if (bitsAllocated == 8) {
            byte[] v = pixelData.getByteValues();
            if (v == null || v.length < n) {
                throw new DicomFormatException("pixel data shorter than rows x columns");
            }
            for (int i = 0; i < n; i++) {
                out[i] = v[i] & 0xFF;
            }
        } else if (bitsAllocated == 32) {
            int[] v = pixelData.getIntegerValues();
            if (v == null || v.length < n) {
                throw new DicomFormatException("pixel data shorter than rows x columns");
            }
            System.arraycopy(v, 0, out, 0, n);
        } else {
            throw new DicomFormatException("unsupported BitsAllocated " + bitsAllocated);
        }
        return out;
    }

    private static OverlayPlane overlayPlane(AttributeList list, OverlayInfo info, InstanceHeader h, int[] words,
            List<String> warnings) {
        String g = "overlay group " + info.groupHex() + ": ";
        if (info.rows() <= 0 || info.columns() <= 0) {
            warnings.add(g + "no rows/columns: skipped");
            return null;
        }
        int n = info.rows() * info.columns();
        boolean[] bits = new boolean[n];
        if (info.hasOverlayData()) {
            Attribute data = list.get(new AttributeTag(info.group(), 0x3000));
            try {
                String vr = data.getVRAsString();
                if ("OW".equals(vr)) {
                    short[] w = data.getShortValues();
                    if ((long) w.length * 16 < n) {
                        warnings.add(g + "overlay data holds " + (long) w.length * 16 + " bits, fewer than its "
                                + info.rows() + "x" + info.columns() + " raster: skipped");
                        return null;
                    }
                    for (int i = 0; i < n; i++) {
                        bits[i] = ((w[i >>> 4] >>> (i & 15)) & 1) != 0;
                    }
                } else {
                    byte[] b = data.getByteValues();
                    if ((long) b.length * 8 < n) {
                        warnings.add(g + "overlay data holds " + (long) b.length * 8 + " bits, fewer than its "
                                + info.rows() + "x" + info.columns() + " raster: skipped");
                        return null;
                    }
                    for (int i = 0; i < n; i++) {
                        bits[i] = ((b[i >>> 3] >>> (i & 7)) & 1) != 0;
                    }
                }
            } catch (DicomException | RuntimeException e) {
                warnings.add(g + "unreadable overlay data: skipped");
                return null;
            }
        } else if (info.embeddedInPixelData()) {
            if (info.rows() != h.rows() || info.columns() != h.columns()) {
                warnings.add(g + "embedded overlay size " + info.rows() + "x" + info.columns()
                        + " differs from the image: skipped");
                return null;
            }
            int bit = info.bitPosition();
            if (bit < h.highBit() + 1 - h.bitsStored() + h.bitsStored() && bit >= h.highBit() + 1 - h.bitsStored()) {
                warnings.add(g + "bit position " + bit + " lies inside the stored pixel bits: skipped");
                return null;
            }
            if (bit >= h.bitsAllocated()) {
                warnings.add(g + "bit position " + bit + " beyond BitsAllocated: skipped");
                return null;
            }
            for (int i = 0; i < n; i++) {
                bits[i] = ((words[i] >>> bit) & 1) != 0;
            }
        } else {
            warnings.add(g + "header without overlay data (60xx,3000) or embedded bits: skipped");
            return null;
        }
        if (info.frames() > 1) {
            warnings.add(g + "multi-frame overlay: only its first frame is used");
        }
        return new OverlayPlane(info, bits);
    }

    // ---------------------------------------------------------------- DICOMDIR

    @Override
    public DicomDirContents readDicomDir(Path dicomdir) throws IOException, DicomFormatException {
        return PixelMedDicomDir.read(dicomdir);
    }
}
