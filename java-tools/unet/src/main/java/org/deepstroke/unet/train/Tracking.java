package org.deepstroke.unet.train;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.deepstroke.tracking.TrackedRun;

/**
 * The training run's tracking: an MLflow run through the tracking module's {@link TrackedRun} (journaled under
 * the spool folder first, so an unreachable server never stops training; {@code deepstroke mlflow-sync} pushes
 * the spool later).
 */
public final class Tracking {

    private Tracking() {
    }

    /**
     * Opens the training's run: the one journaled as {@code resumeLocalId} when that run was left unfinished (a
     * killed training resuming from its checkpoint: one MLflow run per training, not one per attempt), else a new
     * one.
     */
    public static TrackingSink open(String trackingUri, String experiment, String runName, Map<String, String> tags,
            Path spoolDir, String resumeLocalId, PrintStream log) {
        Optional<TrackedRun> resumed = TrackedRun.resume(trackingUri, spoolDir, resumeLocalId);
        TrackedRun run = resumed.orElseGet(() -> TrackedRun.start(trackingUri, experiment, runName, tags, spoolDir));
        log.println("mlflow: " + (resumed.isPresent() ? "continuing run " : "run ") + run.runId()
                + (run.spooled() ? " (spooled under " + spoolDir + ")" : ""));
        return new TrackingSink() {
            @Override
            public void params(Map<String, String> params) {
                run.logParams(params);
            }

            @Override
            public void metrics(Map<String, Double> values, long step) {
                run.logMetrics(values, step);
            }

            @Override
            public void artifact(Path file, String dir) {
                run.logArtifact(file, dir);
            }

            @Override
            public void tags(Map<String, String> tags) {
                run.setTags(tags);
            }

            @Override
            public void finish(boolean success) {
                run.finish(success);
            }

            @Override
            public void datasetInput(String name, String digest, String source, Map<String, String> profile) {
                run.logDatasetInput(name, digest, source, profile, "training");
            }

            @Override
            public void registerModel(String name, String artifactPath, Map<String, String> tags) {
                run.registerModel(name, artifactPath, tags);
            }

            @Override
            public Optional<String> registeredVersion(String name) {
                return run.registeredVersion(name);
            }

            @Override
            public String runId() {
                return run.runId();
            }

            @Override
            public String localRunId() {
                return run.localRunId();
            }

            @Override
            public Set<Long> loggedSteps() {
                return run.loggedSteps();
            }

            @Override
            public void close() {
                run.close();
            }
        };
    }
}
