package org.deepstroke.aspects;

import java.util.Arrays;
import java.util.List;
import org.deepstroke.core.image.ImageVolume;
import org.deepstroke.core.image.Interpolation;

/**
 * A predicted lesion map against the truth's: Dice on the TRUTH's grid (the prediction brought there by nearest
 * neighbour through world coordinates), volumes in ml each on its own grid (voxel volume = |det| of the affine),
 * detection per subject: positive = at least one lesion voxel (truth and prediction alike, no minimum size).
 */
public final class LesionOverlap {

    /** One subject; dice NaN when both maps are empty (no overlap to measure: left out of the mean). */
    public record Subject(String subject, double dice, double predictedMl, double truthMl, boolean truthPositive,
            boolean predictedPositive) {
        public double volumeErrorMl() {
            return predictedMl - truthMl;
        }
    }

    /** Cohort summary; NaN where undefined (e.g. sensitivity without truth-positive subjects). */
    public record Summary(int subjects, int truthPositive, int truthNegative, double meanDice, double medianDice,
            double meanVolumeErrorMl, double meanAbsVolumeErrorMl, double detectionSensitivity,
            double detectionSpecificity) {
    }

    private LesionOverlap() {
    }

    public static Subject compare(String subject, ImageVolume predicted, ImageVolume truth) {
        ImageVolume p = Interpolation.nearestOnto(predicted, truth, 1e-2);
        float[] a = p.data();
        float[] b = truth.data();
        long both = 0;
        long na = 0;
        long nb = 0;
        for (int i = 0; i < b.length; i++) {
            boolean x = a[i] != 0f;
            boolean y = b[i] != 0f;
            na += x ? 1 : 0;
            nb += y ? 1 : 0;
            both += x && y ? 1 : 0;
        }
        double dice = na + nb == 0 ? Double.NaN : 2.0 * both / (na + nb);
        long predictedVoxels = count(predicted);
        return new Subject(subject, dice, predictedVoxels * voxelMl(predicted), nb * voxelMl(truth), nb > 0,
                predictedVoxels > 0);
    }

    public static Summary summarise(List<Subject> subjects) {
        double[] dice = subjects.stream().mapToDouble(Subject::dice).filter(d -> !Double.isNaN(d)).sorted().toArray();
        int tp = 0;
        int pos = 0;
        int tn = 0;
        int neg = 0;
        for (Subject s : subjects) {
            if (s.truthPositive()) {
                pos++;
                tp += s.predictedPositive() ? 1 : 0;
            } else {
                neg++;
                tn += s.predictedPositive() ? 0 : 1;
            }
        }
        double median = dice.length == 0 ? Double.NaN : dice.length % 2 == 1 ? dice[dice.length / 2]
                : (dice[dice.length / 2 - 1] + dice[dice.length / 2]) / 2;
        return new Summary(subjects.size(), pos, neg, Arrays.stream(dice).average().orElse(Double.NaN), median,
                subjects.stream().mapToDouble(Subject::volumeErrorMl).average().orElse(Double.NaN),
                subjects.stream().mapToDouble(s -> Math.abs(s.volumeErrorMl())).average().orElse(Double.NaN),
                pos == 0 ? Double.NaN : (double) tp / pos, neg == 0 ? Double.NaN : (double) tn / neg);
    }

    static double voxelMl(ImageVolume v) {
        return Math.abs(v.voxelToWorld().determinant3()) / 1000.0;
    }

    private static long count(ImageVolume v) {
        long n = 0;
        for (float x : v.data()) {
            n += x != 0f ? 1 : 0;
        }
        return n;
    }
}
