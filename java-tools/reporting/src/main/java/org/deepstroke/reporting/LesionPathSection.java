package org.deepstroke.reporting;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The run summary's section on the lesion x regions ASPECTS paths (results/aspects/lesion-*): per path the ASPECTS
 * agreement with the truth (from &lt;path&gt;_metrics.tsv, method "lesion") and the lesion maps' own quality (from
 * &lt;path&gt;_lesion_metrics.tsv), side by side, with what the figures are and are not comparable with. Empty when
 * the run had no lesion path.
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

    static final String NOTE = "Lesion x regions: a region is affected when the fraction of its voxels inside the "
            + "lesion map exceeds the threshold calibrated on a tuning phantom cohort (params/"
            + "aspects-lesion-threshold.yaml). lesion-oracle = the truth lesion x the label-transfer regions "
            + "(synthetic cohort: the path's mechanics and what the scoring alone achieves, its lesion-map figures "
            + "are trivially perfect); lesion-unet = the U-Net's lesion channel x its region labels. Synthetic "
            + "cohorts only: the lesion Dice of 0.64 reported on AISD (real NCCT) is a real-data anchor, not "
            + "comparable with these figures.";

    private LesionPathSection() {
    }

    static String html(Path results) throws IOException {
        Path aspects = results.resolve("aspects");
        if (!Files.isDirectory(aspects)) {
            return "";
        }
        List<Path> paths = new ArrayList<>();
        try (Stream<Path> s = Files.list(aspects)) {
            s.filter(Files::isDirectory).filter(p -> p.getFileName().toString().startsWith("lesion-")).sorted()
                    .forEach(paths::add);
        }
        if (paths.isEmpty()) {
            return "";
        }
        StringBuilder b = new StringBuilder("<h2>ASPECTS: lesion x regions</h2>\n<p class=\"note\">")
                .append(Html.escape(NOTE)).append("</p>\n<table><thead><tr><th>path</th>");
        for (String[] c : COLUMNS) {
            b.append("<th>").append(Html.escape(c[0])).append("</th>");
        }
        b.append("</tr></thead><tbody>\n");
        for (Path p : paths) {
            String name = p.getFileName().toString();
            Map<String, String> aspectsMetrics = metrics(p.resolve(name + "_metrics.tsv"));
            Map<String, String> lesionMetrics = metrics(p.resolve(name + "_lesion_metrics.tsv"));
            b.append("<tr><td>").append(Html.escape(name)).append("</td>");
            for (String[] c : COLUMNS) {
                String v = (c[1].equals("aspects") ? aspectsMetrics : lesionMetrics).getOrDefault(c[2], "NA");
                b.append("<td>").append(Html.escape(v)).append("</td>");
            }
            b.append("</tr>\n");
        }
        return b.append("</tbody></table>\n").toString();
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
