package org.deepstroke.evaluation;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.deepstroke.core.cli.ToolFailure;

/**
 * Label ids and short names from the atlas' labels.tsv (columns id, region, hemisphere, ...): id 1 -> "C_L".
 * Without a table, the ids present in the maps are used with their numbers as names.
 */
final class LabelNames {

    private LabelNames() {
    }

    static Map<Integer, String> read(Path tsv) throws IOException {
        List<String> lines = Files.readAllLines(tsv, StandardCharsets.UTF_8);
        if (lines.isEmpty()) {
            throw new ToolFailure(tsv, "empty label table");
        }
        List<String> header = Arrays.asList(lines.get(0).split("\t"));
        int id = header.indexOf("id");
        int region = header.indexOf("region");
        int hemisphere = header.indexOf("hemisphere");
        int name = header.indexOf("name");
        if (id < 0) {
            throw new ToolFailure(tsv, "label table without an 'id' column");
        }
        Map<Integer, String> names = new LinkedHashMap<>();
        for (String line : lines.subList(1, lines.size())) {
            if (line.isBlank()) {
                continue;
            }
            String[] f = line.split("\t", -1);
            try {
                int value = Integer.parseInt(f[id].strip());
                String label = region >= 0 && hemisphere >= 0 ? f[region] + "_" + f[hemisphere]
                        : name >= 0 ? f[name] : Integer.toString(value);
                names.put(value, label);
            } catch (NumberFormatException | ArrayIndexOutOfBoundsException e) {
                throw new ToolFailure(tsv, "bad label row '" + line + "'");
            }
        }
        return names;
    }
}
