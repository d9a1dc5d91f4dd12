package org.deepstroke.unet.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.deepstroke.core.testing.MlflowServer;
import org.deepstroke.unet.SyntheticDataset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A training process killed (SIGKILL) after its first checkpoint continues at the next epoch when restarted, in the
 * same MLflow run (a real server on 127.0.0.1, read back through REST): one run, every epoch's metrics once.
 */
class KillAndResumeTest {

    @TempDir
    Path tmp;

    private String trackingUri;

    private Process start(Path dataset, Path out, Path log) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-cp", System.getProperty("java.class.path"), "org.deepstroke.core.cli.Launcher",
                "train", "--dataset", dataset.toString(), "--output-dir", out.toString(), "--volume-size", "16",
                "--depth", "2", "--base-channels", "4", "--epochs", "4", "--learning-rate", "0.01",
                "--tracking-uri", trackingUri, "--experiment", "resume-test", "--register-model",
                "resume-test-unet"));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("OMP_WAIT_POLICY", "PASSIVE");
        return pb.start();
    }

    @Test
    void killedRunContinuesFromItsCheckpoint() throws Exception {
        try (MlflowServer server = MlflowServer.start(tmp.resolve("mlflow"))) {
            trackingUri = server.uri();
            killAndResume();
        }
    }

    private void killAndResume() throws Exception {
        Path dataset = SyntheticDataset.write(tmp.resolve("ds"), 4, 1, 0, 24, 5);
        Path out = tmp.resolve("train");
        Path state = out.resolve("checkpoint/state.json");
        Process first = start(dataset, out, tmp.resolve("first.log"));
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
        while (!Files.exists(state) && System.nanoTime() < deadline && first.isAlive()) {
            Thread.sleep(200);
        }
        assertTrue(Files.exists(state), "no checkpoint: " + Files.readString(tmp.resolve("first.log")));
        first.destroyForcibly().waitFor(); // SIGKILL: no shutdown hooks, no clean-up
        int killedAfter = new ObjectMapper().readTree(state.toFile()).get("epoch").asInt();
        assertTrue(killedAfter >= 1 && killedAfter < 4, "killed after epoch " + killedAfter);

        Process second = start(dataset, out, tmp.resolve("second.log"));
        assertTrue(second.waitFor(5, TimeUnit.MINUTES));
        String log = Files.readString(tmp.resolve("second.log"));
        assertEquals(0, second.exitValue(), log);
        assertTrue(log.contains("resuming from") && log.contains("epoch " + killedAfter + " done"), log);
        assertTrue(log.contains("train epoch " + (killedAfter + 1) + "/4"), log);
        List<String> history = Files.readAllLines(out.resolve("history.tsv"));
        assertEquals(List.of("1", "2", "3", "4"), history.subList(1, history.size()).stream()
                .map(l -> l.split("\t")[0]).toList());
        JsonNode train = new ObjectMapper().readTree(out.resolve("train.json").toFile());
        assertEquals(killedAfter + 1, train.get("result").get("start_epoch").asInt());
        assertEquals(4, train.get("result").get("last_epoch").asInt());

        // one training, one run: the resumed process continued the killed one's journal and MLflow run
        try (Stream<Path> journals = Files.list(out.resolve("mlflow-spool"))) {
            assertEquals(1, journals.filter(Files::isDirectory).count(), "one journal in the spool");
        }
        assertTrue(log.contains("mlflow: continuing run "), log);
        JsonNode experiment = get("/api/2.0/mlflow/experiments/get-by-name?experiment_name=resume-test");
        String experimentId = experiment.at("/experiment/experiment_id").asText();
        JsonNode runs = post("/api/2.0/mlflow/runs/search", "{\"experiment_ids\":[\"" + experimentId + "\"]}");
        assertEquals(1, runs.path("runs").size(), "runs: " + runs);
        JsonNode run = runs.path("runs").get(0);
        String runId = run.at("/info/run_id").asText();
        assertEquals(runId, train.get("mlflow_run_id").asText());
        assertEquals("FINISHED", run.at("/info/status").asText());
        JsonNode metricHistory = get("/api/2.0/mlflow/metrics/get-history?run_id=" + runId + "&metric_key=val_mean_dice");
        List<Long> steps = new ArrayList<>();
        metricHistory.path("metrics").forEach(m -> steps.add(m.path("step").asLong()));
        steps.sort(null);
        assertEquals(List.of(1L, 2L, 3L, 4L), steps, "each epoch once: " + metricHistory);
        boolean resumedTag = false;
        for (JsonNode t : run.at("/data/tags")) {
            resumedTag |= t.path("key").asText().equals("deepstroke.resumed_after_epoch")
                    && t.path("value").asText().equals(Integer.toString(killedAfter));
        }
        assertTrue(resumedTag, "tag deepstroke.resumed_after_epoch=" + killedAfter + ": " + run);

        // the curated dataset is the run's one input (both processes logged it: MLflow keeps it once), and the
        // model is registered once, as version 1, from the run's model/ folder
        JsonNode inputs = get("/api/2.0/mlflow/runs/get?run_id=" + runId).at("/run/inputs/dataset_inputs");
        assertEquals(1, inputs.size(), inputs.toString());
        assertEquals("ds-" + train.at("/dataset/manifest_sha256").asText().substring(0, 12),
                inputs.get(0).at("/dataset/name").asText());
        assertEquals(train.at("/dataset/manifest_sha256").asText().substring(0, 32),
                inputs.get(0).at("/dataset/digest").asText(), train.toString());
        JsonNode versions = get("/api/2.0/mlflow/model-versions/search?filter=name%3D%27resume-test-unet%27")
                .path("model_versions");
        assertEquals(1, versions.size(), versions.toString());
        assertEquals("1", versions.get(0).path("version").asText());
        assertEquals(runId, versions.get(0).path("run_id").asText());
        assertEquals(run.at("/info/artifact_uri").asText() + "/model", versions.get(0).path("source").asText());
        assertTrue(log.contains("mlflow: registered model resume-test-unet version 1"), log);
        String mlmodel = Files.readString(out.resolve("mlflow-model/MLmodel"));
        assertTrue(mlmodel.contains("model_file: model.zip") && mlmodel.contains("run_id: " + runId), mlmodel);
    }

    private JsonNode get(String path) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(trackingUri + path))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        return new ObjectMapper().readTree(r.body());
    }

    private JsonNode post(String path, String body) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(trackingUri + path))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        return new ObjectMapper().readTree(r.body());
    }
}
