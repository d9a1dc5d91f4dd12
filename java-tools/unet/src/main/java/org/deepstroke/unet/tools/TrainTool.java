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
import java.util.Optional;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;
import org.deepstroke.core.cli.Args;
import org.deepstroke.core.cli.ExitCodes;
import org.deepstroke.core.cli.Progress;
import org.deepstroke.core.cli.Tool;
import org.deepstroke.core.cli.ToolFailure;
import org.deepstroke.core.cli.UsageError;
import org.deepstroke.core.io.AtomicFiles;
import org.deepstroke.core.io.Json;
import org.deepstroke.core.io.OutputGuard;
import org.deepstroke.tracking.RunTags;
import org.deepstroke.tracking.TrackingDefaults;
import org.deepstroke.unet.Backend;
import org.deepstroke.unet.data.Augmenter;
import org.deepstroke.unet.data.CuratedDataset;
import org.deepstroke.unet.data.Sample;
import org.deepstroke.unet.data.SampleLoader;
import org.deepstroke.unet.model.LesionLoss;
import org.deepstroke.unet.model.TerritoryGatedLoss;
import org.deepstroke.unet.model.UNetConfig;
import org.deepstroke.unet.train.Tracking;
import org.deepstroke.unet.train.TrackingSink;
import org.deepstroke.unet.train.Trainer;
import org.deepstroke.unet.train.TrainingSettings;

/** {@code deepstroke train}: trains the 3-D U-Net on a curated dataset (see README: U-Net). */
public final class TrainTool implements Tool {

    @Override
    public String name() {
        return "train";
    }

    @Override
    public String summary() {
        return "Train the 3D U-Net (DL4J) on a curated dataset: best model, checkpoints (resumable), history, curves";
    }

    @Override
    public Options options() {
        return new Options()
                .addOption(opt("dataset", "DIR", "curated dataset (manifest.tsv layout of curate-dataset)", true))
                .addOption(opt("output-dir", "DIR", "outputs: model.zip, checkpoint/, history.tsv, *.png, "
                        + "train.json; a checkpoint there is resumed", true))
                .addOption(opt("variant", "raw|stripped|registered", "dataset variant to train on (default raw)",
                        false))
                .addOption(opt("classes", "11|21", "21 lateralised (default) or 11 hemispheres merged", false))
                .addOption(opt("volume-size", "N", "network grid edge in voxels (default 64; seed 256)", false))
                .addOption(opt("base-channels", "N", "channels of the first level (default 8)", false))
                .addOption(opt("depth", "N", "resolution levels (default 4)", false))
                .addOption(opt("dropout", "P", "dropout in every residual block (default 0.2)", false))
                .addOption(Option.builder().longOpt("no-se").desc("no squeeze-excitation").build())
                .addOption(Option.builder().longOpt("no-coords")
                        .desc("CT channel only (default: CT + 3 coordinate channels)").build())
                .addOption(opt("epochs", "N", "maximum epochs (default 100)", false))
                .addOption(opt("batch-size", "N", "volumes per iteration and worker (default 1)", false))
                .addOption(opt("workers", "N", "data-parallel replicas, one per GPU (default 1): each fits its own "
                        + "batch, weights and Adam state averaged every iteration (ParallelWrapper's scheme, which "
                        + "DL4J offers only for non-SameDiff models)", false))
                .addOption(opt("learning-rate", "LR", "Adam learning rate (default 1e-3)", false))
                .addOption(opt("patience", "N", "early stopping: epochs without validation mean Dice gain "
                        + "(default 10)", false))
                .addOption(opt("max-minutes", "MIN", "time budget; stops after the epoch that spends it "
                        + "(default 0 = none)", false))
                .addOption(opt("seed", "N", "seed of weights, shuffling, augmentation and dropout (default 1)",
                        false))
                .addOption(Option.builder().longOpt("no-augment").desc("no augmentation").build())
                .addOption(Option.builder().longOpt("tagl").desc("add the territory-aware gated loss to DiceCE: "
                        + "BG/SG level exclusivity on axial slices the prediction is confident about, M1-3 -> M4-6 "
                        + "continuity at the level boundary (training only; see README)").build())
                .addOption(opt("tagl-weight", "W", "TAGL weight against DiceCE (default "
                        + TerritoryGatedLoss.Settings.DEFAULT_WEIGHT + "; needs --tagl)", false))
                .addOption(opt("tagl-gate", "TAU", "TAGL gate: a slice is confidently BG (SG) when its predicted "
                        + "BG-level share of BG+SG mass exceeds TAU (falls below 1-TAU); in [0.5, 1) (default "
                        + TerritoryGatedLoss.Settings.DEFAULT_GATE + "; needs --tagl)", false))
                .addOption(opt("tagl-min-foreground", "RHO", "TAGL: slices whose predicted BG+SG share is at most "
                        + "RHO are never gated (default " + TerritoryGatedLoss.Settings.DEFAULT_MIN_FOREGROUND
                        + "; needs --tagl)", false))
                .addOption(Option.builder().longOpt("lesion-head").desc("one more output channel (sigmoid) on the "
                        + "same decoder for early ischaemia, trained on the dataset's lesion masks (manifest column "
                        + "lesion; subjects without one train the regions only): + W (soft Dice + BCE)").build())
                .addOption(opt("lesion-weight", "W", "weight of the lesion term (default "
                        + LesionLoss.Settings.DEFAULT_WEIGHT + "; needs --lesion-head)", false))
                .addOption(opt("tracking-uri", "URI", "MLflow server (default: $DEEPSTROKE_TRACKING_URI, else none = spool only)", false))
                .addOption(opt("experiment", "NAME", "MLflow experiment (default: deepstroke-<dataset name>)",
                        false))
                .addOption(opt("run-name", "NAME", "MLflow run name (default: unet-<classes>c-<size>)", false))
                .addOption(opt("spool-dir", "DIR", "MLflow spool (default <output-dir>/mlflow-spool)", false))
                .addOption(opt("register-model", "NAME", "also log model.zip with an MLmodel description under the "
                        + "run's artifact folder model/ and register it as a new version of MLflow registered model "
                        + "NAME (created when absent)", false))
                .addOption(Option.builder().longOpt("tag").hasArg().argName("K=V")
                        .desc("MLflow tag (repeatable), e.g. nextflow.run_name=...").build());
    }

    private static Option opt(String name, String arg, String desc, boolean required) {
        return Option.builder().longOpt(name).hasArg().argName(arg).desc(desc).required(required).build();
    }

    @Override
    public int run(CommandLine cmd, PrintWriter out) throws Exception {
        Path datasetDir = Args.requiredPath(cmd, "dataset");
        Path outDir = Args.requiredPath(cmd, "output-dir");
        OutputGuard.create().inputFolder("dataset", datasetDir).outputFolder("output-dir", outDir).check();
        String variant = cmd.getOptionValue("variant", "raw");
        if (!List.of("raw", "stripped", "registered").contains(variant)) {
            throw new UsageError("--variant must be raw, stripped or registered");
        }
        UNetConfig config = config(cmd);
        TrainingSettings settings = settings(cmd, variant);
        CuratedDataset dataset = CuratedDataset.open(datasetDir);
        List<Sample> train = load(dataset.entries("train", variant), config.volumeSize(), "train",
                config.lesionHead());
        List<Sample> validation = load(dataset.entries("validation", variant), config.volumeSize(), "validation",
                config.lesionHead());
        if (config.lesionHead() && train.stream().noneMatch(x -> x.lesion() != null)) {
            throw new ToolFailure(datasetDir.resolve("manifest.tsv"), "--lesion-head needs lesion masks, but no "
                    + "training subject of variant " + variant + " has one (column lesion; curate-dataset --truth)");
        }
        if (train.isEmpty() || validation.isEmpty()) {
            throw new ToolFailure(datasetDir.resolve("manifest.tsv"), "needs train and validation subjects of "
                    + "variant " + variant + " (has " + train.size() + " train, " + validation.size()
                    + " validation)");
        }
        if (settings.workers() * settings.batchSize() > train.size() && settings.workers() > 1) {
            throw new UsageError("--workers " + settings.workers() + " x --batch-size " + settings.batchSize()
                    + " needs at least that many training subjects (" + datasetDir.resolve("manifest.tsv") + " has "
                    + train.size() + ")");
        }
        Files.createDirectories(outDir);
        Map<String, String> params = new LinkedHashMap<>();
        params.putAll(config.asParams());
        params.putAll(settings.asParams());
        params.put("dataset_manifest_sha256", dataset.manifestSha256());
        params.put("train_subjects", String.valueOf(train.size()));
        params.put("validation_subjects", String.valueOf(validation.size()));
        params.put("normalisation", "HU clip [0,80] -> [0,1]; crop = brain mask bbox + 6 mm (RAS aligned)");
        // git commit, Nextflow run name and session id come from the environment the pipeline sets (not from the
        // task script: a script that names the run would make every -resume train again)
        Map<String, String> tags = tags(cmd);
        String configured = TrackingDefaults.experiment(cmd.getOptionValue("experiment"));
        String experiment = configured != null ? configured : "deepstroke-" + datasetName(datasetDir);
        String runName = cmd.getOptionValue("run-name", "unet-" + config.classes() + "c-" + config.volumeSize());
        Path spool = Path.of(cmd.getOptionValue("spool-dir", outDir.resolve("mlflow-spool").toString()));
        String registeredName = cmd.getOptionValue("register-model");
        if (registeredName != null && (registeredName.isBlank() || registeredName.contains("/"))) {
            throw new UsageError("--register-model: '" + registeredName + "' is not a model name (no '/')");
        }
        Trainer.Result result;
        try (TrackingSink tracking = Tracking.open(TrackingDefaults.trackingUri(cmd.getOptionValue("tracking-uri")),
                experiment, runName, tags, spool, Trainer.checkpointRunId(outDir), System.err)) {
            tracking.params(params);
            // named by folder and content (every curated dataset's folder is called "dataset")
            tracking.datasetInput(datasetName(datasetDir) + "-" + dataset.manifestSha256().substring(0, 12),
                    dataset.manifestSha256().substring(0, 32),
                    datasetDir.toAbsolutePath().normalize().toString(), Map.of("variant", variant,
                            "train_subjects", String.valueOf(train.size()),
                            "validation_subjects", String.valueOf(validation.size())));
            boolean ok = false;
            try {
                result = new Trainer(config, settings, train, validation, outDir, tracking, System.err).run();
                ok = true;
            } finally {
                if (!ok) {
                    tracking.finish(false);
                }
            }
            AtomicFiles.writeString(outDir.resolve("train.json"), report(config, settings, dataset, train, validation,
                    result, tags, tracking.runId()));
            publish(outDir, dataset, variant, tracking);
            if (registeredName != null) {
                register(outDir, registeredName, config, tracking);
            }
            tracking.finish(true);
            if (registeredName != null) {
                Optional<String> version = tracking.registeredVersion(registeredName);
                System.err.println("mlflow: " + (version.isPresent() ? "registered model " + registeredName
                        + " version " + version.get() : "registration of model " + registeredName + " is journaled "
                        + "under " + spool + " (deepstroke mlflow-sync delivers it)"));
            }
        }
        out.printf(Locale.ROOT, "trained %d epochs (%d..%d): best validation mean Dice %.4f at epoch %d; %s; "
                + "%.0f s%n", result.lastEpoch() - result.startEpoch() + 1, result.startEpoch(), result.lastEpoch(),
                result.bestMeanDice(), result.bestEpoch(), result.stopReason(), result.seconds());
        return ExitCodes.OK;
    }

    private static UNetConfig config(CommandLine cmd) {
        try {
            return new UNetConfig(cmd.hasOption("no-coords") ? 1 : 4, Args.intValue(cmd, "classes", 21),
                    Args.intValue(cmd, "base-channels", 8), Args.intValue(cmd, "depth", 4),
                    Args.doubleValue(cmd, "dropout", 0.2), !cmd.hasOption("no-se"),
                    Args.intValue(cmd, "volume-size", 64), cmd.hasOption("lesion-head"));
        } catch (IllegalArgumentException e) {
            throw new UsageError(e.getMessage());
        }
    }

    private static TrainingSettings settings(CommandLine cmd, String variant) {
        TrainingSettings settings = new TrainingSettings(Args.intValue(cmd, "epochs", 100),
                Args.intValue(cmd, "batch-size", 1), Args.doubleValue(cmd, "learning-rate", 1e-3),
                Args.intValue(cmd, "patience", 10), Args.intValue(cmd, "seed", 1),
                Args.doubleValue(cmd, "max-minutes", 0), variant,
                cmd.hasOption("no-augment") ? Augmenter.Settings.none() : Augmenter.Settings.defaults(),
                Args.intValue(cmd, "workers", 1), tagl(cmd), lesion(cmd));
        if (settings.maxEpochs() < 1 || settings.batchSize() < 1 || settings.patience() < 1
                || settings.learningRate() <= 0 || settings.workers() < 1) {
            throw new UsageError("--epochs, --batch-size, --patience, --workers must be >= 1 and --learning-rate > 0");
        }
        return settings;
    }

    /** The lesion loss of --lesion-head (null without it); --lesion-weight without it is a usage error. */
    private static LesionLoss.Settings lesion(CommandLine cmd) {
        if (!cmd.hasOption("lesion-head")) {
            if (cmd.hasOption("lesion-weight")) {
                throw new UsageError("--lesion-weight needs --lesion-head");
            }
            return null;
        }
        try {
            return new LesionLoss.Settings(Args.doubleValue(cmd, "lesion-weight", LesionLoss.Settings.DEFAULT_WEIGHT));
        } catch (IllegalArgumentException e) {
            throw new UsageError(e.getMessage());
        }
    }

    /** The TAGL settings of --tagl (null without it); its value options without --tagl are a usage error. */
    private static TerritoryGatedLoss.Settings tagl(CommandLine cmd) {
        if (!cmd.hasOption("tagl")) {
            for (String o : List.of("tagl-weight", "tagl-gate", "tagl-min-foreground")) {
                if (cmd.hasOption(o)) {
                    throw new UsageError("--" + o + " needs --tagl");
                }
            }
            return null;
        }
        try {
            return new TerritoryGatedLoss.Settings(
                    Args.doubleValue(cmd, "tagl-weight", TerritoryGatedLoss.Settings.DEFAULT_WEIGHT),
                    Args.doubleValue(cmd, "tagl-gate", TerritoryGatedLoss.Settings.DEFAULT_GATE),
                    Args.doubleValue(cmd, "tagl-min-foreground", TerritoryGatedLoss.Settings.DEFAULT_MIN_FOREGROUND));
        } catch (IllegalArgumentException e) {
            throw new UsageError(e.getMessage());
        }
    }

    /** The run's tags: the standard ones (git commit, Nextflow run), the backend's, then every --tag key=value. */
    private static Map<String, String> tags(CommandLine cmd) {
        Map<String, String> tags = new LinkedHashMap<>(RunTags.standard());
        tags.putAll(Backend.tags());
        for (String kv : cmd.getOptionValues("tag") == null ? new String[0] : cmd.getOptionValues("tag")) {
            int eq = kv.indexOf('=');
            if (eq <= 0) {
                throw new UsageError("--tag expects key=value, got '" + kv + "'");
            }
            tags.put(kv.substring(0, eq), kv.substring(eq + 1));
        }
        return tags;
    }

    /** split.tsv and versions.yml beside the model, then every output as an MLflow artifact (plots apart). */
    private static void publish(Path outDir, CuratedDataset dataset, String variant, TrackingSink tracking)
            throws IOException {
        StringBuilder split = new StringBuilder("subject\tsplit\n");
        dataset.all().stream().filter(e -> e.variant().equals(variant))
                .forEach(e -> split.append(e.subject()).append('\t').append(e.split()).append('\n'));
        AtomicFiles.writeString(outDir.resolve("split.tsv"), split.toString());
        for (String f : List.of("model.zip", "history.tsv", "loss_curves.png", "dice_curves.png", "train.json",
                "split.tsv")) {
            if (Files.isRegularFile(outDir.resolve(f))) {
                tracking.artifact(outDir.resolve(f), f.endsWith(".png") ? "plots" : "");
            }
        }
        tracking.artifact(dataset.root().resolve("manifest.tsv"), "dataset");
        Path versions = outDir.resolve("versions.yml");
        AtomicFiles.writeString(versions, Backend.versionsYaml());
        tracking.artifact(versions, "");
    }

    /**
     * The model as an MLflow model folder (model/model.zip and model/MLmodel, whose flavor says how to run it: DL4J
     * has no MLflow flavor) and a registered version of it.
     */
    private static void register(Path outDir, String name, UNetConfig config, TrackingSink tracking)
            throws IOException {
        Path folder = outDir.resolve("mlflow-model");
        Files.createDirectories(folder);
        Path mlmodel = folder.resolve("MLmodel");
        AtomicFiles.writeString(mlmodel, "artifact_path: model\n"
                + "flavors:\n"
                + "  deepstroke_dl4j:\n"
                + "    model_file: model.zip\n"
                + "    framework: deeplearning4j " + Backend.DL4J_VERSION + "\n"
                + "    classes: " + config.classes() + "\n"
                + "    volume_size: " + config.volumeSize() + "\n"
                + "    lesion_head: " + config.lesionHead() + "\n"
                + "    predict: deepstroke predict --model model.zip --ct CT.nii.gz --output labels.nii.gz\n"
                + "run_id: " + tracking.runId() + "\n");
        tracking.artifact(outDir.resolve("model.zip"), "model");
        tracking.artifact(mlmodel, "model");
        tracking.registerModel(name, "model", Map.of("classes", String.valueOf(config.classes()),
                "volume_size", String.valueOf(config.volumeSize()), "lesion_head",
                String.valueOf(config.lesionHead())));
    }

    private static String datasetName(Path dir) {
        Path name = dir.toAbsolutePath().normalize().getFileName();
        return name == null ? "dataset" : name.toString();
    }

    public static List<Sample> load(List<CuratedDataset.Entry> entries, int size, String label) {
        return load(entries, size, label, false);
    }

    /** With {@code lesions}: each entry's lesion mask too (null for an entry without one). */
    public static List<Sample> load(List<CuratedDataset.Entry> entries, int size, String label, boolean lesions) {
        List<Sample> samples = new ArrayList<>();
        try (Progress progress = new Progress("load " + label, entries.size())) {
            for (CuratedDataset.Entry e : entries) {
                Path lesion = lesions ? e.lesion() : null;
                for (Path p : lesion == null ? List.of(e.volume(), e.segmentation())
                        : List.of(e.volume(), e.segmentation(), lesion)) {
                    if (!Files.isRegularFile(p)) {
                        throw new ToolFailure(p, "listed in manifest.tsv but missing");
                    }
                }
                samples.add(SampleLoader.load(e.subject(), e.volume(), e.segmentation(), e.brainMask(), lesion,
                        size));
                progress.advance(1);
            }
        }
        return samples;
    }

    private static String report(UNetConfig config, TrainingSettings settings, CuratedDataset dataset,
            List<Sample> train, List<Sample> validation, Trainer.Result r, Map<String, String> tags, String runId)
            throws Exception {
        ObjectMapper json = Json.MAPPER;
        ObjectNode root = json.createObjectNode();
        root.set("config", json.readTree(config.toJson()));
        ObjectNode s = root.putObject("settings");
        settings.asParams().forEach(s::put);
        ObjectNode d = root.putObject("dataset");
        d.put("path", dataset.root().toAbsolutePath().toString());
        d.put("manifest_sha256", dataset.manifestSha256());
        ArrayNode tr = d.putArray("train");
        train.forEach(x -> tr.add(x.subject()));
        ArrayNode va = d.putArray("validation");
        validation.forEach(x -> va.add(x.subject()));
        ObjectNode res = root.putObject("result");
        res.put("start_epoch", r.startEpoch());
        res.put("last_epoch", r.lastEpoch());
        res.put("best_epoch", r.bestEpoch());
        res.put("best_val_mean_dice", r.bestMeanDice());
        res.put("stop_reason", r.stopReason());
        res.put("parameters", r.parameters());
        res.put("seconds_total", r.seconds());
        ObjectNode t = root.putObject("tags");
        tags.forEach(t::put);
        root.put("mlflow_run_id", runId);
        root.put("normalisation", "HU clipped to [0, 80] and scaled to [0, 1]; net grid = RAS-aligned bounding box "
                + "of the brain mask + 6 mm, resampled trilinearly (CT) / nearest (labels) to volume_size^3; "
                + (config.inputChannels() == 4 ? "plus x, y, z coordinate channels in [-1, 1]" : "CT channel only"));
        return json.writerWithDefaultPrettyPrinter().writeValueAsString(root);
    }
}
