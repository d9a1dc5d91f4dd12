package org.deepstroke.tracking.tools;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;
import org.deepstroke.core.cli.Args;
import org.deepstroke.core.cli.ExitCodes;
import org.deepstroke.core.cli.Tool;
import org.deepstroke.core.cli.UsageError;
import org.deepstroke.core.io.Json;
import org.deepstroke.core.io.OutputGuard;
import org.deepstroke.tracking.MetricsTsv;
import org.deepstroke.tracking.RunTags;
import org.deepstroke.tracking.TrackedRun;
import org.deepstroke.tracking.TrackingDefaults;

/**
 * {@code deepstroke mlflow-log}: one MLflow run from a pipeline stage's outputs (params, TSV tables as metrics,
 * files as artifacts, tags), through {@link TrackedRun}: journaled under {@code --spool}, and sent when the
 * server answers.
 */
public final class MlflowLogTool implements Tool {

    @Override
    public String name() {
        return "mlflow-log";
    }

    @Override
    public String summary() {
        return "Log one MLflow run from a stage's outputs: params, TSV tables as metrics, artifacts, tags (spooled when the server is away)";
    }

    @Override
    public Options options() {
        return new Options()
                .addOption(Option.builder().longOpt("tracking-uri").hasArg().argName("URI")
                        .desc("MLflow server, e.g. http://127.0.0.1:5000; empty: journal only (push later with "
                                + "mlflow-sync); absent: $DEEPSTROKE_TRACKING_URI (set by the pipeline)").build())
                .addOption(Option.builder().longOpt("experiment").hasArg().argName("NAME")
                        .desc("experiment name, created when absent (default: $DEEPSTROKE_MLFLOW_EXPERIMENT, else "
                                + "the --dataset's experiment)").build())
                .addOption(Option.builder().longOpt("dataset").hasArg().argName("DIR")
                        .desc("curated dataset the run is about: without an experiment name, log into its "
                                + "experiment, deepstroke-dataset-<manifest sha256, 12 hex>, as the training does")
                        .build())
                .addOption(Option.builder().longOpt("run-name").hasArg().argName("NAME").required()
                        .desc("the run's name").build())
                .addOption(Option.builder().longOpt("spool").hasArg().argName("DIR")
                        .desc("journal folder (one sub-folder per run; default: $DEEPSTROKE_MLFLOW_SPOOL)").build())
                .addOption(Option.builder().longOpt("param").hasArg().argName("KEY=VALUE")
                        .desc("a param; repeatable").build())
                .addOption(Option.builder().longOpt("metrics-tsv").hasArg().argName("TSV")
                        .desc("a table whose numeric cells become metrics (name: column[/key cells], step: the "
                                + "step or epoch column, else 0); repeatable").build())
                .addOption(Option.builder().longOpt("step-column").hasArg().argName("NAME")
                        .desc("the column holding the step (default: step, else epoch, else none)").build())
                .addOption(Option.builder().longOpt("key-columns").hasArg().argName("A,B")
                        .desc("columns naming a row (default: the columns with non-numeric cells)").build())
                .addOption(Option.builder().longOpt("artifact").hasArg().argName("FILE")
                        .desc("a file to store with the run; repeatable").build())
                .addOption(Option.builder().longOpt("artifact-dir").hasArg().argName("DIR")
                        .desc("folder of the artifacts inside the run (default: the root)").build())
                .addOption(Option.builder().longOpt("tag").hasArg().argName("KEY=VALUE")
                        .desc("a tag; repeatable (added to the standard provenance tags, see README)").build())
                .addOption(Option.builder().longOpt("status").hasArg().argName("FINISHED|FAILED")
                        .desc("how the run ends (default FINISHED)").build());
    }

    @Override
    public int run(CommandLine cmd, PrintWriter out) throws Exception {
        String experiment = experiment(cmd);
        Path spool = TrackingDefaults.spool(cmd.getOptionValue("spool"), null);
        if (spool == null) {
            throw new UsageError("missing --spool (and $" + TrackingDefaults.ENV_SPOOL + " is not set)");
        }
        String trackingUri = TrackingDefaults.trackingUri(cmd.getOptionValue("tracking-uri"));
        if (!trackingUri.isEmpty() && !trackingUri.matches("https?://.+")) {
            throw new UsageError("--tracking-uri must be an http(s) URI, got '" + trackingUri + "'");
        }
        Map<String, String> params = pairs(cmd, "param");
        Map<String, String> tags = RunTags.standard();
        tags.putAll(pairs(cmd, "tag"));
        try {
            params.keySet().forEach(TrackedRun::checkKey);
            tags.keySet().forEach(TrackedRun::checkKey);
        } catch (IllegalArgumentException e) {
            throw new UsageError(e.getMessage());
        }
        String status = cmd.getOptionValue("status", "FINISHED");
        if (!status.equals("FINISHED") && !status.equals("FAILED")) {
            throw new UsageError("--status must be FINISHED or FAILED, got '" + status + "'");
        }
        List<String> keyColumns = cmd.hasOption("key-columns")
                ? Arrays.stream(cmd.getOptionValue("key-columns").split(",")).map(String::strip)
                        .filter(s -> !s.isEmpty()).toList()
                : List.of();
        // Read and check every input before the run starts, so that bad input leaves no half-logged run.
        Map<Path, Map<Long, Map<String, Double>>> tables = new LinkedHashMap<>();
        for (String tsv : values(cmd, "metrics-tsv")) {
            Path file = Path.of(tsv);
            tables.put(file, MetricsTsv.read(requireFile(file), cmd.getOptionValue("step-column"), keyColumns));
        }
        List<Path> artifacts = values(cmd, "artifact").stream().map(Path::of).map(MlflowLogTool::requireFile)
                .toList();
        String artifactDir = cmd.getOptionValue("artifact-dir", "");
        // the journal is this tool's output: never a file, never inside the dataset it reports on, never one of its
        // inputs (issue 16: a --spool that was a file ended in "UncheckedIOException: cannot journal the run")
        OutputGuard.create().inputs("metrics-tsv", tables.keySet()).inputs("artifact", artifacts)
                .inputFolder("dataset", Args.optionalPath(cmd, "dataset")).outputFolder("spool", spool)
                .check();

        int metrics = 0;
        try (TrackedRun run = TrackedRun.start(trackingUri, experiment, cmd.getOptionValue("run-name"), tags,
                spool)) {
            if (!params.isEmpty()) {
                run.logParams(params);
            }
            for (Map<Long, Map<String, Double>> table : tables.values()) {
                for (Map.Entry<Long, Map<String, Double>> step : table.entrySet()) {
                    run.logMetrics(step.getValue(), step.getKey());
                    metrics += step.getValue().size();
                }
            }
            for (Path artifact : artifacts) {
                run.logArtifact(artifact, artifactDir);
            }
            run.finish(status.equals("FINISHED"));
            Map<String, Object> summary = new LinkedHashMap<>();
            summary.put("run_id", run.runId());
            summary.put("local_run_id", run.localRunId());
            summary.put("spooled", run.spooled());
            summary.put("journal", run.journalDir().toString());
            summary.put("params", params.size());
            summary.put("metrics", metrics);
            summary.put("artifacts", artifacts.size());
            out.println(Json.MAPPER.writeValueAsString(summary));
        }
        return ExitCodes.OK;
    }

    /** --experiment, else $DEEPSTROKE_MLFLOW_EXPERIMENT, else the one named after --dataset's manifest. */
    private static String experiment(CommandLine cmd) throws IOException {
        String experiment = TrackingDefaults.experiment(cmd.getOptionValue("experiment"));
        if (experiment == null && cmd.hasOption("dataset")) {
            Path dataset = Path.of(cmd.getOptionValue("dataset"));
            if (!java.nio.file.Files.isRegularFile(dataset.resolve("manifest.tsv"))) {
                throw new org.deepstroke.core.cli.ToolFailure(dataset.resolve("manifest.tsv"), "no such file (--dataset "
                        + "must be a curated dataset folder)");
            }
            experiment = TrackingDefaults.experimentForDataset(null, dataset);
        }
        if (experiment == null) {
            throw new UsageError("missing --experiment (and neither $" + TrackingDefaults.ENV_EXPERIMENT
                    + " nor --dataset is set)");
        }
        return experiment;
    }

    private static Path requireFile(Path file) {
        if (!java.nio.file.Files.isRegularFile(file)) {
            throw new org.deepstroke.core.cli.ToolFailure(file, java.nio.file.Files.exists(file)
                    ? "not a regular file" : "no such file");
        }
        return file;
    }

    private static List<String> values(CommandLine cmd, String option) {
        String[] v = cmd.getOptionValues(option);
        return v == null ? List.of() : Arrays.asList(v);
    }

    private static Map<String, String> pairs(CommandLine cmd, String option) {
        Map<String, String> map = new LinkedHashMap<>();
        for (String pair : values(cmd, option)) {
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                throw new UsageError("--" + option + " expects KEY=VALUE, got '" + pair + "'");
            }
            map.put(pair.substring(0, eq).strip(), pair.substring(eq + 1));
        }
        return map;
    }
}
