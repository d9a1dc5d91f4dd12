package org.deepstroke.unet.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.deepstroke.unet.train.Batches;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * DiceCELoss (plain Java and the SameDiff graph) and SegmentationScores equal MONAI's own values within 1e-5.
 * The expected values come from MONAI 1.6.1 on torch 2.9.1 (CPU, float32), written by
 * src/test/python/monai_fixture.py into monai_parity.json (committed; torch is never installed by the build or
 * CI). Six seeded cases: 3, 11 and 21 classes, batch 1 and 2, 4x5x6 and 3x4x5 grids, a reference lacking classes
 * (down to background only), a prediction lacking a class, a large logit scale (non-true probabilities down to
 * 1e-6; true-class probabilities >= 0.013). Our CE takes log(p + 1e-7) where MONAI takes log_softmax; the fixture
 * records that difference per case (ce_log_eps_bias, <= 1.5e-6, asserted < 3e-6) so the 1e-5 tolerance is not
 * spent on it.
 * <p>Mean foreground Dice of a volume whose reference has no foreground class: MONAI's mean_channel reduction
 * writes 0 with a count of 0 and its "mean" reduction skips such volumes; ours is NaN per volume and
 * {@link SegmentationScores#meanOverVolumes} skips NaN volumes, which equals MONAI's "mean" over the batch.
 */
class MonaiParityTest {

    private static final double TOL = 1e-5;
    private static JsonNode fixture;
    private static List<Case> cases;

    /** One fixture case: probs[n][c][v] (softmax of the logits, float32 as the network outputs), labels[n][v]. */
    private record Case(String name, long[] shape, float[] logits, float[][][] probs, int[][] labels,
            JsonNode expected) {
    }

    @BeforeAll
    static void load() throws IOException {
        try (InputStream in = MonaiParityTest.class.getResourceAsStream("monai_parity.json")) {
            fixture = new ObjectMapper().readTree(in);
        }
        cases = new ArrayList<>();
        for (JsonNode c : fixture.get("cases")) {
            cases.add(parse(c));
        }
    }

    private static Case parse(JsonNode c) {
        long[] shape = new long[5];
        for (int i = 0; i < 5; i++) {
            shape[i] = c.get("shape").get(i).asLong();
        }
        int batch = (int) shape[0];
        int classes = (int) shape[1];
        int voxels = (int) (shape[2] * shape[3] * shape[4]);
        float[] logits = new float[batch * classes * voxels];
        for (int i = 0; i < logits.length; i++) {
            logits[i] = (float) c.get("logits").get(i).asDouble();
        }
        int[][] labels = new int[batch][voxels];
        float[][][] probs = new float[batch][classes][voxels];
        for (int n = 0; n < batch; n++) {
            for (int v = 0; v < voxels; v++) {
                labels[n][v] = c.get("labels").get(n * voxels + v).asInt();
                double max = Double.NEGATIVE_INFINITY;
                for (int k = 0; k < classes; k++) {
                    max = Math.max(max, logits[(n * classes + k) * voxels + v]);
                }
                double sum = 0;
                for (int k = 0; k < classes; k++) {
                    sum += Math.exp(logits[(n * classes + k) * voxels + v] - max);
                }
                for (int k = 0; k < classes; k++) {
                    probs[n][k][v] = (float) (Math.exp(logits[(n * classes + k) * voxels + v] - max) / sum);
                }
            }
        }
        return new Case(c.get("name").asText(), shape, logits, probs, labels, c.get("expected"));
    }

    private static double value(JsonNode node) {
        return node.isNull() ? Double.NaN : node.asDouble();
    }

    /** Asserts equality within TOL (NaN only where MONAI gives NaN) and returns |ours - MONAI|. */
    private static double check(String what, double monai, double ours) {
        if (Double.isNaN(monai) || Double.isNaN(ours)) {
            assertTrue(Double.isNaN(monai) && Double.isNaN(ours), what + ": MONAI " + monai + ", ours " + ours);
            return 0;
        }
        assertEquals(monai, ours, TOL, what);
        return Math.abs(monai - ours);
    }

    @Test
    void fixtureComesFromMonai161OnTorch291() {
        assertEquals("1.6.1", fixture.at("/versions/monai").asText());
        assertEquals("2.9.1", fixture.at("/versions/torch").asText());
        assertEquals(0.2, fixture.at("/config/lambda_ce").asDouble(), 0);
        assertEquals(1.0, fixture.at("/config/lambda_dice").asDouble(), 0);
        assertEquals(6, cases.size());
        for (Case c : cases) {
            assertTrue(c.expected().get("ce_log_eps_bias").asDouble() < 3e-6, c.name());
        }
    }

    @Test
    void javaDiceCeEqualsMonai() {
        double maxTotal = 0;
        double maxDice = 0;
        double maxCe = 0;
        for (Case c : cases) {
            DiceCELoss.Value v = DiceCELoss.compute(c.probs(), c.labels());
            maxTotal = Math.max(maxTotal, check(c.name() + " dice_ce", value(c.expected().get("dice_ce")), v.total()));
            maxDice = Math.max(maxDice, check(c.name() + " dice", value(c.expected().get("dice")), v.dice()));
            maxCe = Math.max(maxCe, check(c.name() + " ce", value(c.expected().get("ce")), v.ce()));
        }
        System.out.printf("MonaiParity max |ours - MONAI|: DiceCELoss.compute total %.2e dice %.2e ce %.2e%n",
                maxTotal, maxDice, maxCe);
    }

    @Test
    void sameDiffGraphEqualsMonai() {
        double max = 0;
        for (Case c : cases) {
            long[] s = c.shape();
            int batch = (int) s[0];
            int classes = (int) s[1];
            int voxels = (int) (s[2] * s[3] * s[4]);
            float[] onehot = new float[batch * classes * voxels];
            for (int n = 0; n < batch; n++) {
                for (int v = 0; v < voxels; v++) {
                    onehot[(n * classes + c.labels()[n][v]) * voxels + v] = 1;
                }
            }
            SameDiff sd = SameDiff.create();
            SDVariable l = sd.placeHolder("l", DataType.FLOAT, s);
            SDVariable y = sd.placeHolder("y", DataType.FLOAT, s);
            DiceCELoss.graph(sd, Layers3D.channelSoftmax(sd, "p", l), y, "loss");
            INDArray logits = Nd4j.create(c.logits(), s, 'c');
            INDArray labels = Nd4j.create(onehot, s, 'c');
            double loss = sd.output(Map.of("l", logits, "y", labels), "loss").get("loss").getDouble(0);
            max = Math.max(max, check(c.name() + " graph dice_ce", value(c.expected().get("dice_ce")), loss));
        }
        System.out.printf("MonaiParity max |ours - MONAI|: DiceCELoss.graph total %.2e%n", max);
    }

    @Test
    void scoresEqualMonai() {
        double maxDice = 0;
        double maxMean = 0;
        double maxGds = 0;
        double maxBatch = 0;
        int nanDice = 0;
        int undefinedMeans = 0;
        for (Case c : cases) {
            int classes = (int) c.shape()[1];
            double[] means = new double[c.labels().length];
            for (int n = 0; n < c.labels().length; n++) {
                SegmentationScores s = SegmentationScores.of(Batches.argmax(c.probs()[n]), c.labels()[n], classes);
                String at = c.name() + " volume " + n;
                JsonNode perClass = c.expected().get("dice_per_class").get(n);
                for (int k = 0; k < classes; k++) {
                    double monai = value(perClass.get(k));
                    nanDice += Double.isNaN(monai) ? 1 : 0;
                    maxDice = Math.max(maxDice, check(at + " dice class " + k, monai, s.dice()[k]));
                }
                if (c.expected().get("mean_foreground_dice_counted").get(n).asInt() == 0) {
                    // no foreground class in the reference: MONAI's mean_channel writes 0 with a count of 0
                    // (undefined; its "mean" reduction then skips the volume), ours is NaN
                    assertTrue(Double.isNaN(s.meanForegroundDice()), at + " mean foreground dice");
                    undefinedMeans++;
                } else {
                    maxMean = Math.max(maxMean, check(at + " mean foreground dice",
                            value(c.expected().get("mean_foreground_dice").get(n)), s.meanForegroundDice()));
                }
                means[n] = s.meanForegroundDice();
                maxGds = Math.max(maxGds, check(at + " generalized dice",
                        value(c.expected().get("generalized_dice").get(n)), s.generalizedDice()));
            }
            maxBatch = Math.max(maxBatch, check(c.name() + " mean foreground dice over the batch",
                    value(c.expected().get("mean_foreground_dice_batch")), SegmentationScores.meanOverVolumes(means)));
        }
        assertEquals(1, undefinedMeans, "volumes without a foreground class in the reference");
        // the fixture must exercise ignore_empty: classes absent from the reference (NaN in MONAI and ours)
        assertTrue(nanDice > 10, "NaN Dice entries in the fixture: " + nanDice);
        System.out.printf("MonaiParity max |ours - MONAI|: per-class Dice %.2e (%d NaN agreed), mean foreground Dice"
                + " %.2e (over the batch %.2e), GeneralizedDiceScore %.2e%n", maxDice, nanDice, maxMean, maxBatch,
                maxGds);
    }
}
