package org.deepstroke.aspects;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.deepstroke.core.aspects.AspectsRegion;

/**
 * The lesion-fraction threshold that maximises region-level Youden J (sensitivity + specificity - 1) on a tuning
 * cohort. Every hemisphere region with voxels of every subject is one observation (20 per subject: the contralateral
 * regions are negatives too); positive = the truth calls it affected. {@link Youden}'s rule picks the cut (middle
 * of the first run of equally good thresholds), on the negated fraction so that "higher is positive".
 */
public final class LesionCalibration {

    /** One subject of the tuning cohort: its region fractions and its truth. */
    public record Subject(Map<AspectsRegion, LesionFractions.Fraction> fractions, TruthTable.Truth truth) {
    }

    /**
     * The threshold (affected = fraction &gt; threshold) with its J, the observations and the separation: when the
     * largest negative fraction is below the smallest positive one every threshold between them gives J = 1
     * (degenerate: the data do not pin the threshold down within that interval).
     */
    public record Result(double threshold, Youden.Cut cut, double maxNegative, double minPositive) {
        public boolean separated() {
            return maxNegative < minPositive;
        }
    }

    private LesionCalibration() {
    }

    public static Result calibrate(List<Subject> subjects) {
        List<Double> pos = new ArrayList<>();
        List<Double> neg = new ArrayList<>();
        for (Subject s : subjects) {
            for (var e : s.fractions().entrySet()) {
                if (e.getValue().regionVoxels() == 0) {
                    continue;
                }
                double f = e.getValue().fraction();
                (s.truth().affected(e.getKey().structure(), e.getKey().side()) ? pos : neg).add(f);
            }
        }
        if (pos.isEmpty() || neg.isEmpty()) {
            throw new IllegalArgumentException("the tuning cohort needs affected and unaffected regions ("
                    + pos.size() + " affected, " + neg.size() + " unaffected)");
        }
        Youden.Cut cut = Youden.lowerIsPositive(pos.stream().mapToDouble(d -> -d).toArray(),
                neg.stream().mapToDouble(d -> -d).toArray());
        double threshold = Math.max(0, -cut.cut());
        return new Result(threshold, cut, neg.stream().mapToDouble(d -> d).max().orElseThrow(),
                pos.stream().mapToDouble(d -> d).min().orElseThrow());
    }
}
