package org.deepstroke.reporting;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** A tab-separated table with a header line, as every stage writes them. */
record Tsv(List<String> header, List<List<String>> rows) {

    static Tsv read(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        if (lines.isEmpty()) {
            return new Tsv(List.of(), List.of());
        }
        List<List<String>> rows = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            if (!line.isEmpty()) {
                rows.add(List.of(line.split("\t", -1)));
            }
        }
        return new Tsv(List.of(lines.get(0).split("\t", -1)), rows);
    }

    /** Rows as column name to value (missing cells are empty). */
    List<Map<String, String>> records() {
        List<Map<String, String>> records = new ArrayList<>();
        for (List<String> row : rows) {
            Map<String, String> record = new HashMap<>();
            for (int i = 0; i < header.size(); i++) {
                record.put(header.get(i), i < row.size() ? row.get(i) : "");
            }
            records.add(record);
        }
        return records;
    }
}
