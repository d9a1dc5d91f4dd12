package org.deepstroke.core.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A real MLflow tracking server from the project venv on 127.0.0.1 (sqlite backend, artifact proxy), as
 * {@code make demo} starts it. Stopped with its whole process tree on close.
 */
public final class MlflowServer implements AutoCloseable {

    private final Process process;
    private final String uri;
    private final Path dir;

    private MlflowServer(Process process, String uri, Path dir) {
        this.process = process;
        this.uri = uri;
        this.dir = dir;
    }

    /** Starts a server storing everything under {@code dir}, waits until /health answers. */
    public static MlflowServer start(Path dir) throws IOException, InterruptedException {
        return start(dir, freePort());
    }

    /** A free TCP port on 127.0.0.1 (nothing listens on it once this returns). */
    public static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 0, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /**
     * Starts a server on this port storing everything under {@code dir}; with the {@code dir} and port of a stopped
     * server, the same server comes back (same backend, same URI).
     */
    public static MlflowServer start(Path dir, int port) throws IOException, InterruptedException {
        Path mlflow = ProjectPaths.tool("venv/bin/mlflow");
        Files.createDirectories(dir.resolve("artifacts"));
        List<String> command = List.of(mlflow.toString(), "server",
                "--backend-store-uri", "sqlite:///" + dir.toAbsolutePath().resolve("mlflow.db"),
                "--serve-artifacts", "--artifacts-destination", dir.toAbsolutePath().resolve("artifacts").toString(),
                "--host", "127.0.0.1", "--port", Integer.toString(port), "--workers", "1");
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("server.log").toFile())).start();
        String uri = "http://127.0.0.1:" + port;
        MlflowServer server = new MlflowServer(process, uri, dir);
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                fail("mlflow server exited " + process.exitValue() + ":\n" + Files.readString(dir.resolve("server.log")));
            }
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(uri + "/health"))
                        .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    return server;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(250);
        }
        server.close();
        return fail("mlflow server did not answer /health within 90 s:\n" + Files.readString(dir.resolve("server.log")));
    }

    public String uri() {
        return uri;
    }

    public Path directory() {
        return dir;
    }

    /** Stops the server (gunicorn or uvicorn workers included). */
    @Override
    public void close() {
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
        try {
            if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
