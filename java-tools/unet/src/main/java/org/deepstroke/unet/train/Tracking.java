package org.deepstroke.unet.train;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;
import org.deepstroke.tracking.TrackedRun;

/**
 * The training run's tracking: an MLflow run through the tracking module's {@link TrackedRun} (journaled under
 * the spool folder first, so an unreachable server never stops training; {@code deepstroke mlflow-sync} pushes
 * the spool later).
 */
public final class Tracking {

    private Tracking() {
    }

    public static TrackingSink open(String trackingUri, String experiment, String runName, Map<String, String> tags,
            Path spoolDir, PrintStream log) {
        TrackedRun run = TrackedRun.start(trackingUri, experiment, runName, tags, spoolDir);
        log.println("mlflow: run " + run.runId() + (run.spooled() ? " (spooled under " + spoolDir + ")" : ""));
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
            public String runId() {
                return run.runId();
            }

            @Override
            public void close() {
                run.close();
            }
        };
    }
}
