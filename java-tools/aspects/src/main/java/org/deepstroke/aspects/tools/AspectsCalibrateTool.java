package org.deepstroke.aspects.tools;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;
import org.deepstroke.aspects.Calibration;
import org.deepstroke.aspects.CutPoints;
import org.deepstroke.aspects.DescriptorTable;
import org.deepstroke.aspects.TruthTable;
import org.deepstroke.core.cli.Args;
import org.deepstroke.core.cli.ExitCodes;
import org.deepstroke.core.cli.Tool;
import org.deepstroke.core.io.AtomicFiles;

/**
 * {@code deepstroke aspects-calibrate}: per-structure relative-HU cut-points by Youden's J from labelled NCCT cases
 * (aspects-score's descriptor tables + a truth table), written as a cut-points YAML that aspects-score reads.
 */
public final class AspectsCalibrateTool implements Tool {

    @Override
    public String name() {
        return "aspects-calibrate";
    }

    @Override
    public String summary() {
        return "Re-derive ASPECTS relative-HU cut-points from labelled NCCT cases (Youden's J per region)";
    }

    @Override
    public Options options() {
        return new Options()
                .addOption(Option.builder().longOpt("scores").hasArgs().argName("DIR|TSV").required()
                        .desc("aspects-score outputs: folders (walked for *_descriptors.tsv) or files; repeat or "
                                + "comma-separate").build())
                .addOption(Option.builder().longOpt("truth").hasArgs().argName("TSV").required()
                        .desc("truth tables: pseudonym (or subject), side, affected_regions (the phantom's "
                                + "cohort.tsv)").build())
                .addOption(Option.builder().longOpt("output").hasArg().argName("YAML").required()
                        .desc("the calibrated cut-points").build())
                .addOption(Option.builder().longOpt("table").hasArg().argName("TSV")
                        .desc("per region: cases, AUC, cut-point, sensitivity, specificity, J (default: the "
                                + "output's name with .tsv)").build())
                .addOption(Option.builder().longOpt("base").hasArg().argName("YAML")
                        .desc("cut-points kept for a region without positive or negative cases (default: the "
                                + "built-in public defaults)").build());
    }

    @Override
    public int run(CommandLine cmd, PrintWriter out) throws Exception {
        Path output = Args.requiredPath(cmd, "output");
        Path table = cmd.hasOption("table") ? Path.of(cmd.getOptionValue("table"))
                : output.resolveSibling(output.getFileName().toString().replaceFirst("\\.ya?ml$", "") + ".tsv");
        Inputs.guard(cmd, "base").output("output", output).output("table", table).check();
        Map<String, TruthTable.Truth> truth = Inputs.truth(cmd);
        Map<String, DescriptorTable.Subject> d = Inputs.labelledDescriptors(Inputs.paths(cmd, "scores"), truth);
        CutPoints base = cmd.hasOption("base") ? CutPoints.read(Args.existingFile(cmd, "base"))
                : DefaultCutPoints.load();
        List<Calibration.Row> rows = Calibration.calibrate(d, truth, base);
        var window = d.values().iterator().next().window();
        CutPoints calibrated = Calibration.cutPoints(rows, window,
                "aspects-calibrate: Youden's J on " + d.size() + " labelled subjects");
        StringBuilder note = new StringBuilder("Calibrated by `deepstroke aspects-calibrate` (Youden's J per region) on "
                + d.size() + " labelled NCCT subjects,\nrelative HU measured in the window " + window + ".");
        StringBuilder tsv = new StringBuilder("region\tpositives\tnegatives\tauc\tcutpoint\tsensitivity\tspecificity"
                + "\tyouden_j\tbase_cutpoint\tkept_base\n");
        for (Calibration.Row r : rows) {
            boolean kept = Double.isNaN(r.youden().cut());
            if (kept) {
                note.append("\n").append(r.structure()).append(": no positive or no negative case; base cut-point kept");
            }
            tsv.append(String.format(Locale.ROOT, "%s\t%d\t%d\t%s\t%.4f\t%s\t%s\t%s\t%.4f\t%s%n", r.structure(),
                    r.youden().positives(), r.youden().negatives(), f(r.auc()), r.chosen(), f(r.youden().sensitivity()),
                    f(r.youden().specificity()), f(r.youden().j()), r.base(), kept ? "yes" : "no"));
        }
        calibrated.write(output, note.toString());
        AtomicFiles.writeString(table, tsv.toString());
        out.print(tsv);
        return ExitCodes.OK;
    }

    private static String f(double v) {
        return Double.isNaN(v) ? "NA" : String.format(Locale.ROOT, "%.4f", v);
    }
}
