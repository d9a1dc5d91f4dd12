package org.deepstroke.reporting;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The run summary's section on the lesion x regions ASPECTS paths (results/aspects/lesion-*): per path the ASPECTS
 * agreement with the truth (from &lt;path&gt;_metrics.tsv, method "lesion") and the lesion maps' own quality (from
 * &lt;path&gt;_lesion_metrics.tsv), side by side; the note on what the figures are and are not comparable with is in
 * summary.mustache. Absent when the run had no lesion path.
 */
final class LesionPathSection {

    /** Columns: header, metrics file (ASPECTS evaluation or lesion-map evaluation), metric key. */
    private static final String[][] COLUMNS = {
        {"subjects", "aspects", "lesion.subjects"},
        {"exact", "aspects", "lesion.score.exact_agreement"},
        {"within ±1", "aspects", "lesion.score.within_one"},
        {"kappa (quadratic)", "aspects", "lesion.score.weighted_kappa_quadratic"},
        {"ICC(A,1)", "aspects", "lesion.score.icc_a1"},
        {"region sensitivity", "aspects", "lesion.region_ipsilateral.sensitivity"},
        {"region specificity", "aspects", "lesion.region_ipsilateral.specificity"},
        {"lesion Dice (mean)", "lesion", "lesion_map.dice_mean"},
        {"volume error ml (mean)", "lesion", "lesion_map.volume_error_ml_mean"},
        {"|volume error| ml (mean)", "lesion", "lesion_map.abs_volume_error_ml_mean"},
        {"detection sensitivity", "lesion", "lesion_map.detection_sensitivity"},
        {"detection specificity", "lesion", "lesion_map.detection_specificity"},
    };

    /** The section's table: column headers (after "path") and per path its name and values. */
    record Section(List<String> columns, List<List<String>> rows) {
    }

    private LesionPathSection() {
    }

    /** The section, or null when the run had no lesion path. */
    static Section read(Path results) throws IOException {
        Path aspects = results.resolve("aspects");
        if (!Files.isDirectory(aspects)) {
            return null;
        }
        List<Path> paths = new ArrayList<>();
        try (Stream<Path> s = Files.list(aspects)) {
            s.filter(Files::isDirectory).filter(p -> p.getFileName().toString().startsWith("lesion-")).sorted()
                    .forEach(paths::add);
        }
        if (paths.isEmpty()) {
            return null;
        }
        List<List<String>> rows = new ArrayList<>();
        for (Path p : paths) {
            String name = p.getFileName().toString();
            Map<String, String> aspectsMetrics = metrics(p.resolve(name + "_metrics.tsv"));
            Map<String, String> lesionMetrics = metrics(p.resolve(name + "_lesion_metrics.tsv"));
            List<String> row = new ArrayList<>(List.of(name));
            for (String[] c : COLUMNS) {
                row.add((c[1].equals("aspects") ? aspectsMetrics : lesionMetrics).getOrDefault(c[2], "NA"));
            }
            rows.add(row);
        }
        return new Section(Arrays.stream(COLUMNS).map(c -> c[0]).toList(), rows);
    }

    /** metric -> value of a (metric, value) table; empty when the file is absent. */
    static Map<String, String> metrics(Path file) throws IOException {
        Map<String, String> m = new HashMap<>();
        if (!Files.isRegularFile(file)) {
            return m;
        }
        Tsv tsv = Tsv.read(file);
        for (Map<String, String> r : tsv.records()) {
            m.put(r.get("metric"), r.get("value"));
        }
        return m;
    }
}
