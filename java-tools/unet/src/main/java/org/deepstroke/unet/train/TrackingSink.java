package org.deepstroke.unet.train;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Where training reports params, per-epoch metrics, artifacts and tags (MLflow through the tracking module's
 * TrackedRun in production; {@link #NONE} when tracking is off).
 */
public interface TrackingSink extends AutoCloseable {

    void params(Map<String, String> params);

    void metrics(Map<String, Double> values, long step);

    void artifact(Path file, String dir);

    void tags(Map<String, String> tags);

    void finish(boolean success);

    /** The dataset the training read, as an input of the run (MLflow dataset tracking). */
    default void datasetInput(String name, String digest, String source, Map<String, String> profile) {
    }

    /** Registers the run's artifact folder {@code artifactPath} as a new version of registered model {@code name}. */
    default void registerModel(String name, String artifactPath, Map<String, String> tags) {
    }

    /** The version of {@code name} this run registered, once the server took it (else empty). */
    default Optional<String> registeredVersion(String name) {
        return Optional.empty();
    }

    /** The run id, or "" when not tracked. */
    String runId();

    /** The id of the run's local journal (kept with the checkpoint so a resumed training continues the run). */
    default String localRunId() {
        return "";
    }

    /** Epochs whose metrics this run already holds (a resumed run logs the others). */
    default Set<Long> loggedSteps() {
        return Set.of();
    }

    @Override
    default void close() {
    }

    TrackingSink NONE = new TrackingSink() {
        @Override
        public void params(Map<String, String> params) {
        }

        @Override
        public void metrics(Map<String, Double> values, long step) {
        }

        @Override
        public void artifact(Path file, String dir) {
        }

        @Override
        public void tags(Map<String, String> tags) {
        }

        @Override
        public void finish(boolean success) {
        }

        @Override
        public String runId() {
            return "";
        }
    };
}
