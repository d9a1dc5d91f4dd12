package org.deepstroke.aspects.tools;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;
import org.deepstroke.aspects.LesionFractions;
import org.deepstroke.aspects.LesionScorer;
import org.deepstroke.aspects.LesionThreshold;
import org.deepstroke.aspects.ScoreInputs;
import org.deepstroke.core.aspects.AspectsRegion.Structure;
import org.deepstroke.core.aspects.AspectsRegion;
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

/**
 * {@code deepstroke aspects-lesion-score}: the lesion x regions ASPECTS path. A binary lesion map + a lateralized
 * ASPECTS region map (the regions taken onto the lesion's grid, nearest neighbour) -> per hemisphere region the
 * lesion fraction; on the side with more lesion voxels a region is affected when its fraction exceeds the threshold.
 * Writes D/&lt;subject&gt;_aspects.json (section "lesion": side, score, affected, regions; what aspects-evaluate
 * reads), D/&lt;subject&gt;_score.tsv (aspects-score's one-row form) and D/&lt;subject&gt;_lesion_regions.tsv.
 */
public final class AspectsLesionScoreTool implements Tool {

    @Override
    public String name() {
        return "aspects-lesion-score";
    }

    @Override
    public String summary() {
        return "ASPECTS from a binary lesion map x region labels (region affected when its lesion fraction exceeds "
                + "a threshold)";
    }

    @Override
    public Options options() {
        return new Options()
                .addOption(Option.builder().longOpt("labels").hasArg().argName("NIFTI").required()
                        .desc("ASPECTS region map, ids 1..10 left C, L, IC, I, M1..M6, 11..20 right (any grid: taken "
                                + "onto the lesion's by nearest neighbour)").build())
                .addOption(Option.builder().longOpt("lesion").hasArg().argName("NIFTI").required()
                        .desc("binary lesion map (0/1); its grid is the one voxels are counted on").build())
                .addOption(Option.builder().longOpt("threshold").hasArg().argName("F")
                        .desc("lesion fraction above which a region is affected, in [0, 1)").build())
                .addOption(Option.builder().longOpt("calibration").hasArg().argName("YAML")
                        .desc("instead of --threshold: aspects-lesion-calibrate's YAML "
                                + "(params/aspects-lesion-threshold.yaml)").build())
                .addOption(Option.builder().longOpt("subject").hasArg().argName("NAME")
                        .desc("subject name for file names (default: the lesion file name without .nii[.gz])").build())
                .addOption(CommonOptions.outputDir("where the outputs go"));
    }

    @Override
    public int run(CommandLine cmd, PrintWriter out) throws Exception {
        if (cmd.hasOption("threshold") == cmd.hasOption("calibration")) {
            throw new UsageError("give exactly one of --threshold and --calibration");
        }
        Path labelsFile = Args.existingFile(cmd, "labels");
        Path lesionFile = Args.existingFile(cmd, "lesion");
        double threshold;
        String source;
        if (cmd.hasOption("threshold")) {
            try {
                threshold = LesionThreshold.check(null, Double.parseDouble(cmd.getOptionValue("threshold").strip()));
            } catch (IllegalArgumentException e) {
                throw new UsageError("--threshold: " + e.getMessage());
            }
            source = "--threshold";
        } else {
            Path cal = Args.existingFile(cmd, "calibration");
            threshold = LesionThreshold.read(cal);
            source = cal.getFileName().toString();
        }
        String subject = cmd.getOptionValue("subject",
                lesionFile.getFileName().toString().replaceFirst("\\.nii(\\.gz)?$", "")).strip();
        if (!subject.matches("[A-Za-z0-9._-]+")) {
            throw new UsageError("subject names may hold letters, digits, '.', '_' and '-' only: '" + subject + "'");
        }
        Path dir = Args.requiredPath(cmd, "output-dir");
        OutputGuard.create().input("labels", labelsFile).input("lesion", lesionFile).outputFolder("output-dir", dir)
                .check();
        ImageVolume labels = NiftiReader.read(labelsFile);
        ImageVolume lesion = NiftiReader.read(lesionFile);
        int maxId = AspectsRegion.all().stream().mapToInt(AspectsRegion::id).max().orElseThrow();
        ScoreInputs.checkLabels(labelsFile, labels, maxId);
        LesionFractions.checkBinary(lesionFile, lesion);
        Map<AspectsRegion, LesionFractions.Fraction> fractions = LesionFractions.measure(labels, lesion);
        if (fractions.values().stream().allMatch(f -> f.regionVoxels() == 0)) {
            throw new ToolFailure(labelsFile, "no ASPECTS region (ids 1..20) on the grid of "
                    + lesionFile.getFileName());
        }
        LesionScorer.Result r = LesionScorer.score(fractions, threshold);

        // everything computed before anything is written: a failure above leaves no partial output
        AtomicFiles.writeString(dir.resolve(subject + "_lesion_regions.tsv"), table(subject, fractions, r, threshold));
        AtomicFiles.writeString(dir.resolve(subject + "_aspects.json"),
                Json.pretty(json(subject, labelsFile, lesionFile, !labels.sameGrid(lesion, 1e-2), threshold, source,
                        fractions, r)));
        AtomicFiles.writeString(dir.resolve(subject + "_score.tsv"), AspectsScoreTool.SCORE_HEADER + "\n"
                + String.join("\t", subject, r.side().name(), r.sideFromLesion() ? "lesion" : "no-lesion",
                        Integer.toString(r.score()), codes(r.affected().stream().toList()), "NA", "NA", "NA", "NA") + "\n");
        out.printf(Locale.ROOT, "%s\tASPECTS %d\tside %s (%s)\taffected %s\tthreshold %.4f%n", subject, r.score(),
                r.side(), r.sideFromLesion() ? "lesion" : "no lesion", codes(r.affected().stream().toList()),
                threshold);
        out.flush();
        return ExitCodes.OK;
    }

    private static String codes(List<Structure> list) {
        return list.isEmpty() ? "-" : String.join(",", list.stream().map(Structure::name).toList());
    }

    private static String table(String subject, Map<AspectsRegion, LesionFractions.Fraction> fractions,
            LesionScorer.Result r, double threshold) {
        StringBuilder b = new StringBuilder("subject\tregion\themisphere\tlabel_id\tregion_voxels\tlesion_voxels"
                + "\tlesion_fraction\tthreshold\tscored_side\taffected\n");
        for (AspectsRegion region : AspectsRegion.values()) {
            LesionFractions.Fraction f = fractions.get(region);
            boolean scored = region.side() == r.side();
            b.append(String.join("\t", subject, region.code(), region.side().name(), Integer.toString(region.id()),
                    Long.toString(f.regionVoxels()), Long.toString(f.lesionVoxels()),
                    String.format(Locale.ROOT, "%.4f", f.fraction()), String.format(Locale.ROOT, "%.4f", threshold),
                    scored ? "yes" : "no", scored && r.affected().contains(region.structure()) ? "yes" : "no"))
                    .append('\n');
        }
        return b.toString();
    }

    private static Map<String, Object> json(String subject, Path labels, Path lesion, boolean resampled,
            double threshold, String source, Map<AspectsRegion, LesionFractions.Fraction> fractions,
            LesionScorer.Result r) {
        Map<String, Object> j = new LinkedHashMap<>();
        j.put("subject", subject);
        j.put("labels", labels.getFileName().toString());
        j.put("lesion_map", lesion.getFileName().toString());
        j.put("labels_resampled_to_lesion_grid", resampled);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("method", "lesion x regions: region affected when its lesion fraction > threshold, on the side with "
                + "more lesion voxels in its regions");
        m.put("threshold", threshold);
        m.put("threshold_source", source);
        m.put("side", r.side().name());
        m.put("side_source", r.sideFromLesion() ? "lesion" : "no-lesion");
        m.put("lesion_voxels_left", r.lesionLeft());
        m.put("lesion_voxels_right", r.lesionRight());
        m.put("score", r.score());
        m.put("affected", r.affected().stream().map(Structure::name).toList());
        Map<String, Object> regions = new LinkedHashMap<>();
        for (Structure s : Structure.values()) {
            LesionFractions.Fraction f = fractions.get(AspectsRegion.of(s, r.side()));
            Map<String, Object> x = new LinkedHashMap<>();
            x.put("region_voxels", f.regionVoxels());
            x.put("lesion_voxels", f.lesionVoxels());
            x.put("lesion_fraction", Math.round(f.fraction() * 10000) / 10000.0);
            x.put("affected", r.affected().contains(s));
            regions.put(s.name(), x);
        }
        m.put("regions", regions);
        j.put("lesion", m); // the section aspects-evaluate reads (ScoreFiles.Method.LESION)
        return j;
    }
}
