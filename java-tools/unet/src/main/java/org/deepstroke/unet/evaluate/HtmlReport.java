package org.deepstroke.unet.evaluate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.deepstroke.unet.data.LabelScheme;

/** report.html of deepstroke unet-evaluate: summary table, per-class table, curves and montages (relative links). */
final class HtmlReport {

    private HtmlReport() {
    }

    static String render(ObjectNode summary, List<EvaluateTool.Row> rows, int classes, List<String> subjects,
            boolean curves, String trainJson) {
        StringBuilder h = new StringBuilder();
        h.append("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>DeepStroke U-Net evaluation</title>")
                .append("<style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse}")
                .append("td,th{border:1px solid #ccc;padding:3px 8px;text-align:right}th{background:#eee}")
                .append("img{max-width:100%}</style></head><body>")
                .append("<h1>DeepStroke U-Net evaluation</h1>");
        h.append("<p>").append(subjects.size()).append(" subject(s), ").append(classes).append(" classes. ")
                .append("Mean foreground Dice: per subject over the classes present in the reference, then over ")
                .append("subjects.</p><table><tr><th>reference</th><th>mean Dice</th>");
        for (String s : subjects) {
            h.append("<th>").append(esc(s)).append("</th>");
        }
        h.append("</tr>");
        for (Iterator<Map.Entry<String, JsonNode>> it = summary.get("references").fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> e = it.next();
            h.append("<tr><td>").append(esc(e.getKey())).append("</td><td>")
                    .append(EvaluateTool.f(e.getValue().get("mean_dice").asDouble())).append("</td>");
            for (String s : subjects) {
                h.append("<td>").append(EvaluateTool.f(e.getValue().get("mean_dice_per_subject").get(s).asDouble()))
                        .append("</td>");
            }
            h.append("</tr>");
        }
        h.append("</table><h2>Per class (mean over subjects)</h2><table><tr><th>class</th>");
        List<String> refs = rows.stream().map(EvaluateTool.Row::reference).distinct().toList();
        for (String r : refs) {
            h.append("<th>Dice (").append(r).append(")</th><th>HD95 mm (").append(r).append(")</th><th>")
                    .append("vol. diff. ml (").append(r).append(")</th>");
        }
        h.append("</tr>");
        for (int c = 1; c < classes; c++) {
            String name = LabelScheme.className(c, classes);
            h.append("<tr><td>").append(name).append("</td>");
            for (String r : refs) {
                JsonNode n = summary.get("references").get(r).get("per_class").get(name);
                h.append("<td>").append(EvaluateTool.f(n.get("dice").asDouble())).append("</td><td>")
                        .append(EvaluateTool.f(n.get("hd95_mm").asDouble())).append("</td><td>")
                        .append(EvaluateTool.f(n.get("volume_difference_ml").asDouble())).append("</td>");
            }
            h.append("</tr>");
        }
        h.append("</table>");
        if (curves) {
            h.append("<h2>Training</h2><img src=\"loss_curves.png\" alt=\"loss curves\">")
                    .append("<img src=\"dice_curves.png\" alt=\"validation Dice per class\">");
        }
        h.append("<h2>Predictions over CT</h2>");
        for (String s : subjects) {
            h.append("<h3>").append(esc(s)).append("</h3><img src=\"").append(esc(s)).append('/').append(esc(s))
                    .append("_qc.png\" alt=\"montage\">");
        }
        h.append("<p>Per subject and class: evaluation.tsv; summary: evaluation.json.</p>");
        if (trainJson != null) {
            h.append("<h2>train.json</h2><pre>").append(esc(trainJson)).append("</pre>");
        }
        return h.append("</body></html>\n").toString();
    }

    private static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
