package org.deepstroke.aspects.tools;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;
import org.deepstroke.aspects.LesionCalibration;
import org.deepstroke.aspects.LesionFractions;
import org.deepstroke.aspects.ScoreInputs;
import org.deepstroke.aspects.TruthTable;
import org.deepstroke.core.aspects.AspectsRegion;
import org.deepstroke.core.cli.Args;
import org.deepstroke.core.cli.ExitCodes;
import org.deepstroke.core.cli.Tool;
import org.deepstroke.core.cli.ToolFailure;
import org.deepstroke.core.image.ImageVolume;
import org.deepstroke.core.image.NiftiReader;
import org.deepstroke.core.io.AtomicFiles;
import org.deepstroke.core.io.OutputGuard;

/**
 * {@code deepstroke aspects-lesion-calibrate}: the lesion-fraction threshold of aspects-lesion-score, chosen on a
 * TUNING cohort (never the one evaluated) as the region-level Youden J maximum of truth lesion masks x truth labels
 * against the truth's affected regions. Reads a phantom truth folder (&lt;subject&gt;/labels.nii.gz and
 * &lt;subject&gt;/lesion_mask.nii.gz) and its cohort.tsv; writes a YAML with the threshold, J, the separation of
 * the classes, the cohort it came from and the command.
 */
public final class AspectsLesionCalibrateTool implements Tool {

    @Override
    public String name() {
        return "aspects-lesion-calibrate";
    }

    @Override
    public String summary() {
        return "Calibrate the lesion-fraction threshold of aspects-lesion-score on a tuning cohort (region-level "
                + "Youden J)";
    }

    @Override
    public Options options() {
        return new Options()
                .addOption(Option.builder().longOpt("truth-dir").hasArg().argName("DIR").required()
                        .desc("phantom truth folder: <subject>/labels.nii.gz and <subject>/lesion_mask.nii.gz")
                        .build())
                .addOption(Option.builder().longOpt("truth").hasArgs().argName("TSV").required()
                        .desc("truth table (pseudonym, side, affected_regions: the tuning phantom's cohort.tsv)")
                        .build())
                .addOption(Option.builder().longOpt("cohort").hasArg().argName("TEXT").required()
                        .desc("what the tuning cohort is (e.g. 'phantom --anatomy mni --seed 101 --subjects 8'), "
                                + "recorded in the YAML").build())
                .addOption(Option.builder().longOpt("output").hasArg().argName("YAML").required()
                        .desc("where the threshold goes (params/aspects-lesion-threshold.yaml)").build());
    }

    @Override
    public int run(CommandLine cmd, PrintWriter out) throws Exception {
        Path dir = Args.requiredPath(cmd, "truth-dir");
        if (!Files.isDirectory(dir)) {
            throw new ToolFailure(dir, "no such folder");
        }
        Map<String, TruthTable.Truth> truth = Inputs.truth(cmd);
        Path output = Args.requiredPath(cmd, "output");
        OutputGuard.create().inputFolder("truth-dir", dir).output("output", output).check();
        int maxId = AspectsRegion.all().stream().mapToInt(AspectsRegion::id).max().orElseThrow();
        List<LesionCalibration.Subject> subjects = new ArrayList<>();
        for (TruthTable.Truth t : truth.values()) {
            Path labelsFile = dir.resolve(t.subject()).resolve("labels.nii.gz");
            Path lesionFile = dir.resolve(t.subject()).resolve("lesion_mask.nii.gz");
            if (!Files.isRegularFile(labelsFile) || !Files.isRegularFile(lesionFile)) {
                throw new ToolFailure(dir.resolve(t.subject()), "no labels.nii.gz and lesion_mask.nii.gz for "
                        + "subject " + t.subject() + " of the truth table");
            }
            ImageVolume labels = NiftiReader.read(labelsFile);
            ImageVolume lesion = NiftiReader.read(lesionFile);
            ScoreInputs.checkLabels(labelsFile, labels, maxId);
            LesionFractions.checkBinary(lesionFile, lesion);
            subjects.add(new LesionCalibration.Subject(LesionFractions.measure(labels, lesion), t));
        }
        LesionCalibration.Result r;
        try {
            r = LesionCalibration.calibrate(subjects);
        } catch (IllegalArgumentException e) {
            throw new ToolFailure(dir, e.getMessage());
        }
        String yaml = yaml(r, subjects.size(), cmd.getOptionValue("cohort").strip(), command(cmd));
        AtomicFiles.writeString(output, yaml);
        out.printf(Locale.ROOT, "threshold %.4f\tJ %.4f\tsensitivity %.4f\tspecificity %.4f\t%d affected / %d "
                + "unaffected regions of %d subjects%s%n", r.threshold(), r.cut().j(), r.cut().sensitivity(),
                r.cut().specificity(), r.cut().positives(), r.cut().negatives(), subjects.size(),
                r.separated() ? "\tdegenerate: every threshold in [" + f(r.maxNegative()) + ", " + f(r.minPositive())
                        + ") gives the same J" : "");
        out.flush();
        return ExitCodes.OK;
    }

    static String yaml(LesionCalibration.Result r, int subjects, String cohort, String command) {
        StringBuilder b = new StringBuilder();
        b.append("# Lesion-fraction threshold of the lesion x regions ASPECTS path (aspects-lesion-score): a region\n")
                .append("# is affected when the fraction of its voxels inside the lesion map exceeds it. Chosen on a\n")
                .append("# tuning cohort, never the evaluated one: region-level Youden J over every hemisphere\n")
                .append("# region of every subject (truth lesion mask x truth labels vs the truth's affected regions).\n");
        if (r.separated()) {
            b.append("# DEGENERATE: the classes are separated (largest unaffected fraction ").append(f(r.maxNegative()))
                    .append(", smallest affected ").append(f(r.minPositive())).append("): every threshold in\n")
                    .append("# between gives the same J, and the value below is the middle of that interval, not a\n")
                    .append("# figure the data pin down (e.g. a phantom that draws lesions as whole regions).\n");
        }
        b.append("threshold: ").append(f(r.threshold())).append('\n')
                .append("youden_j: ").append(f(r.cut().j())).append('\n')
                .append("sensitivity: ").append(f(r.cut().sensitivity())).append('\n')
                .append("specificity: ").append(f(r.cut().specificity())).append('\n')
                .append("affected_regions: ").append(r.cut().positives()).append('\n')
                .append("unaffected_regions: ").append(r.cut().negatives()).append('\n')
                .append("max_unaffected_fraction: ").append(f(r.maxNegative())).append('\n')
                .append("min_affected_fraction: ").append(f(r.minPositive())).append('\n')
                .append("degenerate: ").append(r.separated()).append('\n')
                .append("subjects: ").append(subjects).append('\n')
                .append("cohort: '").append(cohort.replace("'", "''")).append("'\n")
                .append("command: '").append(command.replace("'", "''")).append("'\n");
        return b.toString();
    }

    private static String command(CommandLine cmd) {
        StringBuilder b = new StringBuilder("deepstroke aspects-lesion-calibrate");
        for (Option o : cmd.getOptions()) {
            for (String v : o.getValues()) {
                b.append(" --").append(o.getLongOpt()).append(' ')
                        .append(v.contains(" ") ? "\"" + v + "\"" : v);
            }
        }
        return b.toString();
    }

    private static String f(double v) {
        return String.format(Locale.ROOT, "%.4f", v);
    }
}
