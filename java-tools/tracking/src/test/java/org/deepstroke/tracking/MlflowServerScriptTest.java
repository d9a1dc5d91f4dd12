package org.deepstroke.tracking;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.deepstroke.core.testing.ProjectPaths;
import org.deepstroke.core.testing.Subprocess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** bin/mlflow-server, as `make demo` uses it: start, status, idempotent start, stop of the whole process group. */
class MlflowServerScriptTest {

    @TempDir
    Path dir;

    private Subprocess.Result script(String action, Path serverDir) {
        return Subprocess.run(List.of(ProjectPaths.root().resolve("bin/mlflow-server").toString(), action,
                serverDir.toString()), null, Map.of(), Duration.ofMinutes(3));
    }

    @Test
    void startsHealthyServesRunsAndStopsEveryProcess() throws Exception {
        Path serverDir = dir.resolve("results/mlflow");
        Subprocess.Result start = script("start", serverDir);
        try {
            assertEquals(0, start.exit(), start.describe());
            String uri = start.stdout().strip();
            assertTrue(uri.matches("http://127\\.0\\.0\\.1:\\d+"), uri);
            assertEquals(uri, Files.readString(serverDir.resolve("server.uri")).strip());
            long pgid = Long.parseLong(Files.readString(serverDir.resolve("server.pid")).strip());
            assertEquals(uri + "\n", script("status", serverDir).stdout());
            assertEquals(uri + "\n", script("start", serverDir).stdout(), "already running: the same server");

            // A run logged through it lands in the sqlite file and the artifact folder under the given folder.
            Path artifact = Files.writeString(dir.resolve("notes.txt"), "hello");
            try (TrackedRun run = TrackedRun.start(uri, "script-test", "r", Map.of(), dir.resolve("spool"))) {
                run.logArtifact(artifact, "docs");
                run.finish(true);
                assertFalse(run.spooled());
            }
            assertTrue(Files.size(serverDir.resolve("mlflow.db")) > 0);
            try (var files = Files.walk(serverDir.resolve("artifacts"))) {
                assertEquals(1, files.filter(p -> p.endsWith("docs/notes.txt")).count());
            }
            List<ProcessHandle> group = ProcessHandle.allProcesses().filter(p -> pgidOf(p) == pgid).toList();
            assertTrue(group.size() >= 2, "server and worker(s): " + group);

            Subprocess.Result stop = script("stop", serverDir);
            assertEquals(0, stop.exit(), stop.describe());
            for (ProcessHandle p : group) {
                assertFalse(p.isAlive(), "still alive: " + p.pid());
            }
            assertFalse(Files.exists(serverDir.resolve("server.pid")));
            assertEquals(1, script("status", serverDir).exit());
            assertEquals(0, script("stop", serverDir).exit(), "stopping twice is fine");
            HttpClient http = HttpClient.newHttpClient();
            assertTrue(refused(http, uri));
        } finally {
            script("stop", serverDir);
        }
    }

    private static boolean refused(HttpClient http, String uri) throws InterruptedException {
        try {
            http.send(HttpRequest.newBuilder(URI.create(uri + "/health")).timeout(Duration.ofSeconds(2)).build(),
                    HttpResponse.BodyHandlers.discarding());
            return false;
        } catch (java.io.IOException e) {
            return true;
        }
    }

    /** The process group of a process (Linux /proc), or -1. */
    private static long pgidOf(ProcessHandle p) {
        try {
            String stat = Files.readString(Path.of("/proc/" + p.pid() + "/stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(fields[2]);
        } catch (Exception e) {
            return -1;
        }
    }
}
