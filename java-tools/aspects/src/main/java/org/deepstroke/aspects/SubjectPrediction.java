package org.deepstroke.aspects;

import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.deepstroke.core.aspects.AspectsRegion;
import org.deepstroke.core.aspects.AspectsRegion.Side;
import org.deepstroke.core.aspects.AspectsRegion.Structure;

/**
 * What a scoring method says about one subject: the scored side, the affected structures on it, the score, a
 * continuous score for ROC analysis (lower = more ischaemic) and per structure a region score (higher = more
 * ischaemic: 1 - relative HU for the cut-point baseline, the probability for the classifier).
 */
public record SubjectPrediction(String subject, Side side, Set<Structure> affected, double continuousScore,
        Map<Structure, Double> regionScore) {

    public int score() {
        return 10 - affected.size();
    }

    /** The cut-point baseline's prediction. */
    public static SubjectPrediction of(String subject, AspectsScorer.Result r) {
        Map<Structure, Double> scores = new EnumMap<>(Structure.class);
        for (AspectsScorer.StructureDecision d : r.decisions()) {
            scores.put(d.structure(), Double.isNaN(d.relativeHu()) ? 0 : 1 - d.relativeHu());
        }
        Set<Structure> affected = EnumSet.noneOf(Structure.class);
        affected.addAll(r.affected());
        return new SubjectPrediction(subject, r.side(), affected, r.score(), scores);
    }

    /**
     * The classifier's prediction: a region is affected when its probability is at least 0.5; the scored side is
     * the one with the larger sum of probabilities (or the given side); the continuous score is 10 - that sum.
     */
    public static SubjectPrediction ofClassifier(String subject, Map<AspectsRegion, RegionDescriptors> m,
            IschemiaClassifier classifier, Side given) {
        Map<Side, Map<Structure, Double>> p = new EnumMap<>(Side.class);
        double[] sum = new double[2];
        for (IschemiaClassifier.Sample s : IschemiaClassifier.samples(subject, m, null)) {
            double prob = classifier.probability(s);
            p.computeIfAbsent(s.side(), k -> new EnumMap<>(Structure.class)).put(s.structure(), prob);
            sum[s.side().ordinal()] += prob;
        }
        Side side = given != null ? given : sum[Side.R.ordinal()] > sum[Side.L.ordinal()] ? Side.R : Side.L;
        Map<Structure, Double> scores = new EnumMap<>(Structure.class);
        Set<Structure> affected = EnumSet.noneOf(Structure.class);
        for (Structure s : Structure.values()) {
            double prob = p.getOrDefault(side, Map.of()).getOrDefault(s, 0.0);
            scores.put(s, prob);
            if (prob >= 0.5) {
                affected.add(s);
            }
        }
        return new SubjectPrediction(subject, side, affected, 10 - sum[side.ordinal()], scores);
    }

    /** Structures in label order, for tables. */
    public static List<Structure> structures() {
        return List.of(Structure.values());
    }
}
