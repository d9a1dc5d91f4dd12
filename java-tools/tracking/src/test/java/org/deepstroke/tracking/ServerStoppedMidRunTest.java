package org.deepstroke.tracking;

import static org.deepstroke.core.testing.InProcessTool.deepstroke;
import static org.deepstroke.tracking.TrackedRunTest.bytes;
import static org.deepstroke.tracking.TrackedRunTest.epoch;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;
import org.deepstroke.core.testing.InProcessTool.Result;
import org.deepstroke.core.testing.MlflowServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The MLflow server is killed while a run logs (a real server process, stopped with its workers); the training
 * goes on, and the run ends up on the server complete and without duplicates.
 */
class ServerStoppedMidRunTest {

    @TempDir
    Path dir;

    private MlflowServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
        TrackedRun.retryIntervalMillis = 30_000;
    }

    @Test
    void serverKilledAfterThreeEpochsThenSyncedOnARestartedServer() throws Exception {
        Path serverDir = dir.resolve("server");
        server = MlflowServer.start(serverDir);
        Path spool = dir.resolve("spool");
        Path early = Files.write(dir.resolve("early.bin"), bytes(1, 20_000));
        Path late = Files.write(dir.resolve("late.bin"), bytes(2, 30_000));
        String runId;
        try (TrackedRun run = TrackedRun.start(server.uri(), "dataset-midrun", "train-midrun", Map.of(), spool)) {
            run.logParams(Map.of("epochs", "6"));
            for (int e = 0; e < 3; e++) {
                run.logMetrics(epoch(e), e);
            }
            run.logArtifact(early, "checkpoints");
            assertFalse(run.spooled());
            runId = run.runId();

            server.close(); // the server dies mid-run
            server = null;
            for (int e = 3; e < 6; e++) {
                run.logMetrics(epoch(e), e); // training goes on: journaled only
            }
            run.logArtifact(late, "checkpoints");
            run.setTags(Map.of("stage", "train"));
            run.finish(true);
            assertTrue(run.spooled(), "the last epochs wait in the journal");
            assertEquals(runId, run.runId(), "still the server's id");
        }
        // The server as it was when it died: the first three epochs, RUNNING.
        server = MlflowServer.start(serverDir); // same backend and artifact root, another port
        ReadBack rest = new ReadBack(server.uri());
        assertEquals(3, rest.history(runId, "train_loss").size());
        assertEquals("RUNNING", rest.run(runId).at("/info/status").asText());

        Result sync = deepstroke("mlflow-sync", "--spool", spool.toString(), "--tracking-uri", server.uri());
        assertEquals(0, sync.exit(), sync.err());
        String[] row = sync.out().lines().skip(1).findFirst().orElseThrow().split("\t");
        assertEquals(runId, row[1], "the partial run is completed, not created again");
        assertEquals("6", row[2], "3 metrics, artifact, tags, finish");
        assertComplete(rest, runId);

        Result again = deepstroke("mlflow-sync", "--spool", spool.toString(), "--tracking-uri", server.uri());
        assertEquals(0, again.exit(), again.err());
        assertEquals("0", again.out().lines().skip(1).findFirst().orElseThrow().split("\t")[2]);
        assertComplete(rest, runId);
    }

    @Test
    void serverBackDuringTheRunReceivesThePendingEntriesItself() throws Exception {
        TrackedRun.retryIntervalMillis = 0; // try the server on every call
        Path serverDir = dir.resolve("server");
        int port = MlflowServer.freePort();
        server = MlflowServer.start(serverDir, port);
        Path early = Files.write(dir.resolve("early.bin"), bytes(1, 20_000));
        Path late = Files.write(dir.resolve("late.bin"), bytes(2, 30_000));
        String runId;
        try (TrackedRun run = TrackedRun.start(server.uri(), "dataset-midrun", "train-midrun", Map.of(),
                dir.resolve("spool"))) {
            run.logParams(Map.of("epochs", "6"));
            for (int e = 0; e < 2; e++) {
                run.logMetrics(epoch(e), e);
            }
            run.logArtifact(early, "checkpoints");
            server.close();
            for (int e = 2; e < 4; e++) {
                run.logMetrics(epoch(e), e);
            }
            assertTrue(run.spooled());
            server = MlflowServer.start(serverDir, port); // back, same URI
            for (int e = 4; e < 6; e++) {
                run.logMetrics(epoch(e), e);
            }
            assertFalse(run.spooled(), "the pending epochs went with the next call");
            run.logArtifact(late, "checkpoints");
            run.setTags(Map.of("stage", "train"));
            run.finish(true);
            assertFalse(run.spooled());
            runId = run.runId();
        }
        assertComplete(new ReadBack(server.uri()), runId);
    }

    private static void assertComplete(ReadBack rest, String runId) throws Exception {
        List<JsonNode> runs = rest.runs("dataset-midrun");
        assertEquals(1, runs.size());
        JsonNode run = rest.run(runId);
        assertEquals("FINISHED", run.at("/info/status").asText());
        assertEquals(Map.of("epochs", "6"), rest.params(runId));
        assertEquals("train", rest.tags(runId).get("stage"));
        for (String key : List.of("train_loss", "val_mean_dice")) {
            List<ReadBack.Point> h = rest.history(runId, key);
            assertEquals(LongStream.range(0, 6).boxed().toList(), h.stream().map(ReadBack.Point::step).toList(),
                    key + ": every epoch exactly once");
            for (int e = 0; e < 6; e++) {
                assertEquals(epoch(e).get(key), h.get(e).value(), 0.0);
            }
        }
        assertEquals(Map.of("checkpoints/early.bin", 20_000L, "checkpoints/late.bin", 30_000L),
                rest.artifactFiles(runId));
        assertArrayEquals(bytes(1, 20_000), rest.artifact(runId, "checkpoints/early.bin"));
        assertArrayEquals(bytes(2, 30_000), rest.artifact(runId, "checkpoints/late.bin"));
    }
}
