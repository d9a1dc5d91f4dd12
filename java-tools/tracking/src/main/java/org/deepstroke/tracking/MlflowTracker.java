package org.deepstroke.tracking;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.mlflow.api.proto.Service.CreateRun;
import org.mlflow.api.proto.Service.Metric;
import org.mlflow.api.proto.Service.Param;
import org.mlflow.api.proto.Service.RunInfo;
import org.mlflow.api.proto.Service.RunStatus;
import org.mlflow.api.proto.Service.RunTag;
import org.mlflow.tracking.MlflowClient;

/**
 * Experiment tracking in MLflow through its Java client: experiments by name, runs, batched params/metrics/tags.
 * Artifacts go through {@link ArtifactProxyUploader} (the client's own upload forks the Python CLI).
 */
public final class MlflowTracker implements AutoCloseable {

    private final String trackingUri;
    private final MlflowClient client;
    private final ArtifactProxyUploader uploader;

    public MlflowTracker(String trackingUri) {
        this.trackingUri = trackingUri.replaceAll("/+$", "");
        this.client = new MlflowClient(this.trackingUri);
        this.uploader = new ArtifactProxyUploader(this.trackingUri);
    }

    public String trackingUri() {
        return trackingUri;
    }

    /** The client, for reads the tracker does not wrap (e.g. metric history). */
    public MlflowClient client() {
        return client;
    }

    /** The id of the experiment with this name, created when absent. */
    public String experimentId(String name) {
        return client.getExperimentByName(name).map(e -> e.getExperimentId())
                .orElseGet(() -> client.createExperiment(name));
    }

    public RunInfo startRun(String experimentId, String runName, Map<String, String> tags) {
        CreateRun.Builder request = CreateRun.newBuilder().setExperimentId(experimentId)
                .setStartTime(System.currentTimeMillis()).setRunName(runName);
        tags.forEach((k, v) -> request.addTags(RunTag.newBuilder().setKey(k).setValue(v)));
        return client.createRun(request.build());
    }

    public void logParams(String runId, Map<String, String> params) {
        List<Param> list = new ArrayList<>();
        params.forEach((k, v) -> list.add(Param.newBuilder().setKey(k).setValue(v).build()));
        client.logBatch(runId, List.of(), list, List.of());
    }

    /** Logs several metrics of one step in one request. */
    public void logMetrics(String runId, Map<String, Double> values, long step) {
        long now = System.currentTimeMillis();
        List<Metric> list = new ArrayList<>();
        values.forEach((k, v) -> list.add(Metric.newBuilder().setKey(k).setValue(v).setTimestamp(now).setStep(step)
                .build()));
        client.logBatch(runId, list, List.of(), List.of());
    }

    /** Uploads one file under the run's artifacts, at {@code artifactDir/<file name>} ("" for the root). */
    public void logArtifact(RunInfo run, Path file, String artifactDir) throws IOException, InterruptedException {
        uploader.upload(run.getArtifactUri(), file, artifactDir);
    }

    public void endRun(String runId, RunStatus status) {
        client.setTerminated(runId, status, System.currentTimeMillis());
    }

    @Override
    public void close() {
        client.close();
    }
}
