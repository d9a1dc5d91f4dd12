package org.deepstroke.tracking;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.deepstroke.core.cli.Version;

/**
 * The provenance tags every DeepStroke run carries. Nextflow tasks run outside the checkout, so the pipeline hands
 * them over as environment variables (set per process from {@code workflow.*}, see modules/local/mlflow_log):
 * <ul>
 *   <li>{@value #ENV_GIT_COMMIT} -> {@code mlflow.source.git.commit} (MLflow's own key, shown in its UI); without
 *       it, {@code git rev-parse HEAD} in {@code $DEEPSTROKE_HOME} when that is a checkout</li>
 *   <li>{@value #ENV_NF_RUN_NAME} -> {@code nextflow.run_name}, {@value #ENV_NF_SESSION_ID} ->
 *       {@code nextflow.session_id}</li>
 *   <li>{@value #ENV_CONTAINER} -> {@code deepstroke.container} (image, with its digest where known)</li>
 *   <li>{@value #ENV_BACKEND} -> {@code deepstroke.backend} (e.g. nd4j-native, nd4j-cuda-11.6)</li>
 * </ul>
 * plus {@code deepstroke.version}. Unknown values are left out rather than guessed.
 */
public final class RunTags {

    public static final String ENV_GIT_COMMIT = "DEEPSTROKE_GIT_COMMIT";
    public static final String ENV_NF_RUN_NAME = "DEEPSTROKE_NF_RUN_NAME";
    public static final String ENV_NF_SESSION_ID = "DEEPSTROKE_NF_SESSION_ID";
    public static final String ENV_CONTAINER = "DEEPSTROKE_CONTAINER";
    public static final String ENV_BACKEND = "DEEPSTROKE_BACKEND";

    public static final String GIT_COMMIT = "mlflow.source.git.commit";
    public static final String NF_RUN_NAME = "nextflow.run_name";
    public static final String NF_SESSION_ID = "nextflow.session_id";
    public static final String CONTAINER = "deepstroke.container";
    public static final String BACKEND = "deepstroke.backend";
    public static final String VERSION = "deepstroke.version";

    private RunTags() {
    }

    /** The standard tags from this process' environment. */
    public static Map<String, String> standard() {
        return standard(System.getenv());
    }

    /** The standard tags from the given environment (tests pass their own). */
    public static Map<String, String> standard(Map<String, String> env) {
        Map<String, String> tags = new LinkedHashMap<>();
        String commit = nonBlank(env.get(ENV_GIT_COMMIT));
        if (commit == null && env.get("DEEPSTROKE_HOME") != null) {
            commit = gitCommit(Path.of(env.get("DEEPSTROKE_HOME")));
        }
        put(tags, GIT_COMMIT, commit);
        put(tags, NF_RUN_NAME, env.get(ENV_NF_RUN_NAME));
        put(tags, NF_SESSION_ID, env.get(ENV_NF_SESSION_ID));
        put(tags, CONTAINER, env.get(ENV_CONTAINER));
        put(tags, BACKEND, env.get(ENV_BACKEND));
        put(tags, VERSION, Version.get());
        return tags;
    }

    /** {@code git rev-parse HEAD} in a checkout, or null (no git, not a checkout). */
    static String gitCommit(Path checkout) {
        if (!Files.exists(checkout.resolve(".git"))) {
            return null;
        }
        try {
            Process git = new ProcessBuilder(List.of("git", "-C", checkout.toString(), "rev-parse", "HEAD"))
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            String out = new String(git.getInputStream().readAllBytes()).strip();
            if (!git.waitFor(10, TimeUnit.SECONDS)) {
                git.destroyForcibly();
                return null;
            }
            return git.exitValue() == 0 && out.matches("[0-9a-f]{40}") ? out : null;
        } catch (java.io.IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    private static void put(Map<String, String> tags, String key, String value) {
        String v = nonBlank(value);
        if (v != null) {
            tags.put(key, v);
        }
    }

    private static String nonBlank(String value) {
        return value == null || value.isBlank() || value.equals("null") ? null : value.strip();
    }
}
