package org.deepstroke.unet.train;

import static org.deepstroke.core.testing.InProcessTool.deepstroke;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.deepstroke.core.image.ImageVolume;
import org.deepstroke.core.image.NiftiDatatype;
import org.deepstroke.core.image.NiftiReader;
import org.deepstroke.core.testing.InProcessTool.Result;
import org.deepstroke.unet.SyntheticDataset;
import org.deepstroke.unet.model.LesionLoss;
import org.deepstroke.unet.model.UNet3D;
import org.deepstroke.unet.model.UNetConfig;
import org.deepstroke.unet.tools.TrainTool;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.VariableType;

/**
 * train --lesion-head (with --tagl, as the pipeline's test profile runs it) on the tiny synthetic cohort with lesions
 * (5 subjects at 24^3, validation sub-syn000 with a mask, training subject sub-syn001 without one): the history's
 * lesion columns, the archive's head flag, resuming, and predict's lesion map on the CT's grid. One epoch of a
 * 16^3 net learns nothing about lesions: the values checked are ranges and shapes, not a Dice.
 */
class LesionHeadTrainingTest {

    @TempDir
    static Path tmp;
    static Path dataset;
    static Path trainDir;
    static Result first;

    static final String[] TRAIN = {"--volume-size", "16", "--depth", "2", "--base-channels", "4",
        "--learning-rate", "0.01", "--lesion-head", "--lesion-weight", "0.5", "--tagl"};

    @BeforeAll
    static void train() throws Exception {
        dataset = SyntheticDataset.write(tmp.resolve("ds"), 5, 1, 0, 24, 3, true);
        trainDir = tmp.resolve("train");
        first = train(1);
    }

    static Result train(int epochs) {
        List<String> args = new java.util.ArrayList<>(List.of("train", "--dataset", dataset.toString(),
                "--output-dir", trainDir.toString(), "--epochs", Integer.toString(epochs), "--spool-dir",
                tmp.resolve("spool").toString()));
        args.addAll(List.of(TRAIN));
        return deepstroke(args.toArray(String[]::new));
    }

    @Test
    void historyArchiveAndTrackingCarryTheLesionHead() throws Exception {
        assertEquals(0, first.exit(), first.err());
        List<String> history = Files.readAllLines(trainDir.resolve("history.tsv"));
        assertTrue(history.get(0).endsWith("seconds\ttrain_tagl\tval_tagl\ttrain_lesion\tval_lesion\tval_lesion_dice"),
                history.get(0));
        EpochRecord r = TrainingHistory.read(trainDir.resolve("history.tsv"), 21).records().get(0);
        // weight 0.5 x (soft Dice in [0, 1] + BCE of a near-0.5 sigmoid, ~ln 2): the term lies in (0, 1)
        assertTrue(r.trainLesion() > 0.05 && r.trainLesion() < 1.0, "train lesion term " + r.trainLesion());
        assertTrue(r.valLesion() > 0.05 && r.valLesion() < 1.0, "val lesion term " + r.valLesion());
        // the validation subject has a lesion, so its Dice is defined (not meaningful after one epoch)
        assertTrue(r.valLesionDice() >= 0 && r.valLesionDice() <= 1, "val lesion Dice " + r.valLesionDice());
        assertTrue(r.valLoss() > r.valLesion() + r.valTagl(), "val loss includes DiceCE");

        UNetConfig config = ModelArchive.load(trainDir.resolve("model.zip"), false).config();
        assertTrue(config.lesionHead(), config.toString());
        JsonNode j = new ObjectMapper().readTree(trainDir.resolve("train.json").toFile());
        assertTrue(j.get("config").get("lesionHead").asBoolean());
        assertEquals("0.5", j.get("settings").get("lesion_weight").asText());

        String journal = SpoolText.of(tmp.resolve("spool"));
        for (String s : List.of("lesion_head", "lesion_weight", "train_lesion", "val_lesion_dice",
                "Lesion(weight=0.5,soft_dice+bce)")) {
            assertTrue(journal.contains(s), s + " in journal");
        }

        // the lesion term's gradient reached the lesion head: its weights left their initial values
        SameDiff trained = ModelArchive.load(trainDir.resolve("model.zip"), false).trainingGraph();
        SameDiff initial = UNet3D.build(config, true, 1, 0.01, null, new LesionLoss.Settings(0.5));
        double moved = 0;
        int headVariables = 0;
        for (SDVariable v : initial.variables()) {
            if (v.getVariableType() == VariableType.VARIABLE && v.name().startsWith("lesion_head")) {
                headVariables++;
                moved = Math.max(moved, v.getArr().sub(trained.getVariable(v.name()).getArr()).amaxNumber()
                        .doubleValue());
            }
        }
        assertTrue(headVariables >= 1, "the graph has lesion head variables");
        assertTrue(moved > 1e-4, "lesion head weights moved by " + moved);
    }

    @Test
    void resumesAndPredictsTheLesionMapOnTheCtGrid() throws Exception {
        assertEquals(0, first.exit(), first.err());
        Result second = train(2);
        assertEquals(0, second.exit(), second.err());
        List<EpochRecord> records = TrainingHistory.read(trainDir.resolve("history.tsv"), 21).records();
        assertEquals(2, records.size());
        assertTrue(records.get(1).trainLesion() > 0, records.get(1).toString());
        JsonNode j = new ObjectMapper().readTree(trainDir.resolve("train.json").toFile());
        assertEquals(2, j.get("result").get("start_epoch").asInt());

        Path ct = dataset.resolve("raw_volumes/sub-syn002.nii.gz");
        Path labels = tmp.resolve("pred/sub-syn002.nii.gz");
        Path lesion = tmp.resolve("pred/sub-syn002_lesion.nii.gz");
        Result p = deepstroke("predict", "--model", trainDir.resolve("model.zip").toString(), "--ct", ct.toString(),
                "--output", labels.toString(), "--lesion-output", lesion.toString());
        assertEquals(0, p.exit(), p.err());
        ImageVolume in = NiftiReader.read(ct);
        ImageVolume map = NiftiReader.read(lesion);
        assertArrayEquals(new int[] {24, 24, 24}, map.dims());
        assertTrue(map.sameGrid(in, 1e-6), "lesion map on the CT's grid");
        assertEquals(NiftiDatatype.UINT8.code(), NiftiReader.readHeader(lesion).datatypeCode());
        for (float v : map.data()) {
            assertTrue(v == 0 || v == 1, "0/1: " + v);
        }
        assertTrue(NiftiReader.read(labels).sameGrid(in, 1e-6));
    }

    @Test
    void usageErrors() throws Exception {
        // a model without the head cannot write a lesion map: exit 2, one line
        Path plain = tmp.resolve("plain.zip");
        ModelArchive.save(plain, TinyCohort.CONFIG, UNet3D.build(TinyCohort.CONFIG, true, 1, 0.01), false);
        Result r = deepstroke("predict", "--model", plain.toString(), "--ct",
                dataset.resolve("raw_volumes/sub-syn002.nii.gz").toString(), "--output",
                tmp.resolve("x.nii.gz").toString(), "--lesion-output", tmp.resolve("y.nii.gz").toString());
        assertEquals(2, r.exit(), r.err());
        assertTrue(r.err().contains("--lesion-output needs a model trained with --lesion-head"), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertFalse(Files.exists(tmp.resolve("x.nii.gz")));

        Result w = deepstroke("train", "--dataset", dataset.toString(), "--output-dir", tmp.resolve("w").toString(),
                "--lesion-weight", "0.5");
        assertEquals(2, w.exit(), w.err());
        assertTrue(w.err().contains("--lesion-weight needs --lesion-head"), w.err());

        // a dataset without lesion masks cannot train the head
        Path noLesions = SyntheticDataset.write(tmp.resolve("ds-plain"), 3, 1, 0, 24, 5);
        Result n = deepstroke("train", "--dataset", noLesions.toString(), "--output-dir",
                tmp.resolve("n").toString(), "--volume-size", "16", "--depth", "2", "--lesion-head");
        assertEquals(1, n.exit(), n.err());
        assertTrue(n.err().contains("no training subject of variant raw has one"), n.err());
    }

    /** Two data-parallel workers: each worker's listener computes the lesion term, the trainer logs their mean. */
    @Test
    void dataParallelTrainingCarriesTheLesionTerm() throws Exception {
        org.deepstroke.unet.data.CuratedDataset ds = org.deepstroke.unet.data.CuratedDataset.open(dataset);
        List<org.deepstroke.unet.data.Sample> train = TrainTool.load(ds.entries("train", "raw"), 16, "train", true);
        List<org.deepstroke.unet.data.Sample> validation = TrainTool.load(ds.entries("validation", "raw"), 16,
                "validation", true);
        assertEquals(1, train.stream().filter(x -> x.lesion() == null).count(), "sub-syn001 has no mask");
        UNetConfig config = new UNetConfig(4, 21, 4, 2, 0.0, true, 16, true);
        TrainingSettings two = new TrainingSettings(1, 1, 0.01, 10, 7, 0, "raw",
                org.deepstroke.unet.data.Augmenter.Settings.none(), 2, null, new LesionLoss.Settings(1.0));
        new Trainer(config, two, train, validation, tmp.resolve("parallel"), TrackingSink.NONE,
                new java.io.PrintStream(new java.io.ByteArrayOutputStream(), true)).run();
        EpochRecord r = TrainingHistory.read(tmp.resolve("parallel/history.tsv"), 21).records().get(0);
        // weight 1: soft Dice (<= 1) + BCE of a sigmoid near 0.5 (~0.7) per sample with a mask
        assertTrue(r.trainLesion() > 0.1 && r.trainLesion() < 2.0, "train lesion term " + r.trainLesion());
        assertTrue(Double.isNaN(r.trainTagl()), "no TAGL in this run");
    }
}
