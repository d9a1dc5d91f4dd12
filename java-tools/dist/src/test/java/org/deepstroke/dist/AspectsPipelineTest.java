package org.deepstroke.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.deepstroke.core.testing.Nextflow;
import org.deepstroke.core.testing.ProjectPaths;
import org.deepstroke.core.testing.Subprocess;
import org.deepstroke.phantom.StandInAtlas;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ASPECTS subworkflow through ./nextflow as a real subprocess, wired as main.nf's commented block: PHANTOM (4
 * subjects, stand-in atlas) -> INGEST -> ASPECTS on the truth labels and, as lesion x regions, on the truth lesion
 * masks x truth labels -> results/aspects/scores.tsv, both oracle paths' evaluations and the lesion maps'; then
 * -stub-run of the same cases, which needs the stubs of every process.
 */
class AspectsPipelineTest {

    @TempDir
    static Path dir;

    static Subprocess.Result run(Path harness, String work, String outdir, String... extra) throws Exception {
        Path root = ProjectPaths.root();
        Path shared = ProjectPaths.sharedData().resolve("atlas/ct-template-muschelli-2mm");
        Path labels = dir.resolve("standin_labels.nii.gz");
        if (!Files.exists(labels)) {
            StandInAtlas.write(shared.resolve("template_2mm.nii.gz"), labels);
        }
        return Nextflow.run(harness.resolve("main.nf")).in(dir).outdir(outdir).work(work)
                .param("template", shared.resolve("template_2mm.nii.gz"))
                .param("template_with_skull", shared.resolve("template_with_skull_2mm.nii.gz"))
                .param("labels", labels)
                .param("pseudonym_key_file", root.resolve("params/demo-pseudonym.key"))
                .param("ingest_rules", root.resolve("params/ingest-rules.yaml"))
                .param("aspects_cutpoints", root.resolve("params/aspects-cutpoints.yaml"))
                .param("aspects_lesion_threshold", root.resolve("params/aspects-lesion-threshold.yaml"))
                .args(extra).execute(Duration.ofMinutes(15));
    }

    static Path harness() throws Exception {
        Path root = ProjectPaths.root();
        Path h = dir.resolve("harness");
        Files.createDirectories(h);
        for (String f : List.of("main.nf", "nextflow.config")) {
            try (var in = AspectsPipelineTest.class.getResourceAsStream("/aspects-harness/" + f)) {
                Files.copy(in, h.resolve(f));
            }
        }
        Files.createSymbolicLink(h.resolve("modules"), root.resolve("modules"));
        Files.createSymbolicLink(h.resolve("bin"), root.resolve("bin"));
        Files.createSymbolicLink(h.resolve("conf"), root.resolve("conf"));
        return h;
    }

    @Test
    void oraclePathIsScoredCollectedAndEvaluated() throws Exception {
        Path h = harness();
        Subprocess.Result r = run(h, "work", "results");
        assertEquals(0, r.exit(), r.describe());
        Path aspects = dir.resolve("results/aspects");
        List<String> scores = Files.readAllLines(aspects.resolve("scores.tsv"));
        assertEquals("path\tsubject\tside\tside_source\taspects\taffected\tclassifier_side\tclassifier_aspects"
                + "\tclassifier_affected\tqc", scores.get(0));
        assertEquals(9, scores.size(), "header + 4 subjects x (lesion-oracle, truth): " + scores);
        List<String> truthRows = scores.stream().filter(l -> l.startsWith("truth\t")).toList();
        List<String> lesionRows = scores.stream().filter(l -> l.startsWith("lesion-oracle\t")).toList();
        assertEquals(4, truthRows.size(), scores.toString());
        assertEquals(4, lesionRows.size(), scores.toString());
        List<String> truth = Files.readAllLines(dir.resolve("results/aspects/truth").resolve("truth_subjects.tsv"));
        assertEquals(5, truth.size(), truth.toString());
        for (String row : truthRows) {
            String[] c = row.split("\t");
            Path subjectDir = aspects.resolve("truth").resolve(c[1]);
            assertTrue(Files.isRegularFile(subjectDir.resolve(c[1] + "_aspects_qc.png")), subjectDir.toString());
            assertTrue(Files.isRegularFile(subjectDir.resolve(c[1] + "_descriptors.tsv")));
        }
        // lesion x regions on the truth lesion masks x truth labels: the phantom's lesions are whole affected regions
        // (inside the brain), so with the calibrated threshold the path must give the truth's ASPECTS for every
        // subject, and its lesion maps ARE the truth's (Dice 1, no volume error, every subject detected right)
        for (String row : lesionRows) {
            String[] c = row.split("\t");
            assertTrue(Files.isRegularFile(aspects.resolve("lesion-oracle").resolve(c[1])
                    .resolve(c[1] + "_lesion_regions.tsv")), row);
        }
        JsonNode le = new ObjectMapper().readTree(aspects.resolve("lesion-oracle/lesion-oracle_evaluation.json")
                .toFile()).at("/methods/lesion");
        assertEquals(4, le.at("/subjects").asInt(), le.toString());
        assertEquals(1.0, le.at("/score/exact_agreement").asDouble(), 1e-9, le.toString());
        assertEquals(1.0, le.at("/region_ipsilateral/sensitivity").asDouble(), 1e-9, le.toString());
        assertEquals(1.0, le.at("/region_ipsilateral/specificity").asDouble(), 1e-9, le.toString());
        Map<String, Double> lm = new java.util.HashMap<>();
        List<String> lesionMetrics = Files.readAllLines(aspects.resolve("lesion-oracle/lesion-oracle_lesion_metrics.tsv"));
        assertEquals("metric\tvalue", lesionMetrics.get(0));
        lesionMetrics.stream().skip(1).map(l -> l.split("\t")).forEach(c -> lm.put(c[0], Double.parseDouble(c[1])));
        assertEquals(4, lm.get("lesion_map.n_subjects"), 0, lm.toString());
        assertEquals(1.0, lm.get("lesion_map.dice_mean"), 1e-12, lm.toString());
        assertEquals(0.0, lm.get("lesion_map.abs_volume_error_ml_mean"), 1e-12, lm.toString());
        assertEquals(1.0, lm.get("lesion_map.detection_sensitivity"), 1e-12, lm.toString());
        assertTrue(Files.readAllLines(aspects.resolve("lesion-oracle/lesion-oracle_metrics.tsv")).stream()
                .anyMatch(l -> l.startsWith("lesion.region_ipsilateral.sensitivity\t")));
        JsonNode e = new ObjectMapper().readTree(aspects.resolve("truth/truth_evaluation.json").toFile());
        assertEquals(4, e.at("/methods/cutpoint/subjects").asInt());
        List<String> metrics = Files.readAllLines(aspects.resolve("truth/truth_metrics.tsv"));
        assertEquals("metric\tvalue", metrics.get(0));
        assertTrue(metrics.stream().anyMatch(l -> l.startsWith("cutpoint.region_ipsilateral.sensitivity\t")),
                metrics.toString());
        assertTrue(Files.isRegularFile(aspects.resolve("truth/truth_evaluation.html")));

        // -stub-run on the same cases (the stubbed ingest yields no series, so they go straight in)
        StringBuilder cases = new StringBuilder("subject\tct\tlabels\tlesion\n");
        for (String row : truthRows) {
            String subject = row.split("\t")[1];
            Path ct;
            try (var s = Files.walk(dir.resolve("results/ingest").resolve(subject))) {
                ct = s.filter(p -> p.toString().endsWith(".nii.gz") && !p.toString().endsWith("_overlay.nii.gz"))
                        .findFirst().orElseThrow();
            }
            Path t = dir.resolve("results/phantom/truth").resolve(subject);
            cases.append(subject).append('\t').append(ct).append('\t').append(t.resolve("labels.nii.gz"))
                    .append('\t').append(t.resolve("lesion_mask.nii.gz")).append('\n');
        }
        Path casesFile = Files.writeString(dir.resolve("cases.tsv"), cases);
        Subprocess.Result stub = run(h, "work-stub", "results-stub", "-stub-run", "--cases",
                casesFile.toString(), "--truth", dir.resolve("results/phantom/truth/cohort.tsv").toString());
        assertEquals(0, stub.exit(), stub.describe());
        assertTrue(stub.stdout().contains("ASPECTS:ASPECTS_EVALUATE"), stub.stdout());
        assertTrue(stub.stdout().contains("ASPECTS:EVALUATE_LESIONS"), stub.stdout());
        assertEquals(9, Files.readAllLines(dir.resolve("results-stub/aspects/scores.tsv")).size());
    }
}
