package org.deepstroke.aspects.tools;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
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
import org.deepstroke.core.cli.UsageError;
import org.deepstroke.core.image.ImageVolume;
import org.deepstroke.core.image.NiftiReader;
import org.deepstroke.core.io.AtomicFiles;
import org.deepstroke.core.io.OutputGuard;
import org.deepstroke.core.io.TsvTable;

/**
 * {@code deepstroke aspects-lesion-calibrate}: the lesion-fraction threshold of aspects-lesion-score, chosen on a
 * TUNING cohort (never the one evaluated) as the region-level Youden J maximum of lesion maps x region maps against
 * the truth's affected regions. The maps are either a phantom truth folder's (&lt;subject&gt;/labels.nii.gz and
 * &lt;subject&gt;/lesion_mask.nii.gz: whole-region phantom lesions make that degenerate) or, with {@code --cases},
 * the maps a method produced on the tuning subjects (e.g. the U-Net's regions and lesion channel on its validation
 * subjects), so the threshold absorbs that method's errors. Writes a YAML with the threshold, J, the separation of
 * the classes, the maps it came from, the cohort and the command.
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
                .addOption(Option.builder().longOpt("truth-dir").hasArg().argName("DIR")
                        .desc("phantom truth folder: <subject>/labels.nii.gz and <subject>/lesion_mask.nii.gz "
                                + "(this or --cases)").build())
                .addOption(Option.builder().longOpt("cases").hasArg().argName("TSV")
                        .desc("instead of --truth-dir: a method's maps on the tuning subjects, table with header "
                                + "subject<TAB>labels<TAB>lesion (region map, binary lesion map; relative paths "
                                + "against the table's folder); only the truth table's subjects are used").build())
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
        boolean truthMaps = cmd.hasOption("truth-dir");
        if (truthMaps == cmd.hasOption("cases")) {
            throw new UsageError("give exactly one of --truth-dir and --cases");
        }
        Path maps = truthMaps ? Args.requiredPath(cmd, "truth-dir") : Args.existingFile(cmd, "cases");
        if (truthMaps && !Files.isDirectory(maps)) {
            throw new ToolFailure(maps, "no such folder");
        }
        Map<String, TruthTable.Truth> truth = Inputs.truth(cmd);
        Path output = Args.requiredPath(cmd, "output");
        OutputGuard guard = OutputGuard.create();
        (truthMaps ? guard.inputFolder("truth-dir", maps) : guard.input("cases", maps)).output("output", output)
                .check();
        Map<String, Path[]> files = truthMaps ? truthFiles(maps, truth) : caseFiles(maps, truth);
        int maxId = AspectsRegion.all().stream().mapToInt(AspectsRegion::id).max().orElseThrow();
        List<LesionCalibration.Subject> subjects = new ArrayList<>();
        for (TruthTable.Truth t : truth.values()) {
            Path[] f = files.get(t.subject());
            if (f == null) {
                continue;
            }
            ImageVolume labels = NiftiReader.read(f[0]);
            ImageVolume lesion = NiftiReader.read(f[1]);
            ScoreInputs.checkLabels(f[0], labels, maxId);
            LesionFractions.checkBinary(f[1], lesion);
            subjects.add(new LesionCalibration.Subject(LesionFractions.measure(labels, lesion), t));
        }
        if (subjects.isEmpty()) {
            throw new ToolFailure(maps, "no subject of the truth table");
        }
        LesionCalibration.Result r;
        try {
            r = LesionCalibration.calibrate(subjects);
        } catch (IllegalArgumentException e) {
            throw new ToolFailure(maps, e.getMessage());
        }
        String yaml = yaml(r, subjects.size(), truthMaps ? TRUTH_MAPS : CASE_MAPS, cmd.getOptionValue("cohort").strip(),
                command(cmd));
        AtomicFiles.writeString(output, yaml);
        out.printf(Locale.ROOT, "threshold %.4f\tJ %.4f\tsensitivity %.4f\tspecificity %.4f\t%d affected / %d "
                + "unaffected regions of %d subjects%s%n", r.threshold(), r.cut().j(), r.cut().sensitivity(),
                r.cut().specificity(), r.cut().positives(), r.cut().negatives(), subjects.size(),
                r.separated() ? "\tdegenerate: every threshold in [" + f(r.maxNegative()) + ", " + f(r.minPositive())
                        + ") gives the same J" : "");
        out.flush();
        return ExitCodes.OK;
    }

    /** Per subject of the truth table: {labels, lesion} in the phantom truth folder; every subject must have both. */
    private static Map<String, Path[]> truthFiles(Path dir, Map<String, TruthTable.Truth> truth) {
        Map<String, Path[]> out = new LinkedHashMap<>();
        for (String subject : truth.keySet()) {
            Path labels = dir.resolve(subject).resolve("labels.nii.gz");
            Path lesion = dir.resolve(subject).resolve("lesion_mask.nii.gz");
            if (!Files.isRegularFile(labels) || !Files.isRegularFile(lesion)) {
                throw new ToolFailure(dir.resolve(subject), "no labels.nii.gz and lesion_mask.nii.gz for subject "
                        + subject + " of the truth table");
            }
            out.put(subject, new Path[] {labels, lesion});
        }
        return out;
    }

    /** Per row of the cases table: {labels, lesion}; every subject must be in the truth table, each once. */
    private static Map<String, Path[]> caseFiles(Path table, Map<String, TruthTable.Truth> truth) {
        Map<String, Path[]> out = new LinkedHashMap<>();
        for (TsvTable.Row row : TsvTable.read(table, "cases").require("subject", "labels", "lesion").rows()) {
            String subject = row.get("subject");
            if (!truth.containsKey(subject)) {
                throw new ToolFailure(table, "line " + row.line() + ": subject " + subject + " is not in the truth "
                        + "table");
            }
            Path[] f = {table.toAbsolutePath().getParent().resolve(row.get("labels")),
                table.toAbsolutePath().getParent().resolve(row.get("lesion"))};
            for (Path p : f) {
                if (!Files.isRegularFile(p)) {
                    throw new ToolFailure(table, "line " + row.line() + ": no such file " + p);
                }
            }
            if (out.put(subject, f) != null) {
                throw new ToolFailure(table, "line " + row.line() + ": subject " + subject + " listed twice");
            }
        }
        return out;
    }

    /** What the maps were, for the YAML. */
    static final String TRUTH_MAPS = "truth lesion mask x truth labels";
    static final String CASE_MAPS = "a method's lesion map x its region map (--cases)";

    static String yaml(LesionCalibration.Result r, int subjects, String maps, String cohort, String command) {
        StringBuilder b = new StringBuilder();
        b.append("# Lesion-fraction threshold of the lesion x regions ASPECTS path (aspects-lesion-score): a region\n")
                .append("# is affected when the fraction of its voxels inside the lesion map exceeds it. Chosen on a\n")
                .append("# tuning cohort, never the evaluated one: region-level Youden J over every hemisphere\n")
                .append("# region of every subject (").append(maps).append(" vs the truth's affected regions).\n");
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
                .append("maps: '").append(maps.replace("'", "''")).append("'\n")
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
