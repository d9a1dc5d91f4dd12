package org.deepstroke.tracking;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.deepstroke.core.cli.ToolFailure;

/**
 * A TSV table as MLflow metrics ({@code deepstroke mlflow-log --metrics-tsv}). Every numeric cell is one metric:
 * <ul>
 *   <li>the step is the row's value in the step column ({@code step}, else {@code epoch}, or the one named), 0
 *       without one;</li>
 *   <li>the name is the column, followed by the row's key cells joined with {@code /} when the table has key
 *       columns (by default the columns holding any non-numeric cell, e.g. {@code subject}, {@code label}):
 *       {@code dice/sub-0001/M1}. Characters MLflow does not take in names become {@code _}.</li>
 * </ul>
 * Empty and {@code NA} cells are skipped; {@code NaN} and {@code Infinity} are logged as such.
 */
public final class MetricsTsv {

    private MetricsTsv() {
    }

    /** Metrics per step, steps ascending, names in table order. */
    public static Map<Long, Map<String, Double>> read(Path file, String stepColumn, List<String> keyColumns)
            throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8).stream()
                .filter(l -> !l.isBlank()).toList();
        if (lines.isEmpty()) {
            throw new ToolFailure(file, "empty table, expected a header line");
        }
        String[] header = lines.get(0).split("\t", -1);
        List<String[]> rows = new ArrayList<>();
        for (int i = 1; i < lines.size(); i++) {
            String[] cells = lines.get(i).split("\t", -1);
            if (cells.length != header.length) {
                throw new ToolFailure(file, "line " + (i + 1) + " has " + cells.length + " cells, the header "
                        + header.length);
            }
            rows.add(cells);
        }
        int step = stepIndex(file, header, stepColumn);
        List<Integer> keys = new ArrayList<>();
        if (keyColumns != null && !keyColumns.isEmpty()) {
            for (String k : keyColumns) {
                keys.add(index(file, header, k));
            }
        } else {
            for (int c = 0; c < header.length; c++) {
                final int col = c;
                if (c != step && rows.stream().anyMatch(r -> !skipped(r[col]) && !numeric(r[col]))) {
                    keys.add(c);
                }
            }
        }
        Map<Long, Map<String, Double>> metrics = new TreeMap<>();
        for (int r = 0; r < rows.size(); r++) {
            String[] row = rows.get(r);
            long s = 0;
            if (step >= 0) {
                try {
                    s = Long.parseLong(row[step].strip());
                } catch (NumberFormatException e) {
                    throw new ToolFailure(file, "line " + (r + 2) + ": step '" + row[step] + "' is not a whole number");
                }
            }
            StringBuilder suffix = new StringBuilder();
            for (int k : keys) {
                suffix.append('/').append(clean(row[k].strip()));
            }
            Map<String, Double> atStep = metrics.computeIfAbsent(s, x -> new LinkedHashMap<>());
            for (int c = 0; c < header.length; c++) {
                if (c == step || keys.contains(c) || skipped(row[c])) {
                    continue;
                }
                if (!numeric(row[c])) {
                    throw new ToolFailure(file, "line " + (r + 2) + ", column " + header[c] + ": '" + row[c]
                            + "' is not a number (name the key columns with --key-columns)");
                }
                String name = clean(header[c].strip()) + suffix;
                if (atStep.put(name, Double.parseDouble(row[c].strip())) != null) {
                    throw new ToolFailure(file, "line " + (r + 2) + ": metric " + name + " at step " + s
                            + " appears twice (add a key column)");
                }
            }
        }
        return metrics;
    }

    private static int stepIndex(Path file, String[] header, String stepColumn) {
        if (stepColumn != null && !stepColumn.isBlank()) {
            return index(file, header, stepColumn);
        }
        for (String name : List.of("step", "epoch")) {
            for (int c = 0; c < header.length; c++) {
                if (header[c].strip().equals(name)) {
                    return c;
                }
            }
        }
        return -1;
    }

    private static int index(Path file, String[] header, String name) {
        for (int c = 0; c < header.length; c++) {
            if (header[c].strip().equals(name)) {
                return c;
            }
        }
        throw new ToolFailure(file, "no column '" + name + "' in the header");
    }

    private static boolean skipped(String cell) {
        String c = cell.strip();
        return c.isEmpty() || c.equals("NA");
    }

    private static boolean numeric(String cell) {
        try {
            Double.parseDouble(cell.strip());
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static String clean(String name) {
        String c = name.replaceAll("[^A-Za-z0-9_\\-. /]", "_").replace("..", "_");
        return c.isEmpty() ? "_" : c;
    }
}
