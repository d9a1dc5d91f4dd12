package org.deepstroke.core.aspects;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.deepstroke.core.cli.ToolFailure;
import org.deepstroke.core.io.AtomicFiles;

/**
 * The labels.tsv that accompanies every ASPECTS label map: {@code id region hemisphere level name}, one row per
 * region. The same format is accepted as input (--atlas-labels-tsv), with any ids, so an atlas drawn elsewhere can
 * be brought in as long as it names its regions by code and side.
 */
public final class LabelsTsv {

    static final String HEADER = "id\tregion\themisphere\tlevel\tname";

    private LabelsTsv() {
    }

    /** The table for the platform's fixed ids. */
    public static String content() {
        StringBuilder sb = new StringBuilder(HEADER).append('\n');
        for (AspectsRegion r : AspectsRegion.all()) {
            sb.append(r.id()).append('\t').append(r.code()).append('\t').append(r.side()).append('\t')
                    .append(r.level()).append('\t').append(r.description()).append('\n');
        }
        return sb.toString();
    }

    public static void write(Path file) throws IOException {
        AtomicFiles.writeString(file, content());
    }

    /**
     * Reads a label table: a header naming at least {@code id}, {@code region} and {@code hemisphere} columns
     * (any order, extra columns ignored), then one row per label. Every ASPECTS region must appear exactly once.
     *
     * @return the label id used in the file for each region
     */
    public static Map<AspectsRegion, Integer> read(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ToolFailure(file, "cannot read: " + e.getMessage(), e);
        }
        lines.removeIf(String::isBlank);
        if (lines.isEmpty()) {
            throw new ToolFailure(file, "empty label table");
        }
        List<String> header = List.of(lines.get(0).strip().split("\t"));
        int idCol = column(file, header, "id");
        int regionCol = column(file, header, "region");
        int sideCol = column(file, header, "hemisphere");
        Map<AspectsRegion, Integer> ids = new LinkedHashMap<>();
        List<Integer> seen = new ArrayList<>();
        for (int n = 1; n < lines.size(); n++) {
            int line = n; // data rows counted from 1, blank lines skipped
            String[] cells = lines.get(n).split("\t", -1);
            if (cells.length < header.size()) {
                throw new ToolFailure(file, "row " + line + " has " + cells.length + " columns, the header "
                        + header.size());
            }
            AspectsRegion region = AspectsRegion.find(cells[regionCol], cells[sideCol]).orElseThrow(() ->
                    new ToolFailure(file, "row " + line + ": unknown ASPECTS region '" + cells[regionCol].strip()
                            + "' hemisphere '" + cells[sideCol].strip() + "' (regions: C, L, IC, I, M1..M6; L/R)"));
            int id;
            try {
                id = Integer.parseInt(cells[idCol].strip());
            } catch (NumberFormatException e) {
                throw new ToolFailure(file, "row " + line + ": id '" + cells[idCol] + "' is not a whole number");
            }
            if (id <= 0 || seen.contains(id)) {
                throw new ToolFailure(file, "row " + line + ": id " + id + (id <= 0 ? " must be positive"
                        : " is used twice"));
            }
            if (ids.put(region, id) != null) {
                throw new ToolFailure(file, "row " + line + ": region " + region.key() + " is listed twice");
            }
            seen.add(id);
        }
        List<String> missing = AspectsRegion.all().stream().filter(r -> !ids.containsKey(r))
                .map(AspectsRegion::key).toList();
        if (!missing.isEmpty()) {
            throw new ToolFailure(file, "regions missing from the label table: " + String.join(", ", missing));
        }
        return ids;
    }

    private static int column(Path file, List<String> header, String name) {
        for (int i = 0; i < header.size(); i++) {
            if (header.get(i).strip().equalsIgnoreCase(name)) {
                return i;
            }
        }
        throw new ToolFailure(file, "no '" + name + "' column in the header " + header);
    }
}
