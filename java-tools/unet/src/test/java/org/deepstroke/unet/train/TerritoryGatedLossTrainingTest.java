package org.deepstroke.unet.train;

import static org.deepstroke.core.testing.InProcessTool.deepstroke;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.deepstroke.core.testing.InProcessTool.Result;
import org.deepstroke.unet.SyntheticDataset;
import org.deepstroke.unet.data.Augmenter;
import org.deepstroke.unet.model.TerritoryGatedLoss;
import org.deepstroke.unet.model.UNet3D;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.VariableType;

/**
 * TAGL in real (tiny) trainings: its gradient reaches the weights, its term is logged, the CLI options and MLflow
 * params exist. The synthetic subjects carry BG-level regions only (C and M1 ids), and an untrained 21-class net
 * spreads its mass evenly, so a slice's BG share starts near 14 / 20 = 0.7: with the gate at 0.6 every brain
 * slice is gated BG from the first iteration and the level penalty (SG share, ~0.3) is active.
 */
class TerritoryGatedLossTrainingTest {

    static final TerritoryGatedLoss.Settings TAGL = new TerritoryGatedLoss.Settings(1.0, 0.6, 0.02);

    @TempDir
    static Path tmp;
    static TinyCohort cohort;

    @BeforeAll
    static void data() throws Exception {
        cohort = TinyCohort.write(tmp.resolve("ds"));
    }

    static TrainingSettings settings(int epochs, TerritoryGatedLoss.Settings tagl) {
        return new TrainingSettings(epochs, 1, 0.01, 10, 7, 0, "raw", Augmenter.Settings.none(), 1, tagl);
    }

    @Test
    void taglGradientChangesTheWeightsAndItsTermIsLogged() throws Exception {
        Trainer withTagl = new Trainer(TinyCohort.CONFIG, settings(1, TAGL), cohort.train(), cohort.validation(),
                tmp.resolve("tagl"), TrackingSink.NONE, quiet());
        withTagl.run();
        Trainer plain = new Trainer(TinyCohort.CONFIG, settings(1, null), cohort.train(), cohort.validation(),
                tmp.resolve("plain"), TrackingSink.NONE, quiet());
        plain.run();
        SameDiff initial = UNet3D.build(TinyCohort.CONFIG, true, 7, 0.01);
        // same seed, no dropout, no augmentation: the two runs differ only by TAGL's gradient
        double fromInitial = maxDifference(initial, withTagl.graph());
        double fromPlain = maxDifference(plain.graph(), withTagl.graph());
        assertTrue(fromInitial > 1e-3, "training changed the weights: " + fromInitial);
        assertTrue(fromPlain > 1e-4, "TAGL's gradient reached the weights: max |w_tagl - w_dicece| " + fromPlain);

        TrainingHistory h = TrainingHistory.read(tmp.resolve("tagl/history.tsv"), 21);
        EpochRecord r = h.records().get(0);
        assertTrue(Files.readAllLines(tmp.resolve("tagl/history.tsv")).get(0).endsWith("seconds\ttrain_tagl\tval_tagl"));
        assertTrue(Double.isFinite(r.trainLoss()) && Double.isFinite(r.valLoss()), r.toString());
        // weight 1: the term is the level penalty (<= 1 - 0.6 on a gated slice) plus at most 1 of continuity
        assertTrue(r.trainTagl() > 0.05 && r.trainTagl() < 1.4, "train TAGL " + r.trainTagl());
        assertTrue(r.valTagl() > 0 && r.valTagl() < 1.4, "val TAGL " + r.valTagl());
        assertTrue(r.valLoss() > r.valTagl(), "val loss includes DiceCE too");
        TrainingHistory p = TrainingHistory.read(tmp.resolve("plain/history.tsv"), 21);
        assertTrue(Double.isNaN(p.records().get(0).trainTagl()));
        assertTrue(Files.readAllLines(tmp.resolve("plain/history.tsv")).get(0).endsWith("val_gds\tseconds"));

        // the checkpoint's graph (with the TAGL ops) loads back and resumes with the same loss
        Trainer resumed = new Trainer(TinyCohort.CONFIG, settings(2, TAGL), cohort.train(), cohort.validation(),
                tmp.resolve("tagl"), TrackingSink.NONE, quiet());
        Trainer.Result rr = resumed.run();
        assertEquals(2, rr.startEpoch());
        assertEquals(2, rr.lastEpoch());
        EpochRecord second = TrainingHistory.read(tmp.resolve("tagl/history.tsv"), 21).records().get(1);
        assertTrue(second.trainTagl() > 0 && Double.isFinite(second.trainLoss()), second.toString());

        // a checkpoint keeps its loss: resuming it with another one fails instead of training the old loss silently
        Trainer other = new Trainer(TinyCohort.CONFIG, settings(3, null), cohort.train(), cohort.validation(),
                tmp.resolve("tagl"), TrackingSink.NONE, quiet());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, other::run);
        assertTrue(e.getMessage().contains("TAGL(weight=1.0,gate=0.6"), e.getMessage());
    }

    @Test
    void cliTrainsWithTaglAndRecordsItsSettings() throws Exception {
        Path ds = SyntheticDataset.write(tmp.resolve("cli-ds"), 3, 1, 0, 24, 5);
        Path out = tmp.resolve("cli");
        Result r = deepstroke("train", "--dataset", ds.toString(), "--output-dir", out.toString(), "--volume-size",
                "16", "--depth", "2", "--base-channels", "4", "--epochs", "1", "--learning-rate", "0.01",
                "--spool-dir", tmp.resolve("spool").toString(), "--tagl", "--tagl-weight", "0.5", "--tagl-gate",
                "0.6");
        assertEquals(0, r.exit(), r.err());
        String journal = SpoolText.of(tmp.resolve("spool"));
        for (String s : List.of("tagl_weight", "0.5", "tagl_gate", "0.6", "tagl_min_foreground", "train_tagl",
                "val_tagl", "TAGL(weight=0.5,gate=0.6,min_foreground=0.02)")) {
            assertTrue(journal.contains(s), s + " in " + journal);
        }

        Result bad = deepstroke("train", "--dataset", ds.toString(), "--output-dir", tmp.resolve("x").toString(),
                "--tagl-weight", "0.5");
        assertEquals(2, bad.exit(), bad.err());
        assertTrue(bad.err().contains("--tagl-weight needs --tagl"), bad.err());
        Result badGate = deepstroke("train", "--dataset", ds.toString(), "--output-dir", tmp.resolve("y").toString(),
                "--tagl", "--tagl-gate", "0.3");
        assertEquals(2, badGate.exit(), badGate.err());
        assertTrue(badGate.err().contains("[0.5, 1)"), badGate.err());
    }

    private static double maxDifference(SameDiff a, SameDiff b) {
        double max = 0;
        for (SDVariable v : a.variables()) {
            if (v.getVariableType() == VariableType.VARIABLE) {
                max = Math.max(max, v.getArr().sub(b.getVariable(v.name()).getArr()).amaxNumber().doubleValue());
            }
        }
        return max;
    }

    private static PrintStream quiet() {
        return new PrintStream(new ByteArrayOutputStream(), true);
    }
}
