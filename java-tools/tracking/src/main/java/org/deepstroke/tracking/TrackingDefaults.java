package org.deepstroke.tracking;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;

/**
 * Where a tool tracks to when its options do not say: the pipeline hands its MLflow settings to every task as
 * environment variables (nextflow.config, {@code env} scope), not as options, so that they stay out of the task
 * hash (a demo server on a new port does not rerun a cached training).
 * <ul>
 *   <li>{@value #ENV_TRACKING_URI}: params.tracking_uri ('' = journal only)</li>
 *   <li>{@value #ENV_EXPERIMENT}: params.mlflow_experiment ('' = one experiment per dataset, {@link #experimentForDataset})</li>
 *   <li>{@value #ENV_SPOOL}: the absolute journal folder, {@code <outdir>/mlflow/spool}</li>
 * </ul>
 */
public final class TrackingDefaults {

    public static final String ENV_TRACKING_URI = "DEEPSTROKE_TRACKING_URI";
    public static final String ENV_EXPERIMENT = "DEEPSTROKE_MLFLOW_EXPERIMENT";
    public static final String ENV_SPOOL = "DEEPSTROKE_MLFLOW_SPOOL";

    private TrackingDefaults() {
    }

    /** The option's value when given (even ""), else the environment's, else "" (journal only). */
    public static String trackingUri(String option) {
        return trackingUri(option, System.getenv());
    }

    static String trackingUri(String option, Map<String, String> env) {
        if (option != null) {
            return option.strip();
        }
        String v = env.get(ENV_TRACKING_URI);
        return v == null ? "" : v.strip();
    }

    /** The option's folder when given, else the environment's, else {@code fallback}. */
    public static Path spool(String option, Path fallback) {
        return spool(option, fallback, System.getenv());
    }

    static Path spool(String option, Path fallback, Map<String, String> env) {
        if (option != null && !option.isBlank()) {
            return Path.of(option);
        }
        String v = env.get(ENV_SPOOL);
        return v == null || v.isBlank() ? fallback : Path.of(v);
    }

    /** The option's experiment when given, else the environment's, else null. */
    public static String experiment(String option) {
        return experiment(option, System.getenv());
    }

    static String experiment(String option, Map<String, String> env) {
        if (option != null && !option.isBlank()) {
            return option.strip();
        }
        String v = env.get(ENV_EXPERIMENT);
        return v == null || v.isBlank() ? null : v.strip();
    }

    /**
     * The experiment of a training on a curated dataset: the configured name ({@link #experiment}) or, without
     * one, {@code deepstroke-dataset-<first 12 hex of sha256(manifest.tsv)>}: one experiment per dataset, the
     * same for every run on the same data.
     */
    public static String experimentForDataset(String option, Path datasetDir) throws IOException {
        String configured = experiment(option);
        return configured != null ? configured : "deepstroke-dataset-" + sha256(datasetDir.resolve("manifest.tsv"))
                .substring(0, 12);
    }

    static String sha256(Path file) throws IOException {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            try (InputStream in = new DigestInputStream(Files.newInputStream(file), sha)) {
                in.transferTo(java.io.OutputStream.nullOutputStream());
            }
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
