package org.deepstroke.unet.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * DiceCE and the scores equal MONAI's definitions (DiceCELoss(to_onehot_y, softmax, lambda_dice=1,
 * lambda_ce=0.2, smooth 1e-5); DiceMetric(ignore_empty); GeneralizedDiceScore(weight_type="square")) on
 * fixtures small enough to work out by hand; MonaiParityTest checks the same code against MONAI 1.6.1 itself.
 */
class LossAndScoresTest {

    // Two voxels, three classes. Logits v0 = (2, 1, 0), v1 = (0, 0, 0); labels v0 = 0, v1 = 2.
    // softmax v0 = (e^2, e, 1) / (e^2 + e + 1) = (0.665241, 0.244728, 0.090031); v1 = (1/3, 1/3, 1/3).
    // Dice loss per class = 1 - (2 I + 1e-5) / (P + G + 1e-5):
    //   c0: I = 0.665241, P = 0.998574, G = 1 -> 0.334283
    //   c1: I = 0,        P = 0.578062, G = 0 -> 0.999983 (empty class: MONAI's smoothing gives ~1)
    //   c2: I = 1/3,      P = 0.423364, G = 1 -> 0.531622
    //   mean = 0.621963
    // CE = -(ln 0.665241 + ln 1/3) / 2 = (0.407606 + 1.098612) / 2 = 0.753109
    // total = 1.0 * 0.621963 + 0.2 * 0.753109 = 0.772584
    private static final double[][] LOGITS = {{2, 1, 0}, {0, 0, 0}};
    private static final int[] LABELS = {0, 2};

    private static float[][] softmax() {
        float[][] p = new float[3][2];
        for (int v = 0; v < 2; v++) {
            double sum = 0;
            for (int c = 0; c < 3; c++) {
                sum += Math.exp(LOGITS[v][c]);
            }
            for (int c = 0; c < 3; c++) {
                p[c][v] = (float) (Math.exp(LOGITS[v][c]) / sum);
            }
        }
        return p;
    }

    @Test
    void javaDiceCeEqualsHandValues() {
        DiceCELoss.Value v = DiceCELoss.compute(new float[][][] {softmax()}, new int[][] {LABELS});
        assertEquals(0.621963, v.dice(), 2e-6);
        assertEquals(0.753109, v.ce(), 2e-6);
        assertEquals(0.772584, v.total(), 2e-6);
    }

    @Test
    void sameDiffGraphEqualsHandValues() {
        SameDiff sd = SameDiff.create();
        // [N=1, C=3, D=1, H=1, W=2]
        INDArray logits = Nd4j.create(new float[] {2, 0, 1, 0, 0, 0}, new long[] {1, 3, 1, 1, 2}, 'c');
        INDArray onehot = Nd4j.create(new float[] {1, 0, 0, 0, 0, 1}, new long[] {1, 3, 1, 1, 2}, 'c');
        SDVariable l = sd.placeHolder("l", DataType.FLOAT, 1, 3, 1, 1, 2);
        SDVariable y = sd.placeHolder("y", DataType.FLOAT, 1, 3, 1, 1, 2);
        DiceCELoss.graph(sd, Layers3D.channelSoftmax(sd, "p", l), y, "loss");
        double loss = sd.output(Map.of("l", logits, "y", onehot), "loss").get("loss").getDouble(0);
        assertEquals(0.772584, loss, 1e-5);
    }

    @Test
    void scoresEqualHandValues() {
        // reference counts c0 = 1, c1 = 3, c2 = 2; prediction counts 3, 2, 1; intersections 1, 2, 1
        int[] pred = {0, 0, 1, 1, 2, 0};
        int[] ref = {0, 1, 1, 1, 2, 2};
        SegmentationScores s = SegmentationScores.of(pred, ref, 3);
        assertEquals(2.0 * 1 / (3 + 1), s.dice()[0], 1e-12);
        assertEquals(2.0 * 2 / (2 + 3), s.dice()[1], 1e-12);
        assertEquals(2.0 * 1 / (1 + 2), s.dice()[2], 1e-12);
        assertEquals((0.8 + 2.0 / 3) / 2, s.meanForegroundDice(), 1e-12);
        // GDS, w = 1/G^2 = (1, 1/9, 1/4): 2 (1*1 + 2/9 + 1/4) / (1*4 + 5/9 + 3/4) = 2.944444 / 5.305556
        assertEquals(0.554974, s.generalizedDice(), 1e-6);
    }

    @Test
    void absentClassesTakeTheLargestWeightAndNanDice() {
        // reference only background (G0 = 4): w0 = 1/16; absent c1, c2 get 1/16 too (MONAI replaces inf by max)
        int[] pred = {0, 1, 0, 0};
        int[] ref = {0, 0, 0, 0};
        SegmentationScores s = SegmentationScores.of(pred, ref, 3);
        assertTrue(Double.isNaN(s.dice()[1]));
        assertTrue(Double.isNaN(s.meanForegroundDice()));
        // 2 * (3/16) / ((3 + 4)/16 + (1 + 0)/16 + 0) = 0.375 / 0.5
        assertEquals(0.75, s.generalizedDice(), 1e-12);
    }
}
