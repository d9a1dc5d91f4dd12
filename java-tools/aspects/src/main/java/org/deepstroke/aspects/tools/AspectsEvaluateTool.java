package org.deepstroke.aspects.tools;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;
import org.deepstroke.aspects.Evaluation;
import org.deepstroke.aspects.ScoreFiles;
import org.deepstroke.aspects.SubjectPrediction;
import org.deepstroke.aspects.TruthTable;
import org.deepstroke.aspects.report.Charts;
import org.deepstroke.aspects.report.EvaluationHtml;
import org.deepstroke.aspects.report.PublishedFigures;
import org.deepstroke.core.cli.Args;
import org.deepstroke.core.cli.CommonOptions;
import org.deepstroke.core.cli.ExitCodes;
import org.deepstroke.core.cli.Tool;
import org.deepstroke.core.cli.ToolFailure;
import org.deepstroke.core.cli.UsageError;
import org.deepstroke.core.io.AtomicFiles;
import org.deepstroke.core.io.Json;
import org.deepstroke.core.io.OutputGuard;

/**
 * {@code deepstroke aspects-evaluate}: aspects-score results of one labels path (truth/oracle, label transfer,
 * U-Net) against the truth: score agreement, kappa, ICC, ASPECTS<=7, region-level sensitivity/specificity, with the
 * published figures beside ours. Writes D/&lt;path&gt;_evaluation.{json,tsv,html}, D/&lt;path&gt;_subjects.tsv and
 * D/&lt;path&gt;_evaluation_qc.png.
 */
public final class AspectsEvaluateTool implements Tool {

    @Override
    public String name() {
        return "aspects-evaluate";
    }

    @Override
    public String summary() {
        return "Evaluate ASPECTS scores of one labels path against the truth (agreement, kappa, ICC, region "
                + "sensitivity/specificity) with an HTML report";
    }

    @Override
    public Options options() {
        return new Options()
                .addOption(Option.builder().longOpt("scores").hasArgs().argName("DIR|JSON").required()
                        .desc("aspects-score outputs (folders walked for *_aspects.json); repeat or comma-separate")
                        .build())
                .addOption(Option.builder().longOpt("truth").hasArgs().argName("TSV").required()
                        .desc("truth tables (pseudonym, side, affected_regions: the phantom's cohort.tsv)").build())
                .addOption(Option.builder().longOpt("path").hasArg().argName("NAME").required()
                        .desc("name of the labels path, e.g. truth, label-transfer, unet (names the outputs)").build())
                .addOption(CommonOptions.outputDir("where the report goes"))
                .addOption(Option.builder().longOpt("method").hasArg().argName("cutpoint|classifier|lesion|all")
                        .desc("which of the scores to evaluate (default all: the classifier too when the JSONs "
                                + "carry it; lesion when they come from aspects-lesion-score)").build());
    }

    /** Per method the subjects matched with the truth, their evaluation, and the rows of _subjects.tsv. */
    private record Evaluated(Map<String, Object> results, Map<String, List<Evaluation.Pair>> pairsByMethod,
            String subjectsTsv, List<String> unmatched) {
    }

    @Override
    public int run(CommandLine cmd, PrintWriter out) throws Exception {
        String path = cmd.getOptionValue("path").strip();
        if (!path.matches("[A-Za-z0-9._-]+")) {
            throw new UsageError("--path may hold letters, digits, '.', '_' and '-' only: '" + path + "'");
        }
        Path dir = Args.requiredPath(cmd, "output-dir");
        OutputGuard guard = Inputs.guard(cmd).outputFolder("output-dir", dir);
        for (String suffix : List.of("_evaluation_qc.png", "_evaluation.json", "_evaluation.tsv", "_subjects.tsv",
                "_evaluation.html")) {
            guard.output("output-dir", dir.resolve(path + suffix));
        }
        guard.check();
        Map<String, TruthTable.Truth> truth = Inputs.truth(cmd);
        List<Path> files = ScoreFiles.find(Inputs.paths(cmd, "scores"));
        if (files.isEmpty()) {
            throw new ToolFailure(Inputs.paths(cmd, "scores").get(0), "no *_aspects.json found");
        }
        Evaluated ev = evaluate(path, files, methods(cmd, files), truth);
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("path", path);
        report.put("methods", ev.results());
        report.put("subjects_without_truth", ev.unmatched());
        report.put("published_context", PublishedFigures.figures());
        report.put("caveat", PublishedFigures.CAVEAT);
        report.put("bars", Map.of("region_sensitivity", Evaluation.BAR_SENSITIVITY, "region_specificity",
                Evaluation.BAR_SPECIFICITY, "within_one", Evaluation.BAR_WITHIN_ONE));
        String png = path + "_evaluation_qc.png";
        writePicture(path, ev.pairsByMethod(), dir.resolve(png));
        AtomicFiles.writeString(dir.resolve(path + "_evaluation.json"), Json.pretty(report));
        AtomicFiles.writeString(dir.resolve(path + "_evaluation.tsv"), metricsTsv(path, ev.results()));
        AtomicFiles.writeString(dir.resolve(path + "_subjects.tsv"), ev.subjectsTsv());
        AtomicFiles.writeString(dir.resolve(path + "_evaluation.html"), EvaluationHtml.render(path, ev.results(),
                png, ev.pairsByMethod().values().iterator().next().size()));
        for (var e : ev.results().entrySet()) {
            out.println(path + "\t" + e.getKey() + "\t" + AspectsFitTool.summary(e.getValue()));
        }
        return ExitCodes.OK;
    }

    /** --method, or with "all" what the first score file holds (cut-point or lesion, plus classifier). */
    private static List<ScoreFiles.Method> methods(CommandLine cmd, List<Path> files) throws IOException {
        String which = cmd.getOptionValue("method", "all");
        List<ScoreFiles.Method> methods = new ArrayList<>();
        if (which.equalsIgnoreCase("all")) {
            var first = new ObjectMapper().readTree(files.get(0).toFile());
            // aspects-lesion-score's JSONs carry only the "lesion" section (the lesion x regions path)
            if (first.has("lesion") && !first.has("cutpoint")) {
                methods.add(ScoreFiles.Method.LESION);
            } else {
                methods.add(ScoreFiles.Method.CUTPOINT);
            }
            if (first.has("classifier")) {
                methods.add(ScoreFiles.Method.CLASSIFIER);
            }
        } else {
            try {
                methods.add(ScoreFiles.Method.parse(which));
            } catch (IllegalArgumentException e) {
                throw new UsageError("--method: " + e.getMessage());
            }
        }
        return methods;
    }

    private static Evaluated evaluate(String path, List<Path> files, List<ScoreFiles.Method> methods,
            Map<String, TruthTable.Truth> truth) throws IOException {
        Map<String, Object> results = new LinkedHashMap<>();
        Map<String, List<Evaluation.Pair>> pairsByMethod = new LinkedHashMap<>();
        StringBuilder subjects = new StringBuilder("path\tmethod\tsubject\ttruth_aspects\tpredicted_aspects"
                + "\ttruth_side\tpredicted_side\ttruth_affected\tpredicted_affected\n");
        List<String> unmatched = new ArrayList<>();
        for (ScoreFiles.Method m : methods) {
            Map<String, SubjectPrediction> predictions = ScoreFiles.read(files, m);
            List<Evaluation.Pair> pairs = new ArrayList<>();
            for (SubjectPrediction p : predictions.values()) {
                TruthTable.Truth t = truth.get(p.subject());
                if (t == null) {
                    if (m == methods.get(0)) {
                        unmatched.add(p.subject());
                    }
                    continue;
                }
                pairs.add(new Evaluation.Pair(t, p));
                subjects.append(String.join("\t", path, m.key(), p.subject(), Integer.toString(t.aspects()),
                        Integer.toString(p.score()), t.side() == null ? "none" : t.side().name(), p.side().name(),
                        AspectsFitTool.codes(t.affected()), AspectsFitTool.codes(p.affected()))).append('\n');
            }
            if (pairs.isEmpty()) {
                throw new ToolFailure(files.get(0), "no scored subject appears in the truth table");
            }
            pairsByMethod.put(m.key(), pairs);
            results.put(m.key(), Evaluation.evaluate(pairs));
        }
        return new Evaluated(results, pairsByMethod, subjects.toString(), unmatched);
    }

    /** Per method a Bland-Altman and a confusion-matrix panel, side by side in one picture. */
    private static void writePicture(String path, Map<String, List<Evaluation.Pair>> pairsByMethod, Path png)
            throws IOException {
        BufferedImage img = Charts.canvas(2 * pairsByMethod.size());
        int panel = 0;
        for (var e : pairsByMethod.entrySet()) {
            int[] t = e.getValue().stream().mapToInt(p -> p.truth().aspects()).toArray();
            int[] p = e.getValue().stream().mapToInt(x -> x.prediction().score()).toArray();
            Charts.blandAltman(img, panel++, path + " / " + e.getKey() + ": Bland-Altman (n=" + t.length + ")", t, p);
            Charts.confusion(img, panel++, path + " / " + e.getKey() + ": truth (rows) vs method", t, p);
        }
        AtomicFiles.write(png, o -> ImageIO.write(img, "png", o));
    }

    /** Long form: path, method, metric, value (one row per number, for the run report and MLflow). */
    @SuppressWarnings("unchecked")
    static String metricsTsv(String path, Map<String, Object> results) {
        StringBuilder b = new StringBuilder("path\tmethod\tmetric\tvalue\n");
        for (var e : results.entrySet()) {
            flatten(b, path, e.getKey(), "", (Map<String, Object>) e.getValue());
        }
        return b.toString();
    }

    @SuppressWarnings("unchecked")
    private static void flatten(StringBuilder b, String path, String method, String prefix, Map<String, Object> m) {
        for (var e : m.entrySet()) {
            String key = prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey();
            Object v = e.getValue();
            if (v instanceof Map<?, ?> inner) {
                flatten(b, path, method, key, (Map<String, Object>) inner);
            } else {
                String value = v == null ? "NA" : v instanceof Boolean bool ? (bool ? "1" : "0") : v.toString();
                b.append(path).append('\t').append(method).append('\t').append(key).append('\t').append(value)
                        .append('\n');
            }
        }
    }
}
