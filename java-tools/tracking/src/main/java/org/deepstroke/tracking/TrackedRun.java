package org.deepstroke.tracking;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * One training (or pipeline stage) tracked in MLflow: one run in the experiment named by the caller, with params,
 * metrics per step (one log-batch request per call), artifacts (uploaded in Java through the server's artifact
 * proxy) and tags.
 *
 * <p>Training never stops because of tracking. Every call is first journaled under {@code spoolDir} (see
 * {@link RunJournal}: JSON lines plus copies of the artifacts) and then sent. When the server is unreachable at
 * start, or goes away during the run, calls are only journaled; the run tries the server again at most every
 * {@link #retryIntervalMillis} and at {@link #finish}, delivering everything pending once it answers. Whatever
 * is still pending when the process ends is pushed later by {@code deepstroke mlflow-sync --spool <spoolDir>
 * --tracking-uri <uri>}, exactly once ({@link RunDelivery} states the rule). The journal can only fail on a
 * local disk error, which is thrown as {@link UncheckedIOException}.
 *
 * <p>Thread-safe: every method is synchronized. Typical use in a tool run by the pipeline (which sets the
 * environment {@link TrackingDefaults} and {@link RunTags} read):
 * <pre>{@code
 * try (TrackedRun run = TrackedRun.start(TrackingDefaults.trackingUri(cmd.getOptionValue("tracking-uri")),
 *         TrackingDefaults.experimentForDataset(cmd.getOptionValue("experiment"), dataset), "train",
 *         RunTags.standard(), TrackingDefaults.spool(cmd.getOptionValue("spool"), outputDir.resolve("mlflow-spool")))) {
 *     run.logParams(hyperparameters);
 *     // per epoch:
 *     run.logMetrics(Map.of("train_loss", loss, "val_mean_dice", dice), epoch);
 *     run.logArtifact(outputDir.resolve("model.zip"), "model");
 *     run.finish(true);   // leaving the block without finish() ends the run as FAILED
 * }
 * }</pre>
 */
public final class TrackedRun implements AutoCloseable {

    /** Seconds between attempts to reach a server that went away; {@code deepstroke.mlflow.retry-seconds}. */
    static long retryIntervalMillis = Long.getLong("deepstroke.mlflow.retry-seconds", 30) * 1000;

    // MLflow's own limits (mlflow/utils/validation.py, 2.17): checked here so that a bad call fails at once in the
    // caller instead of sitting in the journal as an entry the server will always refuse.
    private static final Pattern KEY = Pattern.compile("[A-Za-z0-9_\\-. /]{1,250}");
    private static final int MAX_PARAM_VALUE = 6000;
    private static final int MAX_TAG_VALUE = 8000;

    private final RunJournal journal;
    private final MlflowRest rest;
    private final String localRunId;
    private final Map<String, String> params = new HashMap<>();
    private RunDelivery delivery;
    private long retryAt;
    private boolean warned;
    private boolean finished;

    private TrackedRun(RunJournal journal, MlflowRest rest, String localRunId) {
        this.journal = journal;
        this.rest = rest;
        this.localRunId = localRunId;
    }

    /**
     * Starts a run: journals it under {@code spoolDir/<local run id>/} and creates it on the server when one is
     * given and answers.
     *
     * @param trackingUri e.g. {@code http://127.0.0.1:5000}; null or empty: journal only (sync later)
     * @param experiment the experiment's name (created when absent), e.g. one per dataset
     * @param runName the run's display name
     * @param tags tags set at creation (see {@link RunTags#standard})
     * @param spoolDir the folder holding the journals of runs (created when absent)
     */
    public static TrackedRun start(String trackingUri, String experiment, String runName, Map<String, String> tags,
            Path spoolDir) {
        Objects.requireNonNull(experiment, "experiment");
        Objects.requireNonNull(spoolDir, "spoolDir");
        Map<String, String> startTags = new LinkedHashMap<>(tags == null ? Map.of() : tags);
        startTags.forEach(TrackedRun::checkTag);
        String localId = UUID.randomUUID().toString().replace("-", "");
        try {
            RunJournal journal = RunJournal.create(spoolDir, localId);
            ObjectNode entry = journal.newEntry("start").put("local_run_id", localId).put("experiment", experiment)
                    .put("run_name", runName == null || runName.isBlank() ? localId : runName)
                    .put("start_time", System.currentTimeMillis());
            ObjectNode tagNode = entry.putObject("tags");
            startTags.forEach(tagNode::put);
            journal.append(entry);
            boolean online = trackingUri != null && !trackingUri.isBlank();
            TrackedRun run = new TrackedRun(journal, online ? new MlflowRest(trackingUri.strip()) : null, localId);
            if (online) {
                run.deliver(true);
            }
            return run;
        } catch (IOException e) {
            throw new UncheckedIOException("mlflow: cannot journal the run under " + spoolDir, e);
        }
    }

    /**
     * Continues a run whose process died before {@link #finish} (a killed training resuming from its checkpoint):
     * the same journal, so the same MLflow run, with the params it already logged remembered. Empty when there is
     * no such journal, when it is finished, or when another process holds it; the caller then starts a new run.
     *
     * @param trackingUri as for {@link #start}
     * @param spoolDir the folder holding the journals of runs
     * @param localRunId the run's {@link #localRunId()} (saved by the caller next to its checkpoint)
     */
    public static Optional<TrackedRun> resume(String trackingUri, Path spoolDir, String localRunId) {
        if (localRunId == null || !localRunId.matches("[0-9a-f]{32}")) {
            return Optional.empty();
        }
        Path dir = spoolDir.resolve(localRunId);
        if (!RunJournal.isJournal(dir)) {
            return Optional.empty();
        }
        try {
            RunJournal journal = RunJournal.open(dir);
            if (journal.finished() || !journal.tryLock()) {
                journal.close();
                return Optional.empty();
            }
            journal.startEntry();
            boolean online = trackingUri != null && !trackingUri.isBlank();
            TrackedRun run = new TrackedRun(journal, online ? new MlflowRest(trackingUri.strip()) : null, localRunId);
            for (ObjectNode e : journal.entries()) {
                if ("params".equals(e.path("op").asText())) {
                    e.path("params").fields().forEachRemaining(f -> run.params.put(f.getKey(), f.getValue().asText()));
                }
            }
            if (online) {
                run.deliver(true);
            }
            return Optional.of(run);
        } catch (IOException | IllegalStateException e) {
            System.err.println("mlflow: cannot continue the run journaled under " + dir + " (" + e.getMessage()
                    + "); starting a new one");
            return Optional.empty();
        }
    }

    /** The steps that metrics were journaled for (a resumed run logs only the steps it lacks). */
    public synchronized Set<Long> loggedSteps() {
        Set<Long> steps = new TreeSet<>();
        for (ObjectNode e : journal.entries()) {
            if ("metrics".equals(e.path("op").asText())) {
                steps.add(e.path("step").asLong());
            }
        }
        return steps;
    }

    /** Logs params (one batch); a param already logged keeps its value (MLflow refuses a change). */
    public synchronized void logParams(Map<String, String> values) {
        requireOpen();
        Map<String, String> fresh = new LinkedHashMap<>();
        values.forEach((k, v) -> {
            checkKey(k);
            Objects.requireNonNull(v, "value of param " + k);
            if (v.length() > MAX_PARAM_VALUE) {
                throw new IllegalArgumentException("param " + k + ": value longer than " + MAX_PARAM_VALUE
                        + " characters (MLflow's limit); log it as an artifact");
            }
            String before = params.get(k);
            if (before != null && !before.equals(v)) {
                throw new IllegalArgumentException("param " + k + " was logged as '" + before + "'; MLflow params "
                        + "cannot change (log '" + v + "' as a metric or tag)");
            }
            if (before == null) {
                fresh.put(k, v);
            }
        });
        if (fresh.isEmpty()) {
            return;
        }
        ObjectNode entry = journal.newEntry("params");
        ObjectNode node = entry.putObject("params");
        fresh.forEach(node::put);
        record(entry);
        params.putAll(fresh);
    }

    /** Logs the values of one step (e.g. an epoch) in one log-batch request, timestamped now. */
    public synchronized void logMetrics(Map<String, Double> values, long step) {
        requireOpen();
        ObjectNode entry = journal.newEntry("metrics").put("step", step).put("timestamp", System.currentTimeMillis());
        ObjectNode node = entry.putObject("values");
        values.forEach((k, v) -> {
            checkKey(k);
            node.put(k, Objects.requireNonNull(v, "value of metric " + k).doubleValue());
        });
        record(entry);
    }

    /**
     * Logs a file as {@code artifactDir/<file name>} of the run ("" or null: the root). The file is copied into the
     * journal first, so it may change or go once this returns.
     */
    public synchronized void logArtifact(Path file, String artifactDir) {
        requireOpen();
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException(file + ": not a regular file, cannot log it as an artifact");
        }
        String dir = artifactDir == null ? "" : artifactDir.replaceAll("^/+", "").replaceAll("/+$", "");
        if (dir.contains("..") || dir.contains("\\")) {
            throw new IllegalArgumentException("artifact folder must stay inside the run: " + artifactDir);
        }
        ObjectNode entry = journal.newEntry("artifact");
        try {
            journal.copyArtifact(file, dir, entry);
        } catch (IOException e) {
            throw new UncheckedIOException("mlflow: cannot copy " + file + " into the journal " + journal.dir(), e);
        }
        record(entry);
    }

    /**
     * Logs a dataset as an input of the run (MLflow's dataset tracking: the run page's "Datasets used"), e.g. the
     * curated dataset a training read, with {@code context} "training".
     *
     * @param name the dataset's name (1-500 characters)
     * @param digest what identifies its content, e.g. the first 32 hex digits of its manifest's SHA-256 (<= 36)
     * @param source where it was read from (source type "local")
     * @param profile a few figures describing it (e.g. subjects per split), stored as JSON
     * @param context the tag {@code mlflow.data.context}: "training", "evaluation", ...
     */
    public synchronized void logDatasetInput(String name, String digest, String source, Map<String, String> profile,
            String context) {
        requireOpen();
        if (name == null || name.isBlank() || name.length() > 500) {
            throw new IllegalArgumentException("dataset name must be 1-500 characters: '" + name + "'");
        }
        if (digest == null || digest.isBlank() || digest.length() > 36) {
            throw new IllegalArgumentException("dataset digest must be 1-36 characters (MLflow's limit): '" + digest
                    + "'");
        }
        ObjectNode entry = journal.newEntry("inputs");
        ObjectNode input = entry.putArray("datasets").addObject();
        input.putArray("tags").addObject().put("key", "mlflow.data.context").put("value", context);
        ObjectNode profileNode = MlflowRest.JSON.createObjectNode();
        profile.forEach(profileNode::put);
        input.putObject("dataset").put("name", name).put("digest", digest).put("source_type", "local")
                .put("source", MlflowRest.JSON.createObjectNode().put("uri", source).toString())
                .put("profile", profileNode.toString());
        record(entry);
    }

    /**
     * Registers the run's artifact folder {@code artifactPath} (e.g. "model", holding the model file and its MLmodel
     * description) as a new version of the registered model {@code name}, created when absent. Journaled like every
     * call: a version is created once, when the server takes the entry ({@link #registeredVersion}).
     */
    public synchronized void registerModel(String name, String artifactPath, Map<String, String> tags) {
        requireOpen();
        if (name == null || name.isBlank() || name.length() > 250 || name.contains("/")) {
            throw new IllegalArgumentException("'" + name + "' is not a registered model name (1-250 characters, "
                    + "no '/')");
        }
        tags.forEach(TrackedRun::checkTag);
        ObjectNode entry = journal.newEntry("register").put("name", name)
                .put("artifact_path", artifactPath == null ? "" : artifactPath.replaceAll("^/+|/+$", ""));
        ObjectNode tagNode = entry.putObject("tags");
        tags.forEach(tagNode::put);
        record(entry);
    }

    /** The version of registered model {@code name} this run created, once the server took the registration. */
    public synchronized Optional<String> registeredVersion(String name) {
        if (delivery == null || delivery.runId() == null) {
            return Optional.empty();
        }
        try {
            JsonNode version = journal.readDelivery().path("runs").path(delivery.runId()).path("registered").path(name);
            return version.isMissingNode() ? Optional.empty() : Optional.of(version.asText());
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    public synchronized void setTags(Map<String, String> tags) {
        requireOpen();
        tags.forEach(TrackedRun::checkTag);
        ObjectNode entry = journal.newEntry("tags");
        ObjectNode node = entry.putObject("tags");
        tags.forEach(node::put);
        record(entry);
    }

    /** Ends the run as FINISHED or FAILED and makes a last attempt to deliver everything; later calls fail. */
    public synchronized void finish(boolean success) {
        finish(success ? "FINISHED" : "FAILED");
    }

    private void finish(String status) {
        if (finished) {
            return;
        }
        ObjectNode entry = journal.newEntry("finish").put("status", status).put("end_time", System.currentTimeMillis());
        finished = true;
        try {
            journal.append(entry);
        } catch (IOException e) {
            throw new UncheckedIOException("mlflow: cannot journal under " + journal.dir(), e);
        }
        if (rest != null) {
            deliver(true);
        }
        if (spooled()) {
            System.err.println("mlflow: run " + runId() + " is journaled under " + journal.dir() + " with entries "
                    + "not on the server yet; push them with: deepstroke mlflow-sync --spool "
                    + journal.dir().getParent() + " --tracking-uri " + (rest == null ? "<uri>" : rest.uri()));
        }
    }

    /** The server's run id, or the local id while the run has never reached a server. */
    public synchronized String runId() {
        return delivery != null && delivery.runId() != null ? delivery.runId() : localRunId;
    }

    /** The id naming the run's journal folder (also tag {@value RunDelivery#LOCAL_RUN_ID_TAG} on the server). */
    public String localRunId() {
        return localRunId;
    }

    /** The run's journal folder. */
    public Path journalDir() {
        return journal.dir();
    }

    /** True while some journaled call is not on the server (no server given, or it did not answer). */
    public synchronized boolean spooled() {
        return delivery == null || !delivery.complete();
    }

    /** Finishes the run as FAILED when {@link #finish} was not called (e.g. an exception left the block). */
    @Override
    public synchronized void close() {
        try {
            finish("FAILED");
        } finally {
            try {
                journal.close();
            } catch (IOException e) {
                System.err.println("mlflow: cannot release " + journal.dir() + ": " + e.getMessage());
            }
        }
    }

    private void record(ObjectNode entry) {
        try {
            journal.append(entry);
        } catch (IOException e) {
            throw new UncheckedIOException("mlflow: cannot journal under " + journal.dir(), e);
        }
        if (rest != null) {
            deliver(false);
        }
    }

    /** Sends what is pending unless the server failed less than the retry interval ago (or {@code now}). */
    private void deliver(boolean now) {
        if (!now && System.currentTimeMillis() < retryAt) {
            return;
        }
        try {
            if (delivery == null) {
                delivery = new RunDelivery(journal, rest);
            }
            boolean wasBehind = warned;
            int sent = delivery.push();
            if (wasBehind) {
                System.err.println("mlflow: " + rest.uri() + " answers again; " + sent + " journaled entries of run "
                        + delivery.runId() + " delivered");
                warned = false;
            }
            retryAt = 0;
        } catch (MlflowRest.Rejected e) {
            // The server refused an entry: retrying cannot help; mlflow-sync will report it.
            retryAt = Long.MAX_VALUE;
            System.err.println("mlflow: " + e.getMessage() + "; journaling only from now on");
            warned = true;
        } catch (IOException e) {
            retryAt = System.currentTimeMillis() + retryIntervalMillis;
            if (!warned) {
                System.err.println("mlflow: " + e.getMessage() + "; training goes on, run journaled under "
                        + journal.dir() + " (retrying every " + retryIntervalMillis / 1000 + " s)");
                warned = true;
            }
        } catch (RuntimeException e) {
            // e.g. an artifact URI the proxy does not serve: a server set-up problem, not the training's
            retryAt = Long.MAX_VALUE;
            System.err.println("mlflow: " + e.getMessage() + "; journaling only from now on");
            warned = true;
        }
    }

    private void requireOpen() {
        if (finished) {
            throw new IllegalStateException("run " + runId() + " is finished");
        }
    }

    /** Throws IllegalArgumentException unless MLflow takes this as a param, metric or tag name. */
    public static void checkKey(String key) {
        if (key == null || !KEY.matcher(key).matches() || key.contains("..") || key.startsWith("/")) {
            throw new IllegalArgumentException("'" + key + "' is not an MLflow key (1-250 of letters, digits, "
                    + "_ - . space /)");
        }
    }

    private static void checkTag(String key, String value) {
        checkKey(key);
        Objects.requireNonNull(value, "value of tag " + key);
        if (value.length() > MAX_TAG_VALUE) {
            throw new IllegalArgumentException("tag " + key + ": value longer than " + MAX_TAG_VALUE + " characters");
        }
    }
}
