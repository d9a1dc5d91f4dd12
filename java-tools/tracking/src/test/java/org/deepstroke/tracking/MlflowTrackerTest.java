package org.deepstroke.tracking;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.deepstroke.core.testing.MlflowServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mlflow.api.proto.Service.Metric;
import org.mlflow.api.proto.Service.RunInfo;
import org.mlflow.api.proto.Service.RunStatus;

/** Against a real MLflow server on 127.0.0.1, read back through the Java client and the REST API. */
class MlflowTrackerTest {

    @TempDir
    static Path dir;

    static MlflowServer server;

    @BeforeAll
    static void startServer() throws Exception {
        server = MlflowServer.start(dir);
    }

    @AfterAll
    static void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void runWithMetricsParamsAndArtifactIsReadBack() throws Exception {
        try (MlflowTracker tracker = new MlflowTracker(server.uri())) {
            String experiment = tracker.experimentId("foundation-test");
            assertEquals(experiment, tracker.experimentId("foundation-test"), "found by name the second time");
            RunInfo run = tracker.startRun(experiment, "smoke", Map.of("backend", "cpu"));
            tracker.logParams(run.getRunId(), Map.of("base_channels", "8", "loss", "DiceCE"));
            tracker.logMetrics(run.getRunId(), Map.of("val_mean_dice", 0.5), 0);
            tracker.logMetrics(run.getRunId(), Map.of("val_mean_dice", 0.625), 1);
            Path artifact = dir.resolve("config.yaml");
            Files.writeString(artifact, "lambda_dice: 1.0\nlambda_ce: 0.2\n");
            tracker.logArtifact(run, artifact, "config");
            tracker.endRun(run.getRunId(), RunStatus.FINISHED);

            List<Metric> history = tracker.client().getMetricHistory(run.getRunId(), "val_mean_dice");
            assertEquals(2, history.size());
            assertEquals(0.5, history.get(0).getValue(), 1e-12);
            assertEquals(0.625, history.get(1).getValue(), 1e-12);
            assertEquals(1, history.get(1).getStep());
            var stored = tracker.client().getRun(run.getRunId());
            assertEquals(RunStatus.FINISHED, stored.getInfo().getStatus());
            assertEquals("8", stored.getData().getParamsList().stream()
                    .filter(p -> p.getKey().equals("base_channels")).findFirst().orElseThrow().getValue());

            // Read back through plain REST, as an independent client would.
            HttpClient http = HttpClient.newHttpClient();
            JsonNode rest = new ObjectMapper().readTree(http.send(HttpRequest.newBuilder(URI.create(server.uri()
                    + "/api/2.0/mlflow/runs/get?run_id=" + run.getRunId())).build(),
                    HttpResponse.BodyHandlers.ofString()).body());
            assertEquals("backend", rest.at("/run/data/tags").findValues("key").stream().map(JsonNode::asText)
                    .filter("backend"::equals).findFirst().orElseThrow());
            String body = http.send(HttpRequest.newBuilder(URI.create(server.uri()
                    + "/api/2.0/mlflow-artifacts/artifacts/" + run.getArtifactUri().replaceFirst("^mlflow-artifacts:/+", "")
                    + "/config/config.yaml")).build(), HttpResponse.BodyHandlers.ofString()).body();
            assertEquals("lambda_dice: 1.0\nlambda_ce: 0.2\n", body);
            // The server stored the artifact under its artifact root, not in the client's folder.
            try (var files = Files.walk(server.directory().resolve("artifacts"))) {
                assertTrue(files.anyMatch(p -> p.endsWith("config/config.yaml")));
            }
        }
    }

    @Test
    void artifactPathsStayInsideTheRun() {
        assertEquals("1/abc/artifacts/plots/loss.png",
                ArtifactProxyUploader.relativePath("mlflow-artifacts:/1/abc/artifacts", "plots", "loss.png"));
        assertEquals("1/abc/artifacts/loss.png",
                ArtifactProxyUploader.relativePath("mlflow-artifacts://127.0.0.1:5000/1/abc/artifacts", "", "loss.png"));
        assertThrows(IllegalArgumentException.class,
                () -> ArtifactProxyUploader.relativePath("mlflow-artifacts:/1/abc/artifacts", "../../x", "a"));
        assertThrows(IllegalArgumentException.class,
                () -> ArtifactProxyUploader.relativePath("file:///tmp/mlruns/1/abc/artifacts", "", "a"));
    }
}
