package org.deepstroke.evaluation.tools;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;
import org.deepstroke.core.cli.Args;
import org.deepstroke.core.cli.ExitCodes;
import org.deepstroke.core.cli.Progress;
import org.deepstroke.core.cli.Tool;
import org.deepstroke.core.cli.ToolFailure;
import org.deepstroke.core.cli.UsageError;
import org.deepstroke.core.image.ImageVolume;
import org.deepstroke.core.image.NiftiReader;
import org.deepstroke.core.io.AtomicFiles;
import org.deepstroke.core.io.Json;
import org.deepstroke.core.io.OutputGuard;
import org.deepstroke.core.io.TsvTable;
import org.deepstroke.evaluation.DiceChart;
import org.deepstroke.evaluation.LabelNames;
import org.deepstroke.evaluation.LabelResampler;
import org.deepstroke.evaluation.SegmentationMetrics;

/**
 * {@code deepstroke evaluate-labels}: predicted vs reference label maps, per subject and label: Dice, HD95, volumes.
 * Scored on the reference's grid: the prediction is put onto it (world coordinates, nearest neighbour) when the grids
 * differ, and the summary says so ({@code grid: reference}, {@code resampled_predictions}). Scoring on the
 * prediction's grid flattered a coarse prediction (issue 16, item 8).
 */
public final class EvaluateLabelsTool implements Tool {

    @Override
    public String name() {
        return "evaluate-labels";
    }

    @Override
    public String summary() {
        return "Label maps vs reference: Dice, HD95 (mm), volumes per subject and label -> TSV + JSON summary + PNG";
    }

    @Override
    public Options options() {
        return new Options()
                .addOption(Option.builder().longOpt("predicted").hasArg().argName("NIFTI")
                        .desc("predicted label map (one subject; with --reference)").build())
                .addOption(Option.builder().longOpt("reference").hasArg().argName("NIFTI")
                        .desc("reference (truth) label map").build())
                .addOption(Option.builder().longOpt("subject").hasArg().argName("ID")
                        .desc("subject id for the single pair (default: the predicted file's name)").build())
                .addOption(Option.builder().longOpt("pairs").hasArg().argName("TSV")
                        .desc("many subjects: a TSV with columns subject, predicted, reference (paths relative to "
                                + "the TSV's folder or absolute)").build())
                .addOption(Option.builder().longOpt("labels-tsv").hasArg().argName("TSV")
                        .desc("label table (the atlas' labels.tsv): which ids to score and their names; default: "
                                + "every non-zero id in the maps").build())
                .addOption(Option.builder().longOpt("output-tsv").hasArg().argName("TSV").required()
                        .desc("one row per subject and label").build())
                .addOption(Option.builder().longOpt("output-json").hasArg().argName("JSON")
                        .desc("summary: per-label mean/min Dice, per-subject mean Dice, bars").build())
                .addOption(Option.builder().longOpt("output-png").hasArg().argName("PNG")
                        .desc("bar chart of the mean Dice per label").build())
                .addOption(Option.builder().longOpt("bar-mean").hasArg().argName("DICE")
                        .desc("quality bar on the mean over labels of the per-label mean Dice (reported, "
                                + "not enforced; default 0.85)").build())
                .addOption(Option.builder().longOpt("bar-min").hasArg().argName("DICE")
                        .desc("quality bar on the lowest per-label mean Dice (default 0.6)").build());
    }

    record Pair(String subject, Path predicted, Path reference) {
    }

    /** The label maps scored: per subject the metrics of every label, and how many predictions were resampled. */
    private record Scored(Map<String, List<SegmentationMetrics.LabelMetrics>> bySubject, int resampledPredictions) {
    }

    /** label_dice.json's content and what the chart and the log line need from it. */
    private record Summary(Map<String, Object> json, List<DiceChart.Bar> bars, double meanOfMeans, double minOfMeans,
            String worst) {
    }

    @Override
    public int run(CommandLine cmd, PrintWriter out) throws Exception {
        List<Pair> pairs = pairs(cmd);
        guard(cmd, pairs);
        Map<Integer, String> names = cmd.hasOption("labels-tsv")
                ? LabelNames.read(Args.existingFile(cmd, "labels-tsv")) : null;
        double barMean = Args.doubleValue(cmd, "bar-mean", 0.85);
        double barMin = Args.doubleValue(cmd, "bar-min", 0.6);
        Scored scored = score(pairs, names);
        AtomicFiles.writeString(Args.requiredPath(cmd, "output-tsv"), tsv(scored.bySubject(), names));
        Summary s = summarise(scored, names, barMean, barMin);
        if (cmd.hasOption("output-json")) {
            AtomicFiles.writeString(Path.of(cmd.getOptionValue("output-json")),
                    Json.MAPPER.writeValueAsString(s.json()) + "\n");
        }
        int subjects = scored.bySubject().size();
        if (cmd.hasOption("output-png")) {
            DiceChart.write(s.bars(), barMean, barMin, String.format(Locale.ROOT,
                    "Dice per label over %d subject(s): mean %.3f, lowest label %s %.3f (bars %.2f / %.2f)",
                    subjects, s.meanOfMeans(), s.worst(), s.minOfMeans(), barMean, barMin),
                    Path.of(cmd.getOptionValue("output-png")));
        }
        System.err.printf(Locale.ROOT, "evaluate-labels: %d subject(s), mean Dice %.4f, lowest label %s %.4f%n",
                subjects, s.meanOfMeans(), s.worst(), s.minOfMeans());
        return ExitCodes.OK;
    }

    /** Every input and output path is checked before anything is read. */
    private static void guard(CommandLine cmd, List<Pair> pairs) {
        OutputGuard guard = OutputGuard.create();
        for (Pair p : pairs) {
            guard.input("predicted", p.predicted()).input("reference", p.reference());
        }
        guard.input("pairs", Args.optionalPath(cmd, "pairs"))
                .input("labels-tsv", Args.optionalPath(cmd, "labels-tsv"))
                .output("output-tsv", Args.requiredPath(cmd, "output-tsv"))
                .output("output-json", Args.optionalPath(cmd, "output-json"))
                .output("output-png", Args.optionalPath(cmd, "output-png"))
                .check();
    }

    /** Each pair on the reference's grid (the prediction resampled onto it when it differs). */
    private static Scored score(List<Pair> pairs, Map<Integer, String> names) throws IOException {
        int resampledPredictions = 0;
        Map<String, List<SegmentationMetrics.LabelMetrics>> bySubject = new LinkedHashMap<>();
        try (Progress progress = new Progress("evaluate-labels", pairs.size())) {
            for (Pair p : pairs) {
                ImageVolume reference = NiftiReader.read(p.reference());
                ImageVolume rawPredicted = NiftiReader.read(p.predicted());
                ImageVolume predicted = LabelResampler.nearestOnto(rawPredicted, reference);
                if (predicted != rawPredicted) {
                    resampledPredictions++;
                }
                int[] labels = names != null ? names.keySet().stream().mapToInt(Integer::intValue).toArray()
                        : presentLabels(predicted, reference);
                bySubject.put(p.subject(), SegmentationMetrics.computeAll(predicted, reference, labels));
                progress.advance(1);
            }
        }
        return new Scored(bySubject, resampledPredictions);
    }

    private static String tsv(Map<String, List<SegmentationMetrics.LabelMetrics>> bySubject,
            Map<Integer, String> names) {
        StringBuilder tsv = new StringBuilder(
                "subject\tlabel\tname\tdice\thd95_mm\tpredicted_ml\treference_ml\tdifference_ml\n");
        for (Map.Entry<String, List<SegmentationMetrics.LabelMetrics>> e : bySubject.entrySet()) {
            for (SegmentationMetrics.LabelMetrics m : e.getValue()) {
                tsv.append(e.getKey()).append('\t').append(m.label()).append('\t').append(name(names, m.label()))
                        .append('\t').append(fmt(m.dice())).append('\t').append(fmt(m.hd95Mm()))
                        .append('\t').append(fmt(m.predictedMl())).append('\t').append(fmt(m.referenceMl()))
                        .append('\t').append(fmt(m.differenceMl())).append('\n');
            }
        }
        return tsv.toString();
    }

    /** Per label the mean and lowest Dice over subjects, per subject the mean over labels, and the bars. */
    private static Summary summarise(Scored scored, Map<Integer, String> names, double barMean, double barMin) {
        Map<Integer, List<Double>> dicePerLabel = new LinkedHashMap<>();
        Map<String, Object> perSubject = new LinkedHashMap<>();
        for (Map.Entry<String, List<SegmentationMetrics.LabelMetrics>> e : scored.bySubject().entrySet()) {
            double sum = 0;
            for (SegmentationMetrics.LabelMetrics m : e.getValue()) {
                dicePerLabel.computeIfAbsent(m.label(), k -> new ArrayList<>()).add(m.dice());
                sum += m.dice();
            }
            perSubject.put(e.getKey(), Map.of("mean_dice", round(sum / Math.max(1, e.getValue().size()))));
        }
        Map<String, Object> perLabel = new LinkedHashMap<>();
        List<DiceChart.Bar> bars = new ArrayList<>();
        double meanOfMeans = 0;
        double minOfMeans = Double.POSITIVE_INFINITY;
        String worst = null;
        for (Map.Entry<Integer, List<Double>> e : dicePerLabel.entrySet()) {
            double mean = e.getValue().stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
            double min = e.getValue().stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
            String n = name(names, e.getKey());
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("id", e.getKey());
            entry.put("mean_dice", round(mean));
            entry.put("min_dice", round(min));
            perLabel.put(n, entry);
            bars.add(new DiceChart.Bar(n, mean, min));
            meanOfMeans += mean;
            if (mean < minOfMeans) {
                minOfMeans = mean;
                worst = n;
            }
        }
        meanOfMeans /= Math.max(1, dicePerLabel.size());
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("subjects", scored.bySubject().size());
        summary.put("grid", "reference");
        summary.put("resampled_predictions", scored.resampledPredictions());
        summary.put("labels", dicePerLabel.size());
        summary.put("mean_dice", round(meanOfMeans));
        summary.put("min_label_mean_dice", round(minOfMeans));
        summary.put("worst_label", worst);
        summary.put("bar_mean_dice", barMean);
        summary.put("bar_min_label_dice", barMin);
        summary.put("bars_met", meanOfMeans >= barMean && minOfMeans >= barMin);
        summary.put("per_label", perLabel);
        summary.put("per_subject", perSubject);
        return new Summary(summary, bars, meanOfMeans, minOfMeans, worst);
    }

    private static List<Pair> pairs(CommandLine cmd) throws Exception {
        if (cmd.hasOption("pairs")) {
            if (cmd.hasOption("predicted") || cmd.hasOption("reference")) {
                throw new UsageError("give either --pairs or --predicted/--reference, not both");
            }
            Path tsv = Args.existingFile(cmd, "pairs");
            TsvTable.Table table = TsvTable.read(tsv, "pairs");
            if (!table.has("subject") || !table.has("predicted") || !table.has("reference")) {
                throw new ToolFailure(tsv, "needs the columns subject, predicted, reference");
            }
            Path base = tsv.toAbsolutePath().getParent();
            List<Pair> out = new ArrayList<>();
            for (TsvTable.Row row : table.rows()) {
                out.add(new Pair(row.get("subject"), existing(base.resolve(row.get("predicted"))),
                        existing(base.resolve(row.get("reference")))));
            }
            if (out.isEmpty()) {
                throw new ToolFailure(tsv, "no subjects listed");
            }
            return out;
        }
        Path predicted = Args.existingFile(cmd, "predicted");
        Path reference = Args.existingFile(cmd, "reference");
        String subject = cmd.getOptionValue("subject",
                predicted.getFileName().toString().replaceFirst("\\.nii(\\.gz)?$", ""));
        return List.of(new Pair(subject, predicted, reference));
    }

    private static Path existing(Path p) {
        if (!Files.isRegularFile(p)) {
            throw new ToolFailure(p, "no such file");
        }
        return p;
    }

    private static int[] presentLabels(ImageVolume a, ImageVolume b) {
        TreeSet<Integer> ids = new TreeSet<>();
        for (float v : a.data()) {
            ids.add(Math.round(v));
        }
        for (float v : b.data()) {
            ids.add(Math.round(v));
        }
        ids.remove(0);
        return ids.stream().mapToInt(Integer::intValue).toArray();
    }

    private static String name(Map<Integer, String> names, int label) {
        return names == null ? Integer.toString(label) : names.getOrDefault(label, Integer.toString(label));
    }

    private static String fmt(double v) {
        return Double.isNaN(v) ? "nan" : String.format(Locale.ROOT, "%.4f", v);
    }

    private static Double round(double v) {
        return Double.isNaN(v) || Double.isInfinite(v) ? null : Math.round(v * 1e4) / 1e4;
    }
}
