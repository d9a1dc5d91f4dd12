package org.deepstroke.aspects.tools;

import java.awt.image.BufferedImage;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.imageio.ImageIO;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;
import org.deepstroke.aspects.CrossValidation;
import org.deepstroke.aspects.CutPoints;
import org.deepstroke.aspects.DescriptorTable;
import org.deepstroke.aspects.Evaluation;
import org.deepstroke.aspects.IschemiaClassifier;
import org.deepstroke.aspects.TruthTable;
import org.deepstroke.aspects.report.Charts;
import org.deepstroke.core.aspects.AspectsRegion.Structure;
import org.deepstroke.core.cli.Args;
import org.deepstroke.core.cli.CommonOptions;
import org.deepstroke.core.cli.ExitCodes;
import org.deepstroke.core.cli.Tool;
import org.deepstroke.core.cli.UsageError;
import org.deepstroke.core.io.AtomicFiles;
import org.deepstroke.core.io.Json;
import org.deepstroke.core.io.OutputGuard;

/**
 * {@code deepstroke aspects-fit}: region-level ischaemia classifier (Tribuo random forest) on the extended region
 * descriptors, cross-validated by subject against the cut-point baseline on the same folds, then fitted on all
 * subjects: D/ischemia_model.tribuo (aspects-score --model), D/fit.json, D/cv_predictions.tsv, D/fit_qc.png.
 */
public final class AspectsFitTool implements Tool {

    @Override
    public String name() {
        return "aspects-fit";
    }

    @Override
    public String summary() {
        return "Fit region-level ischaemia classifiers (Tribuo random forest) on extended ASPECTS descriptors, "
                + "cross-validated against the cut-point baseline";
    }

    @Override
    public Options options() {
        return new Options()
                .addOption(Option.builder().longOpt("scores").hasArgs().argName("DIR|TSV").required()
                        .desc("aspects-score outputs (folders walked for *_descriptors.tsv); repeat or comma-separate")
                        .build())
                .addOption(Option.builder().longOpt("truth").hasArgs().argName("TSV").required()
                        .desc("truth tables (pseudonym, side, affected_regions)").build())
                .addOption(CommonOptions.outputDir("where the model and the cross-validation report go"))
                .addOption(Option.builder().longOpt("folds").hasArg().argName("K")
                        .desc("cross-validation folds, grouped by subject (default 5)").build())
                .addOption(CommonOptions.seed("seed of the folds and the forest (default 1)"))
                .addOption(Option.builder().longOpt("trees").hasArg().argName("N")
                        .desc("trees in the forest (default 200)").build())
                .addOption(Option.builder().longOpt("cutpoints").hasArg().argName("YAML")
                        .desc("the fixed cut-point baseline (default: the built-in public defaults)").build());
    }

    @Override
    public int run(CommandLine cmd, PrintWriter out) throws Exception {
        Path dir = Args.requiredPath(cmd, "output-dir");
        OutputGuard guard = Inputs.guard(cmd, "cutpoints").outputFolder("output-dir", dir);
        for (String name : List.of("ischemia_model.tribuo", "fit.json", "cv_predictions.tsv", "fit_qc.png")) {
            guard.output("output-dir", dir.resolve(name));
        }
        guard.check();
        Map<String, TruthTable.Truth> truth = Inputs.truth(cmd);
        Map<String, DescriptorTable.Subject> d = Inputs.labelledDescriptors(Inputs.paths(cmd, "scores"), truth);
        CutPoints fixed = cmd.hasOption("cutpoints") ? CutPoints.read(Args.existingFile(cmd, "cutpoints"))
                : DefaultCutPoints.load();
        int k = Args.intValue(cmd, "folds", 5);
        long seed = Args.intValue(cmd, "seed", 1);
        int trees = Args.intValue(cmd, "trees", 200);
        if (k < 2 || k > d.size()) {
            throw new UsageError("--folds must lie in 2.." + d.size() + " (the labelled subjects)");
        }
        if (trees < 1) {
            throw new UsageError("--trees must be at least 1");
        }
        IschemiaClassifier.Settings defaults = IschemiaClassifier.Settings.defaults(seed);
        IschemiaClassifier.Settings settings = new IschemiaClassifier.Settings(trees, defaults.maxDepth(),
                defaults.featureFraction(), seed);

        CrossValidation.Outcome cv = CrossValidation.run(d, truth, fixed, k, settings);
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("subjects", d.size());
        report.put("folds", k);
        report.put("seed", seed);
        report.put("learner", Map.of("library", "Tribuo 4.3.2", "model", "random forest (CART, majority vote)",
                "trees", trees, "max_depth", settings.maxDepth(), "feature_fraction_per_split",
                settings.featureFraction(), "decision", "probability >= 0.5"));
        report.put("fixed_cutpoints_source", fixed.source());
        report.put("hu_window", fixed.window().toString());
        Map<String, Object> methods = new LinkedHashMap<>();
        cv.pairs().forEach((m, pairs) -> methods.put(m, Evaluation.evaluate(pairs)));
        report.put("cross_validation", methods);

        List<IschemiaClassifier.Sample> all = new ArrayList<>();
        d.values().forEach(s -> all.addAll(IschemiaClassifier.samples(s.subject(), s.regions(),
                truth.get(s.subject()))));
        IschemiaClassifier.train(all, settings).save(dir.resolve("ischemia_model.tribuo"));
        report.put("model", "ischemia_model.tribuo (trained on all " + d.size() + " subjects, " + all.size()
                + " hemisphere-regions)");

        AtomicFiles.writeString(dir.resolve("fit.json"),
                Json.pretty(report));
        AtomicFiles.writeString(dir.resolve("cv_predictions.tsv"), predictions(cv));
        writeChart(dir.resolve("fit_qc.png"), methods, d.size(), k);
        for (var e : methods.entrySet()) {
            out.println(e.getKey() + "\t" + summary(e.getValue()));
        }
        return ExitCodes.OK;
    }

    @SuppressWarnings("unchecked")
    static String summary(Object metrics) {
        Map<String, Object> m = (Map<String, Object>) metrics;
        Map<String, Object> r = (Map<String, Object>) m.get("region_ipsilateral");
        Map<String, Object> s = (Map<String, Object>) m.get("score");
        return String.format(Locale.ROOT, "region sens %s spec %s auc %s | within1 %s exact %s mae %s kappa %s",
                r.get("sensitivity"), r.get("specificity"), r.get("auc"), s.get("within_one"),
                s.get("exact_agreement"), s.get("mae"), s.get("weighted_kappa_quadratic"));
    }

    private static String predictions(CrossValidation.Outcome cv) {
        StringBuilder b = new StringBuilder("subject\tfold\tmethod\ttruth_aspects\ttruth_side\tpredicted_aspects"
                + "\tpredicted_side\ttruth_affected\tpredicted_affected\n");
        cv.pairs().forEach((m, pairs) -> {
            for (Evaluation.Pair p : pairs) {
                b.append(String.join("\t", p.prediction().subject(), cv.fold().get(p.prediction().subject()).toString(),
                        m, Integer.toString(p.truth().aspects()), p.truth().side() == null ? "none"
                                : p.truth().side().name(), Integer.toString(p.prediction().score()),
                        p.prediction().side().name(), codes(p.truth().affected()), codes(p.prediction().affected())))
                        .append('\n');
            }
        });
        return b.toString();
    }

    static String codes(java.util.Collection<Structure> s) {
        return s.isEmpty() ? "-" : String.join(",", s.stream().sorted().map(Structure::name).toList());
    }

    @SuppressWarnings("unchecked")
    private static void writeChart(Path file, Map<String, Object> methods, int subjects, int k) throws Exception {
        List<String> groups = List.of("region sens", "region spec", "region AUC", "within +-1", "exact");
        List<String> series = new ArrayList<>(methods.keySet());
        double[][] v = new double[series.size()][groups.size()];
        for (int i = 0; i < series.size(); i++) {
            Map<String, Object> m = (Map<String, Object>) methods.get(series.get(i));
            Map<String, Object> r = (Map<String, Object>) m.get("region_ipsilateral");
            Map<String, Object> s = (Map<String, Object>) m.get("score");
            v[i] = new double[] {num(r.get("sensitivity")), num(r.get("specificity")), num(r.get("auc")),
                num(s.get("within_one")), num(s.get("exact_agreement"))};
        }
        BufferedImage img = Charts.canvas(1);
        Charts.bars(img, 0, k + "-fold CV by subject, " + subjects + " subjects", groups, series, v,
                new double[] {0.8, 0.9, Double.NaN, 0.9, Double.NaN});
        AtomicFiles.write(file, o -> ImageIO.write(img, "png", o));
    }

    static double num(Object o) {
        return o instanceof Number n ? n.doubleValue() : Double.NaN;
    }
}
