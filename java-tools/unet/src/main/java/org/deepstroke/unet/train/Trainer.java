package org.deepstroke.unet.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.deepstroke.core.io.AtomicFiles;
import org.deepstroke.unet.data.Augmenter;
import org.deepstroke.unet.data.LabelScheme;
import org.deepstroke.unet.data.Sample;
import org.deepstroke.unet.model.DiceCELoss;
import org.deepstroke.unet.model.LesionLoss;
import org.deepstroke.unet.model.SegmentationScores;
import org.deepstroke.unet.model.TerritoryGatedLoss;
import org.deepstroke.unet.model.UNet3D;
import org.deepstroke.unet.model.UNetConfig;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The training loop: epochs of shuffled, augmented mini-batches; after each epoch validation (loss, per-class
 * Dice, mean foreground Dice, GDS), history.tsv + curves, a checkpoint (weights + Adam state + loop state) and,
 * when the validation mean Dice improved, the best model. Stops at max epochs, after {@code patience} epochs
 * without improvement, or when the time budget is spent. A run whose output folder holds a checkpoint resumes
 * after the checkpoint's epoch with the same augmentation and shuffling streams (both are functions of seed and
 * epoch), so resuming reproduces the uninterrupted schedule.
 */
public final class Trainer {

    public static final String CHECKPOINT_DIR = "checkpoint";
    /** Key of the checkpoint state naming the tracking run's local journal. */
    static final String RUN_ID_KEY = "mlflow_local_run_id";
    /** Key of the checkpoint state naming the training loss (DiceCE, or DiceCE + TAGL with its settings). */
    static final String LOSS_KEY = "loss";
    private static final ObjectMapper JSON = new ObjectMapper();

    public record Result(int startEpoch, int lastEpoch, int bestEpoch, double bestMeanDice, String stopReason,
            long parameters, double seconds) {
    }

    private final UNetConfig config;
    private final TrainingSettings settings;
    private final List<Sample> train;
    private final List<Sample> validation;
    private final Path outDir;
    private final TrackingSink tracking;
    private final PrintStream log;
    private SameDiff graph;
    private final LossListener lossListener;
    /** Sum of the weighted TAGL term over the current epoch's iterations (NaN without TAGL: the listener's NaN). */
    private double epochTaglSum;
    /** Likewise for the weighted lesion term (NaN without a lesion head). */
    private double epochLesionSum;

    public Trainer(UNetConfig config, TrainingSettings settings, List<Sample> train, List<Sample> validation,
            Path outDir, TrackingSink tracking, PrintStream log) {
        if (train.isEmpty() || validation.isEmpty()) {
            throw new IllegalArgumentException("training needs at least one training and one validation subject");
        }
        if (config.lesionHead() != (settings.lesion() != null)) {
            throw new IllegalArgumentException("a lesion head needs lesion loss settings and vice versa");
        }
        this.config = config;
        this.settings = settings;
        this.train = train;
        this.validation = validation;
        this.outDir = outDir;
        this.tracking = tracking;
        this.log = log;
        this.lossListener = new LossListener(settings.tagl(), settings.lesion());
    }

    public Result run() throws IOException {
        // SameDiff prints "Added differentiated op ..." to System.out while it builds the gradient graph; a tool's
        // stdout is for its data (the launcher's writer keeps the original stream), so divert it to stderr.
        PrintStream stdout = System.out;
        System.setOut(System.err);
        try {
            return train();
        } finally {
            System.setOut(stdout);
        }
    }

    /** Where a training stands: fresh, or restored from the checkpoint of an interrupted run. */
    private static final class Progress {
        SameDiff sd;
        TrainingHistory history;
        int startEpoch = 1;
        int bestEpoch = 0;
        double bestDice = Double.NEGATIVE_INFINITY;
        int sinceBest = 0;
        double previousSeconds = 0;
    }

    private Result train() throws IOException {
        long started = System.nanoTime();
        Path checkpointDir = outDir.resolve(CHECKPOINT_DIR);
        Files.createDirectories(checkpointDir);
        Progress p = resumeOrStart(checkpointDir);
        graph = p.sd;
        long parameters = UNet3D.parameterCount(p.sd);
        SameDiff inference = UNet3D.build(config, false, settings.seed(), 0);
        Augmenter augmenter = new Augmenter(settings.augmentation(), settings.seed());
        int workers = settings.workers();
        DataParallel parallel = workers > 1 ? DataParallel.create(p.sd, workers, checkpointDir, settings.tagl(),
                settings.lesion())
                : null;
        if (parallel != null) {
            log.printf(Locale.ROOT, "data parallel: %d workers on %d device(s), %d volumes per worker and iteration, "
                    + "weights and Adam state averaged every iteration%n", workers,
                    Nd4j.getAffinityManager().getNumberOfDevices(), settings.batchSize());
        }
        int firstEpoch = p.startEpoch;
        String stopReason = "max epochs";
        int lastEpoch = firstEpoch - 1;
        try {
            if (firstEpoch > settings.maxEpochs()) {
                stopReason = "already complete";
            }
            if (p.sinceBest >= settings.patience()) {
                stopReason = "early stopping (already reached)";
                firstEpoch = settings.maxEpochs() + 1;
            }
            for (int epoch = firstEpoch; epoch <= settings.maxEpochs(); epoch++) {
                long epochStart = System.nanoTime();
                double trainLoss = trainEpoch(p.sd, parallel, augmenter, epoch, firstEpoch, started);
                double trainTagl = epochTaglSum / iterationsPerEpoch();
                double trainLesion = epochLesionSum / iterationsPerEpoch();
                UNet3D.copyWeights(p.sd, inference);
                double totalSeconds = endEpoch(p, validate(inference), trainLoss, trainTagl, trainLesion, epoch,
                        epochStart, started, checkpointDir);
                lastEpoch = epoch;
                if (p.sinceBest >= settings.patience()) {
                    stopReason = "early stopping: no validation mean Dice gain for " + settings.patience() + " epochs";
                    break;
                }
                if (settings.maxMinutes() > 0 && totalSeconds / 60 >= settings.maxMinutes()) {
                    stopReason = "time budget of " + settings.maxMinutes() + " min spent";
                    break;
                }
            }
        } finally {
            if (parallel != null) {
                parallel.close(); // the worker threads end with the training, also when it fails
            }
        }
        double totalSeconds = p.previousSeconds + (System.nanoTime() - started) / 1e9;
        return new Result(firstEpoch, lastEpoch, p.bestEpoch, p.bestDice, stopReason, parameters, totalSeconds);
    }

    /**
     * A fresh network, or the state of an interrupted run when its checkpoint exists: weights and Adam state,
     * history, best epoch, patience count and time spent. Epochs that reached the checkpoint but not MLflow (a kill
     * between the two) are logged now, each once.
     */
    private Progress resumeOrStart(Path checkpointDir) throws IOException {
        Path lastCheckpoint = checkpointDir.resolve("last.zip");
        Path stateFile = checkpointDir.resolve("state.json");
        Progress p = new Progress();
        if (!(Files.isRegularFile(stateFile) && Files.isRegularFile(lastCheckpoint))) {
            p.sd = UNet3D.build(config, true, settings.seed(), settings.learningRate(), settings.tagl(),
                    settings.lesion());
            p.history = new TrainingHistory(config.classes());
            return p;
        }
        ObjectNode state = (ObjectNode) JSON.readTree(stateFile.toFile());
        ModelArchive.Loaded loaded = ModelArchive.load(lastCheckpoint, true);
        if (!loaded.config().equals(config)) {
            throw new IllegalArgumentException("the checkpoint in " + checkpointDir + " was trained with "
                    + loaded.config() + ", not " + config + " (use another --output-dir)");
        }
        // the checkpoint's graph carries its own loss: resuming with another one would silently train the old loss
        String loss = state.path(LOSS_KEY).asText(TrainingSettings.DICE_CE); // checkpoints before TAGL: DiceCE
        if (!loss.equals(settings.lossDescription())) {
            throw new IllegalArgumentException("the checkpoint in " + checkpointDir + " was trained with loss " + loss
                    + ", not " + settings.lossDescription() + " (use another --output-dir)");
        }
        p.sd = loaded.trainingGraph();
        int done = state.get("epoch").asInt();
        p.startEpoch = done + 1;
        p.bestEpoch = state.get("best_epoch").asInt();
        p.bestDice = state.get("best_mean_dice").asDouble();
        p.sinceBest = state.get("epochs_without_improvement").asInt();
        p.previousSeconds = state.get("seconds").asDouble();
        p.history = TrainingHistory.read(outDir.resolve("history.tsv"), config.classes());
        p.history.records().removeIf(r -> r.epoch() >= done + 1);
        log.printf(Locale.ROOT, "resuming from %s: epoch %d done, best mean Dice %.4f at epoch %d%n",
                lastCheckpoint, done, p.bestDice, p.bestEpoch);
        // Metrics are logged after the checkpoint is written, so the run never holds an epoch past it; an
        // epoch checkpointed just before the kill may lack its metrics: log those now (each epoch once).
        Set<Long> logged = tracking.loggedSteps();
        for (EpochRecord r : p.history.records()) {
            if (!logged.contains((long) r.epoch())) {
                tracking.metrics(epochMetrics(r), r.epoch());
            }
        }
        tracking.tags(Map.of("deepstroke.resumed_after_epoch", Integer.toString(done)));
        return p;
    }

    /** Iterations per epoch: ceil(training subjects / (workers x batch size)). */
    private int iterationsPerEpoch() {
        int workers = settings.workers();
        return (train.size() + settings.batchSize() * workers - 1) / (settings.batchSize() * workers);
    }

    /**
     * One epoch's iterations (single or data-parallel), with progress lines every 10 s; the mean training loss (the
     * epoch's summed TAGL term goes to {@code epochTaglSum}).
     */
    private double trainEpoch(SameDiff sd, DataParallel parallel, Augmenter augmenter, int epoch, int firstEpoch,
            long started) {
        Nd4j.getRandom().setSeed(settings.seed() * 31 + epoch); // dropout masks: a function of the epoch
        int iterationsPerEpoch = iterationsPerEpoch();
        epochTaglSum = 0;
        epochLesionSum = 0;
        List<Integer> order = shuffled(train.size(), settings.seed(), epoch);
        double lossSum = 0;
        long lastPrint = System.nanoTime();
        for (int it = 0; it < iterationsPerEpoch; it++) {
            double loss = parallel == null ? fitOne(sd, order, it, augmenter, epoch)
                    : fitParallel(parallel, order, it, augmenter, epoch);
            lossSum += loss;
            epochTaglSum += parallel == null ? lossListener.lastTagl() : parallel.lastTagl();
            epochLesionSum += parallel == null ? lossListener.lastLesion() : parallel.lastLesion();
            System.gc(); // off-heap buffers are released only when their Java owners are collected
            long now = System.nanoTime();
            if (now - lastPrint > 10_000_000_000L || it == iterationsPerEpoch - 1) {
                double elapsed = (now - started) / 1e9;
                long doneIts = (long) (epoch - firstEpoch) * iterationsPerEpoch + it + 1;
                long totalIts = (long) (settings.maxEpochs() - firstEpoch + 1) * iterationsPerEpoch;
                double eta = elapsed / doneIts * (totalIts - doneIts);
                log.printf(Locale.ROOT, "train epoch %d/%d iteration %d/%d loss %.4f elapsed %.0fs eta %.0fs%n",
                        epoch, settings.maxEpochs(), it + 1, iterationsPerEpoch, loss, elapsed, eta);
                lastPrint = now;
            }
        }
        return lossSum / iterationsPerEpoch;
    }

    private double fitOne(SameDiff sd, List<Integer> order, int it, Augmenter augmenter, int epoch) {
        List<Sample> batch = batch(order, it * settings.batchSize(), augmenter, epoch);
        INDArray features = Batches.features(batch, config.inputChannels());
        INDArray labels = Batches.targets(batch, config.classes(), config.lesionHead());
        sd.fit(new DataSet(features, labels), lossListener);
        features.close();
        labels.close();
        return lossListener.last();
    }

    private double fitParallel(DataParallel parallel, List<Integer> order, int it, Augmenter augmenter, int epoch) {
        int workers = settings.workers();
        List<DataSet> batches = new ArrayList<>();
        for (int w = 0; w < workers && (it * workers + w) * settings.batchSize() < train.size(); w++) {
            List<Sample> batch = batch(order, (it * workers + w) * settings.batchSize(), augmenter, epoch);
            batches.add(new DataSet(Batches.features(batch, config.inputChannels()),
                    Batches.targets(batch, config.classes(), config.lesionHead())));
        }
        double loss = parallel.fit(batches, (settings.seed() * 31 + epoch) * 1_000_003L + (long) it * workers);
        for (DataSet d : batches) {
            d.getFeatures().close();
            d.getLabels().close();
        }
        return loss;
    }

    /**
     * After an epoch: history and curves, the best model when validation mean Dice improved, then the checkpoint and
     * its state (atomically), and only then the epoch's MLflow metrics. Returns the time spent in all runs so far.
     */
    private double endEpoch(Progress p, Validation v, double trainLoss, double trainTagl, double trainLesion,
            int epoch, long epochStart, long started, Path checkpointDir) throws IOException {
        double seconds = (System.nanoTime() - epochStart) / 1e9;
        EpochRecord record = new EpochRecord(epoch, trainLoss, v.loss, v.dice, v.meanDice, v.gds, seconds, trainTagl,
                v.tagl, trainLesion, v.lesion, v.lesionDice);
        p.history.add(record);
        boolean improved = v.meanDice > p.bestDice;
        if (improved) {
            p.bestDice = v.meanDice;
            p.bestEpoch = epoch;
            p.sinceBest = 0;
            ModelArchive.save(outDir.resolve("model.zip"), config, p.sd, false);
        } else {
            p.sinceBest++;
        }
        p.history.write(outDir.resolve("history.tsv"));
        CurvePlots.write(p.history, outDir);
        double totalSeconds = p.previousSeconds + (System.nanoTime() - started) / 1e9;
        ModelArchive.save(checkpointDir.resolve("last.zip"), config, p.sd, true);
        ObjectNode state = JSON.createObjectNode();
        state.put("epoch", epoch);
        state.put("best_epoch", p.bestEpoch);
        state.put("best_mean_dice", p.bestDice);
        state.put("epochs_without_improvement", p.sinceBest);
        state.put("seconds", totalSeconds);
        state.put(RUN_ID_KEY, tracking.localRunId());
        state.put(LOSS_KEY, settings.lossDescription());
        AtomicFiles.writeString(checkpointDir.resolve("state.json"),
                JSON.writerWithDefaultPrettyPrinter().writeValueAsString(state));
        tracking.metrics(epochMetrics(record), epoch);
        log.printf(Locale.ROOT, "epoch %d: train loss %.4f, val loss %.4f, val mean Dice %.4f, GDS %.4f%s%s%s (%.0fs)%n",
                epoch, record.trainLoss(), record.valLoss(), record.meanDice(), record.generalizedDice(),
                record.hasTagl() ? String.format(Locale.ROOT, ", TAGL term train %.4f val %.4f", record.trainTagl(),
                        record.valTagl()) : "",
                record.hasLesion() ? String.format(Locale.ROOT, ", lesion term train %.4f val %.4f, val lesion Dice "
                        + "%.4f", record.trainLesion(), record.valLesion(), record.valLesionDice()) : "",
                improved ? " *best*" : "", seconds);
        return totalSeconds;
    }

    /** The augmented samples of one batch: positions [from, from + batch size) of this epoch's order. */
    private List<Sample> batch(List<Integer> order, int from, Augmenter augmenter, int epoch) {
        List<Sample> batch = new ArrayList<>();
        for (int k = from; k < Math.min(train.size(), from + settings.batchSize()); k++) {
            int index = order.get(k);
            batch.add(augmenter.augment(train.get(index), epoch, index));
        }
        return batch;
    }

    /**
     * The local id of the tracking run a checkpoint in {@code outDir} was logged to, or null (no checkpoint, or one
     * written before runs were kept).
     */
    public static String checkpointRunId(Path outDir) throws IOException {
        Path stateFile = outDir.resolve(CHECKPOINT_DIR).resolve("state.json");
        if (!Files.isRegularFile(stateFile) || !Files.isRegularFile(stateFile.resolveSibling("last.zip"))) {
            return null;
        }
        String id = JSON.readTree(stateFile.toFile()).path(RUN_ID_KEY).asText("");
        return id.isEmpty() ? null : id;
    }

    /** The training graph after {@link #run} (its weights are those of the last checkpoint). */
    SameDiff graph() {
        return graph;
    }

    /**
     * tagl: the mean weighted TAGL term inside loss (NaN without TAGL); lesion: the weighted lesion term inside loss
     * (mean over the subjects with a mask), lesionDice: mean hard lesion Dice over those subjects where it is
     * defined (NaN without a lesion head, or when none counts).
     */
    private record Validation(double loss, double[] dice, double meanDice, double gds, double tagl, double lesion,
            double lesionDice) {
    }

    private Validation validate(SameDiff inference) {
        int classes = config.classes();
        double loss = 0;
        double taglSum = 0;
        double[] diceSum = new double[classes];
        int[] diceCount = new int[classes];
        double[] means = new double[validation.size()];
        int volume = 0;
        double gdsSum = 0;
        double lesionSum = 0;
        int lesionCount = 0;
        double lesionDiceSum = 0;
        int lesionDiceCount = 0;
        for (Sample s : validation) {
            INDArray features = Batches.features(List.of(s), config.inputChannels());
            Map<String, INDArray> out = config.lesionHead()
                    ? inference.output(Map.of(UNet3D.INPUT, features), UNet3D.PROBS, UNet3D.LESION_PROBS)
                    : inference.output(Map.of(UNet3D.INPUT, features), UNet3D.PROBS);
            INDArray probs = out.get(UNet3D.PROBS);
            if (config.lesionHead() && s.lesion() != null) {
                // the validation loss is the training loss: its lesion term counts the subjects with a mask
                float[] q = Batches.probabilities(out.get(UNet3D.LESION_PROBS), 0)[0];
                double term = LesionLoss.compute(new float[][] {q}, new int[][] {s.lesion()}, settings.lesion())
                        .term();
                lesionSum += term;
                lesionCount++;
                double d = LesionLoss.hardDice(q, s.lesion());
                if (!Double.isNaN(d)) {
                    lesionDiceSum += d;
                    lesionDiceCount++;
                }
                out.get(UNet3D.LESION_PROBS).close();
            }
            float[][] p = Batches.probabilities(probs, 0);
            int[] truth = Batches.classes(s, classes);
            loss += DiceCELoss.compute(new float[][][] {p}, new int[][] {truth}).total();
            if (settings.tagl() != null) {
                // the validation loss is the training loss: DiceCE + TAGL (axis 2 = superior-inferior)
                double tagl = TerritoryGatedLoss.compute(new float[][][] {p}, (int) probs.size(2), settings.tagl())
                        .total();
                loss += tagl;
                taglSum += tagl;
            }
            SegmentationScores scores = SegmentationScores.of(Batches.argmax(p), truth, classes);
            for (int c = 0; c < classes; c++) {
                if (!Double.isNaN(scores.dice()[c])) {
                    diceSum[c] += scores.dice()[c];
                    diceCount[c]++;
                }
            }
            means[volume++] = scores.meanForegroundDice(); // NaN without foreground in the reference
            gdsSum += scores.generalizedDice();
            features.close();
            probs.close();
        }
        double[] dice = new double[classes];
        for (int c = 0; c < classes; c++) {
            dice[c] = diceCount[c] == 0 ? Double.NaN : diceSum[c] / diceCount[c];
        }
        int n = validation.size();
        // MONAI DiceMetric "mean": volumes without a foreground class are skipped (a plain sum turned the
        // epoch's validation Dice, and so early stopping, into NaN)
        double lesion = Double.NaN;
        double lesionDice = Double.NaN;
        if (config.lesionHead()) {
            // as LesionLoss in training: the mean over the subjects that have a mask (0 when none has)
            lesion = lesionCount == 0 ? 0 : lesionSum / lesionCount;
            loss += lesion * n;
            lesionDice = lesionDiceCount == 0 ? Double.NaN : lesionDiceSum / lesionDiceCount;
        }
        return new Validation(loss / n, dice, SegmentationScores.meanOverVolumes(means), gdsSum / n,
                settings.tagl() == null ? Double.NaN : taglSum / n, lesion, lesionDice);
    }

    static List<Integer> shuffled(int n, long seed, int epoch) {
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            order.add(i);
        }
        SplittableRandom rng = new SplittableRandom(seed * 7919L + epoch);
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = order.get(i);
            order.set(i, order.get(j));
            order.set(j, t);
        }
        return order;
    }

    private Map<String, Double> epochMetrics(EpochRecord r) {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("train_loss", r.trainLoss());
        m.put("val_loss", r.valLoss());
        m.put("val_mean_dice", r.meanDice());
        m.put("val_gds", r.generalizedDice());
        m.put("epoch_seconds", r.seconds());
        if (r.hasTagl()) {
            m.put("train_tagl", r.trainTagl());
            m.put("val_tagl", r.valTagl());
        }
        if (r.hasLesion()) {
            m.put("train_lesion", r.trainLesion());
            m.put("val_lesion", r.valLesion());
            if (!Double.isNaN(r.valLesionDice())) {
                m.put("val_lesion_dice", r.valLesionDice());
            }
        }
        for (int c = 0; c < r.valDice().length; c++) {
            if (!Double.isNaN(r.valDice()[c])) {
                m.put("val_dice_" + LabelScheme.className(c, config.classes()), r.valDice()[c]);
            }
        }
        return m;
    }
}
