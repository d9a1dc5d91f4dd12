package org.deepstroke.aspects;

import java.util.Arrays;

/**
 * Youden's J cut-point of a "lower is positive" marker (relative HU): among thresholds t placed halfway between
 * consecutive distinct observed values (plus below the minimum and above the maximum), the rule "positive when
 * value < t" that maximises J = sensitivity + specificity - 1. Ties in J: the cut goes to the middle of the first
 * run of equally good thresholds, so it does not hug one class's extreme value.
 */
public final class Youden {

    /** The chosen cut-point with its sensitivity, specificity and J; NaN cut when a class is empty. */
    public record Cut(double cut, double sensitivity, double specificity, double j, int positives, int negatives) {
    }

    private Youden() {
    }

    public static Cut lowerIsPositive(double[] positives, double[] negatives) {
        if (positives.length == 0 || negatives.length == 0) {
            return new Cut(Double.NaN, Double.NaN, Double.NaN, Double.NaN, positives.length, negatives.length);
        }
        double[] all = new double[positives.length + negatives.length];
        System.arraycopy(positives, 0, all, 0, positives.length);
        System.arraycopy(negatives, 0, all, positives.length, negatives.length);
        double[] distinct = Arrays.stream(all).sorted().distinct().toArray();
        double[] thresholds = new double[distinct.length + 1];
        thresholds[0] = distinct[0] - 1e-6;
        for (int i = 1; i < distinct.length; i++) {
            thresholds[i] = (distinct[i - 1] + distinct[i]) / 2;
        }
        thresholds[distinct.length] = distinct[distinct.length - 1] + 1e-6;
        double[] j = new double[thresholds.length];
        double bestJ = -2;
        for (int t = 0; t < thresholds.length; t++) {
            j[t] = fractionBelow(positives, thresholds[t]) - fractionBelow(negatives, thresholds[t]);
            bestJ = Math.max(bestJ, j[t]);
        }
        // the first run of equally good thresholds; the cut goes to its middle
        int first = 0;
        while (j[first] < bestJ - 1e-12) {
            first++;
        }
        int last = first;
        while (last + 1 < thresholds.length && j[last + 1] >= bestJ - 1e-12) {
            last++;
        }
        double cut = (thresholds[first] + thresholds[last]) / 2;
        double sensitivity = fractionBelow(positives, cut);
        double specificity = 1 - fractionBelow(negatives, cut);
        return new Cut(cut, sensitivity, specificity, sensitivity + specificity - 1, positives.length,
                negatives.length);
    }

    private static double fractionBelow(double[] v, double t) {
        int n = 0;
        for (double x : v) {
            if (x < t) {
                n++;
            }
        }
        return (double) n / v.length;
    }
}
