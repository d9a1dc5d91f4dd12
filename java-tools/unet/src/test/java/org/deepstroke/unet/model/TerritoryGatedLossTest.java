package org.deepstroke.unet.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
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
 * TAGL on hand-made fixtures (values worked out in the comments), the SameDiff graph against the plain-Java
 * reference, and its gradient against finite differences of the reference.
 *
 * <p>11-class fixtures: classes 1..7 = C, L, IC, I, M1, M2, M3 (BG level), 8..10 = M4, M5, M6 (SG level).
 * Volumes are N = 1, D = 3 axial slices (z = 0 lowest), H = 1, W = 2: two voxels per slice.
 */
class TerritoryGatedLossTest {

    private static final int M1 = 5;
    private static final int M4 = 8;
    private static final int M5 = 9;
    private static final TerritoryGatedLoss.Settings DEFAULTS = TerritoryGatedLoss.Settings.defaults(); // 0.1, 0.8

    /** probs[c][v] from per-voxel {class, p, class, p, ...}; the rest of each voxel's mass goes to background. */
    private static float[][] volume(int classes, double[][] voxels) {
        float[][] p = new float[classes][voxels.length];
        for (int v = 0; v < voxels.length; v++) {
            double rest = 1;
            for (int i = 0; i < voxels[v].length; i += 2) {
                p[(int) voxels[v][i]][v] = (float) voxels[v][i + 1];
                rest -= voxels[v][i + 1];
            }
            p[0][v] = (float) rest;
        }
        return p;
    }

    // Gate on. Voxels (z, x):
    //   z=0: (M1 0.9, M4 0.1), (M1 0.5, bg 0.5)  m_BG = 1.4, m_SG = 0.1, f = 1.5, share 0.75
    //        c = 1.4 / 1.5 = 0.933 > 0.8 -> confidently BG; penalty 0.1 / 1.5 = 0.0666667
    //   z=1: (M4 0.7, M1 0.1, bg 0.2), (M4 0.6, bg 0.4)  m_BG = 0.1, m_SG = 1.3, f = 1.4
    //        1 - c = 1.3 / 1.4 = 0.929 > 0.8 -> confidently SG; penalty 0.1 / 1.4 = 0.0714286
    //   z=2: (bg 1), (M5 0.01, bg 0.99)  share 0.01 / 2 = 0.005 <= 0.02 -> ungated (else c = 0 would gate it SG)
    //   L_lvl = (0.0666667 + 0.0714286) / 2 = 0.0690476
    //   boundary z=0 (BG) -> z=1 (SG): pair (M1, M4): a = M1 on z=0 = (0.9, 0.5), b = M4 on z=1 = (0.7, 0.6)
    //        Dice = (2 (0.63 + 0.30) + 1e-5) / (1.4 + 1.3 + 1e-5) = 0.6888900, d = 0.3111100
    //        (M2, M5) and (M3, M6): both maps empty -> Dice (0 + 1e-5) / (0 + 1e-5) = 1, d = 0
    //   L_cont = 0.3111100 / 3 = 0.1037033
    //   TAGL = 0.1 (0.0690476 + 0.1037033) = 0.0172751
    static final double[][] GATE_ON = {
        {M1, 0.9, M4, 0.1}, {M1, 0.5},
        {M4, 0.7, M1, 0.1}, {M4, 0.6},
        {}, {M5, 0.01}};

    // Gate off: mixed levels on every slice.
    //   z=0: (M1 0.5, M4 0.5) twice: c = 0.5, neither c nor 1 - c exceeds 0.8
    //   z=1: (M1 0.3, M4 0.7) twice: m_BG = 0.6, m_SG = 1.4, 1 - c = 0.7 <= 0.8
    //   z=2: (M1 0.5, M4 0.5) twice: c = 0.5
    //   no slice gated, no boundary: TAGL = 0 although 30-50 % of each slice's foreground is the "wrong" level.
    // With tau = 0.65 slice z=1 is gated SG: L_lvl = 0.6 / 2 = 0.3 (only gated slice), TAGL = 0.1 * 0.3 = 0.03.
    static final double[][] GATE_OFF = {
        {M1, 0.5, M4, 0.5}, {M1, 0.5, M4, 0.5},
        {M1, 0.3, M4, 0.7}, {M1, 0.3, M4, 0.7},
        {M1, 0.5, M4, 0.5}, {M1, 0.5, M4, 0.5}};

    @Test
    void gateOnGivesTheHandValue() {
        TerritoryGatedLoss.Value v = TerritoryGatedLoss.compute(new float[][][] {volume(11, GATE_ON)}, 3, DEFAULTS);
        assertEquals(2, v.gatedSlices());
        assertEquals(1, v.boundaries());
        assertEquals(0.0690476, v.level(), 1e-6);
        assertEquals(0.1037033, v.continuity(), 1e-6);
        assertEquals(0.0172751, v.total(), 1e-6);
        assertEquals(0.0172751, graph(new float[][][] {volume(11, GATE_ON)}, 3, 1, 2, DEFAULTS), 1e-6);
    }

    @Test
    void gateOffGivesZeroAndALowerThresholdSwitchesItOn() {
        float[][][] p = {volume(11, GATE_OFF)};
        TerritoryGatedLoss.Value off = TerritoryGatedLoss.compute(p, 3, DEFAULTS);
        assertEquals(0, off.gatedSlices());
        assertEquals(0, off.boundaries());
        assertEquals(0.0, off.total(), 0.0);
        assertEquals(0.0, graph(p, 3, 1, 2, DEFAULTS), 1e-7);

        TerritoryGatedLoss.Settings low = new TerritoryGatedLoss.Settings(0.1, 0.65, 0.02);
        TerritoryGatedLoss.Value on = TerritoryGatedLoss.compute(p, 3, low);
        assertEquals(1, on.gatedSlices());
        assertEquals(0.3, on.level(), 1e-6);
        assertEquals(0.03, on.total(), 1e-6);
        assertEquals(0.03, graph(p, 3, 1, 2, low), 1e-6);
    }

    @Test
    void classSetsComeFromTheRegionContract() {
        TerritoryGatedLoss.Classes merged = TerritoryGatedLoss.Classes.of(11);
        assertArrayEquals(new int[] {1, 2, 3, 4, 5, 6, 7}, merged.bg());
        assertArrayEquals(new int[] {8, 9, 10}, merged.sg());
        assertArrayEquals(new int[][] {{5, 8}, {6, 9}, {7, 10}}, merged.pairs());
        TerritoryGatedLoss.Classes lateral = TerritoryGatedLoss.Classes.of(21);
        assertArrayEquals(new int[] {1, 2, 3, 4, 5, 6, 7, 11, 12, 13, 14, 15, 16, 17}, lateral.bg());
        assertArrayEquals(new int[] {8, 9, 10, 18, 19, 20}, lateral.sg());
        // same hemisphere only: M1_L (5) continues into M4_L (8), M1_R (15) into M4_R (18)
        assertArrayEquals(new int[][] {{5, 8}, {6, 9}, {7, 10}, {15, 18}, {16, 19}, {17, 20}}, lateral.pairs());
    }

    /**
     * 21 classes, N = 2, D = 6, 3 x 4 slices: logits favour BG classes on the lower three slices and SG classes on the
     * upper three, plus noise, so slices are gated and a BG -> SG boundary exists; graph == Java within 1e-5.
     */
    @Test
    void graphEqualsJavaOnALateralisedBatch() {
        int n = 2;
        int d = 6;
        int h = 3;
        int w = 4;
        float[][][] probs = softmax(levelLogits(n, 21, d, h * w, 5));
        TerritoryGatedLoss.Value java = TerritoryGatedLoss.compute(probs, d, DEFAULTS);
        assertTrue(java.gatedSlices() >= 8, "gated " + java.gatedSlices());
        assertEquals(2, java.boundaries());
        assertTrue(java.level() > 0.01 && java.continuity() > 0.1, java.toString());
        assertEquals(java.total(), graph(probs, d, h, w, DEFAULTS), 1e-5);
    }

    /**
     * Gradient of TAGL (graph, through softmax) with respect to the logits against central differences of the Java
     * reference: the gate is a constant (no gradient through the step), the rest is differentiated exactly.
     */
    @Test
    void graphGradientMatchesFiniteDifferences() {
        int d = 4;
        int plane = 2;
        double[][][] logits = levelLogits(1, 11, d, plane, 9);
        SameDiff sd = SameDiff.create();
        SDVariable l = sd.var("logits", Nd4j.create(flatten(logits), new long[] {1, 11, d, 1, plane}, 'c'));
        TerritoryGatedLoss.graph(sd, sd.nn().softmax(l, 1), 11, DEFAULTS, "tagl");
        sd.setLossVariables("tagl");
        INDArray grad = sd.calculateGradients(Map.of(), "logits").get("logits");
        TerritoryGatedLoss.Value base = TerritoryGatedLoss.compute(softmax(logits), d, DEFAULTS);
        assertTrue(base.gatedSlices() >= 2 && base.boundaries() == 1, base.toString());
        double h = 1e-3;
        double maxAbs = 0;
        for (int c = 0; c < 11; c++) {
            for (int v = 0; v < d * plane; v++) {
                double keep = logits[0][c][v];
                logits[0][c][v] = keep + h;
                double up = TerritoryGatedLoss.compute(softmax(logits), d, DEFAULTS).total();
                logits[0][c][v] = keep - h;
                double down = TerritoryGatedLoss.compute(softmax(logits), d, DEFAULTS).total();
                logits[0][c][v] = keep;
                double numeric = (up - down) / (2 * h);
                double analytic = grad.getDouble(0, c, v / plane, 0, v % plane);
                assertEquals(numeric, analytic, 2e-4, "class " + c + " voxel " + v);
                maxAbs = Math.max(maxAbs, Math.abs(analytic));
            }
        }
        assertTrue(maxAbs > 1e-3, "the penalty has a gradient: max |dL/dlogit| " + maxAbs);
    }

    /** Logits [n][classes][d * plane]: +5 on one BG class (lower half) or one SG class (upper half), N(0, 0.5) noise. */
    static double[][][] levelLogits(int n, int classes, int d, int plane, long seed) {
        TerritoryGatedLoss.Classes k = TerritoryGatedLoss.Classes.of(classes);
        SplittableRandom rng = new SplittableRandom(seed);
        double[][][] x = new double[n][classes][d * plane];
        for (int b = 0; b < n; b++) {
            for (int v = 0; v < d * plane; v++) {
                for (int c = 0; c < classes; c++) {
                    x[b][c][v] = 0.5 * rng.nextGaussian();
                }
                int z = v / plane;
                int[] level = z < d / 2 ? k.bg() : k.sg();
                x[b][level[rng.nextInt(level.length)]][v] += 5;
            }
        }
        return x;
    }

    static float[][][] softmax(double[][][] logits) {
        int classes = logits[0].length;
        int voxels = logits[0][0].length;
        float[][][] p = new float[logits.length][classes][voxels];
        for (int b = 0; b < logits.length; b++) {
            for (int v = 0; v < voxels; v++) {
                double max = Double.NEGATIVE_INFINITY;
                for (int c = 0; c < classes; c++) {
                    max = Math.max(max, logits[b][c][v]);
                }
                double sum = 0;
                for (int c = 0; c < classes; c++) {
                    sum += Math.exp(logits[b][c][v] - max);
                }
                for (int c = 0; c < classes; c++) {
                    p[b][c][v] = (float) (Math.exp(logits[b][c][v] - max) / sum);
                }
            }
        }
        return p;
    }

    private static float[] flatten(double[][][] x) {
        int classes = x[0].length;
        int voxels = x[0][0].length;
        float[] out = new float[x.length * classes * voxels];
        for (int b = 0; b < x.length; b++) {
            for (int c = 0; c < classes; c++) {
                for (int v = 0; v < voxels; v++) {
                    out[(b * classes + c) * voxels + v] = (float) x[b][c][v];
                }
            }
        }
        return out;
    }

    private static float[] flatten(float[][][] x) {
        int classes = x[0].length;
        int voxels = x[0][0].length;
        float[] out = new float[x.length * classes * voxels];
        for (int b = 0; b < x.length; b++) {
            for (int c = 0; c < classes; c++) {
                System.arraycopy(x[b][c], 0, out, (b * classes + c) * voxels, voxels);
            }
        }
        return out;
    }

    /** The graph's TAGL for probs given as [n][classes][z y x]. */
    static double graph(float[][][] probs, int d, int h, int w, TerritoryGatedLoss.Settings settings) {
        int classes = probs[0].length;
        SameDiff sd = SameDiff.create();
        SDVariable p = sd.placeHolder("p", DataType.FLOAT, -1, classes, -1, -1, -1);
        TerritoryGatedLoss.graph(sd, p, classes, settings, "tagl");
        INDArray in = Nd4j.create(flatten(probs), new long[] {probs.length, classes, d, h, w}, 'c');
        return sd.output(Map.of("p", in), "tagl").get("tagl").getDouble(0);
    }
}
