package org.deepstroke.unet.train;

import java.nio.file.Path;
import java.util.Map;

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

    /** The run id, or "" when not tracked. */
    String runId();

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
