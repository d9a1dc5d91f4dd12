package org.deepstroke.ingest.scan;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.deepstroke.core.cli.ToolFailure;
import org.deepstroke.core.cli.UsageError;

/**
 * The per-series instance list {@code series/<series-key>.files} the scan writes and dicom-to-nifti /
 * overlay-extract read: one line per instance, sorted by position along the slice normal, as
 * {@code <root-id> TAB <path relative to that file-set root> TAB <position mm>}. Root ids are {@code fs1, fs2, ...}
 * in the order the roots were given to the scan; the readers get the same roots in the same order. Paths rather
 * than UIDs: PACS exports name files opaquely (DICOM/S21570/S2010/I10), and the manifest itself stays free of them.
 */
public final class SeriesFiles {

    public static final String HEADER = "#deepstroke-series-files v1\troot\tpath\tposition_mm";

    /** One listed instance. */
    public record Entry(int root, String path, double positionMm) {
        public String rootId() {
            return SeriesFiles.rootId(root);
        }
    }

    private SeriesFiles() {
    }

    public static String rootId(int index) {
        return "fs" + (index + 1);
    }

    public static String format(List<Entry> entries) {
        StringBuilder sb = new StringBuilder(HEADER).append('\n');
        for (Entry e : entries) {
            sb.append(e.rootId()).append('\t').append(e.path()).append('\t')
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
            if (cells.length < 2 || !cells[0].matches("fs[1-9][0-9]*")) {
                throw new ToolFailure(file, "malformed line: " + line);
            }
            double pos = cells.length > 2 && !cells[2].isBlank() ? Double.parseDouble(cells[2]) : Double.NaN;
            out.add(new Entry(Integer.parseInt(cells[0].substring(2)) - 1, cells[1], pos));
        }
        return out;
    }

    /**
     * Resolves entries against the roots (index order), refusing any path that leaves its root (".." or absolute
     * parts, or a symbolic link pointing outside): nothing outside a root is opened.
     */
    public static List<Path> resolve(List<Entry> entries, List<Path> roots) throws IOException {
        List<Path> files = new ArrayList<>(entries.size());
        for (Entry e : entries) {
            if (e.root() >= roots.size()) {
                throw new UsageError("the file list names " + e.rootId() + " but only " + roots.size()
                        + " --root given (give the roots in the scan's order)");
            }
            Path root = roots.get(e.root());
            Path file = FileSetPaths.inside(root, List.of(e.path().split("/")));
            if (file == null) {
                throw new ToolFailure(Path.of(e.path()), "path leaves its file-set root: refused");
            }
            files.add(file);
        }
        return files;
    }
}
