package org.deepstroke.unet.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The lesion channel's loss: a hand-worked fixture, the SameDiff graph against the Java reference, and the graph's
 * gradient against finite differences (the ops must differentiate in DL4J 1.0.0-M2.1).
 */
class LesionLossTest {

    static final LesionLoss.Settings HALF = new LesionLoss.Settings(0.5);

    /**
     * Three samples of 4 voxels ([3, 1, 1, 2, 2]):
     * <pre>
     *  0: q = 0.8 0.6 0.2 0.1, t = 1 1 0 0:  dice = 1 - (2 1.4 + 1e-5) / (1.7 + 2 + 1e-5) = 0.2432426
     *                                         bce  = -(ln .8 + ln .6 + ln .8 + ln .9) / 4    = 0.2656182
     *  1: no mask (-1 throughout), q = 0.9:   skipped
     *  2: q = 0.5 x 4, empty mask:            dice = 1 - 1e-5 / (2 + 1e-5) = 0.9999950, bce = ln 2 = 0.6931470
     *  term = 0.5 (0.2432426 + 0.2656182 + 0.9999950 + 0.6931470) / 2 = 0.5505007
     * </pre>
     * (log(q + 1e-7) changes the fifth decimal of nothing here: computed with it.)
     */
    static final float[][] Q = {{0.8f, 0.6f, 0.2f, 0.1f}, {0.9f, 0.9f, 0.9f, 0.9f}, {0.5f, 0.5f, 0.5f, 0.5f}};
    static final int[][] MASKS = {{1, 1, 0, 0}, null, {0, 0, 0, 0}};

    @Test
    void javaGivesTheHandValue() {
        LesionLoss.Value v = LesionLoss.compute(Q, MASKS, HALF);
        assertEquals((0.2432426 + 0.9999950) / 2, v.dice(), 1e-6);
        assertEquals((0.2656182 + 0.6931470) / 2, v.bce(), 1e-6);
        assertEquals(0.5505007, v.term(), 1e-6);
        // no sample with a mask: the term is 0 (and the means undefined)
        LesionLoss.Value none = LesionLoss.compute(Q, new int[][] {null, null, null}, HALF);
        assertEquals(0, none.term(), 0);
        assertTrue(Double.isNaN(none.dice()));
    }

    @Test
    void graphEqualsJavaAndSkipsSamplesWithoutMask() {
        assertEquals(0.5505007, graph(Q, MASKS, HALF), 1e-5);
        assertEquals(0, graph(Q, new int[][] {null, null, null}, HALF), 1e-7);
        // a random batch of 2 x 3x4x5 with one mask per sample
        SplittableRandom rng = new SplittableRandom(3);
        float[][] q = new float[2][60];
        int[][] t = new int[2][60];
        for (int b = 0; b < 2; b++) {
            for (int v = 0; v < 60; v++) {
                q[b][v] = (float) rng.nextDouble(0.01, 0.99);
                t[b][v] = rng.nextDouble() < 0.3 ? 1 : 0;
            }
        }
        double java = LesionLoss.compute(q, t, new LesionLoss.Settings(1.0)).term();
        assertEquals(java, graph(q, t, new LesionLoss.Settings(1.0), 3, 4, 5), 1e-5);
        assertTrue(java > 0.5, "a random map is far from its mask: " + java);
    }

    @Test
    void hardDiceThresholdsAtOneHalf() {
        // q >= 0.5 at voxels 0, 1; truth at 0, 2: Dice = 2 * 1 / (2 + 2)
        assertEquals(0.5, LesionLoss.hardDice(new float[] {0.5f, 0.9f, 0.49f, 0.1f}, new int[] {1, 0, 1, 0}), 1e-12);
        assertTrue(Double.isNaN(LesionLoss.hardDice(new float[] {0.1f, 0.2f}, new int[] {0, 0})));
        assertEquals(0, LesionLoss.hardDice(new float[] {0.7f, 0.2f}, new int[] {0, 0}), 0);
    }

    @Test
    void graphGradientMatchesFiniteDifferences() {
        SplittableRandom rng = new SplittableRandom(11);
        int n = 2;
        int voxels = 12;
        double[][] logits = new double[n][voxels];
        int[][] masks = {new int[voxels], null};
        for (int v = 0; v < voxels; v++) {
            logits[0][v] = rng.nextGaussian();
            logits[1][v] = rng.nextGaussian();
            masks[0][v] = v % 3 == 0 ? 1 : 0;
        }
        SameDiff sd = SameDiff.create();
        float[] flat = new float[n * voxels];
        float[] target = new float[n * voxels];
        for (int b = 0; b < n; b++) {
            for (int v = 0; v < voxels; v++) {
                flat[b * voxels + v] = (float) logits[b][v];
                target[b * voxels + v] = masks[b] == null ? -1f : masks[b][v];
            }
        }
        SDVariable l = sd.var("logits", Nd4j.create(flat, new long[] {n, 1, 2, 2, 3}, 'c'));
        SDVariable t = sd.constant("t", Nd4j.create(target, new long[] {n, 1, 2, 2, 3}, 'c'));
        LesionLoss.graph(sd, sd.nn().sigmoid(l), t, HALF, "lesion");
        sd.setLossVariables("lesion");
        INDArray grad = sd.calculateGradients(Map.of(), "logits").get("logits");
        double h = 1e-3;
        double maxAbs = 0;
        for (int b = 0; b < n; b++) {
            for (int v = 0; v < voxels; v++) {
                double keep = logits[b][v];
                logits[b][v] = keep + h;
                double up = LesionLoss.compute(sigmoid(logits), masks, HALF).term();
                logits[b][v] = keep - h;
                double down = LesionLoss.compute(sigmoid(logits), masks, HALF).term();
                logits[b][v] = keep;
                double analytic = grad.getDouble(b * voxels + v);
                assertEquals((up - down) / (2 * h), analytic, 2e-4, "sample " + b + " voxel " + v);
                if (b == 1) {
                    assertEquals(0, analytic, 0, "a sample without a mask gets no gradient");
                }
                maxAbs = Math.max(maxAbs, Math.abs(analytic));
            }
        }
        assertTrue(maxAbs > 1e-3, "the lesion loss has a gradient: max |dL/dlogit| " + maxAbs);
    }

    private static float[][] sigmoid(double[][] x) {
        float[][] q = new float[x.length][x[0].length];
        for (int b = 0; b < x.length; b++) {
            for (int v = 0; v < x[b].length; v++) {
                q[b][v] = (float) (1 / (1 + Math.exp(-x[b][v])));
            }
        }
        return q;
    }

    static double graph(float[][] q, int[][] masks, LesionLoss.Settings settings) {
        return graph(q, masks, settings, 1, 2, 2);
    }

    /** The graph's term for q and masks (null = no mask) laid out as [n, 1, d, h, w]. */
    static double graph(float[][] q, int[][] masks, LesionLoss.Settings settings, int d, int h, int w) {
        int n = q.length;
        int voxels = q[0].length;
        float[] p = new float[n * voxels];
        float[] t = new float[n * voxels];
        for (int b = 0; b < n; b++) {
            for (int v = 0; v < voxels; v++) {
                p[b * voxels + v] = q[b][v];
                t[b * voxels + v] = masks[b] == null ? -1f : masks[b][v];
            }
        }
        SameDiff sd = SameDiff.create();
        SDVariable pv = sd.placeHolder("q", DataType.FLOAT, -1, 1, -1, -1, -1);
        SDVariable tv = sd.placeHolder("t", DataType.FLOAT, -1, 1, -1, -1, -1);
        LesionLoss.graph(sd, pv, tv, settings, "lesion");
        long[] shape = {n, 1, d, h, w};
        return sd.output(Map.of("q", Nd4j.create(p, shape, 'c'), "t", Nd4j.create(t, shape, 'c')), "lesion")
                .get("lesion").getDouble(0);
    }
}
