package org.deepstroke.unet.model;

/**
 * Overlap scores of a hard label map against a reference, as MONAI defines them:
 * <ul>
 * <li>per-class Dice = 2|P_c ∩ Y_c| / (|P_c| + |Y_c|), NaN when the reference lacks the class
 *     ({@code DiceMetric(ignore_empty=True)}); mean Dice averages the non-NaN foreground classes (1..C-1), NaN
 *     when the reference has no foreground class (MONAI's mean_channel writes 0 there but counts 0 classes, and
 *     its "mean" reduction skips the volume: {@link #meanOverVolumes});</li>
 * <li>Generalized Dice Score (Sudre et al. 2017, {@code GeneralizedDiceScore(include_background=True,
 *     weight_type="square")}): w_c = 1 / |Y_c|^2, classes absent from the reference get the largest finite
 *     weight, GDS = 2 sum_c w_c |P_c ∩ Y_c| / sum_c w_c (|P_c| + |Y_c|); 1 when both maps are empty.
 *     In MONAI 1.6 that is GeneralizedDiceScore with a channel reduction (mean_channel); reduction="none" gives
 *     per-class ratios in which the weights cancel.</li>
 * </ul>
 * Equal to MONAI 1.6.1 itself within 1e-5 (MonaiParityTest, fixture from src/test/python/monai_fixture.py).
 */
public record SegmentationScores(double[] dice, double meanForegroundDice, double generalizedDice) {

    public static SegmentationScores of(int[] predicted, int[] reference, int classes) {
        long[] inter = new long[classes];
        long[] p = new long[classes];
        long[] y = new long[classes];
        for (int v = 0; v < predicted.length; v++) {
            p[predicted[v]]++;
            y[reference[v]]++;
            if (predicted[v] == reference[v]) {
                inter[predicted[v]]++;
            }
        }
        double[] dice = new double[classes];
        double sum = 0;
        int counted = 0;
        for (int c = 0; c < classes; c++) {
            dice[c] = y[c] == 0 ? Double.NaN : 2.0 * inter[c] / (p[c] + y[c]);
            if (c > 0 && !Double.isNaN(dice[c])) {
                sum += dice[c];
                counted++;
            }
        }
        double mean = counted == 0 ? Double.NaN : sum / counted;
        return new SegmentationScores(dice, mean, generalizedDice(inter, p, y));
    }

    /**
     * Mean of per-volume mean foreground Dice values, skipping NaN volumes (no foreground class in the
     * reference), as MONAI's DiceMetric "mean" reduction does (it averages over the volumes with a counted class);
     * NaN when no volume counts. Checked against MONAI in MonaiParityTest.
     */
    public static double meanOverVolumes(double[] perVolume) {
        double sum = 0;
        int counted = 0;
        for (double d : perVolume) {
            if (!Double.isNaN(d)) {
                sum += d;
                counted++;
            }
        }
        return counted == 0 ? Double.NaN : sum / counted;
    }

    static double generalizedDice(long[] inter, long[] p, long[] y) {
        int classes = y.length;
        double[] w = new double[classes];
        double maxFinite = 0;
        for (int c = 0; c < classes; c++) {
            w[c] = y[c] == 0 ? Double.POSITIVE_INFINITY : 1.0 / ((double) y[c] * y[c]);
            if (Double.isFinite(w[c])) {
                maxFinite = Math.max(maxFinite, w[c]);
            }
        }
        double numerator = 0;
        double denominator = 0;
        for (int c = 0; c < classes; c++) {
            double wc = Double.isInfinite(w[c]) ? maxFinite : w[c];
            numerator += 2 * wc * inter[c];
            denominator += wc * (p[c] + y[c]);
        }
        if (denominator == 0) {
            return 1.0; // both empty in every class: MONAI returns 1 when the reference is empty
        }
        return numerator / denominator;
    }
}
