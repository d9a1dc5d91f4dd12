package org.deepstroke.aspects.report;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.deepstroke.core.aspects.AspectsRegion;
import org.deepstroke.core.html.HtmlTemplate;

/**
 * The evaluation's HTML page (evaluation.mustache): our figures per method next to the published ones, the caveat,
 * the picture.
 */
public final class EvaluationHtml {

    private static final HtmlTemplate TEMPLATE = HtmlTemplate.of(EvaluationHtml.class, "evaluation.mustache");

    record Model(String path, int subjects, String caveat, List<Row> regionLevel, List<Row> scoreLevel,
            List<String> structures, List<Row> perRegion, String picture) {
    }

    record Row(String name, List<Cell> cells) {
    }

    /** A formatted number; cls is pass or fail for a figure with a bar, else null. */
    record Cell(String text, String cls) {
    }

    private EvaluationHtml() {
    }

    /**
     * @param methods per method the evaluation's sections (region_ipsilateral, score, dichotomised_le7,
     *     region_all20, region_by_structure), as in the JSON report
     * @param png the picture's file name, beside the page
     */
    @SuppressWarnings("unchecked")
    public static String render(String path, Map<String, Object> methods, String png, int subjects) {
        List<Row> regionLevel = new ArrayList<>();
        List<Row> scoreLevel = new ArrayList<>();
        List<Row> perRegion = new ArrayList<>();
        List<String> structures = Arrays.stream(AspectsRegion.Structure.values()).map(AspectsRegion.Structure::code)
                .toList();
        for (var e : methods.entrySet()) {
            Map<String, Object> m = (Map<String, Object>) e.getValue();
            Map<String, Object> r = (Map<String, Object>) m.get("region_ipsilateral");
            regionLevel.add(new Row("ours: " + e.getKey(), List.of(cell(r.get("sensitivity"), 0.8),
                    cell(r.get("specificity"), 0.9), cell(r.get("auc")), cell(r.get("tp")), cell(r.get("fp")),
                    cell(r.get("tn")), cell(r.get("fn")), cell("synthetic truth"))));
            Map<String, Object> s = (Map<String, Object>) m.get("score");
            Map<String, Object> d = (Map<String, Object>) m.get("dichotomised_le7");
            Map<String, Object> a = (Map<String, Object>) m.get("region_all20");
            scoreLevel.add(new Row(e.getKey(), List.of(cell(s.get("exact_agreement")), cell(s.get("within_one"), 0.9),
                    cell(s.get("mae")), cell(s.get("weighted_kappa_quadratic")), cell(s.get("icc_a1")),
                    cell(s.get("side_accuracy")), cell(d.get("sensitivity")), cell(d.get("specificity")),
                    cell(d.get("auc")), cell(a.get("sensitivity")), cell(a.get("specificity")))));
            Map<String, Object> per = (Map<String, Object>) m.get("region_by_structure");
            perRegion.add(new Row(e.getKey(), structures.stream().map(code -> (Map<String, Object>) per.get(code))
                    .map(c -> cell(fmt(c.get("sensitivity")) + " / " + fmt(c.get("specificity")))).toList()));
        }
        for (Map<String, Object> p : PublishedFigures.figures()) {
            regionLevel.add(new Row("published: " + p.get("method"), List.of(cell(p.get("region_sensitivity")),
                    cell(p.get("region_specificity")), cell(""), cell(""), cell(""), cell(""), cell(""),
                    cell(p.get("reference")))));
        }
        return TEMPLATE.render(new Model(path, subjects, PublishedFigures.CAVEAT, regionLevel, scoreLevel, structures,
                perRegion, png));
    }

    private static Cell cell(Object v) {
        return new Cell(fmt(v), null);
    }

    /** Green when the figure meets its bar, red when it misses it. */
    private static Cell cell(Object v, double bar) {
        return new Cell(fmt(v), v instanceof Number n ? n.doubleValue() >= bar ? "pass" : "fail" : null);
    }

    private static String fmt(Object v) {
        if (v == null) {
            return "n/a";
        }
        return v instanceof Double d ? String.format(Locale.ROOT, "%.3f", d) : v.toString();
    }
}
