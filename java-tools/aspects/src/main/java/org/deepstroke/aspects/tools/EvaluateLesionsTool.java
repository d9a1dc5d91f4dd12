package org.deepstroke.aspects.tools;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;
import org.deepstroke.aspects.LesionFractions;
import org.deepstroke.aspects.LesionOverlap;
import org.deepstroke.core.cli.Args;
import org.deepstroke.core.cli.CommonOptions;
import org.deepstroke.core.cli.ExitCodes;
import org.deepstroke.core.cli.Tool;
import org.deepstroke.core.cli.ToolFailure;
import org.deepstroke.core.cli.UsageError;
import org.deepstroke.core.image.ImageVolume;
import org.deepstroke.core.image.NiftiReader;
import org.deepstroke.core.io.AtomicFiles;
import org.deepstroke.core.io.Json;
import org.deepstroke.core.io.OutputGuard;
import org.deepstroke.core.io.TsvTable;

/**
 * {@code deepstroke evaluate-lesions}: predicted lesion maps against the truth's, per subject and for the cohort:
 * lesion Dice (on the truth's grid), volume error in ml (predicted - truth, signed and absolute), per-subject
 * detection sensitivity/specificity (a subject is positive when its map has at least one lesion voxel). Writes
 * D/&lt;name&gt;_lesion_evaluation.json, D/&lt;name&gt;_lesion_subjects.tsv and D/&lt;name&gt;_lesion_metrics.tsv
 * (metric, value: the form MLflow logging takes).
 */
public final class EvaluateLesionsTool implements Tool {

    @Override
    public String name() {
        return "evaluate-lesions";
    }

    @Override
    public String summary() {
        return "Lesion Dice, volume error and per-subject detection of predicted vs truth lesion maps";
    }

    @Override
    public Options options() {
        return new Options()
                .addOption(Option.builder().longOpt("pairs").hasArg().argName("TSV").required()
                        .desc("table with header subject<TAB>predicted<TAB>truth (binary NIfTI maps; relative paths "
                                + "against the table's folder)").build())
                .addOption(Option.builder().longOpt("name").hasArg().argName("NAME").required()
                        .desc("name of the lesion path, e.g. lesion-unet (names the outputs)").build())
                .addOption(CommonOptions.outputDir("where the outputs go"));
    }

    @Override
    public int run(CommandLine cmd, PrintWriter out) throws Exception {
        String name = cmd.getOptionValue("name").strip();
        if (!name.matches("[A-Za-z0-9._-]+")) {
            throw new UsageError("--name may hold letters, digits, '.', '_' and '-' only: '" + name + "'");
        }
        Path table = Args.existingFile(cmd, "pairs");
        Path dir = Args.requiredPath(cmd, "output-dir");
        // subject order, whatever the table's: the per-subject outputs are then the same for the same pairs
        List<String[]> rows = new ArrayList<>(rows(table));
        rows.sort(Comparator.comparing(r -> r[0].strip()));
        List<Path> inputs = new ArrayList<>();
        rows.forEach(r -> {
            inputs.add(resolve(table, r[1]));
            inputs.add(resolve(table, r[2]));
        });
        OutputGuard.create().input("pairs", table).inputs("pairs", inputs).outputFolder("output-dir", dir).check();
        List<LesionOverlap.Subject> subjects = new ArrayList<>();
        for (String[] r : rows) {
            Path p = resolve(table, r[1]);
            Path t = resolve(table, r[2]);
            ImageVolume predicted = NiftiReader.read(p);
            ImageVolume truth = NiftiReader.read(t);
            LesionFractions.checkBinary(p, predicted);
            LesionFractions.checkBinary(t, truth);
            subjects.add(LesionOverlap.compare(r[0].strip(), predicted, truth));
        }
        LesionOverlap.Summary s = LesionOverlap.summarise(subjects);
        Map<String, Object> metrics = metrics(s);

        StringBuilder perSubject = new StringBuilder("subject\tdice\tpredicted_ml\ttruth_ml\tvolume_error_ml"
                + "\ttruth_positive\tpredicted_positive\n");
        List<Map<String, Object>> list = new ArrayList<>();
        for (LesionOverlap.Subject x : subjects) {
            perSubject.append(String.join("\t", x.subject(), f(x.dice()), f(x.predictedMl()), f(x.truthMl()),
                    f(x.volumeErrorMl()), x.truthPositive() ? "1" : "0", x.predictedPositive() ? "1" : "0"))
                    .append('\n');
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("subject", x.subject());
            m.put("dice", num(x.dice()));
            m.put("predicted_ml", num(x.predictedMl()));
            m.put("truth_ml", num(x.truthMl()));
            m.put("volume_error_ml", num(x.volumeErrorMl()));
            m.put("truth_positive", x.truthPositive());
            m.put("predicted_positive", x.predictedPositive());
            list.add(m);
        }
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("path", name);
        report.put("rules", "Dice on the truth's grid (prediction by nearest neighbour), undefined and left out of "
                + "the mean when both maps are empty; volumes each on its own grid; a subject is positive when its "
                + "map has at least one lesion voxel (no minimum size)");
        report.put("metrics", metrics);
        report.put("subjects", list);
        StringBuilder tsv = new StringBuilder("metric\tvalue\n");
        metrics.forEach((k, v) -> {
            if (v != null) {
                tsv.append("lesion_map.").append(k).append('\t').append(v).append('\n');
            }
        });
        AtomicFiles.writeString(dir.resolve(name + "_lesion_subjects.tsv"), perSubject.toString());
        AtomicFiles.writeString(dir.resolve(name + "_lesion_evaluation.json"), Json.pretty(report));
        AtomicFiles.writeString(dir.resolve(name + "_lesion_metrics.tsv"), tsv.toString());
        out.printf(Locale.ROOT, "%s\tn %d\tDice %s\tvolume error %s ml (abs %s)\tdetection sens %s spec %s%n", name,
                s.subjects(), f(s.meanDice()), f(s.meanVolumeErrorMl()), f(s.meanAbsVolumeErrorMl()),
                f(s.detectionSensitivity()), f(s.detectionSpecificity()));
        out.flush();
        return ExitCodes.OK;
    }

    static Map<String, Object> metrics(LesionOverlap.Summary s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("n_subjects", s.subjects());
        m.put("n_truth_positive", s.truthPositive());
        m.put("n_truth_negative", s.truthNegative());
        m.put("dice_mean", num(s.meanDice()));
        m.put("dice_median", num(s.medianDice()));
        m.put("volume_error_ml_mean", num(s.meanVolumeErrorMl()));
        m.put("abs_volume_error_ml_mean", num(s.meanAbsVolumeErrorMl()));
        m.put("detection_sensitivity", num(s.detectionSensitivity()));
        m.put("detection_specificity", num(s.detectionSpecificity()));
        return m;
    }

    private static List<String[]> rows(Path file) throws java.io.IOException {
        List<String[]> rows = TsvTable.rows(file, "pairs", "subject", "predicted", "truth");
        if (rows.isEmpty()) {
            throw new ToolFailure(file, "no pairs");
        }
        return rows;
    }

    private static Path resolve(Path table, String value) {
        Path p = Path.of(value.strip());
        return p.isAbsolute() ? p : table.toAbsolutePath().getParent().resolve(p);
    }

    private static Double num(double v) {
        return Double.isFinite(v) ? Math.round(v * 10000) / 10000.0 : null;
    }

    private static String f(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%.4f", v) : "NA";
    }
}
