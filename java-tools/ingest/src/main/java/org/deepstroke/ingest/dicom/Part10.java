package org.deepstroke.ingest.dicom;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** DICOM Part 10 files: recognised by the "DICM" magic after the 128-byte preamble. */
public final class Part10 {

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
}
