package org.deepstroke.tracking;

import static org.deepstroke.core.testing.InProcessTool.deepstroke;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.deepstroke.core.testing.MlflowServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.deepstroke.core.testing.InProcessTool.Result;

/** TrackedRun, mlflow-sync and mlflow-log against a real MLflow server on 127.0.0.1, read back through REST. */
class TrackedRunTest {

    @TempDir
    static Path dir;

    static MlflowServer server;
    static ReadBack rest;

    @BeforeAll
    static void startServer() throws Exception {
        server = MlflowServer.start(dir.resolve("server"));
        rest = new ReadBack(server.uri());
    }

    @AfterAll
    static void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    static byte[] bytes(long seed, int n) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    /** What a finished run leaves for the read-back: the server's run id and the journal's local id. */
    record Finished(String runId, String localId) {
    }

    interface RunBody {
        void accept(TrackedRun run) throws Exception;
    }

    /** Starts a run on the test server, lets the body log into it and returns its ids once it is closed. */
    static Finished track(String experiment, String runName, Map<String, String> tags, Path spool, RunBody body)
            throws Exception {
        try (TrackedRun run = TrackedRun.start(server.uri(), experiment, runName, tags, spool)) {
            body.accept(run);
            return new Finished(run.runId(), run.localRunId());
        }
    }

    static Map<String, Double> epoch(int e) {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("train_loss", 1.0 / (e + 1));
        m.put("val_mean_dice", 0.1 * e + 0.05);
        return m;
    }

    @Test
    void paramsMetricsArtifactsAndTagsRoundTrip() throws Exception {
        Path model = Files.write(dir.resolve("model.zip"), bytes(7, 300_000));
        Path config = Files.writeString(dir.resolve("config.yaml"), "lambda_dice: 1.0\nlambda_ce: 0.2\n");
        Path spool = dir.resolve("spool-roundtrip");
        Finished finished = track("dataset-roundtrip", "train-1",
                Map.of("deepstroke.backend", "nd4j-native", RunTags.NF_RUN_NAME, "tiny_euler"), spool, run -> {
            assertFalse(run.spooled());
            run.logParams(Map.of("base_channels", "8", "lr", "0.001", "manifest_sha256", "ab12"));
            run.logParams(Map.of("base_channels", "8")); // same value again: accepted, nothing new
            assertThrows(IllegalArgumentException.class, () -> run.logParams(Map.of("lr", "0.01")));
            assertThrows(IllegalArgumentException.class, () -> run.logMetrics(Map.of("bad:key", 1.0), 0));
            for (int e = 0; e < 4; e++) {
                run.logMetrics(epoch(e), e);
            }
            run.logMetrics(Map.of("nan_metric", Double.NaN), 0);
            run.logArtifact(model, "model");
            run.logArtifact(config, "");
            run.setTags(Map.of("stage", "train", RunTags.NF_SESSION_ID, "0f1e2d3c"));
            run.finish(true);
            assertFalse(run.spooled(), "everything reached the server");
        });
        String runId = finished.runId();
        String localId = finished.localId();
        assertNotEquals(localId, runId);
        List<JsonNode> runs = rest.runs("dataset-roundtrip");
        assertEquals(1, runs.size());
        JsonNode stored = rest.run(runId);
        assertEquals("FINISHED", stored.at("/info/status").asText());
        assertEquals("train-1", stored.at("/info/run_name").asText());
        assertEquals(Map.of("base_channels", "8", "lr", "0.001", "manifest_sha256", "ab12"), rest.params(runId));
        Map<String, String> tags = rest.tags(runId);
        assertEquals("nd4j-native", tags.get("deepstroke.backend"));
        assertEquals("tiny_euler", tags.get(RunTags.NF_RUN_NAME));
        assertEquals("0f1e2d3c", tags.get(RunTags.NF_SESSION_ID));
        assertEquals("train", tags.get("stage"));
        assertEquals(localId, tags.get(RunDelivery.LOCAL_RUN_ID_TAG));
        List<ReadBack.Point> loss = rest.history(runId, "train_loss");
        assertEquals(List.of(0L, 1L, 2L, 3L), loss.stream().map(ReadBack.Point::step).toList());
        for (int e = 0; e < 4; e++) {
            assertEquals(1.0 / (e + 1), loss.get(e).value(), 0.0);
            assertEquals(0.1 * e + 0.05, rest.history(runId, "val_mean_dice").get(e).value(), 0.0);
        }
        assertTrue(Double.isNaN(rest.history(runId, "nan_metric").get(0).value()));
        assertEquals(Map.of("model/model.zip", 300_000L, "config.yaml", (long) Files.size(config)),
                rest.artifactFiles(runId));
        assertArrayEquals(Files.readAllBytes(model), rest.artifact(runId, "model/model.zip"));
        assertArrayEquals(Files.readAllBytes(config), rest.artifact(runId, "config.yaml"));
        // The journal holds every call, and its delivery record says all of it was acknowledged.
        Path journal = spool.resolve(localId);
        long lines = Files.readAllLines(journal.resolve("journal.jsonl")).size();
        assertEquals(1 + 1 + 4 + 1 + 2 + 1 + 1, lines);
        assertEquals(lines, new ObjectMapper().readTree(journal.resolve("delivery.json").toFile())
                .at("/runs/" + runId + "/acked_seq").asLong());
    }

    /**
     * The dataset a training read is an input of its run, and the model folder becomes a registered model version;
     * both survive a lost answer: the journal replayed from before them (delivery.json rolled back, as when the
     * server applied a request whose answer never came) adds no second input and no second version.
     */
    @Test
    void datasetInputAndRegisteredModelVersionAreDeliveredOnce() throws Exception {
        Path model = Files.write(dir.resolve("registered-model.zip"), bytes(21, 40_000));
        Path mlmodel = Files.writeString(dir.resolve("MLmodel"), "artifact_path: model\n");
        Path spool = dir.resolve("spool-registry");
        Finished finished = track("dataset-registry", "train-registry", Map.of(), spool, run -> {
            run.logDatasetInput("curated-demo", "0123456789abcdef0123456789abcdef", "/data/curated-demo",
                    Map.of("train_subjects", "18", "validation_subjects", "6"), "training");
            assertThrows(IllegalArgumentException.class, () -> run.logDatasetInput("d", "x".repeat(37), "/d",
                    Map.of(), "training"));
            run.logArtifact(model, "model");
            run.logArtifact(mlmodel, "model");
            run.registerModel("deepstroke-test-unet", "model", Map.of("volume_size", "48"));
            assertThrows(IllegalArgumentException.class, () -> run.registerModel("a/b", "model", Map.of()));
            run.finish(true);
            assertFalse(run.spooled());
            assertEquals(java.util.Optional.of("1"), run.registeredVersion("deepstroke-test-unet"));
        });
        String runId = finished.runId();
        String localId = finished.localId();
        JsonNode inputs = rest.run(runId).at("/inputs/dataset_inputs");
        assertEquals(1, inputs.size(), inputs.toString());
        JsonNode dataset = inputs.get(0).path("dataset");
        assertEquals("curated-demo", dataset.path("name").asText());
        assertEquals("0123456789abcdef0123456789abcdef", dataset.path("digest").asText());
        assertEquals("local", dataset.path("source_type").asText());
        assertEquals("/data/curated-demo", new ObjectMapper().readTree(dataset.path("source").asText())
                .path("uri").asText());
        assertEquals("18", new ObjectMapper().readTree(dataset.path("profile").asText()).path("train_subjects")
                .asText());
        assertEquals(Map.of("mlflow.data.context", "training"), ReadBack.pairs(inputs.get(0).path("tags")));
        JsonNode version = rest.get("/api/2.0/mlflow/model-versions/get?name=deepstroke-test-unet&version=1")
                .path("model_version");
        assertEquals(runId, version.path("run_id").asText());
        String artifactUri = rest.run(runId).at("/info/artifact_uri").asText();
        assertEquals(artifactUri + "/model", version.path("source").asText());
        assertEquals(Map.of("volume_size", "48"), ReadBack.pairs(version.path("tags")));
        assertArrayEquals(Files.readAllBytes(model), rest.artifact(runId, "model/registered-model.zip"));

        // Replay from the dataset entry on: nothing new on the server.
        Path delivery = spool.resolve(localId).resolve("delivery.json");
        ObjectNode record = (ObjectNode) new ObjectMapper().readTree(delivery.toFile());
        ((ObjectNode) record.at("/runs/" + runId)).put("acked_seq", 1);
        Files.writeString(delivery, record.toString());
        Result sync = deepstroke("mlflow-sync", "--spool", spool.toString(), "--tracking-uri", server.uri());
        assertEquals(0, sync.exit(), sync.err());
        assertEquals(1, rest.run(runId).at("/inputs/dataset_inputs").size());
        JsonNode versions = rest.get("/api/2.0/mlflow/model-versions/search?filter="
                + java.net.URLEncoder.encode("name='deepstroke-test-unet'", StandardCharsets.UTF_8))
                .path("model_versions");
        assertEquals(1, versions.size(), versions.toString());

        // A second training registers version 2 of the same model.
        try (TrackedRun run = TrackedRun.start(server.uri(), "dataset-registry", "train-registry-2", Map.of(),
                dir.resolve("spool-registry-2"))) {
            run.logArtifact(model, "model");
            run.registerModel("deepstroke-test-unet", "model", Map.of());
            run.finish(true);
            assertEquals(java.util.Optional.of("2"), run.registeredVersion("deepstroke-test-unet"));
        }
    }

    @Test
    void unreachableAtStartIsSpooledThenSyncedExactlyOnce() throws Exception {
        String nobody = "http://127.0.0.1:" + MlflowServer.freePort();
        Path spool = dir.resolve("spool-offline");
        Path model = Files.write(dir.resolve("offline-model.bin"), bytes(11, 50_000));
        String localId;
        try (TrackedRun run = TrackedRun.start(nobody, "dataset-offline", "train-offline",
                Map.of("deepstroke.backend", "nd4j-native"), spool)) {
            assertTrue(run.spooled());
            run.logParams(Map.of("depth", "3"));
            for (int e = 0; e < 3; e++) {
                run.logMetrics(epoch(e), e);
            }
            run.logArtifact(model, "model");
            run.finish(true);
            assertTrue(run.spooled());
            localId = run.localRunId();
            assertEquals(localId, run.runId(), "no server id without a server");
        }
        // The training may delete its file: the journal kept a copy.
        Files.delete(model);
        byte[] expected = bytes(11, 50_000);

        Result first = deepstroke("mlflow-sync", "--spool", spool.toString(), "--tracking-uri", server.uri());
        assertEquals(0, first.exit(), first.err());
        String[] row = first.out().lines().skip(1).findFirst().orElseThrow().split("\t");
        assertEquals(localId, row[0]);
        String runId = row[1];
        assertEquals("7", row[2], "start, params, 3 metrics, artifact, finish");
        assertEquals("complete", row[3]);
        assertOfflineRunComplete(runId, localId, expected);

        // Again: nothing sent, nothing duplicated.
        Result second = deepstroke("mlflow-sync", "--spool", spool.toString(), "--tracking-uri", server.uri());
        assertEquals(0, second.exit(), second.err());
        assertEquals("0", second.out().lines().skip(1).findFirst().orElseThrow().split("\t")[2]);
        assertOfflineRunComplete(runId, localId, expected);

        // Even with the delivery record lost, replaying the whole journal duplicates nothing (rules 1 and 3).
        Files.delete(spool.resolve(localId).resolve("delivery.json"));
        Result third = deepstroke("mlflow-sync", "--spool", spool.toString(), "--tracking-uri", server.uri());
        assertEquals(0, third.exit(), third.err());
        assertEquals(runId, third.out().lines().skip(1).findFirst().orElseThrow().split("\t")[1]);
        assertOfflineRunComplete(runId, localId, expected);
    }

    private static void assertOfflineRunComplete(String runId, String localId, byte[] model) throws Exception {
        List<JsonNode> runs = rest.runs("dataset-offline");
        assertEquals(1, runs.size(), "exactly one run");
        assertEquals(runId, runs.get(0).at("/info/run_id").asText());
        assertEquals("FINISHED", runs.get(0).at("/info/status").asText());
        assertEquals("train-offline", runs.get(0).at("/info/run_name").asText());
        assertEquals(Map.of("depth", "3"), rest.params(runId));
        assertEquals(localId, rest.tags(runId).get(RunDelivery.LOCAL_RUN_ID_TAG));
        assertEquals("nd4j-native", rest.tags(runId).get("deepstroke.backend"));
        for (String key : List.of("train_loss", "val_mean_dice")) {
            List<ReadBack.Point> h = rest.history(runId, key);
            assertEquals(List.of(0L, 1L, 2L), h.stream().map(ReadBack.Point::step).toList(), key);
            for (int e = 0; e < 3; e++) {
                assertEquals(epoch(e).get(key), h.get(e).value(), 0.0);
            }
        }
        assertEquals(Map.of("model/offline-model.bin", 50_000L), rest.artifactFiles(runId));
        assertArrayEquals(model, rest.artifact(runId, "model/offline-model.bin"));
    }

    @Test
    void noTrackingUriJournalsOnly() throws Exception {
        Path spool = dir.resolve("spool-none");
        try (TrackedRun run = TrackedRun.start("", "dataset-none", "r", Map.of(), spool)) {
            run.logMetrics(Map.of("a", 1.0), 0);
            run.finish(false);
            assertTrue(run.spooled());
        }
        List<Path> journals = SpoolSync.journals(spool);
        assertEquals(1, journals.size());
        List<String> ops = new ArrayList<>();
        for (String line : Files.readAllLines(journals.get(0).resolve("journal.jsonl"), StandardCharsets.UTF_8)) {
            ops.add(new ObjectMapper().readTree(line).path("op").asText());
        }
        assertEquals(List.of("start", "metrics", "finish"), ops);
        Result sync = deepstroke("mlflow-sync", "--spool", spool.toString(), "--tracking-uri", server.uri());
        assertEquals(0, sync.exit(), sync.err());
        assertEquals("FAILED", rest.runs("dataset-none").get(0).at("/info/status").asText());
    }

    @Test
    void mlflowLogTurnsTsvRowsIntoMetrics() throws Exception {
        Path eval = Files.writeString(dir.resolve("per_label.tsv"),
                "subject\tlabel\tdice\thd95_mm\n"
                        + "sub-0001\tM1\t0.8\t3.5\n"
                        + "sub-0001\tM2\t0.75\tNA\n"
                        + "sub-0002\tM1\t0.9\t2\n");
        Path history = Files.writeString(dir.resolve("history.tsv"),
                "epoch\ttrain_loss\tval_mean_dice\n0\t1.5\t0.2\n1\t0.75\t0.4\n2\t0.5\t0.6\n");
        Path spool = dir.resolve("spool-log");
        Result r = deepstroke("mlflow-log", "--tracking-uri", server.uri(), "--experiment", "dataset-eval",
                "--run-name", "evaluation", "--param", "model=model.zip", "--param", "split=test",
                "--metrics-tsv", eval.toString(), "--metrics-tsv", history.toString(),
                "--artifact", eval.toString(), "--artifact-dir", "tables", "--tag", "stage=evaluate",
                "--spool", spool.toString());
        assertEquals(0, r.exit(), r.err());
        JsonNode summary = new ObjectMapper().readTree(r.out());
        assertFalse(summary.path("spooled").asBoolean());
        assertEquals(5 + 6, summary.path("metrics").asInt());
        String runId = summary.path("run_id").asText();
        assertEquals(1, rest.runs("dataset-eval").size());
        Map<String, Double> expected = Map.of("dice/sub-0001/M1", 0.8, "dice/sub-0001/M2", 0.75,
                "dice/sub-0002/M1", 0.9, "hd95_mm/sub-0001/M1", 3.5, "hd95_mm/sub-0002/M1", 2.0);
        for (var e : expected.entrySet()) {
            List<ReadBack.Point> h = rest.history(runId, e.getKey());
            assertEquals(1, h.size(), e.getKey());
            assertEquals(0L, h.get(0).step());
            assertEquals(e.getValue(), h.get(0).value(), 0.0, e.getKey());
        }
        assertTrue(rest.history(runId, "hd95_mm/sub-0001/M2").isEmpty(), "NA cells are not metrics");
        List<ReadBack.Point> loss = rest.history(runId, "train_loss");
        assertEquals(List.of(0L, 1L, 2L), loss.stream().map(ReadBack.Point::step).toList());
        assertEquals(List.of(1.5, 0.75, 0.5), loss.stream().map(ReadBack.Point::value).toList());
        assertEquals(Map.of("model", "model.zip", "split", "test"), rest.params(runId));
        assertEquals("evaluate", rest.tags(runId).get("stage"));
        assertArrayEquals(Files.readAllBytes(eval), rest.artifact(runId, "tables/per_label.tsv"));

        // Bad input: one line naming the file, exit 1, and no run started.
        Path bad = Files.writeString(dir.resolve("bad.tsv"), "subject\tdice\nsub-1\t0.5\tx\n");
        Result failed = deepstroke("mlflow-log", "--experiment", "dataset-bad", "--run-name", "x", "--metrics-tsv",
                bad.toString(), "--spool", dir.resolve("spool-bad").toString());
        assertEquals(1, failed.exit());
        assertEquals(1, failed.err().strip().lines().count(), failed.err());
        assertTrue(failed.err().contains(bad.toString()) && failed.err().contains("line 2"), failed.err());
        assertFalse(Files.exists(dir.resolve("spool-bad")));
    }

    @Test
    void journalLeftByADeadProcessIsEndedKilledAndARunningOneIsLeftAlone() throws Exception {
        Path spool = dir.resolve("spool-dead");
        long lastTime;
        try (RunJournal journal = RunJournal.create(spool, "deadbeef")) {
            journal.append(journal.newEntry("start").put("local_run_id", "deadbeef").put("experiment", "dataset-dead")
                    .put("run_name", "dead").put("start_time", 1_700_000_000_000L));
            ObjectNode metrics = journal.newEntry("metrics").put("step", 0).put("timestamp", 1_700_000_001_000L);
            metrics.putObject("values").put("train_loss", 0.5);
            journal.append(metrics);
            lastTime = metrics.path("time").asLong();

            // While a process holds the journal, sync leaves it alone (and says so).
            Result busy = deepstroke("mlflow-sync", "--spool", spool.toString(), "--tracking-uri", server.uri());
            assertEquals(0, busy.exit(), busy.err());
            assertEquals("in-use", busy.out().lines().skip(1).findFirst().orElseThrow().split("\t")[3]);
        } // the lock goes with the process
        Result sync = deepstroke("mlflow-sync", "--spool", spool.toString(), "--tracking-uri", server.uri());
        assertEquals(0, sync.exit(), sync.err());
        List<JsonNode> runs = rest.runs("dataset-dead");
        assertEquals(1, runs.size());
        assertEquals("KILLED", runs.get(0).at("/info/status").asText());
        assertEquals(lastTime, runs.get(0).at("/info/end_time").asLong());
        assertEquals(1_700_000_000_000L, runs.get(0).at("/info/start_time").asLong());
        List<ReadBack.Point> loss = rest.history(runs.get(0).at("/info/run_id").asText(), "train_loss");
        assertEquals(List.of(new ReadBack.Point(0, 0.5, 1_700_000_001_000L)), loss);
        List<String> lines = Files.readAllLines(spool.resolve("deadbeef/journal.jsonl"));
        assertEquals(3, lines.size());
        assertTrue(lines.get(2).contains("\"status\":\"KILLED\""), lines.get(2));
    }

    @Test
    void syncReportsAnUnreachableServerAndExitsOne() throws Exception {
        Path spool = dir.resolve("spool-unreachable");
        try (TrackedRun run = TrackedRun.start("", "dataset-x", "r", Map.of(), spool)) {
            run.finish(true);
        }
        String nobody = "http://127.0.0.1:" + MlflowServer.freePort();
        Result r = deepstroke("mlflow-sync", "--spool", spool.toString(), "--tracking-uri", nobody);
        assertEquals(1, r.exit());
        assertEquals("unavailable", r.out().lines().skip(1).findFirst().orElseThrow().split("\t")[3]);
        assertTrue(r.err().contains("deepstroke mlflow-sync: error: 1 of 1 runs not delivered"), r.err());
        Result usage = deepstroke("mlflow-sync", "--spool", spool.toString(), "--tracking-uri", "127.0.0.1:5000");
        assertEquals(2, usage.exit());
    }
}
