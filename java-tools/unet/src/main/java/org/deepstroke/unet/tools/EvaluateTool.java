package org.deepstroke.unet.tools;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;
import org.deepstroke.core.cli.Args;
import org.deepstroke.core.cli.CommonOptions;
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
import org.deepstroke.evaluation.LabelResampler;
import org.deepstroke.evaluation.SegmentationMetrics;
import org.deepstroke.unet.data.CuratedDataset;
import org.deepstroke.unet.data.LabelScheme;
import org.deepstroke.unet.evaluate.HtmlReport;
import org.deepstroke.unet.evaluate.Montage;
import org.deepstroke.unet.train.CurvePlots;
import org.deepstroke.unet.train.TrainingHistory;

/**
 * {@code deepstroke unet-evaluate}: U-Net predictions against the dataset's reference labels and, on the synthetic
 * cohort, the generator's truth: per subject and class Dice, HD95, volumes (SegmentationMetrics of the evaluation
 * module); evaluation.tsv, evaluation.json, training curves, montages, report.html.
 */
public final class EvaluateTool implements Tool {

    @Override
    public String name() {
        return "unet-evaluate";
    }

    @Override
    public String summary() {
        return "Evaluate U-Net predictions vs reference labels and synthetic truth: Dice/HD95/volume TSV+JSON, "
                + "curves, montages, HTML";
    }

    @Override
    public Options options() {
        return new Options()
                .addOption(Option.builder().longOpt("predictions").hasArg().argName("DIR").required()
                        .desc("predicted label maps named <subject>.nii.gz").build())
                .addOption(Option.builder().longOpt("dataset").hasArg().argName("DIR").required()
                        .desc("curated dataset: reference labels and CTs of the subjects").build())
                .addOption(Option.builder().longOpt("variant").hasArg().argName("NAME")
                        .desc("dataset variant the predictions were made on (default raw)").build())
                .addOption(Option.builder().longOpt("truth-dir").hasArg().argName("DIR")
                        .desc("synthetic truth: <subject>/labels.nii.gz (results/phantom/truth)").build())
                .addOption(Option.builder().longOpt("training-dir").hasArg().argName("DIR")
                        .desc("output of deepstroke train (history.tsv -> curves; train.json -> report)").build())
                .addOption(Option.builder().longOpt("classes").hasArg().argName("11|21")
                        .desc("the model's classes (default 21; 11 merges the reference's hemispheres)").build())
                .addOption(CommonOptions.outputDir("evaluation.tsv/json, <subject>/<subject>_qc.png, *_curves.png, "
                        + "report.html"));
    }

    record Row(String subject, String reference, int label, SegmentationMetrics.LabelMetrics m) {
    }

    @Override
    public int run(CommandLine cmd, PrintWriter out) throws Exception {
        Path predictions = Args.requiredPath(cmd, "predictions");
        if (!Files.isDirectory(predictions)) {
            throw new ToolFailure(predictions, "not a folder of predictions");
        }
        CuratedDataset dataset = CuratedDataset.open(Args.requiredPath(cmd, "dataset"));
        String variant = cmd.getOptionValue("variant", "raw");
        int classes = Args.intValue(cmd, "classes", 21);
        if (classes != 11 && classes != 21) {
            throw new UsageError("--classes must be 11 or 21");
        }
        Path truthDir = Args.optionalPath(cmd, "truth-dir");
        Path outDir = Args.requiredPath(cmd, "output-dir");
        OutputGuard.create().inputFolder("predictions", predictions)
                .inputFolder("dataset", Args.requiredPath(cmd, "dataset")).inputFolder("truth-dir", truthDir)
                .outputFolder("output-dir", outDir).check();
        Files.createDirectories(outDir);
        Map<String, CuratedDataset.Entry> bySubject = new TreeMap<>();
        for (CuratedDataset.Entry e : dataset.all()) {
            if (e.variant().equals(variant)) {
                bySubject.put(e.subject(), e);
            }
        }
        List<Path> files = predictionFiles(predictions);
        int[] labels = new int[classes - 1];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = i + 1;
        }
        List<Row> rows = new ArrayList<>();
        List<String> subjects = new ArrayList<>();
        try (Progress progress = new Progress("unet-evaluate", files.size())) {
            for (Path f : files) {
                String subject = f.getFileName().toString().replace(".nii.gz", "");
                CuratedDataset.Entry entry = bySubject.get(subject);
                if (entry == null) {
                    throw new ToolFailure(f, "subject " + subject + " is not in the dataset's " + variant + " rows");
                }
                subjects.add(subject);
                ImageVolume pred = NiftiReader.read(f);
                for (Map.Entry<String, Path> ref : references(subject, entry, truthDir).entrySet()) {
                    ImageVolume reference = onto(NiftiReader.read(ref.getValue()), pred, classes);
                    for (SegmentationMetrics.LabelMetrics m : SegmentationMetrics.computeAll(pred, reference, labels)) {
                        rows.add(new Row(subject, ref.getKey(), m.label(), m));
                    }
                }
                Path subjectDir = outDir.resolve(subject);
                Files.createDirectories(subjectDir);
                Montage.write(NiftiReader.read(entry.volume()), pred, subject + ": U-Net prediction",
                        subjectDir.resolve(subject + "_qc.png"));
                progress.advance(1);
            }
        }
        writeTsv(rows, classes, outDir.resolve("evaluation.tsv"));
        ObjectNode summary = summary(rows, classes, subjects);
        Path trainingDir = Args.optionalPath(cmd, "training-dir");
        if (trainingDir != null && Files.isRegularFile(trainingDir.resolve("history.tsv"))) {
            CurvePlots.write(TrainingHistory.read(trainingDir.resolve("history.tsv"), classes), outDir);
        }
        ObjectMapper json = Json.MAPPER;
        AtomicFiles.writeString(outDir.resolve("evaluation.json"),
                json.writerWithDefaultPrettyPrinter().writeValueAsString(summary));
        String trainJson = trainingDir != null && Files.isRegularFile(trainingDir.resolve("train.json"))
                ? Files.readString(trainingDir.resolve("train.json")) : null;
        AtomicFiles.writeString(outDir.resolve("report.html"), HtmlReport.render(summary, classes, subjects,
                Files.isRegularFile(outDir.resolve("loss_curves.png")), trainJson));
        for (var it = summary.get("references").fields(); it.hasNext();) {
            var e = it.next();
            out.printf(Locale.ROOT, "%s: mean foreground Dice %.4f over %d subjects%n", e.getKey(),
                    e.getValue().get("mean_dice").asDouble(), subjects.size());
        }
        return ExitCodes.OK;
    }

    private static List<Path> predictionFiles(Path predictions) throws IOException {
        List<Path> files;
        try (var s = Files.list(predictions)) {
            files = s.filter(p -> p.getFileName().toString().endsWith(".nii.gz")).sorted().toList();
        }
        if (files.isEmpty()) {
            throw new ToolFailure(predictions, "holds no <subject>.nii.gz predictions");
        }
        return files;
    }

    /** What a prediction is scored against: the dataset's labels and, given --truth-dir, the synthetic truth. */
    private static Map<String, Path> references(String subject, CuratedDataset.Entry entry, Path truthDir) {
        Map<String, Path> references = new LinkedHashMap<>();
        references.put("dataset", entry.segmentation());
        if (truthDir != null) {
            Path t = truthDir.resolve(subject).resolve("labels.nii.gz");
            if (!Files.isRegularFile(t)) {
                throw new ToolFailure(t, "no synthetic truth for " + subject);
            }
            references.put("truth", t);
        }
        return references;
    }

    /** The reference on the prediction's grid (nearest neighbour through world coordinates), merged for 11 classes. */
    static ImageVolume onto(ImageVolume reference, ImageVolume pred, int classes) {
        ImageVolume r = reference.sameGrid(pred, 1e-3) ? reference : LabelResampler.nearestOnto(reference, pred);
        if (classes == 11) {
            float[] v = r.data().clone();
            for (int i = 0; i < v.length; i++) {
                v[i] = LabelScheme.toClass(Math.round(v[i]), 11);
            }
            r = r.withData(v);
        }
        return r;
    }

    private static void writeTsv(List<Row> rows, int classes, Path file) throws IOException {
        StringBuilder b = new StringBuilder("subject\treference\tlabel\tname\tdice\thd95_mm\tpredicted_ml\t"
                + "reference_ml\tdifference_ml\n");
        for (Row r : rows) {
            b.append(r.subject()).append('\t').append(r.reference()).append('\t').append(r.label()).append('\t')
                    .append(LabelScheme.className(r.label(), classes)).append('\t').append(f(r.m().dice()))
                    .append('\t').append(f(r.m().hd95Mm())).append('\t').append(f(r.m().predictedMl())).append('\t')
                    .append(f(r.m().referenceMl())).append('\t').append(f(r.m().differenceMl())).append('\n');
        }
        AtomicFiles.writeString(file, b.toString());
    }

    private static String f(double v) {
        return HtmlReport.number(v);
    }

    /** Mean foreground Dice: per subject the mean over classes present in the reference, then over subjects. */
    private static ObjectNode summary(List<Row> rows, int classes, List<String> subjects) {
        ObjectMapper json = Json.MAPPER;
        ObjectNode root = json.createObjectNode();
        root.put("classes", classes);
        ArrayNode subs = root.putArray("subjects");
        subjects.forEach(subs::add);
        ObjectNode refs = root.putObject("references");
        for (String ref : rows.stream().map(Row::reference).distinct().toList()) {
            ObjectNode node = refs.putObject(ref);
            double subjectMeanSum = 0;
            ObjectNode perSubject = node.putObject("mean_dice_per_subject");
            for (String s : subjects) {
                double sum = 0;
                int n = 0;
                for (Row r : rows) {
                    if (r.reference().equals(ref) && r.subject().equals(s) && r.m().referenceMl() > 0
                            && !Double.isNaN(r.m().dice())) {
                        sum += r.m().dice();
                        n++;
                    }
                }
                double mean = n == 0 ? Double.NaN : sum / n;
                perSubject.put(s, mean);
                subjectMeanSum += mean;
            }
            node.put("mean_dice", subjectMeanSum / subjects.size());
            ObjectNode perClass = node.putObject("per_class");
            for (int c = 1; c < classes; c++) {
                final int cc = c;
                List<Row> cr = rows.stream().filter(r -> r.reference().equals(ref) && r.label() == cc
                        && r.m().referenceMl() > 0).toList();
                ObjectNode cn = perClass.putObject(LabelScheme.className(c, classes));
                cn.put("dice", cr.stream().mapToDouble(r -> r.m().dice()).average().orElse(Double.NaN));
                cn.put("hd95_mm", cr.stream().mapToDouble(r -> r.m().hd95Mm()).filter(Double::isFinite).average()
                        .orElse(Double.NaN));
                cn.put("volume_difference_ml", cr.stream().mapToDouble(r -> r.m().differenceMl()).average()
                        .orElse(Double.NaN));
                cn.put("subjects", cr.size());
            }
        }
        return root;
    }
}
