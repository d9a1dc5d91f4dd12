package org.deepstroke.core.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The one way tests run Nextflow (issue 19: the command was built in 11 places): the project's {@code ./nextflow}
 * launcher (it sets the official launcher's --add-opens list, without which -resume silently reruns everything),
 * {@code NXF_ANSI_LOG=false} (plain log lines off a terminal), a launch folder, and the run's arguments in order.
 *
 * <pre>
 * Subprocess.Result r = Nextflow.run().in(launchDir).profile("test").outdir("results").work("work")
 *         .args("-resume").execute(Duration.ofMinutes(10));
 * </pre>
 */
public final class Nextflow {

    private final List<String> command = new ArrayList<>();
    private final Map<String, String> env = new HashMap<>(Map.of("NXF_ANSI_LOG", "false"));
    private Path launchDir;

    private Nextflow(String subcommand) {
        command.add(ProjectPaths.root().resolve("nextflow").toString());
        command.add(subcommand);
    }

    /** {@code nextflow run SCRIPT}. */
    public static Nextflow run(Path script) {
        Nextflow n = new Nextflow("run");
        n.command.add(script.toString());
        return n;
    }

    /** {@code nextflow run} of the project's main.nf. */
    public static Nextflow run() {
        return run(ProjectPaths.root().resolve("main.nf"));
    }

    /** {@code nextflow config}, launched in the project folder (its nextflow.config). */
    public static Nextflow config() {
        return new Nextflow("config").in(ProjectPaths.root());
    }

    /** The launch folder (where .nextflow/ and relative outputs go); default: the test's working folder. */
    public Nextflow in(Path dir) {
        this.launchDir = dir;
        return this;
    }

    public Nextflow profile(String profile) {
        return args("-profile", profile);
    }

    public Nextflow outdir(Object dir) {
        return args("--outdir", dir.toString());
    }

    public Nextflow work(Object dir) {
        return args("-w", dir.toString());
    }

    /** A pipeline parameter: {@code --name value}. */
    public Nextflow param(String name, Object value) {
        return args("--" + name, value.toString());
    }

    public Nextflow args(String... args) {
        command.addAll(List.of(args));
        return this;
    }

    public Nextflow args(Collection<String> args) {
        command.addAll(args);
        return this;
    }

    /** Variables added to the inherited environment. */
    public Nextflow env(Map<String, String> vars) {
        env.putAll(vars);
        return this;
    }

    /**
     * The command line, for a test that starts the process itself (to stop it midway): a copy the caller may
     * extend (OperationsEndToEndTest adds -resume to it).
     */
    public List<String> command() {
        return new ArrayList<>(command);
    }

    public Map<String, String> environment() {
        return Map.copyOf(env);
    }

    /** Runs to the end (the timeout is a hang guard, never a timing check). */
    public Subprocess.Result execute(Duration timeout) {
        return Subprocess.run(command, launchDir, env, timeout);
    }

    /** The rows of a tab-separated table (a trace, a results table) as column name to value. */
    public static List<Map<String, String>> tsv(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file);
        String[] header = lines.get(0).split("\t");
        List<Map<String, String>> rows = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            String[] cells = line.split("\t", -1);
            Map<String, String> row = new LinkedHashMap<>();
            for (int i = 0; i < header.length; i++) {
                row.put(header[i], cells[i]);
            }
            rows.add(row);
        }
        return rows;
    }

    /** The newest (or, {@code newest} false, the oldest) execution trace under {@code results}/pipeline_info. */
    public static List<Map<String, String>> trace(Path results, boolean newest) throws IOException {
        Path file;
        try (Stream<Path> files = Files.list(results.resolve("pipeline_info"))) {
            Stream<Path> traces = files.filter(p -> p.getFileName().toString().startsWith("execution_trace_"));
            Comparator<Path> byName = Comparator.comparing(p -> p.getFileName().toString());
            file = (newest ? traces.max(byName) : traces.min(byName)).orElseThrow();
        }
        return tsv(file);
    }
}
