package org.deepstroke.tracking;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * The few MLflow REST calls a spooled run needs (experiments by name, runs, log-batch, log-inputs, terminate,
 * artifact proxy, model registry), with bounded time-outs. Why not {@code org.mlflow.tracking.MlflowClient} here: its HTTP client has no socket
 * time-outs (a hung server would block training forever), and it cannot tell "server away" from "request
 * rejected", which decides whether an entry may be retried.
 */
final class MlflowRest {

    /** The server did not answer (refused, reset, timed out, 5xx): the same request may succeed later. */
    static final class Unavailable extends IOException {
        Unavailable(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** The server answered and refused the request (4xx): retrying the same request will not help. */
    static final class Rejected extends IOException {
        final int status;

        Rejected(int status, String message) {
            super(message);
            this.status = status;
        }
    }

    private static final String API = "/api/2.0/mlflow/";
    static final ObjectMapper JSON = new ObjectMapper();

    private final String uri;
    private final HttpClient http;
    private final Duration requestTimeout;

    MlflowRest(String trackingUri) {
        this(trackingUri, Duration.ofSeconds(5), Duration.ofSeconds(30));
    }

    MlflowRest(String trackingUri, Duration connectTimeout, Duration requestTimeout) {
        this.uri = trackingUri.replaceAll("/+$", "");
        this.http = HttpClient.newBuilder().connectTimeout(connectTimeout).build();
        this.requestTimeout = requestTimeout;
    }

    String uri() {
        return uri;
    }

    /** The id of the experiment with this name, created when absent (a concurrent creation is tolerated). */
    String experimentId(String name) throws IOException {
        Optional<String> found = findExperiment(name);
        if (found.isPresent()) {
            return found.get();
        }
        try {
            return post("experiments/create", JSON.createObjectNode().put("name", name)).path("experiment_id")
                    .asText();
        } catch (Rejected e) {
            // RESOURCE_ALREADY_EXISTS: another process created it meanwhile.
            return findExperiment(name).orElseThrow(() -> e);
        }
    }

    private Optional<String> findExperiment(String name) throws IOException {
        try {
            return Optional.of(get("experiments/get-by-name?experiment_name=" + encode(name))
                    .at("/experiment/experiment_id").asText());
        } catch (Rejected e) {
            if (e.status == 404) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /** The active run of the experiment carrying tag {@code key = value}, if any. */
    Optional<JsonNode> findRunByTag(String experimentId, String key, String value) throws IOException {
        ObjectNode body = JSON.createObjectNode();
        body.putArray("experiment_ids").add(experimentId);
        body.put("filter", "tags.`" + key + "` = '" + value.replace("'", "\\'") + "'");
        body.put("run_view_type", "ACTIVE_ONLY");
        body.put("max_results", 2);
        JsonNode runs = post("runs/search", body).path("runs");
        return runs.isEmpty() ? Optional.empty() : Optional.of(runs.get(0));
    }

    JsonNode createRun(String experimentId, String runName, long startTime, Map<String, String> tags)
            throws IOException {
        ObjectNode body = JSON.createObjectNode().put("experiment_id", experimentId).put("run_name", runName)
                .put("start_time", startTime);
        ArrayNode list = body.putArray("tags");
        tags.forEach((k, v) -> list.addObject().put("key", k).put("value", v));
        return post("runs/create", body).path("run");
    }

    JsonNode getRun(String runId) throws IOException {
        return get("runs/get?run_id=" + encode(runId)).path("run");
    }

    /** One log-batch request; the caller keeps within MLflow's limits (1000 metrics, 100 params, 100 tags). */
    void logBatch(String runId, ArrayNode metrics, ArrayNode params, ArrayNode tags) throws IOException {
        ObjectNode body = JSON.createObjectNode().put("run_id", runId);
        body.set("metrics", metrics);
        body.set("params", params);
        body.set("tags", tags);
        post("runs/log-batch", body);
    }

    /** Logs datasets as inputs of the run (MLflow keeps one input per dataset name and digest: re-sending is a no-op). */
    void logInputs(String runId, ArrayNode datasetInputs) throws IOException {
        ObjectNode body = JSON.createObjectNode().put("run_id", runId);
        body.set("datasets", datasetInputs);
        post("runs/log-inputs", body);
    }

    /** Creates the registered model {@code name} unless it exists (a concurrent creation is tolerated). */
    void ensureRegisteredModel(String name) throws IOException {
        try {
            get("registered-models/get?name=" + encode(name));
            return;
        } catch (Rejected e) {
            if (e.status != 404) {
                throw e;
            }
        }
        try {
            post("registered-models/create", JSON.createObjectNode().put("name", name));
        } catch (Rejected e) {
            // RESOURCE_ALREADY_EXISTS: another process created it meanwhile
            get("registered-models/get?name=" + encode(name));
        }
    }

    /** The version of registered model {@code name} made from run {@code runId} with this source, if any. */
    Optional<String> findModelVersion(String name, String runId, String source) throws IOException {
        String filter = "name='" + name.replace("'", "\\'") + "' and run_id='" + runId + "'";
        JsonNode versions = get("model-versions/search?max_results=1000&filter=" + encode(filter))
                .path("model_versions");
        for (JsonNode v : versions) {
            if (source.equals(v.path("source").asText())) {
                return Optional.of(v.path("version").asText());
            }
        }
        return Optional.empty();
    }

    /** Creates a new version of registered model {@code name} from {@code source}; returns its version number. */
    String createModelVersion(String name, String source, String runId, Map<String, String> tags)
            throws IOException {
        ObjectNode body = JSON.createObjectNode().put("name", name).put("source", source).put("run_id", runId);
        ArrayNode list = body.putArray("tags");
        tags.forEach((k, v) -> list.addObject().put("key", k).put("value", v));
        return post("model-versions/create", body).at("/model_version/version").asText();
    }

    void terminate(String runId, String status, long endTime) throws IOException {
        post("runs/update", JSON.createObjectNode().put("run_id", runId).put("status", status)
                .put("end_time", endTime));
    }

    /** PUTs a file to {@code artifactDir/<file name>} of the run through the server's artifact proxy. */
    void uploadArtifact(String runArtifactUri, Path file, String artifactDir) throws IOException {
        String relative = ArtifactProxyUploader.relativePath(runArtifactUri, artifactDir,
                file.getFileName().toString());
        // Time-out by size (60 s + 1 s per MB): a hung server must not hold training for long, a big model must fit.
        long seconds = 60 + java.nio.file.Files.size(file) / 1_000_000;
        send(HttpRequest.newBuilder(URI.create(uri + ArtifactProxyUploader.ENDPOINT
                + ArtifactProxyUploader.encodePath(relative))).timeout(Duration.ofSeconds(seconds))
                .PUT(HttpRequest.BodyPublishers.ofFile(file)));
    }

    private JsonNode get(String path) throws IOException {
        return send(HttpRequest.newBuilder(URI.create(uri + API + path)).GET());
    }

    private JsonNode post(String path, JsonNode body) throws IOException {
        return send(HttpRequest.newBuilder(URI.create(uri + API + path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))));
    }

    private JsonNode send(HttpRequest.Builder request) throws IOException {
        HttpRequest built = request.build();
        if (built.timeout().isEmpty()) {
            built = request.timeout(requestTimeout).build();
        }
        HttpResponse<String> response;
        try {
            response = http.send(built, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new Unavailable(uri + " did not answer " + built.uri().getPath() + ": " + describe(e), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Unavailable("interrupted while calling " + uri, e);
        }
        int status = response.statusCode();
        if (status / 100 == 2) {
            String body = response.body();
            return body == null || body.isBlank() ? JSON.createObjectNode() : JSON.readTree(body);
        }
        String message = built.uri().getPath() + " answered HTTP " + status + ": " + response.body().strip();
        if (status >= 500 || status == 429 || status == 408) {
            throw new Unavailable(message, null);
        }
        throw new Rejected(status, message);
    }

    static String describe(Throwable e) {
        String message = e.getMessage();
        return e.getClass().getSimpleName() + (message == null || message.isBlank() ? "" : " (" + message + ")");
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
