package org.deepstroke.aspects.tools;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;
import org.deepstroke.aspects.AspectsQcImage;
import org.deepstroke.aspects.AspectsScorer;
import org.deepstroke.aspects.CutPoints;
import org.deepstroke.aspects.DescriptorTable;
import org.deepstroke.aspects.IschemiaClassifier;
import org.deepstroke.aspects.LabelGrid;
import org.deepstroke.aspects.QcFlags;
import org.deepstroke.aspects.RegionDescriptors;
import org.deepstroke.aspects.RegionMeasurer;
import org.deepstroke.aspects.ScoreInputs;
import org.deepstroke.aspects.SubjectPrediction;
import org.deepstroke.core.aspects.AspectsRegion.Side;
import org.deepstroke.core.aspects.AspectsRegion.Structure;
import org.deepstroke.core.aspects.AspectsRegion;
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
import org.deepstroke.core.io.TsvTable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code deepstroke aspects-score}: native CT (HU) + lateralized ASPECTS label map -> per region and hemisphere
 * volume and HU statistics, relative HU, decisions against the cut-points, ASPECTS; optionally the fitted
 * classifier's decisions too. Writes D/&lt;subject&gt;_aspects.tsv/.json, D/&lt;subject&gt;_descriptors.tsv,
 * D/&lt;subject&gt;_score.tsv (one row) and D/&lt;subject&gt;_aspects_qc.png.
 */
public final class AspectsScoreTool implements Tool {

    private static final Logger LOG = LoggerFactory.getLogger(AspectsScoreTool.class);

    @Override
    public String name() {
        return "aspects-score";
    }

    @Override
    public String summary() {
        return "ASPECTS from a native NCCT and a lateralized region label map (relative HU vs cut-points; optional "
                + "classifier)";
    }

    @Override
    public Options options() {
        return new Options()
                .addOption(Option.builder().longOpt("ct").hasArg().argName("NIFTI")
                        .desc("native CT in HU").build())
                .addOption(Option.builder().longOpt("labels").hasArg().argName("NIFTI")
                        .desc("ASPECTS label map, ids 1..10 left C, L, IC, I, M1..M6, 11..20 right (truth, "
                                + "back-projected atlas or U-Net prediction); another grid is resampled onto the "
                                + "CT's through world coordinates, nearest neighbour").build())
                .addOption(CommonOptions.outputDir("where the outputs go (with --cases: one folder per subject in it)"))
                .addOption(Option.builder().longOpt("cases").hasArg().argName("TSV")
                        .desc("instead of --ct/--labels/--subject: a table subject, ct, labels scored in one run "
                                + "(for cohorts: one JVM start)").build())
                .addOption(Option.builder().longOpt("subject").hasArg().argName("NAME")
                        .desc("subject name for file names and tables (default: the CT file name without "
                                + ".nii[.gz])").build())
                .addOption(Option.builder().longOpt("side").hasArg().argName("L|R|auto")
                        .desc("affected side; auto (default): the side with the larger HU deficit").build())
                .addOption(Option.builder().longOpt("cutpoints").hasArg().argName("YAML")
                        .desc("cut-points and parenchymal window (default: the built-in copy of "
                                + "params/aspects-cutpoints.yaml)").build())
                .addOption(Option.builder().longOpt("model").hasArg().argName("FILE")
                        .desc("a region classifier from aspects-fit: adds its decisions and score").build())
                .addOption(Option.builder().longOpt("brain-mask").hasArg().argName("NIFTI")
                        .desc("QC: the skull-strip brain mask (intracranial volume check)").build())
                .addOption(Option.builder().longOpt("registration-qc").hasArg().argName("JSON")
                        .desc("QC: register's <subject>_registration_qc.json (brain overlap and folding checks)")
                        .build());
    }

    @Override
    public int run(CommandLine cmd, PrintWriter out) throws Exception {
        Path dir = Args.requiredPath(cmd, "output-dir");
        Side side = parseSide(cmd.getOptionValue("side", "auto"));
        CutPoints cutpoints = cmd.hasOption("cutpoints") ? CutPoints.read(Args.existingFile(cmd, "cutpoints"))
                : DefaultCutPoints.load();
        IschemiaClassifier classifier = cmd.hasOption("model")
                ? IschemiaClassifier.load(Args.existingFile(cmd, "model")) : null;
        if (cmd.hasOption("cases")) {
            if (cmd.hasOption("ct") || cmd.hasOption("labels") || cmd.hasOption("subject")) {
                throw new UsageError("give either --cases or --ct/--labels[/--subject], not both");
            }
            Path cases = Args.existingFile(cmd, "cases");
            List<String[]> rows = readCases(cases);
            try (Progress progress = new Progress("aspects-score", rows.size())) {
                for (String[] r : rows) {
                    String subject = checkedSubject(r[0]);
                    score(subject, existing(cases, r[1]), existing(cases, r[2]), dir.resolve(subject), side,
                            cutpoints, classifier, QcFlags.Inputs.none(), out);
                    progress.advance(1);
                }
            }
            return ExitCodes.OK;
        }
        Path ctFile = Args.existingFile(cmd, "ct");
        Path labelsFile = Args.existingFile(cmd, "labels");
        QcFlags.Inputs qc = QcInputsReader.read(cmd.hasOption("brain-mask") ? Args.existingFile(cmd, "brain-mask")
                : null, cmd.hasOption("registration-qc") ? Args.existingFile(cmd, "registration-qc") : null);
        score(checkedSubject(cmd.getOptionValue("subject", stem(ctFile))), ctFile, labelsFile, dir, side, cutpoints,
                classifier, qc, out);
        return ExitCodes.OK;
    }

    private static String checkedSubject(String subject) {
        if (!subject.matches("[A-Za-z0-9._-]+")) {
            throw new UsageError("subject names may hold letters, digits, '.', '_' and '-' only: '" + subject + "'");
        }
        return subject;
    }

    /** Rows (subject, ct, labels) of a cases table with that header; relative paths against the table's folder. */
    static List<String[]> readCases(Path file) throws java.io.IOException {
        return TsvTable.rows(file, "cases", "subject", "ct", "labels");
    }

    private static Path existing(Path table, String value) {
        Path p = Path.of(value.strip());
        Path resolved = p.isAbsolute() ? p : table.toAbsolutePath().getParent().resolve(p);
        if (!java.nio.file.Files.isRegularFile(resolved)) {
            throw new ToolFailure(resolved, "no such file (listed in " + table + ")");
        }
        return resolved;
    }

    private static void score(String subject, Path ctFile, Path labelsFile, Path dir, Side side, CutPoints cutpoints,
            IschemiaClassifier classifier, QcFlags.Inputs qc, PrintWriter out) throws Exception {
        OutputGuard.create().input("ct", ctFile).input("labels", labelsFile).outputFolder("output-dir", dir).check();
        score(subject, NiftiReader.read(ctFile), NiftiReader.read(labelsFile), ctFile, labelsFile, dir, side,
                cutpoints, classifier, qc, out);
    }

    /** What {@link #score(String, ImageVolume, ImageVolume, Path, Path, Path, Side, CutPoints, IschemiaClassifier,
     * PrintWriter)} measured and decided, for callers that go on (aspects-scan's report). */
    public record Scored(AspectsScorer.Result result, Map<AspectsRegion, RegionDescriptors> measures,
            ImageVolume labels, SubjectPrediction classifier, List<QcFlags.Flag> flags) {
    }

    /**
     * Scores volumes already in memory (aspects-scan: one JVM from DICOM to report) and writes the same files as the
     * command; {@code ctFile} and {@code labelsFile} name the inputs in the JSON and in the input checks' messages.
     */
    public static Scored score(String subject, ImageVolume ct, ImageVolume rawLabels, Path ctFile, Path labelsFile,
            Path dir, Side side, CutPoints cutpoints, IschemiaClassifier classifier, QcFlags.Inputs qc, PrintWriter out)
            throws Exception {
        int maxId = AspectsRegion.all().stream().mapToInt(AspectsRegion::id).max().orElseThrow();
        ScoreInputs.checkLabels(labelsFile, rawLabels, maxId);
        ScoreInputs.checkCt(ctFile, ct, maxId);
        ImageVolume labels = LabelGrid.onGridOf(rawLabels, ct);
        boolean resampled = labels != rawLabels;
        if (resampled) {
            LOG.info("{}: labels are on another grid; resampled onto the CT's (nearest neighbour)", labelsFile);
        }
        Map<AspectsRegion, RegionDescriptors> m = new RegionMeasurer(cutpoints.window(), RegionMeasurer.DEFAULT_GLCM)
                .measure(ct, labels);
        List<String> missing = m.values().stream().filter(d -> !d.measured()).map(d -> d.region().key()).toList();
        if (missing.size() == 20) {
            throw new ToolFailure(labelsFile, "no ASPECTS region (ids 1..20) with voxels in the HU window "
                    + cutpoints.window() + " of " + ctFile.getFileName());
        }
        if (!missing.isEmpty()) {
            LOG.warn("{}: regions without voxels in the HU window (never called affected): {}", subject, missing);
        }
        AspectsScorer.Result result = AspectsScorer.score(m, cutpoints, side);
        SubjectPrediction fitted = classifier == null ? null
                : SubjectPrediction.ofClassifier(subject, m, classifier, side);
        List<QcFlags.Flag> flags = QcFlags.evaluate(qc, m);

        DescriptorTable.write(dir.resolve(subject + "_descriptors.tsv"), subject, cutpoints.window(), m);
        AtomicFiles.writeString(dir.resolve(subject + "_aspects.tsv"), table(subject, m, result, fitted));
        Map<String, Object> json = json(subject, ctFile, labelsFile, resampled, cutpoints, m, result, fitted, missing);
        json.put("qc_ok", QcFlags.allOk(flags));
        json.put("qc_flags", flags.stream().map(QcFlags.Flag::json).toList());
        AtomicFiles.writeString(dir.resolve(subject + "_aspects.json"),
                Json.pretty(json));
        AtomicFiles.writeString(dir.resolve(subject + "_score.tsv"), scoreRow(subject, result, fitted, flags));
        AspectsQcImage.write(dir.resolve(subject + "_aspects_qc.png"), subject, ct, labels, result);
        out.printf(Locale.ROOT, "%s\tASPECTS %d\tside %s (%s)\taffected %s%s%n", subject, result.score(),
                result.side(), result.sideDetected() ? "detected" : "given", codes(result.affected()),
                fitted == null ? "" : "\tclassifier ASPECTS " + fitted.score() + " side " + fitted.side()
                        + " affected " + codes(List.copyOf(fitted.affected())));
        out.flush();
        return new Scored(result, m, labels, fitted, flags);
    }

    /** Header of the one-row {@code <subject>_score.tsv} (the pipeline concatenates these into scores.tsv). */
    public static final String SCORE_HEADER = "subject\tside\tside_source\taspects\taffected\tclassifier_side"
            + "\tclassifier_aspects\tclassifier_affected\tqc";

    private static String scoreRow(String subject, AspectsScorer.Result r, SubjectPrediction fitted,
            List<QcFlags.Flag> flags) {
        return SCORE_HEADER + "\n" + String.join("\t", subject, r.side().name(),
                r.sideDetected() ? "detected" : "given", Integer.toString(r.score()), codes(r.affected()),
                fitted == null ? "NA" : fitted.side().name(), fitted == null ? "NA" : Integer.toString(fitted.score()),
                fitted == null ? "NA" : codes(List.copyOf(fitted.affected())), QcFlags.summary(flags)) + "\n";
    }

    static Side parseSide(String value) {
        return switch (value.strip().toUpperCase(Locale.ROOT)) {
            case "L" -> Side.L;
            case "R" -> Side.R;
            case "AUTO" -> null;
            default -> throw new UsageError("--side expects L, R or auto, got '" + value + "'");
        };
    }

    static String stem(Path file) {
        return file.getFileName().toString().replaceFirst("\\.nii(\\.gz)?$", "");
    }

    private static String codes(List<Structure> list) {
        return list.isEmpty() ? "-" : String.join(",", list.stream().map(Structure::name).toList());
    }

    private static String table(String subject, Map<AspectsRegion, RegionDescriptors> m, AspectsScorer.Result r,
            SubjectPrediction fitted) {
        StringBuilder b = new StringBuilder("subject\tregion\themisphere\tlabel_id\tvolume_ml\tvoxels_in_window"
                + "\tmean_hu\tmedian_hu\trelative_hu\tcutpoint\tscored_side\taffected"
                + (fitted == null ? "" : "\tclassifier_probability\tclassifier_affected") + "\n");
        Map<Structure, AspectsScorer.StructureDecision> decisions = AspectsScorer.byStructure(r);
        for (AspectsRegion region : AspectsRegion.values()) {
            RegionDescriptors d = m.get(region);
            double rel = AspectsScorer.relativeHu(m, region.structure(), region.side());
            boolean scored = region.side() == r.side();
            AspectsScorer.StructureDecision dec = decisions.get(region.structure());
            b.append(String.join("\t", subject, region.code(), region.side().name(), Integer.toString(region.id()),
                    f(d.volumeMl(), 3), Long.toString(d.windowVoxels()), f(d.mean(), 2), f(d.median(), 2), f(rel, 4),
                    f(dec.cutpoint(), 4), scored ? "yes" : "no", scored && dec.affected() ? "yes" : "no"));
            if (fitted != null) {
                boolean fs = region.side() == fitted.side();
                b.append('\t').append(fs ? f(fitted.regionScore().get(region.structure()), 3) : "NA").append('\t')
                        .append(fs && fitted.affected().contains(region.structure()) ? "yes" : "no");
            }
            b.append('\n');
        }
        return b.toString();
    }

    private static Map<String, Object> json(String subject, Path ct, Path labels, boolean resampled, CutPoints c,
            Map<AspectsRegion, RegionDescriptors> m, AspectsScorer.Result r, SubjectPrediction fitted,
            List<String> missing) {
        Map<String, Object> j = new LinkedHashMap<>();
        j.put("subject", subject);
        j.put("ct", ct.getFileName().toString());
        j.put("labels", labels.getFileName().toString());
        j.put("labels_resampled_to_ct_grid", resampled);
        j.put("hu_window", Map.of("low", c.window().low(), "high", c.window().high()));
        j.put("cutpoints_source", c.source());
        Map<String, Object> base = new LinkedHashMap<>();
        base.put("method", "relative HU (ipsilateral / contralateral mean in the window) below the region cut-point");
        base.put("side", r.side().name());
        base.put("side_source", r.sideDetected() ? "detected" : "given");
        base.put("deficit_left", round(r.deficitLeft()));
        base.put("deficit_right", round(r.deficitRight()));
        base.put("score", r.score());
        base.put("affected", r.affected().stream().map(Structure::name).toList());
        Map<String, Object> regions = new LinkedHashMap<>();
        for (AspectsScorer.StructureDecision d : r.decisions()) {
            Map<String, Object> x = new LinkedHashMap<>();
            x.put("relative_hu", round(d.relativeHu()));
            x.put("cutpoint", d.cutpoint());
            x.put("affected", d.affected());
            regions.put(d.structure().name(), x);
        }
        base.put("regions", regions);
        j.put("cutpoint", base);
        if (fitted != null) {
            Map<String, Object> cl = new LinkedHashMap<>();
            cl.put("method", "Tribuo random forest on extended region descriptors (aspects-fit), probability >= 0.5");
            cl.put("side", fitted.side().name());
            cl.put("score", fitted.score());
            cl.put("continuous_score", round(fitted.continuousScore()));
            cl.put("affected", fitted.affected().stream().map(Structure::name).toList());
            Map<String, Object> p = new LinkedHashMap<>();
            fitted.regionScore().forEach((s, v) -> p.put(s.name(), round(v)));
            cl.put("probabilities", p);
            j.put("classifier", cl);
        }
        List<Map<String, Object>> volumes = new ArrayList<>();
        for (AspectsRegion region : AspectsRegion.values()) {
            RegionDescriptors d = m.get(region);
            Map<String, Object> x = new LinkedHashMap<>();
            x.put("region", region.key());
            x.put("label_id", region.id());
            x.put("volume_ml", round(d.volumeMl()));
            x.put("mean_hu", round(d.mean()));
            x.put("median_hu", round(d.median()));
            volumes.add(x);
        }
        j.put("hemisphere_regions", volumes);
        j.put("unmeasured_regions", missing);
        return j;
    }

    private static Double round(double v) {
        return Double.isFinite(v) ? Math.round(v * 10000) / 10000.0 : null;
    }

    private static String f(double v, int digits) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%." + digits + "f", v) : "NA";
    }
}
