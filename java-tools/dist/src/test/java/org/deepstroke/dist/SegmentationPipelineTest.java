package org.deepstroke.dist;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.SequenceAttribute;
import com.pixelmed.dicom.TagFromName;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.deepstroke.core.image.ImageVolume;
import org.deepstroke.core.image.NiftiReader;
import org.deepstroke.core.testing.Nextflow;
import org.deepstroke.core.testing.ProjectPaths;
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
        scanWithTheLesionHead(results.resolve("training/model.zip"));
    }

    /**
     * aspects-scan --model with that lesion-head model on the shared Philips file-set (its 5 mm NCCT series): the
     * lesion map is written as 0/1 on the CT's grid, the JSON's lesion_ml is its volume, and the DICOM Segmentation
     * carries it as one more segment after the regions (SCT infarct) and passes dciodvfy. The network is a 2-epoch
     * smoke model, so the map's content is not judged, only that it reaches every output.
     */
    void scanWithTheLesionHead(Path model) throws Exception {
        Path out = launchDir.resolve("scan");
        Subprocess.Result r = Subprocess.run(List.of(ProjectPaths.root().resolve("bin/deepstroke").toString(),
                "aspects-scan", "--dicom", ProjectPaths.sharedData().resolve("dicom/philips-phantom-fileset").toString(),
                "--model", model.toString(), "--pseudonym-key-file",
                ProjectPaths.root().resolve("params/demo-pseudonym.key").toString(), "--threads", "2",
                "--keep-work", launchDir.resolve("scan-work").toString(), "--output-dir", out.toString()), launchDir, Map.of(), Duration.ofMinutes(5));
        assertEquals(0, r.exit(), r.describe());
        Path json;
        try (Stream<Path> files = Files.list(out)) {
            json = files.filter(f -> f.toString().endsWith("_report.json")).findFirst().orElseThrow();
        }
        String subject = json.getFileName().toString().replace("_report.json", "");
        ImageVolume ct = NiftiReader.read(launchDir.resolve("scan-work/ct.nii"));   // the CT as scored
        ImageVolume lesion = NiftiReader.read(out.resolve(subject + "_lesion.nii.gz"));
        assertTrue(lesion.sameGrid(ct, 1e-6));
        long voxels = 0;
        for (float v : lesion.data()) {
            assertTrue(v == 0f || v == 1f, "lesion map not 0/1: " + v);
            voxels += (long) v;
        }
        double[] sp = ct.spacing();
        double ml = voxels * sp[0] * sp[1] * sp[2] / 1000.0;
        JsonNode report = new ObjectMapper().readTree(json.toFile());
        assertEquals(ml, report.get("lesion_ml").asDouble(), 1e-3, report.toString());
        Path seg = out.resolve(subject + "_labels_seg.dcm");
        AttributeList list = new AttributeList();
        list.read(seg.toFile());
        SequenceAttribute segments = (SequenceAttribute) list.get(TagFromName.SegmentSequence);
        AttributeList last = segments.getItem(segments.getNumberOfItems() - 1).getAttributeList();
        assertEquals("Early ischaemic change (U-Net lesion head)",
                Attribute.getSingleStringValueOrEmptyString(last, TagFromName.SegmentLabel));
        Subprocess.Result v = Subprocess.run(List.of("dciodvfy", seg.toString()), launchDir, Map.of(),
                Duration.ofMinutes(1));
        assertFalse((v.stdout() + v.stderr()).contains("Error"), v.stdout() + v.stderr());
    }
}
