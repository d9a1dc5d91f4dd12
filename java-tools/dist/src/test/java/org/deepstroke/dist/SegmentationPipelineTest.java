package org.deepstroke.dist;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.deepstroke.core.image.ImageVolume;
import org.deepstroke.core.image.NiftiReader;
import org.deepstroke.core.testing.Nextflow;
import org.deepstroke.core.testing.Subprocess;
import org.deepstroke.unet.SyntheticDataset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SEGMENTATION through ./nextflow (test profile: tiny U-Net, 2 epochs, TAGL and the lesion head on) on a synthetic
 * curated dataset with lesion masks: TRAIN -> PREDICT on the test split (labels and lesion map) -> EVALUATE, with
 * bin/deepstroke on the dl4j class path.
 */
class SegmentationPipelineTest {

    @TempDir
    Path launchDir;

    @Test
    void trainsPredictsTheTestSplitAndEvaluates() throws Exception {
        Path dataset = SyntheticDataset.write(launchDir.resolve("dataset"), 5, 1, 1, 24, 2, true);
        Subprocess.Result run = Nextflow.run().in(launchDir).profile("test").param("phantom_subjects", 0)
                .param("dataset", dataset).outdir("results").work("work").execute(Duration.ofMinutes(10));
        assertEquals(0, run.exit(), run.describe());
        Path results = launchDir.resolve("results");
        assertTrue(Files.size(results.resolve("training/model.zip")) > 0);
        List<String> history = Files.readAllLines(results.resolve("training/history.tsv"));
        assertEquals(3, history.size(), "header + 2 epochs");
        // the test profile trains with TAGL and the lesion head (params/test.yaml)
        assertTrue(history.get(0).endsWith("train_tagl\tval_tagl\ttrain_lesion\tval_lesion\tval_lesion_dice"),
                history.get(0));
        // the test split's one subject (sub-syn001), on its CT's grid
        Path labels = results.resolve("prediction/sub-syn001/sub-syn001.nii.gz");
        ImageVolume ct = NiftiReader.read(dataset.resolve("raw_volumes/sub-syn001.nii.gz"));
        assertTrue(NiftiReader.read(labels).sameGrid(ct, 1e-6));
        // and its lesion map: uint8 0/1 on the CT's grid
        ImageVolume lesion = NiftiReader.read(results.resolve("prediction/sub-syn001/sub-syn001_lesion.nii.gz"));
        assertArrayEquals(ct.dims(), lesion.dims());
        assertTrue(lesion.sameGrid(ct, 1e-6));
        for (float v : lesion.data()) {
            assertTrue(v == 0 || v == 1, "0/1: " + v);
        }
        JsonNode eval = new ObjectMapper().readTree(results.resolve("evaluation/evaluation.json").toFile());
        assertEquals(List.of("sub-syn001"), List.of(eval.get("subjects").get(0).asText()));
        assertTrue(eval.get("references").get("dataset").get("mean_dice").isNumber());
        assertEquals(1 + 20, Files.readAllLines(results.resolve("evaluation/evaluation.tsv")).size());
        assertTrue(Files.size(results.resolve("evaluation/report.html")) > 0);
        assertTrue(Files.size(results.resolve("evaluation/sub-syn001/sub-syn001_qc.png")) > 0);
    }
}
