package org.deepstroke.unet.model;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Loss of the early-ischaemia (lesion) channel: q = sigmoid of the lesion logit, t the 0/1 lesion mask. Per batch
 * element n that has a mask:
 * <pre>
 *   dice_n = 1 - (2 sum(q t) + 1e-5) / (sum(q) + sum(t) + 1e-5)                    soft Dice (smooth as DiceCE's)
 *   bce_n  = - mean over voxels of [ t log(q + 1e-7) + (1 - t) log(1 - q + 1e-7) ]
 *   term   = weight * sum_n has_n (dice_n + bce_n) / max(1, sum_n has_n)
 * </pre>
 * A sample without a mask (no truth lesion for the subject) has has_n = 0 and adds nothing; it still trains the
 * regions. In the graph the mask travels as the last channel of the labels placeholder, filled with -1 for a sample
 * without a mask ({@code Batches#targets}): has_n = [min of the channel > -0.5] (a BOOL cast to FLOAT, so no
 * gradient flows through it) and t = relu(channel). log(q + eps) instead of a log-sigmoid op, as DiceCE does for
 * log-softmax (../shared/notes/dl4j.md: those ops do not differentiate in DL4J 1.0.0-M2.1).
 * A lesion-free subject whose truth mask is empty counts (its Dice term pushes q towards 0 everywhere).
 *
 * <p>TAGL ({@link TerritoryGatedLoss}) is not applied to this channel: it gates on the BG/SG level mass of the
 * region classes and asks territories to continue across levels; a lesion respects neither levels nor the
 * M_k -> M_(k+3) continuation (an M2 infarct may stop at the ganglionic level or extend to M5), so there is
 * no consistency prior to enforce on it.
 */
public final class LesionLoss {

    public static final double SMOOTH = DiceCELoss.SMOOTH;
    public static final double LOG_EPS = DiceCELoss.LOG_EPS;

    /** @param weight W in total = DiceCE [+ TAGL] + W (soft Dice + BCE) of the lesion channel */
    public record Settings(double weight) {

        public static final double DEFAULT_WEIGHT = 1.0;

        public Settings {
            if (!(weight >= 0) || Double.isInfinite(weight)) {
                throw new IllegalArgumentException("lesion weight must be >= 0, got " + weight);
            }
        }

        public Map<String, String> asParams() {
            Map<String, String> m = new LinkedHashMap<>();
            m.put("lesion_weight", Double.toString(weight));
            return m;
        }

        /** One line naming the term (checkpoint state: a resume must keep its loss). */
        public String describe() {
            return String.format(Locale.ROOT, "Lesion(weight=%s,soft_dice+bce)", weight);
        }
    }

    private LesionLoss() {
    }

    /**
     * Adds the weighted term to a graph.
     *
     * @param probs sigmoid output [N, 1, D, H, W]
     * @param target [N, 1, D, H, W]: the 0/1 mask, or -1 throughout for a sample without one
     */
    public static SDVariable graph(SameDiff sd, SDVariable probs, SDVariable target, Settings settings, String name) {
        SDVariable has = target.min(1, 2, 3, 4).gt(-0.5).castTo(DataType.FLOAT); // [N], constant
        SDVariable t = sd.nn().relu(target, 0.0);
        SDVariable inter = probs.mul(t).sum(1, 2, 3, 4);
        SDVariable denominator = probs.sum(1, 2, 3, 4).add(t.sum(1, 2, 3, 4)).add(SMOOTH);
        SDVariable dice = inter.mul(2.0).add(SMOOTH).div(denominator).rsub(1.0); // [N]
        SDVariable logP = sd.math().log(probs.add(LOG_EPS));
        SDVariable logQ = sd.math().log(probs.rsub(1.0).add(LOG_EPS));
        SDVariable bce = t.mul(logP).add(t.rsub(1.0).mul(logQ)).mean(1, 2, 3, 4).neg(); // [N]
        SDVariable count = has.sum();
        SDVariable atLeastOne = count.add(count.lt(0.5).castTo(DataType.FLOAT)); // max(1, count): count is whole
        return dice.add(bce).mul(has).sum().div(atLeastOne).mul(name, settings.weight());
    }

    /** Means over the samples with a mask (NaN when none has one) and the weighted term (0 then). */
    public record Value(double dice, double bce, double term) {
    }

    /**
     * @param probs sigmoid probabilities per batch element: probs[n][v]
     * @param masks 0/1 mask per batch element, or null for a sample without one
     */
    public static Value compute(float[][] probs, int[][] masks, Settings settings) {
        double diceSum = 0;
        double bceSum = 0;
        int count = 0;
        for (int n = 0; n < probs.length; n++) {
            if (masks[n] == null) {
                continue;
            }
            double inter = 0;
            double qSum = 0;
            double tSum = 0;
            double bce = 0;
            float[] q = probs[n];
            int[] t = masks[n];
            for (int v = 0; v < q.length; v++) {
                qSum += q[v];
                tSum += t[v];
                inter += q[v] * t[v];
                bce -= t[v] == 1 ? Math.log(q[v] + LOG_EPS) : Math.log(1 - q[v] + LOG_EPS);
            }
            diceSum += 1 - (2 * inter + SMOOTH) / (qSum + tSum + SMOOTH);
            bceSum += bce / q.length;
            count++;
        }
        if (count == 0) {
            return new Value(Double.NaN, Double.NaN, 0);
        }
        return new Value(diceSum / count, bceSum / count, settings.weight() * (diceSum + bceSum) / count);
    }

    /**
     * Hard Dice of the thresholded map (q >= 0.5) against the mask; NaN when both are empty (0/0: nothing to find
     * and nothing found), 0 for any false positive on a lesion-free mask.
     */
    public static double hardDice(float[] probs, int[] mask) {
        long inter = 0;
        long predicted = 0;
        long truth = 0;
        for (int v = 0; v < probs.length; v++) {
            boolean p = probs[v] >= 0.5f;
            predicted += p ? 1 : 0;
            truth += mask[v];
            inter += p && mask[v] == 1 ? 1 : 0;
        }
        return predicted + truth == 0 ? Double.NaN : 2.0 * inter / (predicted + truth);
    }
}
