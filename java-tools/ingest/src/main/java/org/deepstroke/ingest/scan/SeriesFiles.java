package org.deepstroke.ingest.scan;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.deepstroke.core.cli.ToolFailure;
import org.deepstroke.core.cli.UsageError;

/**
 * The per-series instance list {@code series/<series-key>.files} the scan writes and dicom-to-nifti /
 * overlay-extract read: one line per instance, sorted by position along the slice normal, as
 * {@code <root-id> TAB <path relative to that file-set root> TAB <position mm>}. Root ids come from the root's
 * content ({@link FileSetId}: {@code fs-} + 12 hex digits), so a list does not change when other roots are added or
 * reordered; readers get the roots as {@code id=folder} (or bare folders, ids computed alike). Paths rather
 * than UIDs: PACS exports name files opaquely (DICOM/S21570/S2010/I10), and the manifest itself stays free of them.
 */
public final class SeriesFiles {

    public static final String HEADER = "#deepstroke-series-files v1\troot\tpath\tposition_mm";

    /** One listed instance. */
    public record Entry(String root, String path, double positionMm) {
    }

    private SeriesFiles() {
    }

    public static String format(List<Entry> entries) {
        StringBuilder sb = new StringBuilder(HEADER).append('\n');
        for (Entry e : entries) {
            sb.append(e.root()).append('\t').append(e.path()).append('\t')
                    .append(Double.isNaN(e.positionMm()) ? "" : String.format(java.util.Locale.ROOT, "%.4f",
                            e.positionMm())).append('\n');
        }
        return sb.toString();
    }

    public static List<Entry> read(Path file) throws IOException {
        List<Entry> out = new ArrayList<>();
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        if (lines.isEmpty() || !lines.get(0).startsWith("#deepstroke-series-files v1")) {
            throw new ToolFailure(file, "not a deepstroke series file list (first line " + HEADER.split("\t")[0] + ")");
        }
        for (String line : lines.subList(1, lines.size())) {
            if (line.isBlank()) {
                continue;
            }
            String[] cells = line.split("\t", -1);
            if (cells.length < 2 || !FileSetId.valid(cells[0])) {
                throw new ToolFailure(file, "malformed line: " + line);
            }
            double pos = cells.length > 2 && !cells[2].isBlank() ? Double.parseDouble(cells[2]) : Double.NaN;
            out.add(new Entry(cells[0], cells[1], pos));
        }
        return out;
    }

    /** {@link #resolve(List, Map)} with bare root folders (ids computed from their content). */
    public static List<Path> resolve(List<Entry> entries, List<Path> roots) throws IOException {
        return resolve(entries, FileSetId.roots(roots.stream().map(Path::toString).toList()));
    }

    /**
     * Resolves entries against the roots (by id), refusing any path that leaves its root (".." or absolute
     * parts, or a symbolic link pointing outside): nothing outside a root is opened.
     */
    public static List<Path> resolve(List<Entry> entries, Map<String, Path> roots) throws IOException {
        List<Path> files = new ArrayList<>(entries.size());
        for (Entry e : entries) {
            Path root = roots.get(e.root());
            if (root == null) {
                throw new UsageError("the file list names file-set " + e.root() + " but no --root has that id "
                        + "(give --root " + e.root() + "=DIR, or the folder whose DICOMDIR the scan read)");
            }
            Path file = FileSetPaths.inside(root, List.of(e.path().split("/")));
            if (file == null) {
                throw new ToolFailure(Path.of(e.path()), "path leaves its file-set root: refused");
            }
            files.add(file);
        }
        return files;
    }
}
