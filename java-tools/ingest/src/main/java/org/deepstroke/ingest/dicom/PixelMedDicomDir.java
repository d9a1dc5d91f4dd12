package org.deepstroke.ingest.dicom;

import static org.deepstroke.ingest.dicom.DicomAttributes.longValue;
import static org.deepstroke.ingest.dicom.DicomAttributes.string;
import static org.deepstroke.ingest.dicom.DicomAttributes.strings;
import static org.deepstroke.ingest.dicom.DicomAttributes.why;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.DicomInputStream;
import com.pixelmed.dicom.SequenceAttribute;
import com.pixelmed.dicom.SequenceItem;
import com.pixelmed.dicom.TagFromName;
import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads a DICOMDIR with PixelMed: its directory records, the hierarchy from the records' offsets (or, when those are
 * unusable, from their order), and a record sequence cut short is an error, never a quiet partial list.
 */
final class PixelMedDicomDir {

    private static final AttributeTag REFERENCED_FILE_ID = new AttributeTag(0x0004, 0x1500);
    private static final AttributeTag RECORD_TYPE = new AttributeTag(0x0004, 0x1430);
    private static final AttributeTag NEXT_RECORD = new AttributeTag(0x0004, 0x1400);
    private static final AttributeTag LOWER_LEVEL = new AttributeTag(0x0004, 0x1420);
    private static final AttributeTag ROOT_FIRST = new AttributeTag(0x0004, 0x1200);
    private static final AttributeTag REFERENCED_SOP = new AttributeTag(0x0004, 0x1511);
    static final AttributeTag RECORD_SEQUENCE = new AttributeTag(0x0004, 0x1220);

    private PixelMedDicomDir() {
    }

    /** The directory records of a DICOMDIR, each with its referenced file, series and SOP instance. */
    static DicomDirContents read(Path dicomdir) throws IOException, DicomFormatException {
        AttributeList list = new AttributeList();
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(dicomdir), 1 << 16);
                DicomInputStream in = new DicomInputStream(raw)) {
            list.read(in);
        } catch (EOFException e) {
            throw new DicomFormatException("truncated DICOMDIR", e);
        } catch (OutOfMemoryError e) {
            throw new DicomFormatException(tooLargeForHeap(dicomdir) ? String.format(Locale.ROOT,
                    "too large for this Java heap (%.1f MB file, heap %d MB; PixelMed holds ~15x the file: give more "
                    + "with DEEPSTROKE_JAVA_OPTS=-Xmx...)", Files.size(dicomdir) / 1048576.0,
                    Runtime.getRuntime().maxMemory() >> 20) : "DICOMDIR not readable (" + why(e) + ")", e);
        } catch (DicomException | RuntimeException e) {
            throw new DicomFormatException("DICOMDIR not readable (" + why(e) + ")", e);
        }
        Attribute seq = list.get(RECORD_SEQUENCE);
        List<String> warnings = new ArrayList<>();
        if (!(seq instanceof SequenceAttribute records)) {
            throw new DicomFormatException("no directory record sequence: not a DICOMDIR");
        }
        int count = records.getNumberOfItems();
        if (count > 0) {
            String cut = cutShort(dicomdir, records);
            if (cut != null) {
                throw new DicomFormatException(cut);
            }
        }
        List<AttributeList> items = new ArrayList<>(count);
        Map<Long, Integer> byOffset = new HashMap<>();
        for (int i = 0; i < count; i++) {
            SequenceItem item = records.getItem(i);
            items.add(item.getAttributeList());
            byOffset.put(item.getByteOffset(), i);
        }
        if (count == 0) {
            warnings.add("empty DICOMDIR: no directory records");
            return new DicomDirContents(List.of(), warnings);
        }
        int[] parent = parentsFromOffsets(list, items, byOffset);
        if (parent == null) {
            warnings.add("DICOMDIR offsets unusable (missing, out of range or cyclic): hierarchy taken from record order");
            parent = parentsFromOrder(items);
        }
        List<DicomDirRecord> out = new ArrayList<>();
        Set<String> unknownTypes = new HashSet<>();
        for (int i = 0; i < count; i++) {
            AttributeList item = items.get(i);
            String type = string(item, RECORD_TYPE).toUpperCase(Locale.ROOT);
            if (!KNOWN_TYPES.contains(type)) {
                unknownTypes.add(type.isEmpty() ? "(none)" : type);
            }
            String[] fileId = strings(item, REFERENCED_FILE_ID);
            if (fileId.length == 0) {
                continue;
            }
            String series = null;
            for (int p = parent[i]; p >= 0; p = parent[p]) {
                if ("SERIES".equals(string(items.get(p), RECORD_TYPE).toUpperCase(Locale.ROOT))) {
                    series = string(items.get(p), TagFromName.SeriesInstanceUID);
                    break;
                }
            }
            String sop = string(item, REFERENCED_SOP);
            out.add(new DicomDirRecord(type, Arrays.asList(fileId), series == null || series.isEmpty() ? null : series,
                    sop.isEmpty() ? null : sop));
        }
        if (!unknownTypes.isEmpty()) {
            warnings.add("directory records of unknown type " + new TreeSet<>(unknownTypes)
                    + " (kept; series are grouped from the instances' own headers)");
        }
        return new DicomDirContents(List.copyOf(out), List.copyOf(warnings));
    }

    /**
     * Whether running out of memory on this DICOMDIR means the heap, not a bogus element length: PixelMed's
     * attribute tree takes about 15 times the file (measured: 344 bytes per record on disk, ~5 KB in the heap), so
     * a file whose tree would fill half the heap is simply too large for it.
     */
    private static boolean tooLargeForHeap(Path dicomdir) throws IOException {
        return Files.size(dicomdir) * 15 > Runtime.getRuntime().maxMemory() / 2;
    }

    /**
     * Why the record sequence was not read whole, or null. PixelMed stops quietly at a DICOMDIR cut short (it logs
     * the error and returns the records read so far), so the sequence's extent is checked against the file: a
     * defined length must end within the file; an undefined one must be closed by its sequence delimitation item
     * (FFFE,E0DD) after the last record.
     */
    private static String cutShort(Path dicomdir, SequenceAttribute records) throws IOException {
        long size = Files.size(dicomdir);
        long first = records.getItem(0).getByteOffset();
        long last = records.getItem(records.getNumberOfItems() - 1).getByteOffset();
        long vl = sequenceLength(dicomdir, first);
        if (vl >= 0 && vl != 0xffffffffL) {
            return first + vl > size ? "truncated DICOMDIR: record sequence ends beyond the file (" + size
                    + " bytes)" : null;
        }
        byte[] tail;
        try (var ch = Files.newByteChannel(dicomdir)) {
            ch.position(last);
            java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate((int) Math.min(size - last, Integer.MAX_VALUE - 8));
            while (b.hasRemaining() && ch.read(b) > 0) {
                // read the rest of the file from the last record on
            }
            tail = b.array();
        }
        for (int i = 0; i + 8 <= tail.length; i++) {
            boolean le = (tail[i] & 0xff) == 0xFE && (tail[i + 1] & 0xff) == 0xFF && (tail[i + 2] & 0xff) == 0xDD
                    && (tail[i + 3] & 0xff) == 0xE0;
            boolean be = (tail[i] & 0xff) == 0xFF && (tail[i + 1] & 0xff) == 0xFE && (tail[i + 2] & 0xff) == 0xE0
                    && (tail[i + 3] & 0xff) == 0xDD;
            if (le || be) {
                return null;
            }
        }
        return "truncated DICOMDIR: the record sequence is not closed (file cut short after " + size + " bytes)";
    }

    /**
     * The value length of the record sequence (0004,1220), read from the element header just before its first item
     * (PixelMed does not keep it): explicit VR (12 bytes: tag, "SQ", 2 reserved, length) in either byte order, or
     * implicit VR (8 bytes). -1 when neither layout is there.
     */
    private static long sequenceLength(Path dicomdir, long firstItem) throws IOException {
        if (firstItem < 12) {
            return -1;
        }
        byte[] h = new byte[12];
        try (var ch = Files.newByteChannel(dicomdir)) {
            ch.position(firstItem - 12);
            java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(h);
            while (b.hasRemaining() && ch.read(b) > 0) {
                // 12 bytes
            }
        }
        java.nio.ByteBuffer le = java.nio.ByteBuffer.wrap(h).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        java.nio.ByteBuffer be = java.nio.ByteBuffer.wrap(h).order(java.nio.ByteOrder.BIG_ENDIAN);
        boolean sq = h[4] == 'S' && h[5] == 'Q';
        if (sq && le.getShort(0) == 0x0004 && le.getShort(2) == 0x1220) {
            return le.getInt(8) & 0xffffffffL;
        }
        if (sq && be.getShort(0) == 0x0004 && be.getShort(2) == 0x1220) {
            return be.getInt(8) & 0xffffffffL;
        }
        if (le.getShort(4) == 0x0004 && le.getShort(6) == 0x1220) {
            return le.getInt(8) & 0xffffffffL;
        }
        return -1;
    }

    private static final Set<String> KNOWN_TYPES = Set.of("PATIENT", "STUDY", "SERIES", "IMAGE", "RT DOSE",
            "RT STRUCTURE SET", "RT PLAN", "RT TREAT RECORD", "PRESENTATION", "WAVEFORM", "SR DOCUMENT",
            "KEY OBJECT DOC", "SPECTROSCOPY", "RAW DATA", "REGISTRATION", "FIDUCIAL", "HANGING PROTOCOL",
            "ENCAP DOC", "HL7 STRUC DOC", "VALUE MAP", "STEREOMETRIC", "PALETTE", "IMPLANT", "IMPLANT ASSY",
            "IMPLANT GROUP", "PLAN", "MEASUREMENT", "SURFACE", "SURFACE SCAN", "TRACT", "ASSESSMENT",
            "RADIOTHERAPY", "ANNOTATION", "PRIVATE");

    /**
     * Parent index of each record from the offsets (root first record, next and lower-level pointers); null when
     * any pointer is missing, points nowhere, revisits a record or leaves records unreached.
     */
    private static int[] parentsFromOffsets(AttributeList list, List<AttributeList> items, Map<Long, Integer> byOffset) {
        int n = items.size();
        int[] parent = new int[n];
        Arrays.fill(parent, -2);
        long first = longValue(list, ROOT_FIRST, -1);
        Integer start = byOffset.get(first);
        if (start == null) {
            return null;
        }
        // Iterative walk: (record, parent) pairs.
        List<int[]> stack = new ArrayList<>();
        stack.add(new int[] {start, -1});
        int visited = 0;
        while (!stack.isEmpty()) {
            int[] top = stack.remove(stack.size() - 1);
            for (int r = top[0]; ; ) {
                if (parent[r] != -2) {
                    return null; // cycle or shared record
                }
                parent[r] = top[1];
                visited++;
                long lower = longValue(items.get(r), LOWER_LEVEL, -1);
                if (lower > 0) {
                    Integer child = byOffset.get(lower);
                    if (child == null) {
                        return null;
                    }
                    stack.add(new int[] {child, r});
                } else if (lower < 0 && strings(items.get(r), REFERENCED_FILE_ID).length == 0) {
                    return null; // a non-leaf record without its lower-level offset
                }
                long next = longValue(items.get(r), NEXT_RECORD, -1);
                if (next < 0) {
                    return null;
                }
                if (next == 0) {
                    break;
                }
                Integer sibling = byOffset.get(next);
                if (sibling == null) {
                    return null;
                }
                r = sibling;
            }
        }
        return visited == n ? parent : null;
    }

    /** Fallback hierarchy: each record's parent is the nearest earlier record of a higher level. */
    private static int[] parentsFromOrder(List<AttributeList> items) {
        int[] parent = new int[items.size()];
        int[] lastAtLevel = {-1, -1, -1, -1};
        for (int i = 0; i < items.size(); i++) {
            String type = string(items.get(i), RECORD_TYPE).toUpperCase(Locale.ROOT);
            int level = switch (type) {
                case "PATIENT" -> 0;
                case "STUDY" -> 1;
                case "SERIES" -> 2;
                default -> strings(items.get(i), REFERENCED_FILE_ID).length > 0 ? 3 : 0;
            };
            int p = -1;
            for (int l = level - 1; l >= 0; l--) {
                if (lastAtLevel[l] >= 0) {
                    p = lastAtLevel[l];
                    break;
                }
            }
            parent[i] = p;
            lastAtLevel[level] = i;
            for (int l = level + 1; l < lastAtLevel.length; l++) {
                lastAtLevel[l] = -1;
            }
        }
        return parent;
    }
}
