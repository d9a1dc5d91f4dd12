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
import org.deepstroke.core.image.NiftiReader;
import org.deepstroke.core.testing.ProjectPaths;
import org.deepstroke.core.testing.Subprocess;
import org.deepstroke.unet.SyntheticDataset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SEGMENTATION through ./nextflow (test profile: tiny U-Net, 2 epochs) on a synthetic curated dataset:
 * TRAIN -> PREDICT on the test split -> EVALUATE, with bin/deepstroke on the dl4j class path.
 */
class SegmentationPipelineTest {

    @TempDir
    Path launchDir;

    @Test
    void trainsPredictsTheTestSplitAndEvaluates() throws Exception {
        Path dataset = SyntheticDataset.write(launchDir.resolve("dataset"), 5, 1, 1, 24, 2);
        Path root = ProjectPaths.root();
        Subprocess.Result run = Subprocess.run(List.of(root.resolve("nextflow").toString(), "run",
                root.resolve("main.nf").toString(), "-profile", "test", "--phantom_subjects", "0", "--dataset",
                dataset.toString(), "--outdir", "results", "-w", "work"), launchDir, Map.of("NXF_ANSI_LOG", "false"),
                Duration.ofMinutes(10));
        assertEquals(0, run.exit(), run.describe());
        Path results = launchDir.resolve("results");
        assertTrue(Files.size(results.resolve("training/model.zip")) > 0);
        assertEquals(3, Files.readAllLines(results.resolve("training/history.tsv")).size(), "header + 2 epochs");
        // the test split's one subject (sub-syn001), on its CT's grid
        Path labels = results.resolve("prediction/sub-syn001/sub-syn001.nii.gz");
        assertTrue(NiftiReader.read(labels).sameGrid(
                NiftiReader.read(dataset.resolve("raw_volumes/sub-syn001.nii.gz")), 1e-6));
        JsonNode eval = new ObjectMapper().readTree(results.resolve("evaluation/evaluation.json").toFile());
        assertEquals(List.of("sub-syn001"), List.of(eval.get("subjects").get(0).asText()));
        assertTrue(eval.get("references").get("dataset").get("mean_dice").isNumber());
        assertEquals(1 + 20, Files.readAllLines(results.resolve("evaluation/evaluation.tsv")).size());
        assertTrue(Files.size(results.resolve("evaluation/report.html")) > 0);
        assertTrue(Files.size(results.resolve("evaluation/sub-syn001/sub-syn001_qc.png")) > 0);
    }
}
