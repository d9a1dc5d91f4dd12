package org.deepstroke.dist;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitOption;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import java.util.zip.Inflater;

/**
 * Looks for patient identifiers in files as a reviewer would: every byte of every file, plus what compression hides
 * (gzip members such as .nii.gz headers and extensions, PNG zTXt/iTXt text chunks). Needles are matched in UTF-8 and
 * ISO 8859-1 (the DICOM default character set) alike; "loose" needles also case-insensitively.
 */
final class PhiScanner {

    /** A needle: the text, and whether it may appear in any letter case. */
    record Needle(String text, boolean anyCase) {
    }

    /** One identifier found: which, where. */
    record Finding(Needle needle, Path file, String where) {
        @Override
        public String toString() {
            return "'" + needle.text() + "' in " + file + " (" + where + ")";
        }
    }

    private final Set<Needle> needles;

    PhiScanner(Set<Needle> needles) {
        this.needles = needles;
    }

    /** Forms a DICOM person name (FAMILY^GIVEN^MIDDLE...) takes in text: as stored, "GIVEN FAMILY", "FAMILY, GIVEN". */
    static Set<Needle> nameForms(String dicomName) {
        Set<Needle> forms = new LinkedHashSet<>();
        String name = dicomName.trim();
        if (name.replace("^", "").length() < 6) {
            return forms; // e.g. the Philips phantom's "HEAD": no identifier, and an ordinary word in CT metadata
        }
        forms.add(new Needle(name, true));
        String[] parts = name.split("\\^");
        if (parts.length >= 2 && !parts[0].isBlank() && !parts[1].isBlank()) {
            forms.add(new Needle(parts[1] + " " + parts[0], true));
            forms.add(new Needle(parts[0] + " " + parts[1], true));
            forms.add(new Needle(parts[0] + ", " + parts[1], true));
        }
        // a family name alone, in the capitals DICOM stores it in, when long enough not to occur by chance
        if (parts[0].length() >= 6) {
            forms.add(new Needle(parts[0], false));
        }
        return forms;
    }

    /** A DICOM date (YYYYMMDD) as written in DICOM, ISO and day-first forms. */
    static Set<Needle> dateForms(String dicomDate) {
        Set<Needle> forms = new LinkedHashSet<>();
        String d = dicomDate.trim();
        if (d.matches("\\d{8}")) {
            forms.add(new Needle(d, false));
            forms.add(new Needle(d.substring(0, 4) + "-" + d.substring(4, 6) + "-" + d.substring(6), false));
            forms.add(new Needle(d.substring(6) + "." + d.substring(4, 6) + "." + d.substring(0, 4), false));
            forms.add(new Needle(d.substring(6) + "/" + d.substring(4, 6) + "/" + d.substring(0, 4), false));
        }
        return forms;
    }

    List<Finding> scanTree(Path root, Predicate<Path> include) throws IOException {
        List<Finding> findings = new ArrayList<>();
        if (!Files.exists(root)) {
            return findings;
        }
        List<Path> files;
        // symbolic links are not followed: task folders link their staged inputs (the DICOM itself)
        try (Stream<Path> walk = Files.walk(root, Integer.MAX_VALUE, new FileVisitOption[0])) {
            files = walk.filter(p -> Files.isRegularFile(p, java.nio.file.LinkOption.NOFOLLOW_LINKS))
                    .filter(include).sorted().toList();
        }
        for (Path file : files) {
            findings.addAll(scanFile(file));
        }
        return findings;
    }

    List<Finding> scanFile(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        List<Finding> findings = new ArrayList<>(scan(bytes, file, "bytes"));
        if (bytes.length > 2 && (bytes[0] & 0xff) == 0x1f && (bytes[1] & 0xff) == 0x8b) {
            findings.addAll(scan(gunzip(bytes), file, "gzip content"));
        }
        if (bytes.length > 8 && bytes[1] == 'P' && bytes[2] == 'N' && bytes[3] == 'G') {
            for (byte[] text : pngCompressedText(bytes)) {
                findings.addAll(scan(text, file, "PNG compressed text chunk"));
            }
        }
        return findings;
    }

    private List<Finding> scan(byte[] content, Path file, String where) {
        // ISO 8859-1 maps bytes 1:1 to chars, so needles in either encoding are found by plain string search
        String latin1 = new String(content, StandardCharsets.ISO_8859_1);
        String lower = null;
        List<Finding> findings = new ArrayList<>();
        for (Needle needle : needles) {
            for (String form : encodings(needle.text())) {
                boolean hit;
                if (needle.anyCase()) {
                    if (lower == null) {
                        lower = latin1.toLowerCase(Locale.ROOT);
                    }
                    hit = lower.contains(form.toLowerCase(Locale.ROOT));
                } else {
                    hit = latin1.contains(form);
                }
                if (hit) {
                    findings.add(new Finding(needle, file, where));
                    break;
                }
            }
        }
        return findings;
    }

    /** The needle's bytes in UTF-8 and in ISO 8859-1, each seen as ISO 8859-1 text. */
    private static Set<String> encodings(String text) {
        Set<String> forms = new LinkedHashSet<>();
        forms.add(new String(text.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1));
        forms.add(new String(text.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.ISO_8859_1));
        return forms;
    }

    static byte[] gunzip(byte[] bytes) throws IOException {
        try (InputStream in = new GZIPInputStream(new java.io.ByteArrayInputStream(bytes))) {
            return in.readAllBytes();
        } catch (IOException e) {
            return new byte[0]; // not really gzip: the raw bytes were scanned already
        }
    }

    /** The inflated text of every zTXt and iTXt chunk (tEXt is plain and found in the raw bytes). */
    static List<byte[]> pngCompressedText(byte[] png) {
        List<byte[]> texts = new ArrayList<>();
        ByteBuffer buf = ByteBuffer.wrap(png);
        int pos = 8;
        while (pos + 12 <= png.length) {
            int length = buf.getInt(pos);
            String type = new String(png, pos + 4, 4, StandardCharsets.ISO_8859_1);
            int data = pos + 8;
            if (length < 0 || data + length > png.length) {
                break;
            }
            if (type.equals("zTXt") || type.equals("iTXt")) {
                int nul = data;
                while (nul < data + length && png[nul] != 0) {
                    nul++;
                }
                int start = type.equals("zTXt") ? nul + 2 : nul + 3;
                if (type.equals("iTXt") && nul + 1 < data + length && png[nul + 1] == 0) {
                    start = -1; // uncompressed iTXt: plain in the raw bytes
                }
                if (start > 0 && start < data + length) {
                    texts.add(inflate(png, start, data + length - start));
                }
            }
            pos = data + length + 4;
        }
        return texts;
    }

    private static byte[] inflate(byte[] bytes, int offset, int length) {
        Inflater inflater = new Inflater();
        inflater.setInput(bytes, offset, length);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] chunk = new byte[8192];
        try {
            while (!inflater.finished()) {
                int n = inflater.inflate(chunk);
                if (n == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
                    break;
                }
                out.write(chunk, 0, n);
            }
        } catch (java.util.zip.DataFormatException e) {
            // not deflate data: nothing hidden there
        } finally {
            inflater.end();
        }
        return out.toByteArray();
    }

    static Set<Needle> needles(Set<String> names, Set<String> ids, Set<String> dates) {
        Set<Needle> all = new LinkedHashSet<>();
        names.forEach(n -> all.addAll(nameForms(n)));
        ids.stream().filter(i -> i.trim().length() >= 4).forEach(i -> all.add(new Needle(i.trim(), false)));
        dates.forEach(d -> all.addAll(dateForms(d)));
        return all;
    }
}
