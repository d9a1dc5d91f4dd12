package org.deepstroke.dist;

import org.deepstroke.core.testing.Nextflow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.deepstroke.core.image.ImageVolume;
import org.deepstroke.core.image.NiftiReader;
import org.deepstroke.core.testing.ProjectPaths;
import org.deepstroke.core.testing.Subprocess;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pipeline through ./nextflow as a real subprocess (nf-test is unreachable), on ONE run of the test profile
 * (quick presets, 3 synthetic subjects) shared by every check: ATLAS, PHANTOM and INGEST join on the same pseudonyms;
 * the label-transfer stages put labels on every native CT inside its brain mask, with Dice vs the truth and the
 * curated dataset; -resume reports every task cached; a third subject (an extra DICOMDIR root) reruns only its own
 * strip/register/back-project chain plus the cohort steps; an unknown parameter stops the run before any task, and
 * -stub-run needs a stub in every process. (One class, not two: PipelineResumeTest ran the same test-profile run
 * again, ~6 of CI's minutes; merged 2026-12-07.)
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LabelTransferPipelineTest {

    static final List<String> PER_SUBJECT = List.of("LABEL_TRANSFER:SKULL_STRIP", "LABEL_TRANSFER:REGISTER",
            "LABEL_TRANSFER:BACK_PROJECT");

    @TempDir
    static Path launchDir;

    static Subprocess.Result nextflow(String... args) {
        return Nextflow.run().in(launchDir).profile("test").outdir("results").work("work").args(args)
                .execute(Duration.ofMinutes(30));
    }

    static Subprocess.Result nextflowIn(String workDir, String outDir, String... args) {
        return Nextflow.run().in(launchDir).profile("test").outdir(outDir).work(workDir).args(args)
                .execute(Duration.ofMinutes(10));
    }

    static List<Map<String, String>> newestTrace() throws IOException {
        return Nextflow.trace(launchDir.resolve("results"), true);
    }

    /** The first run's trace (the oldest). */
    static List<Map<String, String>> firstTrace() throws IOException {
        return Nextflow.trace(launchDir.resolve("results"), false);
    }

    /** How many tasks of a process a run traced (any status). */
    static long tasks(Map<String, Map<String, Long>> status, String process) {
        return status.getOrDefault(process, Map.of()).values().stream().mapToLong(Long::longValue).sum();
    }

    /** process name -> status -> count. */
    static Map<String, Map<String, Long>> statuses(List<Map<String, String>> trace) {
        Map<String, Map<String, Long>> out = new TreeMap<>();
        for (Map<String, String> row : trace) {
            out.computeIfAbsent(row.get("process"), k -> new TreeMap<>()).merge(row.get("status"), 1L, Long::sum);
        }
        return out;
    }

    static List<String> subjects() throws IOException {
        return Files.readAllLines(launchDir.resolve("results/phantom/truth/cohort.tsv")).stream().skip(1)
                .map(l -> l.split("\t")[0]).sorted().toList();
    }

    static long wallSeconds;

    @Test
    @Order(1)
    void labelsOnEveryNativeCtInsideTheBrainWithDiceAgainstTruth() throws Exception {
        long start = System.nanoTime();
        Subprocess.Result run = nextflow();
        wallSeconds = (System.nanoTime() - start) / 1_000_000_000L;
        System.out.println("test-profile run (with label transfer): " + wallSeconds + " s");
        assertEquals(0, run.exit(), run.describe());
        Path results = launchDir.resolve("results");
        List<String> subjects = subjects();
        assertEquals(3, subjects.size());
        for (String s : subjects) {
            Path dir = results.resolve("registration").resolve(s);
            ImageVolume labels = NiftiReader.read(dir.resolve(s + "_labels.nii.gz"));
            ImageVolume mask = NiftiReader.read(dir.resolve(s + "_brain_mask.nii.gz"));
            assertTrue(labels.sameGrid(mask, 1e-3));
            Set<Integer> ids = new java.util.TreeSet<>();
            long outside = 0;
            for (int i = 0; i < labels.size(); i++) {
                int id = Math.round(labels.data()[i]);
                ids.add(id);
                outside += id != 0 && mask.data()[i] == 0 ? 1 : 0;
            }
            assertEquals(0, outside, s + ": labels outside the brain mask");
            assertTrue(ids.size() >= 19 && ids.stream().allMatch(id -> id >= 0 && id <= 20), s + " ids " + ids);
            JsonNode qc = new ObjectMapper().readTree(dir.resolve(s + "_registration_qc.json").toFile());
            assertEquals("quick", qc.get("preset").asText());
            assertTrue(qc.get("min_jacobian").asDouble() > 0, qc.toString());
            for (String f : List.of("_registration_qc.png", "_labels_qc.png", "_1InverseWarp.nii.gz",
                    "_registration.log")) {
                assertTrue(Files.size(dir.resolve(s + f)) > 0, f);
            }
        }
        // Dice per subject and region vs the phantom's truth: 3 subjects x 20 regions
        List<Map<String, String>> dice = Nextflow.tsv(results.resolve("registration/label_dice.tsv"));
        assertEquals(60, dice.size());
        assertEquals(Set.copyOf(subjects), dice.stream().map(r -> r.get("subject")).collect(Collectors.toSet()));
        JsonNode summary = new ObjectMapper().readTree(results.resolve("registration/label_dice.json").toFile());
        // The test profile's cohort has the independent (MNI) anatomy since issue 14: the truth no longer passes
        // through the atlas, so the atlas' error shows. Measured 2026-12-06, quick preset, CT route, seed 1: mean
        // 0.54 (cortex 0.65-0.79, caudate 0.43-0.46, lentiform 0.35-0.42, insula 0.14-0.22, capsule 0.12-0.13);
        // the template anatomy gave > 0.6. The floor guards against a broken chain, not against honest error.
        assertTrue(summary.get("mean_dice").asDouble() > 0.45, "quick preset label Dice: " + summary.get("mean_dice"));
        // the curated dataset holds every subject in all three variants
        List<Map<String, String>> manifest = Nextflow.tsv(results.resolve("dataset/manifest.tsv"));
        assertEquals(9, manifest.size(), manifest.toString());
        assertTrue(Files.isRegularFile(results.resolve("dataset/raw_segmentation/" + subjects.get(0) + ".nii.gz")));
        List<Map<String, String>> trace = newestTrace();
        Map<String, Map<String, Long>> status = statuses(trace);
        for (String p : PER_SUBJECT) {
            assertEquals(Map.of("COMPLETED", 3L), status.get(p), p + ": " + status);
        }
        firstRunTasks = trace.size();
        assertTrue(trace.stream().allMatch(r -> r.get("status").equals("COMPLETED")), trace.toString());
    }

    static int firstRunTasks;

    @Test
    @Order(2)
    void atlasPhantomAndIngestJoinOnTheSamePseudonyms() throws Exception {
        Path results = launchDir.resolve("results");
        // ATLAS: one label map with the 20 regions on the template grid
        ImageVolume labels = NiftiReader.read(results.resolve("atlas/aspects_labels.nii.gz"));
        assertEquals("[128, 128, 128]", Arrays.toString(labels.dims()));
        Set<Integer> ids = new java.util.TreeSet<>();
        for (float v : labels.data()) {
            ids.add((int) v);
        }
        assertEquals(21, ids.size(), "background + 20 regions: " + ids);
        // PHANTOM truth and INGEST join on the same pseudonyms: each synthetic subject has one accepted NCCT
        List<Map<String, String>> manifest = Nextflow.tsv(results.resolve("ingest/manifest.tsv"));
        List<String> accepted = manifest.stream()
                .filter(r -> r.get("decision").equals("accepted") && r.get("preferred").equals("yes"))
                .map(r -> r.get("subject")).sorted().toList();
        assertEquals(subjects(), accepted);
        for (Map<String, String> r : manifest) {
            if (r.get("decision").equals("accepted")) {
                Path nii = results.resolve("ingest").resolve(r.get("subject")).resolve(r.get("study"))
                        .resolve(r.get("series") + ".nii.gz");
                assertTrue(Files.isRegularFile(nii), nii.toString());
            }
        }
        String versions = Files.readString(results.resolve("pipeline_info/software_versions.yml"));
        for (String process : List.of("\"ATLAS\":", "\"PHANTOM\":", "\"INGEST:DICOMDIR_SCAN\":",
                "\"INGEST:DICOM_TO_NIFTI\":")) {
            assertTrue(versions.contains(process + "\n    deepstroke: \"0.1.0\"\n    java: \"17"), versions);
        }
        assertEquals(versions.lines().filter(l -> l.startsWith("\"")).distinct().count(),
                versions.lines().filter(l -> l.startsWith("\"")).count(), "one block per process");
    }

    @Test
    @Order(3)
    void resumeReportsEveryTaskCached() throws Exception {
        Subprocess.Result run = nextflow("-resume");
        assertEquals(0, run.exit(), run.describe());
        List<Map<String, String>> trace = newestTrace();
        assertEquals(firstRunTasks, trace.size(), trace.toString());
        assertTrue(trace.stream().allMatch(r -> r.get("status").equals("CACHED")), statuses(trace).toString());
        assertTrue(run.stdout().contains("Cached process"), run.stdout());
    }

    @Test
    @Order(4)
    void oneMoreSubjectRerunsOnlyItsChainAndTheCohortSteps() throws Exception {
        // A second DICOMDIR root with one more synthetic subject (another seed). Not --phantom_subjects 4: the
        // phantom draws its overlay/tilt shares over the whole cohort, so a larger cohort changes existing subjects.
        Path root = ProjectPaths.root();
        Path extra = launchDir.resolve("extra");
        Subprocess.Result phantom = Subprocess.run(List.of(root.resolve("bin/deepstroke").toString(), "phantom",
                "--template-with-skull", ProjectPaths.sharedFile(
                        "atlas/ct-template-muschelli-2mm/template_with_skull_2mm.nii.gz").toString(),
                "--template", ProjectPaths.sharedFile("atlas/ct-template-muschelli-2mm/template_2mm.nii.gz").toString(),
                "--labels", launchDir.resolve("results/atlas/aspects_labels.nii.gz").toString(),
                "--subjects", "1", "--seed", "7", "--overlay-share", "0", "--tilt-share", "0", "--threads", "1",
                "--pseudonym-key-file", root.resolve("params/demo-pseudonym.key").toString(),
                "--output-dir", extra.toString()), launchDir, Map.of(), Duration.ofMinutes(10));
        assertEquals(0, phantom.exit(), phantom.describe());
        // what the first run did per subject/series, so the counts hold for any test-profile cohort size
        Map<String, Map<String, Long>> before = statuses(firstTrace());
        Subprocess.Result run = nextflow("-resume", "--dicom_roots", extra.resolve("dicom").toString());
        assertEquals(0, run.exit(), run.describe());
        Map<String, Map<String, Long>> status = statuses(newestTrace());
        for (String p : PER_SUBJECT) {
            assertEquals(Map.of("CACHED", tasks(before, p), "COMPLETED", 1L), status.get(p), p + ": " + status);
        }
        // the new root changes no existing series' inputs: its conversions are cached, only the new series' run
        assertEquals(Map.of("CACHED", tasks(before, "INGEST:DICOM_TO_NIFTI"), "COMPLETED", 1L),
                status.get("INGEST:DICOM_TO_NIFTI"), status.toString());
        if (before.containsKey("INGEST:OVERLAY_EXTRACT")) {
            // the extra subject is made with --overlay-share 0: no overlay task of its own
            assertEquals(Map.of("CACHED", tasks(before, "INGEST:OVERLAY_EXTRACT")),
                    status.get("INGEST:OVERLAY_EXTRACT"), status.toString());
        }
        assertEquals(Map.of("COMPLETED", 1L), status.get("INGEST:DICOMDIR_SCAN"), status.toString());
        for (String p : List.of("LABEL_TRANSFER:CURATE_DATASET", "LABEL_TRANSFER:EVALUATE_LABELS")) {
            assertEquals(Map.of("COMPLETED", 1L), status.get(p), p + ": " + status);
        }
        assertEquals(Map.of("CACHED", 1L), status.get("ATLAS"), status.toString());
        assertEquals(Map.of("CACHED", 1L), status.get("PHANTOM"), status.toString());
        // the new subject has labels and joins the dataset; Dice is still over the subjects with truth
        int cohort = subjects().size();
        assertEquals(3 * (cohort + 1), Nextflow.tsv(launchDir.resolve("results/dataset/manifest.tsv")).size());
        assertEquals(20 * cohort, Nextflow.tsv(launchDir.resolve("results/registration/label_dice.tsv")).size());
    }

    @Test
    @Order(5)
    void unknownParameterStopsTheRunBeforeAnyTask() {
        Subprocess.Result run = nextflowIn("bad-work", "bad-results", "--out_dir", "x");
        assertEquals(1, run.exit(), run.describe());
        assertTrue(run.stdout().contains("invalid parameter --out_dir: unknown parameter (did you mean --outdir?)"),
                run.stdout());
        assertTrue(!Files.exists(launchDir.resolve("bad-results/atlas")), "no task ran");
    }

    @Test
    @Order(6)
    void stubRunCoversEveryProcess() {
        Subprocess.Result run = nextflowIn("stub-work", "stub-results", "-stub-run");
        assertEquals(0, run.exit(), run.describe());
    }
}
