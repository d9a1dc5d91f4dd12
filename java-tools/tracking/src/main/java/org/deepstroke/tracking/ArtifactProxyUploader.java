package org.deepstroke.tracking;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Uploads run artifacts in pure Java through the tracking server's artifact proxy
 * ({@code mlflow server --serve-artifacts}): {@code PUT /api/2.0/mlflow-artifacts/artifacts/<path>}. The Java
 * client's own {@code logArtifact} forks the Python {@code mlflow} CLI, which training nodes need not have.
 */
public final class ArtifactProxyUploader {

    private static final String SCHEME = "mlflow-artifacts:";
    static final String ENDPOINT = "/api/2.0/mlflow-artifacts/artifacts/";

    private final String trackingUri;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    public ArtifactProxyUploader(String trackingUri) {
        this.trackingUri = trackingUri;
    }

    /**
     * @param runArtifactUri the run's artifact URI, e.g. {@code mlflow-artifacts:/1/<run id>/artifacts}
     * @param artifactDir folder under the run's artifacts ("" for the root)
     */
    public void upload(String runArtifactUri, Path file, String artifactDir) throws IOException, InterruptedException {
        URI target = URI.create(trackingUri + ENDPOINT + encodePath(relativePath(runArtifactUri, artifactDir,
                file.getFileName().toString())));
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(target).timeout(Duration.ofMinutes(10))
                .PUT(HttpRequest.BodyPublishers.ofFile(file)).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() / 100 != 2) {
            throw new IOException(file + ": artifact upload to " + target + " failed with HTTP "
                    + response.statusCode() + ": " + response.body().strip());
        }
    }

    /** The path below the proxy root for a file in a run's artifacts. */
    static String relativePath(String runArtifactUri, String artifactDir, String fileName) {
        if (!runArtifactUri.startsWith(SCHEME)) {
            throw new IllegalArgumentException("run artifact URI " + runArtifactUri + " is not served by the "
                    + "tracking server's proxy (start it with --serve-artifacts)");
        }
        String base = runArtifactUri.substring(SCHEME.length()).replaceAll("^/+", "").replaceAll("/+$", "");
        // mlflow-artifacts://host:port/path names the server explicitly; keep only the path.
        if (runArtifactUri.startsWith(SCHEME + "//")) {
            base = base.substring(base.indexOf('/') + 1);
        }
        String dir = artifactDir == null ? "" : artifactDir.replaceAll("^/+", "").replaceAll("/+$", "");
        if (dir.contains("..") || fileName.contains("/")) {
            throw new IllegalArgumentException("artifact path must stay inside the run: " + dir + "/" + fileName);
        }
        return base + (dir.isEmpty() ? "" : "/" + dir) + "/" + fileName;
    }

    static String encodePath(String path) {
        List<String> parts = new ArrayList<>();
        for (String part : path.split("/")) {
            parts.add(URLEncoder.encode(part, StandardCharsets.UTF_8).replace("+", "%20"));
        }
        return String.join("/", parts);
    }
}
