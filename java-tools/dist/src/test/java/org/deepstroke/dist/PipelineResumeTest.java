package org.deepstroke.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.deepstroke.core.testing.ProjectPaths;
import org.deepstroke.core.testing.Subprocess;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pipeline through ./nextflow as a real subprocess (nf-test is unreachable): a full run of the test profile,
 * then -resume, which must report every task as cached, then -stub-run, which needs a stub in every process.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PipelineResumeTest {

    @TempDir
    static Path launchDir;

    static Subprocess.Result nextflow(String... args) {
        return nextflowIn("work", "results", args);
    }

    static Subprocess.Result nextflowIn(String workDir, String outDir, String... args) {
        Path root = ProjectPaths.root();
        List<String> command = new ArrayList<>(List.of(root.resolve("nextflow").toString(), "run",
                root.resolve("main.nf").toString(), "-profile", "test", "--outdir", outDir, "-w", workDir));
        command.addAll(Arrays.asList(args));
        return Subprocess.run(command, launchDir, Map.of("NXF_ANSI_LOG", "false"), Duration.ofMinutes(10));
    }

    /** Rows of the newest trace file, as column name to value. */
    static List<Map<String, String>> newestTrace() throws IOException {
        Path newest;
        try (Stream<Path> files = Files.list(launchDir.resolve("results/pipeline_info"))) {
            newest = files.filter(p -> p.getFileName().toString().startsWith("execution_trace_"))
                    .max(java.util.Comparator.comparing(p -> p.getFileName().toString())).orElseThrow();
        }
        List<String> lines = Files.readAllLines(newest);
        String[] header = lines.get(0).split("\t");
        List<Map<String, String>> rows = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            String[] cells = line.split("\t", -1);
            Map<String, String> row = new java.util.HashMap<>();
            for (int i = 0; i < header.length; i++) {
                row.put(header[i], cells[i]);
            }
            rows.add(row);
        }
        return rows;
    }

    @Test
    @Order(1)
    void fullRunDescribesEveryInputAndRecordsVersions() throws Exception {
        Subprocess.Result run = nextflow();
        assertEquals(0, run.exit(), run.describe());
        JsonNode template = new ObjectMapper().readTree(launchDir.resolve("results/nifti_info/template_2mm.json").toFile());
        assertEquals("[128,128,128]", template.get("dims").toString());
        assertEquals(183287, template.get("nonzero_voxels").asLong());
        assertEquals(97.00302124023438, template.get("max").asDouble(), 1e-9);
        assertEquals(-2.0, template.get("affine_ras").get(0).get(0).asDouble(), 0);
        JsonNode labels = new ObjectMapper().readTree(launchDir.resolve("results/nifti_info/structures_2mm.json").toFile());
        assertEquals("[128,128,128]", labels.get("dims").toString());
        String versions = Files.readString(launchDir.resolve("results/pipeline_info/software_versions.yml"));
        assertTrue(versions.startsWith("\"NIFTI_INFO\":\n    deepstroke: \"0.1.0\"\n    java: \"17"), versions);
        assertEquals(1, versions.lines().filter(l -> l.startsWith("\"")).count(), "one block per process");
        List<Map<String, String>> trace = newestTrace();
        assertEquals(3, trace.size());
        assertTrue(trace.stream().allMatch(r -> r.get("status").equals("COMPLETED")), trace.toString());
    }

    @Test
    @Order(2)
    void resumeReportsEveryTaskCached() throws Exception {
        Subprocess.Result run = nextflow("-resume");
        assertEquals(0, run.exit(), run.describe());
        List<Map<String, String>> trace = newestTrace();
        assertEquals(3, trace.size(), trace.toString());
        for (Map<String, String> row : trace) {
            assertEquals("CACHED", row.get("status"), row.toString());
        }
        assertTrue(run.stdout().contains("Cached process"), run.stdout());
    }

    @Test
    @Order(3)
    void unknownParameterStopsTheRunBeforeAnyTask() {
        Subprocess.Result run = nextflowIn("bad-work", "bad-results", "--out_dir", "x");
        assertEquals(1, run.exit(), run.describe());
        assertTrue(run.stdout().contains("invalid parameter --out_dir: unknown parameter (did you mean --outdir?)"),
                run.stdout());
        assertTrue(!Files.exists(launchDir.resolve("bad-results/nifti_info")), "no task ran");
    }

    @Test
    @Order(4)
    void stubRunCoversEveryProcess() {
        Subprocess.Result run = nextflowIn("stub-work", "stub-results", "-stub-run");
        assertEquals(0, run.exit(), run.describe());
    }
}
