package org.deepstroke.onescan.tools;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;
import org.deepstroke.aspects.CutPoints;
import org.deepstroke.aspects.QcFlags;
import org.deepstroke.aspects.tools.DefaultCutPoints;
import org.deepstroke.core.aspects.AspectsRegion.Side;
import org.deepstroke.core.cli.Args;
import org.deepstroke.core.cli.CommonOptions;
import org.deepstroke.core.cli.ExitCodes;
import org.deepstroke.core.cli.Tool;
import org.deepstroke.core.cli.ToolFailure;
import org.deepstroke.core.cli.UsageError;
import org.deepstroke.core.image.ops.SkullStripper;
import org.deepstroke.core.io.OutputGuard;
import org.deepstroke.core.privacy.Pseudonymizer;
import org.deepstroke.ingest.rules.IngestRules;
import org.deepstroke.ingest.tools.PseudonymKey;
import org.deepstroke.onescan.OneScan;
import org.deepstroke.onescan.Watch;

/**
 * {@code deepstroke aspects-scan}: the scan in front of you, from a DICOM folder to an ASPECTS report in one JVM.
 * Every step is the platform's own code (issue 18 item 5): dicomdir-scan's scanner and NCCT rules choose the series,
 * dicom-to-nifti's reader/converter build the HU volume (tilt, variable spacing), core's SkullStripper the brain
 * mask, the U-Net's Segmenter (--model) or register + back-project (label transfer) the region labels, aspects-score
 * the score and its files; {@link org.deepstroke.onescan.QcFlags} the checks, and one HTML page the report.
 */
public final class AspectsScanTool implements Tool {

    @Override
    public String name() {
        return "aspects-scan";
    }

    @Override
    public String summary() {
        return "One scan: DICOM folder -> series choice -> HU volume -> labels (U-Net or atlas) -> ASPECTS, QC flags, "
                + "HTML report (research use only)";
    }

    @Override
    public Options options() {
        return new Options()
                .addOption(Option.builder().longOpt("dicom").hasArgs().argName("DIR|DICOMDIR|FILE")
                        .desc("a file-set folder (with or without DICOMDIR), a DICOMDIR, or the DICOM files of a study; "
                                + "repeat or comma-separate. The ingest rules choose the best NCCT series").build())
                .addOption(CommonOptions.outputDir("writes <subject>_report.html/.json/.png and aspects-score's files"))
                .addOption(Option.builder().longOpt("labels-method").hasArg().argName("unet|transfer")
                        .desc("region labels: unet (default with --model) or transfer (atlas registration; default "
                                + "without --model)").build())
                .addOption(Option.builder().longOpt("model").hasArg().argName("ZIP")
                        .desc("U-Net model.zip from deepstroke train").build())
                .addOption(Option.builder().longOpt("template").hasArg().argName("NIFTI")
                        .desc("transfer: skull-stripped CT template (the pipeline's params.template)").build())
                .addOption(Option.builder().longOpt("atlas-labels").hasArg().argName("NIFTI")
                        .desc("transfer: ATLAS' aspects_labels.nii.gz on the template's grid").build())
                .addOption(Option.builder().longOpt("preset").hasArg().argName("NAME")
                        .desc("transfer: registration preset (default quick)").build())
                .addOption(Option.builder().longOpt("cutpoints").hasArg().argName("YAML")
                        .desc("ASPECTS cut-points (default: built-in params/aspects-cutpoints.yaml)").build())
                .addOption(Option.builder().longOpt("side").hasArg().argName("L|R|auto")
                        .desc("affected side (default auto: the side with the larger HU deficit)").build())
                .addOption(Option.builder().longOpt("rules").hasArg().argName("YAML")
                        .desc("ingest rules (default: built-in params/ingest-rules.yaml)").build())
                .addOption(Option.builder().longOpt("pseudonym-key-file").hasArg().argName("FILE")
                        .desc("secret pseudonymisation key (default: env " + Pseudonymizer.KEY_ENV + ")").build())
                .addOption(CommonOptions.threads("threads (default: the available processors)"))
                .addOption(Option.builder().longOpt("watch").hasArg().argName("DIR")
                        .desc("stay up and score every study folder dropped into DIR (reports in "
                                + "<output-dir>/<folder>/; the model stays loaded); --dicom is then not given").build())
                .addOption(Option.builder().longOpt("max-scans").hasArg().argName("N")
                        .desc("with --watch: stop after N folders (default 0: run until stopped)").build())
                .addOption(Option.builder().longOpt("keep-work").hasArg().argName("DIR")
                        .desc("keep the intermediate NIfTI/transforms in DIR (default: a temporary folder, deleted)")
                        .build());
    }

    @Override
    public int run(CommandLine cmd, PrintWriter out) throws Exception {
        if (cmd.hasOption("watch") == cmd.hasOption("dicom")) {
            throw new UsageError("give either --dicom (one study) or --watch DIR");
        }
        OneScan.Settings s = settings(cmd);
        guard(cmd, s);
        if (cmd.hasOption("watch")) {
            Watch.run(s, Path.of(cmd.getOptionValue("watch")), Args.intValue(cmd, "max-scans", 0), out,
                    line -> System.err.println("aspects-scan: " + line));
            return ExitCodes.OK;
        }
        OneScan.Outcome o = OneScan.run(s, out, line -> System.err.println("aspects-scan: " + line));
        out.printf(Locale.ROOT, "%s\tASPECTS %d\tside %s\tflags %s\treport %s%n", o.subject(), o.score(), o.side(),
                o.flagsOk() ? "ok" : "check", o.html());
        return ExitCodes.OK;
    }

    /**
     * Issue 16: the report never lands in the DICOM it reads (a folder, a DICOMDIR's file-set root, the folder of
     * a listed file) nor in the watched folder, where it would be taken for the next study.
     */
    private static void guard(CommandLine cmd, OneScan.Settings s) {
        OutputGuard guard = OutputGuard.create();
        for (Path d : s.dicom()) {
            // a missing path is reported by the scan itself (exit 1 naming it)
            guard.inputFolder("dicom", Files.isDirectory(d) ? d
                    : Files.isRegularFile(d) ? d.toAbsolutePath().getParent() : null);
        }
        guard.inputFolder("watch", Args.optionalPath(cmd, "watch"));
        for (String o : new String[] {"model", "template", "atlas-labels", "cutpoints", "rules",
            "pseudonym-key-file"}) {
            guard.input(o, Args.optionalPath(cmd, o));
        }
        guard.outputFolder("output-dir", s.outputDir()).check();
    }

    static OneScan.Settings settings(CommandLine cmd) {
        List<Path> dicom = new ArrayList<>();
        for (String v : cmd.hasOption("dicom") ? cmd.getOptionValues("dicom") : new String[0]) {
            for (String part : v.split(",")) {
                if (!part.isBlank()) {
                    dicom.add(Path.of(part.strip()));
                }
            }
        }
        Path model = cmd.hasOption("model") ? Args.existingFile(cmd, "model") : null;
        String method = cmd.getOptionValue("labels-method", model != null ? "unet" : "transfer")
                .toLowerCase(Locale.ROOT);
        if (!method.equals("unet") && !method.equals("transfer")) {
            throw new UsageError("--labels-method expects unet or transfer, got '" + method + "'");
        }
        if (method.equals("unet") && model == null) {
            throw new UsageError("--labels-method unet needs --model MODEL.zip");
        }
        Path template = null;
        Path atlas = null;
        if (method.equals("transfer")) {
            if (!cmd.hasOption("template") || !cmd.hasOption("atlas-labels")) {
                throw new UsageError("label transfer needs --template and --atlas-labels (or give --model)");
            }
            template = Args.existingFile(cmd, "template");
            atlas = Args.existingFile(cmd, "atlas-labels");
        }
        Side side = switch (cmd.getOptionValue("side", "auto").strip().toUpperCase(Locale.ROOT)) {
            case "L" -> Side.L;
            case "R" -> Side.R;
            case "AUTO" -> null;
            default -> throw new UsageError("--side expects L, R or auto");
        };
        CutPoints cutpoints;
        try {
            cutpoints = cmd.hasOption("cutpoints") ? CutPoints.read(Args.existingFile(cmd, "cutpoints"))
                    : DefaultCutPoints.load();
        } catch (IOException e) {
            throw new ToolFailure("built-in cut-points unreadable: " + e.getMessage());
        }
        IngestRules rules = IngestRules.load(cmd.hasOption("rules") ? Args.existingFile(cmd, "rules") : null);
        Pseudonymizer pseudonyms = PseudonymKey.load(cmd.getOptionValue("pseudonym-key-file"), System.getenv());
        int threads = Args.intValue(cmd, "threads", Runtime.getRuntime().availableProcessors());
        if (threads < 1) {
            throw new UsageError("--threads must be at least 1");
        }
        return new OneScan.Settings(dicom, Args.requiredPath(cmd, "output-dir"), method, model, template, atlas,
                cmd.getOptionValue("preset", "quick"), cutpoints, side, rules, pseudonyms, threads,
                Args.optionalPath(cmd, "keep-work"));
    }
}
