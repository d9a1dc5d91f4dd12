package org.deepstroke.evaluation;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.deepstroke.core.cli.ToolFailure;
import org.deepstroke.core.io.TsvTable;

/**
 * Label ids and short names from the atlas' labels.tsv (columns id, region, hemisphere, ...): id 1 -> "C_L".
 * Without a table, the ids present in the maps are used with their numbers as names.
 */
public final class LabelNames {

    private LabelNames() {
    }

    public static Map<Integer, String> read(Path tsv) {
        TsvTable.Table table = TsvTable.read(tsv, "label");
        if (table.header().isEmpty()) {
            throw new ToolFailure(tsv, "empty label table");
        }
        if (!table.has("id")) {
            throw new ToolFailure(tsv, "label table without an 'id' column");
        }
        boolean regions = table.has("region") && table.has("hemisphere");
        Map<Integer, String> names = new LinkedHashMap<>();
        for (TsvTable.Row row : table.rows()) {
            try {
                int value = Integer.parseInt(row.get("id"));
                String label = regions ? row.get("region") + "_" + row.get("hemisphere")
                        : table.has("name") ? row.get("name") : Integer.toString(value);
                names.put(value, label);
            } catch (NumberFormatException e) {
                throw table.failure(row, "bad label id '" + row.get("id") + "'");
            }
        }
        return names;
    }
}
