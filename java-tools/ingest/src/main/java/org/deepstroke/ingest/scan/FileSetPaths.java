package org.deepstroke.ingest.scan;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;

/** Containment of referenced files in their file-set root. */
public final class FileSetPaths {

    private FileSetPaths() {
    }

    /**
     * The file a ReferencedFileID (components) names under {@code root}, or null when it would leave the root: an
     * empty, "." or ".." component, an absolute or drive-letter component, a component holding a separator, or a
     * symbolic link that resolves outside the root. Checks are made on names and links only, so nothing outside the
     * root is ever opened.
     */
    public static Path inside(Path root, List<String> components) throws IOException {
        if (components.isEmpty()) {
            return null;
        }
        Path file = root;
        for (String raw : components) {
            String c = raw == null ? "" : raw.strip();
            if (c.isEmpty() || c.equals(".") || c.equals("..") || c.contains("/") || c.contains("\\")
                    || c.contains(":") || c.indexOf('\0') >= 0) {
                return null;
            }
            file = file.resolve(c);
        }
        Path normalRoot = root.toAbsolutePath().normalize();
        if (!file.toAbsolutePath().normalize().startsWith(normalRoot)) {
            return null;
        }
        if (Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
            Path realRoot = root.toRealPath();
            Path realFile;
            try {
                realFile = file.toRealPath();
            } catch (IOException e) {
                return file; // dangling link: reported as missing by the caller
            }
            if (!realFile.startsWith(realRoot)) {
                return null;
            }
        }
        return file;
    }
}
