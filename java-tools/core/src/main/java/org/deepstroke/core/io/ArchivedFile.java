package org.deepstroke.core.io;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import org.deepstroke.core.cli.ToolFailure;

/**
 * A file given either as itself or as one entry of a zip archive, such as a template inside a Python wheel: a wheel
 * on a package registry is a pinned, checksummed public download, which the pipeline can stage like any URL.
 *
 * @param file  the file, or the archive holding it
 * @param entry the entry's path inside the archive, or null when {@code file} is the file itself
 */
public record ArchivedFile(Path file, String entry) {

    /** The file itself, or the entry copied into {@code scratch} (same base name, so .nii.gz stays gzip). */
    public Path materialise(Path scratch) throws IOException {
        if (entry == null) {
            return file;
        }
        try (ZipFile zip = new ZipFile(file.toFile())) {
            ZipEntry e = zip.getEntry(entry);
            if (e == null || e.isDirectory()) {
                throw new ToolFailure(file, "the archive has no file entry '" + entry + "'");
            }
            String name = entry.substring(entry.lastIndexOf('/') + 1);
            Path out = scratch.resolve("archived_" + name);
            try (InputStream in = zip.getInputStream(e)) {
                Files.copy(in, out, StandardCopyOption.REPLACE_EXISTING);
            }
            return out;
        } catch (ZipException e) {
            throw new ToolFailure(file, "not a zip archive (an entry inside it was asked for): "
                    + e.getMessage());
        }
    }

    /** For reports: the file, plus {@code !entry} when it comes from an archive. */
    public String describe() {
        return entry == null ? file.toString() : file + "!" + entry;
    }
}
