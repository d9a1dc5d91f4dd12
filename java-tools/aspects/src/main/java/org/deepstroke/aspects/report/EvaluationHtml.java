package org.deepstroke.aspects.report;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.deepstroke.core.aspects.AspectsRegion;

/** The evaluation's HTML page: our figures per method next to the published ones, the caveat, the picture. */
public final class EvaluationHtml {

    private EvaluationHtml() {
    }

    @SuppressWarnings("unchecked")
    public static String render(String path, Map<String, Object> methods, String png, int subjects) {
        StringBuilder b = new StringBuilder("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>ASPECTS "
                + "evaluation: " + esc(path) + "</title>\n<style>body{font-family:sans-serif;max-width:1100px;"
                + "margin:2em auto}table{border-collapse:collapse}td,th{border:1px solid #bbb;padding:3px 8px;"
                + "text-align:right}th{background:#eee}td:first-child{text-align:left}.fail{color:#c00}"
                + ".pass{color:#070}.caveat{background:#fff4d6;padding:.6em;border-left:4px solid #e0a800}"
                + "</style></head><body>\n");
        b.append("<h1>ASPECTS evaluation: labels from <code>").append(esc(path)).append("</code></h1>\n");
        b.append("<p>").append(subjects).append(" subjects scored against the truth.</p>\n");
        b.append("<p class=\"caveat\">").append(esc(PublishedFigures.CAVEAT)).append("</p>\n");
        b.append("<h2>Region level (10 regions of the reference hemisphere per subject) and published figures</h2>\n");
        b.append("<table><tr><th>method</th><th>sensitivity</th><th>specificity</th><th>AUC</th><th>TP</th>"
                + "<th>FP</th><th>TN</th><th>FN</th><th>reference</th></tr>\n");
        for (var e : methods.entrySet()) {
            Map<String, Object> r = (Map<String, Object>) ((Map<String, Object>) e.getValue())
                    .get("region_ipsilateral");
            b.append("<tr><td>ours: ").append(esc(e.getKey())).append("</td>")
                    .append(cell(r.get("sensitivity"), 0.8)).append(cell(r.get("specificity"), 0.9))
                    .append(cell(r.get("auc"), null)).append(cell(r.get("tp"), null)).append(cell(r.get("fp"), null))
                    .append(cell(r.get("tn"), null)).append(cell(r.get("fn"), null))
                    .append("<td>synthetic truth</td></tr>\n");
        }
        for (Map<String, Object> p : PublishedFigures.figures()) {
            b.append("<tr><td>published: ").append(esc((String) p.get("method"))).append("</td>")
                    .append(cell(p.get("region_sensitivity"), null)).append(cell(p.get("region_specificity"), null))
                    .append("<td></td><td></td><td></td><td></td><td></td><td>").append(esc((String) p.get("reference")))
                    .append("</td></tr>\n");
        }
        b.append("</table>\n<p>Bars of issue 7: region sensitivity &ge; 0.8, specificity &ge; 0.9, score within "
                + "&plusmn;1 in &ge; 90 % of subjects (green = met, red = missed).</p>\n");
        b.append("<h2>Score level</h2>\n<table><tr><th>method</th><th>exact</th><th>within &plusmn;1</th><th>MAE</th>"
                + "<th>weighted &kappa; (quadratic)</th><th>ICC(A,1)</th><th>side accuracy</th><th>ASPECTS&le;7 "
                + "sensitivity</th><th>specificity</th><th>AUC</th><th>region sens (20)</th><th>region spec (20)</th>"
                + "</tr>\n");
        for (var e : methods.entrySet()) {
            Map<String, Object> m = (Map<String, Object>) e.getValue();
            Map<String, Object> s = (Map<String, Object>) m.get("score");
            Map<String, Object> d = (Map<String, Object>) m.get("dichotomised_le7");
            Map<String, Object> a = (Map<String, Object>) m.get("region_all20");
            b.append("<tr><td>").append(esc(e.getKey())).append("</td>").append(cell(s.get("exact_agreement"), null))
                    .append(cell(s.get("within_one"), 0.9)).append(cell(s.get("mae"), null))
                    .append(cell(s.get("weighted_kappa_quadratic"), null)).append(cell(s.get("icc_a1"), null))
                    .append(cell(s.get("side_accuracy"), null)).append(cell(d.get("sensitivity"), null))
                    .append(cell(d.get("specificity"), null)).append(cell(d.get("auc"), null))
                    .append(cell(a.get("sensitivity"), null)).append(cell(a.get("specificity"), null))
                    .append("</tr>\n");
        }
        b.append("</table>\n<h2>Per region (reference hemisphere)</h2>\n<table><tr><th>method</th>");
        List<String> structures = Arrays.stream(AspectsRegion.Structure.values()).map(AspectsRegion.Structure::code)
                .toList();
        for (String s : structures) {
            b.append("<th>").append(s).append(" sens/spec</th>");
        }
        b.append("</tr>\n");
        for (var e : methods.entrySet()) {
            Map<String, Object> per = (Map<String, Object>) ((Map<String, Object>) e.getValue())
                    .get("region_by_structure");
            b.append("<tr><td>").append(esc(e.getKey())).append("</td>");
            for (String s : structures) {
                Map<String, Object> c = (Map<String, Object>) per.get(s);
                b.append("<td>").append(fmt(c.get("sensitivity"))).append(" / ").append(fmt(c.get("specificity")))
                        .append("</td>");
            }
            b.append("</tr>\n");
        }
        b.append("</table>\n<h2>Bland-Altman and confusion matrix</h2>\n<img src=\"").append(esc(png))
                .append("\" alt=\"Bland-Altman and confusion matrices\" style=\"max-width:100%\">\n");
        b.append("<p>Region level counts a region as called only when the method scored the reference hemisphere and "
                + "called it there. ICC(A,1): two-way random effects, absolute agreement, single rater. AUC of "
                + "ASPECTS&le;7 uses the method's continuous score (cut-point: the score; classifier: 10 - sum of "
                + "probabilities).</p>\n</body></html>\n");
        return b.toString();
    }

    private static String cell(Object v, Double bar) {
        String cls = "";
        if (bar != null && v instanceof Number n) {
            cls = n.doubleValue() >= bar ? " class=\"pass\"" : " class=\"fail\"";
        }
        return "<td" + cls + ">" + fmt(v) + "</td>";
    }

    private static String fmt(Object v) {
        if (v == null) {
            return "n/a";
        }
        if (v instanceof Double d) {
            return String.format(java.util.Locale.ROOT, "%.3f", d);
        }
        return esc(v.toString());
    }

    static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
