package org.deepstroke.unet.evaluate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.deepstroke.core.html.HtmlTemplate;
import org.deepstroke.unet.data.LabelScheme;

/**
 * report.html of deepstroke unet-evaluate (report.mustache): summary table, per-class table, curves and montages
 * (relative links).
 */
public final class HtmlReport {

    private static final HtmlTemplate TEMPLATE = HtmlTemplate.of(HtmlReport.class, "report.mustache");

    record Model(int subjectCount, int classes, List<String> subjects, List<Row> meanDice, List<String> references,
            List<Row> perClass, boolean curves, String trainJson) {
    }

    record Row(String name, List<String> cells) {
    }

    private HtmlReport() {
    }

    /** @param summary evaluation.json's content; trainJson train.json's text, or null */
    public static String render(ObjectNode summary, int classes, List<String> subjects, boolean curves,
            String trainJson) {
        JsonNode references = summary.get("references");
        List<String> refs = new ArrayList<>();
        references.fieldNames().forEachRemaining(refs::add);
        List<Row> meanDice = refs.stream().map(ref -> {
            List<String> cells = new ArrayList<>(List.of(f(references.get(ref).get("mean_dice"))));
            subjects.forEach(s -> cells.add(f(references.get(ref).get("mean_dice_per_subject").get(s))));
            return new Row(ref, cells);
        }).toList();
        List<Row> perClass = new ArrayList<>();
        for (int c = 1; c < classes; c++) {
            String name = LabelScheme.className(c, classes);
            List<String> cells = new ArrayList<>();
            for (String ref : refs) {
                JsonNode n = references.get(ref).get("per_class").get(name);
                cells.addAll(List.of(f(n.get("dice")), f(n.get("hd95_mm")), f(n.get("volume_difference_ml"))));
            }
            perClass.add(new Row(name, cells));
        }
        return TEMPLATE.render(new Model(subjects.size(), classes, subjects, meanDice, refs, perClass, curves,
                trainJson));
    }

    private static String f(JsonNode value) {
        return number(value.asDouble());
    }

    /** A metric as evaluation.tsv and the page show it: 4 decimals, NaN/Inf spelled out. */
    public static String number(double v) {
        return Double.isNaN(v) ? "NaN" : Double.isInfinite(v) ? "Inf" : String.format(Locale.ROOT, "%.4f", v);
    }
}
