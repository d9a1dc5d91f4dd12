package org.deepstroke.ingest.dicom;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** DICOM Part 10 files: recognised by the "DICM" magic after the 128-byte preamble. */
public final class Part10 {

    /** Media Storage Directory Storage: the SOP class of a DICOMDIR. */
    public static final String DICOMDIR_SOP_CLASS = "1.2.840.10008.1.3.10";

    private Part10() {
    }

    /** True when {@code file} carries the Part 10 preamble (unreadable files are not DICOM here). */
    public static boolean hasPreamble(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] head = in.readNBytes(132);
            return head.length == 132 && new String(head, 128, 4, StandardCharsets.US_ASCII).equals("DICM");
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * The Media Storage SOP Class UID (0002,0002) of the file meta information, or null when the file has no Part 10
     * meta header. The meta group is always explicit VR little endian, so a few lines read it without a library
     * (and without reading the rest of a large file).
     */
    public static String mediaStorageSopClass(Path file) {
        byte[] head;
        try (InputStream in = Files.newInputStream(file)) {
            head = in.readNBytes(8192);
        } catch (IOException e) {
            return null;
        }
        if (head.length < 132 || !new String(head, 128, 4, StandardCharsets.US_ASCII).equals("DICM")) {
            return null;
        }
        ByteBuffer b = ByteBuffer.wrap(head).order(ByteOrder.LITTLE_ENDIAN);
        int p = 132;
        while (p + 8 <= head.length) {
            int group = b.getShort(p) & 0xffff;
            int element = b.getShort(p + 2) & 0xffff;
            if (group != 0x0002) {
                return null;
            }
            String vr = new String(head, p + 4, 2, StandardCharsets.US_ASCII);
            long length;
            int valueAt;
            if (vr.equals("OB") || vr.equals("OW") || vr.equals("UN") || vr.equals("SQ") || vr.equals("UT")
                    || vr.equals("UC") || vr.equals("UR") || vr.equals("OF") || vr.equals("OD") || vr.equals("OL")) {
                if (p + 12 > head.length) {
                    return null;
                }
                length = b.getInt(p + 8) & 0xffffffffL;
                valueAt = p + 12;
            } else {
                length = b.getShort(p + 6) & 0xffff;
                valueAt = p + 8;
            }
            if (valueAt + length > head.length) {
                return null;
            }
            if (element == 0x0002) {
                return new String(head, valueAt, (int) length, StandardCharsets.US_ASCII).replace("\0", "").strip();
            }
            p = valueAt + (int) length;
        }
        return null;
    }

    /** A DICOMDIR by its meta header's SOP class, or (files without one) by its name. */
    public static boolean isDicomdir(Path file) {
        String sopClass = mediaStorageSopClass(file);
        if (sopClass != null) {
            return sopClass.equals(DICOMDIR_SOP_CLASS);
        }
        return file.getFileName() != null && file.getFileName().toString().equalsIgnoreCase("DICOMDIR");
    }
}
