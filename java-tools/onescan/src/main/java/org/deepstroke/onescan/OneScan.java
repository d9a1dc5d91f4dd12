package org.deepstroke.onescan;

import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.deepstroke.aspects.QcFlags;
import org.deepstroke.aspects.CutPoints;
import org.deepstroke.aspects.tools.AspectsScoreTool;
import org.deepstroke.core.aspects.AspectsRegion.Side;
import org.deepstroke.core.cli.ToolFailure;
import org.deepstroke.core.cli.Version;
import org.deepstroke.core.image.ImageVolume;
import org.deepstroke.core.image.NiftiDatatype;
import org.deepstroke.core.image.NiftiWriter;
import org.deepstroke.core.image.ops.SkullStripper;
import org.deepstroke.core.io.AtomicFiles;
import org.deepstroke.core.io.Json;
import org.deepstroke.core.privacy.Pseudonymizer;
import org.deepstroke.core.provenance.VersionSource;
import org.deepstroke.ingest.convert.ConvertedSeries;
import org.deepstroke.ingest.convert.HuConverter;
import org.deepstroke.ingest.convert.SeriesReader;
import org.deepstroke.ingest.dicom.DicomSource;
import org.deepstroke.ingest.rules.IngestRules;

/**
 * The one-scan path, step by step, each step timed: choose the series, convert, skull strip, label, score, check,
 * report. Outputs go to the output folder atomically, named by the subject's keyed pseudonym; intermediates to a work
 * folder (deleted unless kept).
 */
public final class OneScan {

    /** What aspects-scan was asked to do. */
    public record Settings(List<Path> dicom, Path outputDir, String method, Path model, Path template,
            Path atlasLabels, String preset, CutPoints cutpoints, Side side, IngestRules rules,
            Pseudonymizer pseudonyms, int threads, Path keepWork) {
    }

    /** The headline of a finished run. */
    public record Outcome(String subject, int score, Side side, boolean flagsOk, Path html, Path json,
            Map<String, Double> timings) {
    }

    private OneScan() {
    }

    public static Outcome run(Settings s, PrintWriter out, Consumer<String> log) throws Exception {
        return run(s, out, log, true);
    }

    /** {@code cold}: the JVM started for this scan (its start-up counts); false in --watch (warm). */
    public static Outcome run(Settings s, PrintWriter out, Consumer<String> log, boolean cold) throws Exception {
        Map<String, Double> t = new LinkedHashMap<>();
        long jvmStart = ManagementFactory.getRuntimeMXBean().getStartTime();
        t.put("jvm_start", cold ? (System.currentTimeMillis() - jvmStart) / 1e3 : 0.0);
        long wall = System.nanoTime();
        Files.createDirectories(s.outputDir());
        Path work = s.keepWork() != null ? Files.createDirectories(s.keepWork())
                : Files.createTempDirectory(s.outputDir(), ".aspects-scan-");
        try {
            Steps steps = new Steps(s, t, log, work);
            SeriesChoice.Chosen chosen = steps.chooseSeries();
            String subject = subjectName(chosen);
            ConvertedSeries converted = steps.convert(chosen);
            ImageVolume ct = converted.volume();
            Brain brain = steps.skullStrip(ct);
            Labels labels = steps.label(ct, brain);
            AspectsScoreTool.Scored scored = steps.score(subject, ct, labels, brain);
            return steps.report(subject, chosen, converted, brain, labels, scored, wall);
        } finally {
            if (s.keepWork() == null) {
                deleteTree(work);
            }
        }
    }

    /** The subject's name in the output files: the pseudonym, or the series key when it is not file-name safe. */
    private static String subjectName(SeriesChoice.Chosen chosen) {
        String subject = chosen.decision().subject().replace(',', '_');
        if (!subject.matches("[A-Za-z0-9._-]+")) {
            subject = chosen.decision().series();
        }
        return subject;
    }

    /** The skull strip: the mask as a volume, and the brain's volume for the QC. */
    private record Brain(boolean[] mask, ImageVolume maskVolume, double brainMl) {
    }

    /**
     * The labels, the registration's QC (NONE for the U-Net), how they were made, for the report, and the U-Net's
     * lesion map (null by label transfer or a model without a lesion head).
     */
    private record Labels(ImageVolume labels, LabelTransfer.Qc registration, String method, ImageVolume lesion) {
    }

    /** The steps of one run: each times itself into the shared timings and logs what it did. */
    private static final class Steps {

        private final Settings s;
        private final Map<String, Double> t;
        private final Consumer<String> log;
        private final Path work;

        Steps(Settings s, Map<String, Double> t, Consumer<String> log, Path work) {
            this.s = s;
            this.t = t;
            this.log = log;
            this.work = work;
        }

        SeriesChoice.Chosen chooseSeries() throws IOException {
            long t0 = System.nanoTime();
            SeriesChoice.Chosen chosen = SeriesChoice.choose(s.dicom(), s.rules(), s.pseudonyms(), s.threads(),
                    line -> log.accept("scan: " + line));
            step(t, "series_selection", t0, log);
            chosen.reasons().forEach(r -> log.accept(r));
            return chosen;
        }

        ConvertedSeries convert(SeriesChoice.Chosen chosen) throws Exception {
            long t0 = System.nanoTime();
            DicomSource dicom = DicomSource.pixelMed();
            SeriesReader.Series series = SeriesReader.read(chosen.files(), dicom, s.rules().convert());
            ConvertedSeries converted = HuConverter.convert(series, dicom, s.rules().convert(), Version.get());
            ImageVolume ct = converted.volume();
            converted.warnings().forEach(w -> log.accept("convert: warning: " + w));
            step(t, "convert", t0, log);
            log.accept(String.format(Locale.ROOT, "convert: %d slices -> %dx%dx%d%s%s", series.geometry().sliceCount(),
                    ct.nx(), ct.ny(), ct.nz(), series.geometry().tilted()
                            ? String.format(Locale.ROOT, ", tilt %.2f deg corrected", series.geometry().tiltDeg()) : "",
                    series.geometry().variableSpacing() ? ", variable spacing resampled" : ""));
            return converted;
        }

        Brain skullStrip(ImageVolume ct) {
            long t0 = System.nanoTime();
            boolean[] mask = new SkullStripper(SkullStripper.Parameters.defaults()).brainMask(ct);
            long brainVoxels = 0;
            float[] maskData = new float[mask.length];
            for (int i = 0; i < mask.length; i++) {
                if (mask[i]) {
                    brainVoxels++;
                    maskData[i] = 1;
                }
            }
            if (brainVoxels == 0) {
                throw new ToolFailure(s.dicom().get(0), "no brain found in the chosen series (HU window of "
                        + "skull-strip)");
            }
            double[] sp = ct.spacing();
            double brainMl = brainVoxels * sp[0] * sp[1] * sp[2] / 1000.0;
            ImageVolume maskVolume = ct.withData(maskData);
            step(t, "skull_strip", t0, log);
            return new Brain(mask, maskVolume, brainMl);
        }

        /** The ASPECTS labels by the method asked for; writing their inputs is timed as its own step. */
        Labels label(ImageVolume ct, Brain brain) throws Exception {
            // ANTs and the Segmenter read files: the CT and mask as uncompressed NIfTI (a few ms)
            long t0 = System.nanoTime();
            Path ctFile = work.resolve("ct.nii");
            Path maskFile = work.resolve("brain_mask.nii");
            NiftiWriter.write(ct, ctFile, NiftiDatatype.FLOAT32);
            NiftiWriter.write(brain.maskVolume(), maskFile, NiftiDatatype.UINT8);
            return s.method().equals("unet") ? unetLabels(ctFile, maskFile, t0)
                    : transferLabels(ct, brain, ctFile, maskFile, t0);
        }

        private Labels unetLabels(Path ctFile, Path maskFile, long t0) throws Exception {
            step(t, "write_inputs", t0, log);
            UNetLabels.Result r = UNetLabels.segment(s.model(), ctFile, maskFile);
            t.put("unet_load", round(r.loadSeconds()));
            t.put("unet_segment", round(r.segmentSeconds()));
            log.accept(String.format(Locale.ROOT, "unet: model loaded in %.2f s, segmented in %.2f s (%d^3, %d "
                    + "classes)", r.loadSeconds(), r.segmentSeconds(), r.volumeSize(), r.classes()));
            String method = "U-Net (" + s.model().getFileName() + ", " + r.volumeSize() + "^3 grid, " + r.classes()
                    + " classes)";
            if (r.classes() != 21) {
                throw new ToolFailure(s.model(), "an 11-class (hemispheres merged) model cannot be scored: "
                        + "ASPECTS needs lateralised labels (21 classes)");
            }
            return new Labels(r.labels(), LabelTransfer.Qc.NONE, method, r.lesion());
        }

        private Labels transferLabels(ImageVolume ct, Brain brain, Path ctFile, Path maskFile, long t0)
                throws Exception {
            Path stripped = work.resolve("stripped.nii");
            NiftiWriter.write(SkullStripper.apply(ct, brain.mask(), 0f), stripped, NiftiDatatype.FLOAT32);
            step(t, "write_inputs", t0, log);
            LabelTransfer.Result r = LabelTransfer.run(ctFile, maskFile, stripped, s.template(), s.atlasLabels(),
                    s.preset(), s.threads(), work);
            LabelTransfer.Qc registration = r.qc();
            t.put("register", round(r.registerSeconds()));
            t.put("back_project", round(r.backProjectSeconds()));
            log.accept(String.format(Locale.ROOT, "step register %.2f s (preset %s, brain overlap %.3f, NCC %.3f, "
                    + "min Jacobian %.3f)", r.registerSeconds(), s.preset(), registration.brainOverlap(),
                    registration.ncc(), registration.minJacobian()));
            log.accept(String.format(Locale.ROOT, "step back_project %.2f s", r.backProjectSeconds()));
            String method = "label transfer (register preset " + s.preset() + " + back-project of the atlas labels)";
            return new Labels(r.labels(), registration, method, null);
        }

        AspectsScoreTool.Scored score(String subject, ImageVolume ct, Labels labels, Brain brain) throws Exception {
            long t0 = System.nanoTime();
            LabelTransfer.Qc registration = labels.registration();
            AspectsScoreTool.Scored scored = AspectsScoreTool.score(subject, ct, labels.labels(),
                    Path.of(subject + "_ct.nii.gz"), Path.of(subject + "_labels.nii.gz"), s.outputDir(), s.side(),
                    s.cutpoints(), null, new QcFlags.Inputs(registration.brainOverlap(),
                            registration.minJacobian(), brain.brainMl()),
                    new PrintWriter(PrintWriter.nullWriter()));
            step(t, "score", t0, log);
            return scored;
        }

        /**
         * The QC lines, the report picture, its DICOM copy, the labels as a DICOM Segmentation over a copy of the CT,
         * the HTML page and the JSON; the final timings.
         */
        Outcome report(String subject, SeriesChoice.Chosen chosen, ConvertedSeries converted, Brain brain,
                Labels labels, AspectsScoreTool.Scored scored, long wall) throws Exception {
            long t0 = System.nanoTime();
            List<QcFlags.Flag> flags = scored.flags();
            for (QcFlags.Flag f : flags) {
                if (!f.ok()) {
                    log.accept("QC check: " + f.code() + " = " + f.value() + " (" + f.rule() + ")");
                }
            }
            Map<String, String> versions = versions();
            Path png = s.outputDir().resolve(subject + "_report.png");
            Files.copy(s.outputDir().resolve(subject + "_aspects_qc.png"), png,
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            ReportDicom.writeSecondaryCapture(png, s.outputDir().resolve(subject + "_report_sc.dcm"), subject,
                    chosen.decision().study(), chosen.decision().series(), scored.result().score());
            LesionMap lesion = lesionMap(subject, converted.volume(), labels);
            // the labels as scored: aspects-score brought them onto the CT's grid (LabelGrid), as a SEG needs
            ReportSegmentation.write(converted.volume(), scored.labels(), lesion == null ? null : lesion.map(),
                    s.outputDir().resolve(subject + "_ct"), s.outputDir().resolve(subject + "_labels_seg.dcm"),
                    subject, chosen.decision().study(), chosen.decision().series());
            t.put("report", 0.0);
            t.put("total", 0.0);
            Path html = s.outputDir().resolve(subject + "_report.html");
            Path json = s.outputDir().resolve(subject + "_report.json");
            // timings of report and total are final only after the page: measured, then written once more
            for (int pass = 0; pass < 2; pass++) {
                ReportPage.write(html, new ReportPage.Content(subject, labels.method(), scored.result(),
                        scored.measures(), flags, chosen.reasons(), t, versions, png,
                        lesion == null ? null : lesion.ml()));
                AtomicFiles.writeString(json, Json.pretty(json(subject, labels.method(), scored, flags, chosen, t,
                        versions, brain.brainMl(), labels.registration(), converted, lesion)));
                t.put("report", round((System.nanoTime() - t0) / 1e9));
                t.put("total", round((System.nanoTime() - wall) / 1e9 + t.get("jvm_start")));
            }
            log.accept(String.format(Locale.ROOT, "step report %.2f s", t.get("report")));
            log.accept(String.format(Locale.ROOT, "total %.2f s (JVM start %.2f s included)", t.get("total"),
                    t.get("jvm_start")));
            return new Outcome(subject, scored.result().score(), scored.result().side(), QcFlags.allOk(flags), html,
                    json, t);
        }

        /** The lesion map on the CT's grid, written as {@code <subject>_lesion.nii.gz}; null without a head. */
        private LesionMap lesionMap(String subject, ImageVolume ct, Labels labels) throws IOException {
            if (labels.lesion() == null) {
                return null;
            }
            LesionMap lesion = LesionMap.of(labels.lesion(), ct);
            lesion.write(s.outputDir().resolve(subject + "_lesion.nii.gz"));
            log.accept(String.format(Locale.ROOT, "unet: lesion map %.2f ml (research output)", lesion.ml()));
            return lesion;
        }
    }

    private static Map<String, String> versions() {
        Map<String, String> versions = new TreeMap<>();
        for (VersionSource v : ServiceLoader.load(VersionSource.class)) {
            try {
                versions.putAll(v.versions());
            } catch (RuntimeException e) {
                // a version probe that fails must not cost the report
            }
        }
        return versions;
    }

    private static Map<String, Object> json(String subject, String method, AspectsScoreTool.Scored scored,
            List<QcFlags.Flag> flags, SeriesChoice.Chosen chosen, Map<String, Double> timings,
            Map<String, String> versions, double brainMl, LabelTransfer.Qc registration, ConvertedSeries converted,
            LesionMap lesion) {
        Map<String, Object> j = new LinkedHashMap<>();
        j.put("notice", ReportPage.DISCLAIMER);
        j.put("subject", subject);
        j.put("study", chosen.decision().study());
        j.put("series", chosen.decision().series());
        j.put("aspects", scored.result().score());
        j.put("side", scored.result().side().name());
        j.put("side_source", scored.result().sideDetected() ? "detected" : "given");
        j.put("affected", scored.result().affected().stream().map(Enum::name).toList());
        j.put("labels_method", method);
        j.put("qc_ok", QcFlags.allOk(flags));
        j.put("qc_flags", flags.stream().map(QcFlags.Flag::json).toList());
        j.put("brain_volume_ml", round(brainMl));
        j.put("lesion_ml", lesion == null ? null : round(lesion.ml()));
        j.put("registration_brain_overlap", nullIfNaN(registration.brainOverlap()));
        j.put("registration_ncc", nullIfNaN(registration.ncc()));
        j.put("registration_min_jacobian", nullIfNaN(registration.minJacobian()));
        Map<String, Object> geometry = new LinkedHashMap<>();
        geometry.put("dims", converted.volume().dims());
        geometry.put("spacing_mm", converted.volume().spacing());
        geometry.put("tilt_deg", round(converted.geometry().tiltDeg()));
        geometry.put("tilt_corrected", converted.geometry().tilted());
        geometry.put("variable_spacing_resampled", converted.geometry().variableSpacing());
        j.put("volume", geometry);
        j.put("series_choice", chosen.reasons());
        j.put("series_table", chosen.series());
        j.put("timings_seconds", timings);
        j.put("versions", versions);
        return j;
    }

    private static void step(Map<String, Double> t, String name, long t0, Consumer<String> log) {
        double seconds = round((System.nanoTime() - t0) / 1e9);
        t.put(name, seconds);
        log.accept(String.format(Locale.ROOT, "step %s %.2f s", name, seconds));
    }

    private static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }

    private static Double nullIfNaN(double v) {
        return Double.isNaN(v) ? null : round(v);
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> w = Files.walk(dir)) {
            for (Path p : w.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
