package org.deepstroke.ingest.scan;

import com.carrotsearch.hppc.ByteArrayList;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Every scanned instance's (root id, relative path) packed into one growing byte array: a handle (the record's
 * offset) costs 8 bytes and the path its UTF-8 length plus 2-3, where a {@code String} and its record cost about
 * 100 (issue 16 item 11: the scan held several KB per instance and 20,000 instances did not fit 128 MB). Root ids
 * are stored once, as small indices. Records: varint root index, varint byte length, the path's UTF-8 bytes.
 */
final class PathPool {

    private final ByteArrayList bytes = new ByteArrayList(1 << 16);
    private final List<String> roots = new ArrayList<>();
    private final Map<String, Integer> rootIndex = new HashMap<>();

    /** Stores one instance's root id and path; returns its handle. */
    long add(String root, String path) {
        long handle = bytes.size();
        int r = rootIndex.computeIfAbsent(root, k -> {
            roots.add(k);
            return roots.size() - 1;
        });
        byte[] utf8 = path.getBytes(StandardCharsets.UTF_8);
        varint(r);
        varint(utf8.length);
        bytes.add(utf8, 0, utf8.length);
        return handle;
    }

    /** The root id and path stored under {@code handle}; {@code position} is passed through to the entry. */
    SeriesFiles.Entry entry(long handle, double position) {
        int[] at = {(int) handle};
        int r = readVarint(at);
        int length = readVarint(at);
        String path = new String(bytes.buffer, at[0], length, StandardCharsets.UTF_8);
        return new SeriesFiles.Entry(roots.get(r), path, position);
    }

    /** Bytes held (the array may be up to 50 % larger while it grows). */
    long size() {
        return bytes.size();
    }

    private void varint(int v) {
        while ((v & ~0x7f) != 0) {
            bytes.add((byte) ((v & 0x7f) | 0x80));
            v >>>= 7;
        }
        bytes.add((byte) v);
    }

    private int readVarint(int[] at) {
        int v = 0;
        for (int shift = 0;; shift += 7) {
            byte b = bytes.buffer[at[0]++];
            v |= (b & 0x7f) << shift;
            if ((b & 0x80) == 0) {
                return v;
            }
        }
    }
}
