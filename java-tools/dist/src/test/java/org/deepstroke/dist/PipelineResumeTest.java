package org.deepstroke.dist;

import org.deepstroke.core.testing.Nextflow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.deepstroke.core.image.ImageVolume;
import org.deepstroke.core.image.NiftiReader;
import org.deepstroke.core.testing.Subprocess;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pipeline through ./nextflow as a real subprocess (nf-test is unreachable): a full run of the test profile
 * (ATLAS with a quick registration, a 2-subject PHANTOM cohort, INGEST),
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
        return Nextflow.run().in(launchDir).profile("test").outdir(outDir).work(workDir).args(args)
                .execute(Duration.ofMinutes(10));
    }

    /** Rows of the newest trace file, as column name to value. */
    static List<Map<String, String>> newestTrace() throws IOException {
        return Nextflow.trace(launchDir.resolve("results"), true);
    }

    @Test
    @Order(1)
    void fullRunMapsTheAtlasGeneratesTheCohortAndIngestsIt() throws Exception {
        Subprocess.Result run = nextflow();
        assertEquals(0, run.exit(), run.describe());
        Path results = launchDir.resolve("results");
        // ATLAS: one label map with the 20 regions on the template grid
        ImageVolume labels = NiftiReader.read(results.resolve("atlas/aspects_labels.nii.gz"));
        assertEquals("[128, 128, 128]", Arrays.toString(labels.dims()));
        java.util.Set<Integer> ids = new java.util.TreeSet<>();
        for (float v : labels.data()) {
            ids.add((int) v);
        }
        assertEquals(21, ids.size(), "background + 20 regions: " + ids);
        // PHANTOM truth and INGEST join on the same pseudonyms: each synthetic subject has one accepted NCCT
        List<String> truth = Files.readAllLines(results.resolve("phantom/truth/cohort.tsv"));
        assertEquals(4, truth.size(), "header + 3 subjects");
        List<String> subjects = truth.subList(1, 4).stream().map(l -> l.split("\t")[0]).sorted().toList();
        List<Map<String, String>> manifest = Nextflow.tsv(results.resolve("ingest/manifest.tsv"));
        List<String> accepted = manifest.stream()
                .filter(r -> r.get("decision").equals("accepted") && r.get("preferred").equals("yes"))
                .map(r -> r.get("subject")).sorted().toList();
        assertEquals(subjects, accepted);
        for (Map<String, String> r : manifest) {
            if (r.get("decision").equals("accepted")) {
                Path nii = results.resolve("ingest").resolve(r.get("subject")).resolve(r.get("study"))
                        .resolve(r.get("series") + ".nii.gz");
                assertTrue(Files.isRegularFile(nii), nii.toString());
            }
        }
        String versions = Files.readString(results.resolve("pipeline_info/software_versions.yml"));
        for (String process : List.of("\"ATLAS\":", "\"PHANTOM\":", "\"INGEST:DICOMDIR_SCAN\":", "\"INGEST:DICOM_TO_NIFTI\":")) {
            assertTrue(versions.contains(process + "\n    deepstroke: \"0.1.0\"\n    java: \"17"), versions);
        }
        assertEquals(versions.lines().filter(l -> l.startsWith("\"")).distinct().count(),
                versions.lines().filter(l -> l.startsWith("\"")).count(), "one block per process");
        List<Map<String, String>> trace = newestTrace();
        firstRunTasks = trace.size();
        assertTrue(firstRunTasks >= 7, trace.toString());
        assertTrue(trace.stream().allMatch(r -> r.get("status").equals("COMPLETED")), trace.toString());
    }

    static int firstRunTasks;

    @Test
    @Order(2)
    void resumeReportsEveryTaskCached() throws Exception {
        Subprocess.Result run = nextflow("-resume");
        assertEquals(0, run.exit(), run.describe());
        List<Map<String, String>> trace = newestTrace();
        assertEquals(firstRunTasks, trace.size(), trace.toString());
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
        assertTrue(!Files.exists(launchDir.resolve("bad-results/atlas")), "no task ran");
    }

    @Test
    @Order(4)
    void stubRunCoversEveryProcess() {
        Subprocess.Result run = nextflowIn("stub-work", "stub-results", "-stub-run");
        assertEquals(0, run.exit(), run.describe());
    }
}
