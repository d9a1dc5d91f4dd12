package org.deepstroke.unet;

import static org.deepstroke.core.testing.InProcessTool.deepstroke;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.deepstroke.core.image.ImageVolume;
import org.deepstroke.core.image.NiftiReader;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.deepstroke.core.testing.InProcessTool.Result;

/** train -> predict -> evaluate through the launcher on a tiny synthetic dataset (real DL4J). */
class ToolsTest {

    @TempDir
    static Path tmp;
    static Path dataset;
    static Path trainDir;

    @BeforeAll
    static void train() throws Exception {
        dataset = SyntheticDataset.write(tmp.resolve("ds"), 6, 1, 1, 24, 11);
        trainDir = tmp.resolve("train");
        Result r = deepstroke("train", "--dataset", dataset.toString(), "--output-dir", trainDir.toString(), "--volume-size",
                "16", "--depth", "2", "--base-channels", "4", "--epochs", "2", "--learning-rate", "0.01",
                "--spool-dir", tmp.resolve("spool").toString(), "--tag", "nextflow.run_name=happy_turing");
        assertEquals(0, r.exit(), r.err());
    }

    @Test
    void trainWritesItsOutputsAndRecordsTheRun() throws Exception {
        for (String f : List.of("model.zip", "history.tsv", "loss_curves.png", "dice_curves.png", "train.json",
                "split.tsv", "versions.yml")) {
            assertTrue(Files.size(trainDir.resolve(f)) > 0, f);
        }
        JsonNode j = new ObjectMapper().readTree(trainDir.resolve("train.json").toFile());
        assertEquals(21, j.get("config").get("classes").asInt());
        assertEquals(4, j.get("dataset").get("train").size());
        assertEquals("happy_turing", j.get("tags").get("nextflow.run_name").asText());
        assertEquals("cpu", j.get("tags").get("deepstroke.backend").asText());
        assertEquals(2, j.get("result").get("last_epoch").asInt());
        List<String> history = Files.readAllLines(trainDir.resolve("history.tsv"));
        assertEquals(3, history.size());
        assertTrue(history.get(0).startsWith("epoch\ttrain_loss\tval_loss\tdice_background\tdice_C_L"));
        assertTrue(history.get(0).endsWith("val_mean_dice\tval_gds\tseconds"));
        // The spool journals the run with its params and per-epoch metrics.
        String journal;
        try (var files = Files.walk(tmp.resolve("spool"))) {
            journal = files.filter(p -> p.toString().endsWith(".jsonl") || p.toString().endsWith(".json"))
                    .map(p -> {
                        try {
                            return Files.readString(p);
                        } catch (java.io.IOException e) {
                            throw new java.io.UncheckedIOException(e);
                        }
                    }).reduce("", String::concat);
        }
        assertTrue(journal.contains("dataset_manifest_sha256"), journal);
        assertTrue(journal.contains("val_mean_dice"), journal);
    }

    @Test
    void predictWritesLabelsOnTheInputGrid() throws Exception {
        Path ct = dataset.resolve("raw_volumes/sub-syn001.nii.gz");
        Path out = tmp.resolve("pred/sub-syn001.nii.gz");
        Result r = deepstroke("predict", "--model", trainDir.resolve("model.zip").toString(), "--ct", ct.toString(),
                "--output", out.toString());
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().startsWith("inference: network "), r.out());
        ImageVolume in = NiftiReader.read(ct);
        ImageVolume labels = NiftiReader.read(out);
        assertTrue(labels.sameGrid(in, 1e-6), "prediction grid equals the CT grid");
        for (float v : labels.data()) {
            assertTrue(v >= 0 && v <= 20 && v == Math.round(v));
        }
    }

    @Test
    void evaluateWritesTablesPlotsAndReport() throws Exception {
        Path preds = tmp.resolve("eval-preds");
        Files.createDirectories(preds);
        // a perfect prediction (the reference itself) and the model's own
        Files.copy(dataset.resolve("raw_segmentation/sub-syn001.nii.gz"), preds.resolve("sub-syn001.nii.gz"));
        Result p = deepstroke("predict", "--model", trainDir.resolve("model.zip").toString(), "--ct",
                dataset.resolve("raw_volumes/sub-syn002.nii.gz").toString(), "--output",
                preds.resolve("sub-syn002.nii.gz").toString());
        assertEquals(0, p.exit(), p.err());
        Path out = tmp.resolve("eval");
        Result r = deepstroke("unet-evaluate", "--predictions", preds.toString(), "--dataset", dataset.toString(),
                "--training-dir", trainDir.toString(), "--output-dir", out.toString());
        assertEquals(0, r.exit(), r.err());
        JsonNode j = new ObjectMapper().readTree(out.resolve("evaluation.json").toFile());
        assertEquals(1.0, j.get("references").get("dataset").get("mean_dice_per_subject").get("sub-syn001").asDouble(),
                1e-9);
        List<String> tsv = Files.readAllLines(out.resolve("evaluation.tsv"));
        assertEquals(1 + 2 * 20, tsv.size());
        assertTrue(tsv.get(1).startsWith("sub-syn001\tdataset\t1\tC_L\t1.0000\t0.0000"), tsv.get(1));
        for (String f : List.of("report.html", "loss_curves.png", "dice_curves.png", "sub-syn001/sub-syn001_qc.png")) {
            assertTrue(Files.size(out.resolve(f)) > 0, f);
        }
        assertTrue(Files.readString(out.resolve("report.html")).contains("sub-syn002_qc.png"));
    }

    @Test
    void predictNeverWritesOverItsInputs() throws Exception {
        // issue 16: refused before the model is opened; the CT keeps its bytes
        Path ct = Files.writeString(tmp.resolve("ct-placeholder.nii.gz"), "not read");
        Path model = Files.writeString(tmp.resolve("model-placeholder.zip"), "not read");
        for (String[] outputs : new String[][] {{"--output", ct.toString()},
            {"--output", tmp.resolve("p.nii.gz").toString(), "--timing", model.toString()},
            {"--output", tmp.resolve("p.nii.gz").toString(), "--lesion-output", tmp.resolve("p.nii.gz").toString()}}) {
            List<String> args = new java.util.ArrayList<>(List.of("predict", "--model", model.toString(), "--ct",
                    ct.toString()));
            args.addAll(List.of(outputs));
            Result r = deepstroke(args.toArray(String[]::new));
            assertEquals(2, r.exit(), r.err());
            assertEquals(1, r.err().strip().lines().count(), r.err());
            assertTrue(r.err().contains("overwrite"), r.err());
        }
        assertEquals("not read", Files.readString(ct));
        assertEquals("not read", Files.readString(model));
        assertTrue(!Files.exists(tmp.resolve("p.nii.gz")));
        // training and evaluation never write into the dataset (or the predictions) they read
        for (String[] args : new String[][] {
            {"train", "--dataset", dataset.toString(), "--output-dir", dataset.resolve("training").toString()},
            {"unet-evaluate", "--predictions", trainDir.toString(), "--dataset", dataset.toString(), "--output-dir",
                dataset.resolve("evaluation").toString()}}) {
            Result r = deepstroke(args);
            assertEquals(2, r.exit(), r.err());
            assertEquals(1, r.err().strip().lines().count(), r.err());
            assertTrue(r.err().contains("lies inside the input folder --dataset"), r.err());
        }
        assertTrue(!Files.exists(dataset.resolve("training")) && !Files.exists(dataset.resolve("evaluation")));
    }

    @Test
    void badDatasetIsOneLineNamingTheFile() {
        Result r = deepstroke("train", "--dataset", tmp.resolve("nope").toString(), "--output-dir", tmp.resolve("x").toString());
        assertEquals(1, r.exit());
        assertTrue(r.err().contains("manifest.tsv") && r.err().strip().lines().count() == 1, r.err());
    }
}
