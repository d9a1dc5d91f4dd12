package org.deepstroke.unet.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.deepstroke.unet.data.Augmenter;
import org.deepstroke.unet.data.Sample;
import org.deepstroke.unet.model.UNet3D;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.VariableType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.GradientUpdater;

/**
 * Data parallelism on the CPU backend (one device, two worker threads): after an iteration every replica holds the
 * mean of what each would have become fitting its batch alone, weights and Adam state alike; the trainer runs with
 * two workers, learns, and is deterministic.
 */
class DataParallelTest {

    @TempDir
    Path tmp;

    @TempDir
    static Path data;
    static List<Sample> train;
    static List<Sample> validation;

    @BeforeAll
    static void data() throws Exception {
        TinyCohort c = TinyCohort.write(data.resolve("ds"));
        train = c.train();
        validation = c.validation();
    }

    @Test
    void oneIterationEqualsTheMeanOfIndependentFits() throws Exception {
        SameDiff start = UNet3D.build(TinyCohort.CONFIG, true, 7, 0.01);
        List<DataSet> batches = List.of(dataSet(train.get(0)), dataSet(train.get(1)));
        long seed = 1234;

        // what each worker would reach alone: a copy of the start fitted on its batch with its dropout seed
        List<SameDiff> alone = new ArrayList<>();
        for (int w = 0; w < 2; w++) {
            SameDiff copy = copy(start, tmp.resolve("copy" + w + ".fb"));
            Nd4j.getRandom().setSeed(seed + w);
            copy.fit(batches.get(w), new LossListener());
            alone.add(copy);
        }

        try (DataParallel parallel = DataParallel.create(start, 2, tmp.resolve("scratch"))) {
            double loss = parallel.fit(batches, seed);
            assertTrue(Double.isFinite(loss) && loss > 0, "loss " + loss);
            int compared = 0;
            for (SDVariable v : start.variables()) {
                if (v.getVariableType() != VariableType.VARIABLE) {
                    continue;
                }
                float[] expected = alone.get(0).getVariable(v.name()).getArr().add(
                        alone.get(1).getVariable(v.name()).getArr()).muli(0.5).data().asFloat();
                for (int w = 0; w < 2; w++) {
                    assertArrayEquals(expected, parallel.replica(w).getVariable(v.name()).getArr().data().asFloat(),
                            1e-5f, v.name() + " on replica " + w);
                }
                compared++;
            }
            assertTrue(compared > 10, "variables compared: " + compared);
            double apart = 0;
            for (SDVariable v : start.variables()) {
                if (v.getVariableType() == VariableType.VARIABLE) {
                    apart = Math.max(apart, alone.get(0).getVariable(v.name()).getArr()
                            .distance1(alone.get(1).getVariable(v.name()).getArr()));
                }
            }
            assertTrue(apart > 1e-3, "the two batches lead the replicas apart (else the mean proves nothing): " + apart);
            // the Adam moments are averaged too (ParallelWrapper's averageUpdaters)
            String name = start.getUpdaterMap().keySet().iterator().next();
            for (String key : state(start, name).keySet()) {
                INDArray expected = state(alone.get(0), name).get(key).add(state(alone.get(1), name).get(key))
                        .muli(0.5);
                for (int w = 0; w < 2; w++) {
                    assertArrayEquals(expected.data().asFloat(), state(parallel.replica(w), name).get(key).data()
                            .asFloat(), 1e-6f, "Adam " + key + " of " + name + " on replica " + w);
                }
            }
            // the last iteration of an epoch may have fewer batches than workers: the idle replica takes the mean
            parallel.fit(List.of(batches.get(0)), seed + 10);
            TrainerTest.assertWeightsEqual(parallel.replica(0), parallel.replica(1));
        }
    }

    @Test
    void trainerWithTwoWorkersLearnsAndIsDeterministic() throws Exception {
        TrainingSettings two = new TrainingSettings(4, 1, 0.01, 10, 7, 0, "raw", Augmenter.Settings.none(), 2);
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        Path a = tmp.resolve("a");
        new Trainer(TinyCohort.CONFIG, two, train, validation, a, TrackingSink.NONE,
                new PrintStream(log, true)).run();
        String text = log.toString();
        assertTrue(text.contains("data parallel: 2 workers on 1 device(s)"), text);
        assertTrue(text.contains("iteration 2/2"), "4 subjects, 2 workers: 2 iterations per epoch\n" + text);
        TrainingHistory h = TrainingHistory.read(a.resolve("history.tsv"), 21);
        assertEquals(4, h.records().size());
        double first = h.records().get(0).trainLoss();
        double last = h.records().get(3).trainLoss();
        assertTrue(last < 0.9 * first, "train loss " + first + " -> " + last);

        Path b = tmp.resolve("b");
        new Trainer(TinyCohort.CONFIG, two, train, validation, b, TrackingSink.NONE,
                TrainerTest.quiet()).run();
        assertArrayEquals(Files.readAllBytes(a.resolve("model.zip")), Files.readAllBytes(b.resolve("model.zip")),
                "same seed, same worker count: the same model");
        assertEquals("", new ObjectMapper().readTree(a.resolve("checkpoint/state.json").toFile())
                .path(Trainer.RUN_ID_KEY).asText(), "untracked run");
    }

    private static DataSet dataSet(Sample s) {
        return new DataSet(Batches.features(List.of(s), TinyCohort.CONFIG.inputChannels()),
                Batches.oneHot(List.of(s), TinyCohort.CONFIG.classes()));
    }

    private static SameDiff copy(SameDiff sd, Path file) throws Exception {
        sd.save(file.toFile(), true);
        return SameDiff.load(file.toFile(), true);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, INDArray> state(SameDiff sd, String variable) {
        GradientUpdater<?> u = sd.getUpdaterMap().get(variable);
        return u.getState();
    }
}
