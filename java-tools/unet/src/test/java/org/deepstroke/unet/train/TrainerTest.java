package org.deepstroke.unet.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.deepstroke.unet.data.Augmenter;
import org.deepstroke.unet.data.Sample;
import org.deepstroke.unet.model.UNetConfig;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.VariableType;

/** Real DL4J training on a tiny learnable fixture (16^3 net grid, base 4, depth 2). */
class TrainerTest {

    static final UNetConfig CONFIG = TinyCohort.CONFIG;

    @TempDir
    static Path tmp;
    static List<Sample> train;
    static List<Sample> validation;

    @BeforeAll
    static void data() throws Exception {
        TinyCohort c = TinyCohort.write(tmp.resolve("ds"));
        train = c.train();
        validation = c.validation();
    }

    static TrainingSettings settings(int epochs) {
        return new TrainingSettings(epochs, 1, 0.01, 10, 7, 0, "raw", Augmenter.Settings.none());
    }

    @Test
    void lossDecreasesAndOutputsAreWritten() throws Exception {
        Path out = tmp.resolve("learn");
        Trainer t = new Trainer(CONFIG, settings(4), train, validation, out, TrackingSink.NONE, quiet());
        Trainer.Result r = t.run();
        TrainingHistory h = TrainingHistory.read(out.resolve("history.tsv"), 21);
        assertEquals(4, h.records().size());
        double first = h.records().get(0).trainLoss();
        double last = h.records().get(3).trainLoss();
        assertTrue(last < 0.9 * first, "train loss " + first + " -> " + last);
        assertTrue(h.records().get(3).valLoss() < h.records().get(0).valLoss());
        assertEquals(4, r.lastEpoch());
        for (String f : List.of("model.zip", "loss_curves.png", "dice_curves.png", "checkpoint/last.zip",
                "checkpoint/state.json")) {
            assertTrue(Files.size(out.resolve(f)) > 0, f);
        }
    }

    @Test
    void resumeContinuesEpochsFromCheckpointWeights() throws Exception {
        Path out = tmp.resolve("resume");
        Trainer first = new Trainer(CONFIG, settings(2), train, validation, out, TrackingSink.NONE, quiet());
        first.run();
        // The checkpoint holds exactly the weights (and Adam state) the first run ended with.
        ModelArchive.Loaded ckpt = ModelArchive.load(out.resolve("checkpoint/last.zip"), true);
        assertWeightsEqual(first.graph(), ckpt.trainingGraph());
        assertFalse(ckpt.trainingGraph().getUpdaterMap() == null || ckpt.trainingGraph().getUpdaterMap().isEmpty(),
                "Adam state saved");

        ByteArrayOutputStream log = new ByteArrayOutputStream();
        Trainer second = new Trainer(CONFIG, settings(3), train, validation, out, TrackingSink.NONE,
                new PrintStream(log, true));
        Trainer.Result r = second.run();
        assertTrue(log.toString().contains("resuming from"), log.toString());
        assertEquals(3, r.startEpoch());
        assertEquals(3, r.lastEpoch());
        TrainingHistory h = TrainingHistory.read(out.resolve("history.tsv"), 21);
        assertEquals(List.of(1, 2, 3), h.records().stream().map(EpochRecord::epoch).toList());

        // Same schedule as an uninterrupted 3-epoch run (shuffling and dropout are functions of seed and epoch).
        Path straight = tmp.resolve("straight");
        new Trainer(CONFIG, settings(3), train, validation, straight, TrackingSink.NONE, quiet()).run();
        TrainingHistory s = TrainingHistory.read(straight.resolve("history.tsv"), 21);
        assertEquals(s.records().get(2).trainLoss(), h.records().get(2).trainLoss(), 1e-3);
    }

    static void assertWeightsEqual(SameDiff a, SameDiff b) {
        int n = 0;
        for (SDVariable v : a.variables()) {
            if (v.getVariableType() == VariableType.VARIABLE) {
                assertArrayEquals(v.getArr().data().asFloat(), b.getVariable(v.name()).getArr().data().asFloat(),
                        0f, v.name());
                n++;
            }
        }
        assertTrue(n > 10, "variables compared: " + n);
    }

    static PrintStream quiet() {
        return new PrintStream(new ByteArrayOutputStream(), true);
    }
}
