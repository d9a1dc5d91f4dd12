package org.deepstroke.core.aspects;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.deepstroke.core.cli.ToolFailure;
import org.deepstroke.core.io.AtomicFiles;
import org.deepstroke.core.io.TsvTable;

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
        TsvTable.Table table = TsvTable.read(file, "label");
        if (table.header().isEmpty()) {
            throw new ToolFailure(file, "empty label table");
        }
        int idCol = column(file, table.header(), "id");
        int regionCol = column(file, table.header(), "region");
        int sideCol = column(file, table.header(), "hemisphere");
        Map<AspectsRegion, Integer> ids = new LinkedHashMap<>();
        List<Integer> seen = new ArrayList<>();
        for (TsvTable.Row row : table.rows()) {
            AspectsRegion region = AspectsRegion.find(row.get(regionCol), row.get(sideCol)).orElseThrow(() ->
                    table.failure(row, "unknown ASPECTS region '" + row.get(regionCol) + "' hemisphere '"
                            + row.get(sideCol) + "' (regions: C, L, IC, I, M1..M6; L/R)"));
            int id;
            try {
                id = Integer.parseInt(row.get(idCol));
            } catch (NumberFormatException e) {
                throw table.failure(row, "id '" + row.get(idCol) + "' is not a whole number");
            }
            if (id <= 0 || seen.contains(id)) {
                throw table.failure(row, "id " + id + (id <= 0 ? " must be positive" : " is used twice"));
            }
            if (ids.put(region, id) != null) {
                throw table.failure(row, "region " + region.key() + " is listed twice");
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
