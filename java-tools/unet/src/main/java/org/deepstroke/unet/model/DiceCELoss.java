package org.deepstroke.unet.model;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;

/**
 * DiceCE loss as MONAI's {@code DiceCELoss(to_onehot_y=True, softmax=True, include_background=True,
 * lambda_dice=1.0, lambda_ce=0.2)} defines it:
 * <pre>
 *   dice = mean over (batch, class) of 1 - (2 sum(p y) + 1e-5) / (sum(p) + sum(y) + 1e-5)   [MONAI smooth_nr = smooth_dr = 1e-5]
 *   ce   = mean over (batch, voxel) of -log p[true class]                                 [torch CrossEntropyLoss]
 *   loss = 1.0 dice + 0.2 ce
 * </pre>
 * with p = softmax of the logits over classes and y the one-hot labels (background included). The only
 * deviation: log(p + 1e-7) instead of log_softmax, because SameDiff's logSoftmax fails to differentiate in
 * DL4J 1.0.0-M2.1 (../shared/notes/dl4j.md); it changes ce by at most ~1e-7 / p.
 * Both {@link #compute} and {@link #graph} equal MONAI 1.6.1's DiceCELoss itself within 1e-5 (MonaiParityTest:
 * largest difference 1.4e-6 in ce, from that log epsilon on near-uniform 21-class voxels; total 3.6e-7).
 */
public final class DiceCELoss {

    public static final double LAMBDA_DICE = 1.0;
    public static final double LAMBDA_CE = 0.2;
    public static final double SMOOTH = 1e-5;
    public static final double LOG_EPS = 1e-7;

    private DiceCELoss() {
    }

    /** Adds the loss to a graph: probs and labels are [N, C, D, H, W]. */
    public static SDVariable graph(SameDiff sd, SDVariable probs, SDVariable labels, String name) {
        SDVariable intersection = probs.mul(labels).sum(2, 3, 4); // [N, C]
        SDVariable denominator = probs.sum(2, 3, 4).add(labels.sum(2, 3, 4)).add(SMOOTH);
        SDVariable dice = intersection.mul(2.0).add(SMOOTH).div(denominator).rsub(1.0).mean();
        SDVariable logp = sd.math().log(probs.add(LOG_EPS));
        SDVariable ce = labels.mul(logp).sum(1).mean().neg();
        return dice.mul(LAMBDA_DICE).add(name, ce.mul(LAMBDA_CE));
    }

    /** The three terms computed in plain Java (validation loss, and the reference the tests compare against). */
    public record Value(double dice, double ce, double total) {
    }

    /**
     * @param probs softmax probabilities, [classes][voxels] per batch element: probs[n][c][v]
     * @param labels class index per voxel: labels[n][v]
     */
    public static Value compute(float[][][] probs, int[][] labels) {
        int batch = probs.length;
        int classes = probs[0].length;
        double diceSum = 0;
        double ceSum = 0;
        long voxels = 0;
        for (int n = 0; n < batch; n++) {
            double[] inter = new double[classes];
            double[] psum = new double[classes];
            double[] ysum = new double[classes];
            int[] y = labels[n];
            for (int c = 0; c < classes; c++) {
                float[] p = probs[n][c];
                for (int v = 0; v < p.length; v++) {
                    psum[c] += p[v];
                    if (y[v] == c) {
                        inter[c] += p[v];
                        ysum[c] += 1;
                    }
                }
            }
            for (int c = 0; c < classes; c++) {
                diceSum += 1 - (2 * inter[c] + SMOOTH) / (psum[c] + ysum[c] + SMOOTH);
            }
            for (int v = 0; v < y.length; v++) {
                ceSum -= Math.log(probs[n][y[v]][v] + LOG_EPS);
            }
            voxels += y.length;
        }
        double dice = diceSum / (batch * classes);
        double ce = ceSum / voxels;
        return new Value(dice, ce, LAMBDA_DICE * dice + LAMBDA_CE * ce);
    }
}
