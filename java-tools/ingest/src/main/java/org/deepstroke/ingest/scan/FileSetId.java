package org.deepstroke.ingest.scan;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.deepstroke.core.cli.ToolFailure;

/**
 * The id a file list names a file-set root by: {@code fs-} + the first 12 hex digits of the SHA-256 of the root's
 * DICOMDIR bytes (of a plain folder without DICOMDIR: of its sorted "relative path TAB size TAB SHA-256 of the
 * file's first 64 KiB" lines, the head holding the header with its UIDs). Names and sizes alone collided: two
 * patients' exports with the same file names and sizes got one id and the second was skipped (issue 16). Derived from
 * content, not from the order the roots were given, so adding a root leaves every other root's id, and so every
 * other series' file list, unchanged (what lets a pipeline -resume rerun only the new subject). Two roots with the
 * same id hold the same export: the scan reads the first and skips the other.
 *
 * <p>Readers also accept the older positional ids {@code fs1, fs2, ...} (the n-th root given).
 */
public final class FileSetId {

    private static final String PATTERN = "fs-[0-9a-f]{12}";
    private static final String POSITIONAL = "fs[1-9][0-9]*";
    /** Bytes of each file hashed for a plain folder's id: a DICOM header (UIDs, patient) lies well within. */
    private static final int HEAD_BYTES = 64 * 1024;

    private FileSetId() {
    }

    public static boolean valid(String id) {
        return id.matches(PATTERN) || id.matches(POSITIONAL);
    }

    /** The id of a root: from its DICOMDIR when it has one (may be null), else from its file listing. */
    public static String of(Path root, Path dicomdir) throws IOException {
        MessageDigest sha = sha256();
        if (dicomdir != null) {
            try (InputStream in = Files.newInputStream(dicomdir)) {
                byte[] buf = new byte[1 << 16];
                for (int n; (n = in.read(buf)) > 0; ) {
                    sha.update(buf, 0, n);
                }
            }
        } else {
            MessageDigest head = sha256();
            byte[] buf = new byte[HEAD_BYTES];
            Path start = root.toRealPath(); // the real folder: an id does not depend on the link a root is staged as
            try (Stream<Path> files = SortedWalk.of(start)) {
                for (Path f : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
                    int n;
                    try (InputStream in = Files.newInputStream(f)) {
                        n = in.readNBytes(buf, 0, HEAD_BYTES);
                    } catch (IOException e) {
                        n = -1; // unreadable: named by path and size only; the scan reports it
                    }
                    String digest = "-";
                    if (n >= 0) {
                        head.update(buf, 0, n);
                        digest = HexFormat.of().formatHex(head.digest());
                    }
                    String line = start.relativize(f).toString().replace('\\', '/') + "\t" + Files.size(f) + "\t"
                            + digest + "\n";
                    sha.update(line.getBytes(StandardCharsets.UTF_8));
                }
            } catch (java.io.UncheckedIOException e) {
                throw e.getCause(); // a folder below the root that cannot be listed
            }
        }
        return "fs-" + HexFormat.of().formatHex(sha.digest()).substring(0, 12);
    }

    /** The id of a root folder, its DICOMDIR found by name as the scan does. */
    public static String of(Path root) throws IOException {
        return of(root, DicomDirScanner.findDicomdir(root));
    }

    /**
     * Roots by id for readers: each value "ID=DIR" (as a pipeline passes them) or a bare "DIR" (its id computed from
     * content); the n-th value also answers to the positional id fs{n}.
     */
    public static Map<String, Path> roots(List<String> values) throws IOException {
        Map<String, Path> out = new LinkedHashMap<>();
        int n = 0;
        for (String v : values) {
            n++;
            int eq = v.indexOf('=');
            String id = eq > 0 && valid(v.substring(0, eq)) ? v.substring(0, eq) : null;
            Path dir = Path.of(id == null ? v : v.substring(eq + 1));
            if (!Files.isDirectory(dir)) {
                throw new ToolFailure(dir, "file-set root is not a folder");
            }
            out.putIfAbsent(id == null ? of(dir) : id, dir);
            out.putIfAbsent("fs" + n, dir);
        }
        return out;
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
