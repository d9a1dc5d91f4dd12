package org.deepstroke.tracking;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Reads runs back through MLflow's plain REST API, as an independent client would (tests only). */
final class ReadBack {

    record Point(long step, double value, long timestamp) {
    }

    private final String uri;
    private final HttpClient http = HttpClient.newHttpClient();
    private final ObjectMapper json = new ObjectMapper();

    ReadBack(String uri) {
        this.uri = uri;
    }

    JsonNode get(String path) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(uri + path)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IOException(path + ": HTTP " + r.statusCode() + " " + r.body());
        }
        return json.readTree(r.body());
    }

    /** Every run (any status, active) of the experiment with this name. */
    List<JsonNode> runs(String experiment) throws IOException, InterruptedException {
        String id = get("/api/2.0/mlflow/experiments/get-by-name?experiment_name=" + enc(experiment))
                .at("/experiment/experiment_id").asText();
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(uri + "/api/2.0/mlflow/runs/search"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"experiment_ids\":[\"" + id + "\"],\"max_results\":1000}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        List<JsonNode> runs = new ArrayList<>();
        json.readTree(r.body()).path("runs").forEach(runs::add);
        return runs;
    }

    JsonNode run(String runId) throws IOException, InterruptedException {
        return get("/api/2.0/mlflow/runs/get?run_id=" + enc(runId)).path("run");
    }

    /** A metric's whole history, ordered by step then timestamp. */
    List<Point> history(String runId, String key) throws IOException, InterruptedException {
        List<Point> points = new ArrayList<>();
        get("/api/2.0/mlflow/metrics/get-history?run_id=" + enc(runId) + "&metric_key=" + enc(key)
                + "&max_results=25000").path("metrics").forEach(m -> points.add(new Point(m.path("step").asLong(),
                        m.path("value").asDouble(), m.path("timestamp").asLong())));
        points.sort((a, b) -> a.step != b.step ? Long.compare(a.step, b.step) : Long.compare(a.timestamp, b.timestamp));
        return points;
    }

    static Map<String, String> pairs(JsonNode list) {
        Map<String, String> map = new TreeMap<>();
        list.forEach(p -> map.put(p.path("key").asText(), p.path("value").asText()));
        return map;
    }

    Map<String, String> params(String runId) throws IOException, InterruptedException {
        return pairs(run(runId).at("/data/params"));
    }

    Map<String, String> tags(String runId) throws IOException, InterruptedException {
        return pairs(run(runId).at("/data/tags"));
    }

    /** Paths of every artifact file of the run (recursively) with their sizes. */
    Map<String, Long> artifactFiles(String runId) throws IOException, InterruptedException {
        Map<String, Long> files = new TreeMap<>();
        listInto(runId, "", files);
        return files;
    }

    private void listInto(String runId, String path, Map<String, Long> files) throws IOException, InterruptedException {
        JsonNode list = get("/api/2.0/mlflow/artifacts/list?run_id=" + enc(runId)
                + (path.isEmpty() ? "" : "&path=" + enc(path)));
        for (JsonNode f : list.path("files")) {
            if (f.path("is_dir").asBoolean()) {
                listInto(runId, f.path("path").asText(), files);
            } else {
                files.put(f.path("path").asText(), f.path("file_size").asLong());
            }
        }
    }

    /** The bytes of one artifact, through the server's artifact proxy. */
    byte[] artifact(String runId, String path) throws IOException, InterruptedException {
        String artifactUri = run(runId).at("/info/artifact_uri").asText();
        String base = artifactUri.replaceFirst("^mlflow-artifacts:/+", "");
        HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(URI.create(uri
                + "/api/2.0/mlflow-artifacts/artifacts/" + base + "/" + path)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        if (r.statusCode() != 200) {
            throw new IOException(path + ": HTTP " + r.statusCode());
        }
        return r.body();
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
