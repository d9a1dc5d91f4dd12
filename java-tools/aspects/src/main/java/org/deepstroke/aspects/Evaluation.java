package org.deepstroke.aspects;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.deepstroke.core.aspects.AspectsRegion.Side;
import org.deepstroke.core.aspects.AspectsRegion.Structure;
import org.tribuo.classification.evaluation.LabelEvaluationUtil;

/**
 * Method vs truth over a cohort. Score level: exact and +-1 agreement, mean absolute error, quadratic weighted kappa,
 * ICC(A,1); dichotomised ASPECTS <= 7 (sensitivity, specificity, and the AUC of the continuous score). Region level,
 * two ways: (a) the 10 regions of the reference hemisphere of each subject (the truth's affected side; for subjects
 * without ischaemia the side the method scored), where a region counts as called when the method scored that side
 * and called it; (b) all 20 hemisphere-regions, where the method's calls lie on its scored side only. The bars
 * apply to (a), the stricter one (20 regions add ten easy contralateral negatives per subject).
 */
public final class Evaluation {

    /** A truth and a prediction of the same subject. */
    public record Pair(TruthTable.Truth truth, SubjectPrediction prediction) {
    }

    /** The bars of issue 7. */
    public static final double BAR_SENSITIVITY = 0.8;
    public static final double BAR_SPECIFICITY = 0.9;
    public static final double BAR_WITHIN_ONE = 0.9;

    private Evaluation() {
    }

    /**
     * Every agreement figure of one method in one pass over the subjects. One piece on purpose: the score, side,
     * dichotomised and region counts are accumulated together from the same pair, and splitting the pass would mean
     * either passing some fifteen accumulators around or walking the pairs five times with the side logic copied.
     */
    public static Map<String, Object> evaluate(List<Pair> pairs) {
        int n = pairs.size();
        int[] ref = new int[n];
        int[] met = new int[n];
        double[] refD = new double[n];
        double[] metD = new double[n];
        boolean[] dichotomisedTruth = new boolean[n];
        double[] continuous = new double[n];
        BinaryCounts dich = new BinaryCounts();
        BinaryCounts ipsi = new BinaryCounts();
        BinaryCounts all20 = new BinaryCounts();
        Map<Structure, BinaryCounts> perStructure = new EnumMap<>(Structure.class);
        List<Boolean> regionTruth = new ArrayList<>();
        List<Double> regionScore = new ArrayList<>();
        int exact = 0;
        int within = 0;
        double absError = 0;
        int sideKnown = 0;
        int sideRight = 0;
        for (int i = 0; i < n; i++) {
            TruthTable.Truth t = pairs.get(i).truth();
            SubjectPrediction p = pairs.get(i).prediction();
            ref[i] = t.aspects();
            met[i] = p.score();
            refD[i] = ref[i];
            metD[i] = met[i];
            exact += ref[i] == met[i] ? 1 : 0;
            within += Math.abs(ref[i] - met[i]) <= 1 ? 1 : 0;
            absError += Math.abs(ref[i] - met[i]);
            dichotomisedTruth[i] = ref[i] <= 7;
            // lower ASPECTS = more positive: negate for the AUC
            continuous[i] = -p.continuousScore();
            dich.add(ref[i] <= 7, met[i] <= 7);
            if (t.side() != null) {
                sideKnown++;
                sideRight += t.side() == p.side() ? 1 : 0;
            }
            Side reference = t.side() != null ? t.side() : p.side();
            for (Structure s : Structure.values()) {
                boolean truth = t.affected(s, reference);
                boolean called = p.side() == reference && p.affected().contains(s);
                ipsi.add(truth, called);
                perStructure.computeIfAbsent(s, k -> new BinaryCounts()).add(truth, called);
                regionTruth.add(truth);
                regionScore.add(p.side() == reference ? p.regionScore().getOrDefault(s, 0.0) : -1.0);
                for (Side h : Side.values()) {
                    all20.add(t.affected(s, h), p.side() == h && p.affected().contains(s));
                }
            }
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("subjects", n);
        Map<String, Object> score = new LinkedHashMap<>();
        score.put("exact_agreement", BinaryCounts.round((double) exact / n));
        score.put("within_one", BinaryCounts.round((double) within / n));
        score.put("mae", BinaryCounts.round(absError / n));
        score.put("weighted_kappa_quadratic", BinaryCounts.round(Agreement.quadraticKappa(ref, met, 10)));
        score.put("icc_a1", BinaryCounts.round(n > 1 ? Agreement.iccAgreement(refD, metD) : Double.NaN));
        score.put("side_accuracy", sideKnown == 0 ? null : BinaryCounts.round((double) sideRight / sideKnown));
        out.put("score", score);
        Map<String, Object> d = new LinkedHashMap<>(dich.toMap());
        d.put("auc", BinaryCounts.round(auc(dichotomisedTruth, continuous)));
        out.put("dichotomised_le7", d);
        Map<String, Object> region = new LinkedHashMap<>(ipsi.toMap());
        boolean[] rt = new boolean[regionTruth.size()];
        double[] rs = new double[regionScore.size()];
        for (int i = 0; i < rt.length; i++) {
            rt[i] = regionTruth.get(i);
            rs[i] = regionScore.get(i);
        }
        region.put("auc", BinaryCounts.round(auc(rt, rs)));
        out.put("region_ipsilateral", region);
        out.put("region_all20", all20.toMap());
        Map<String, Object> per = new LinkedHashMap<>();
        perStructure.forEach((s, c) -> per.put(s.name(), c.toMap()));
        out.put("region_by_structure", per);
        Map<String, Object> bars = new LinkedHashMap<>();
        bars.put("region_sensitivity_ge_0.8", ipsi.sensitivity() >= BAR_SENSITIVITY);
        bars.put("region_specificity_ge_0.9", ipsi.specificity() >= BAR_SPECIFICITY);
        bars.put("within_one_ge_0.9", (double) within / n >= BAR_WITHIN_ONE);
        out.put("bars", bars);
        return out;
    }

    /** ROC AUC (Tribuo's LabelEvaluationUtil, ties counted half); NaN when one class is empty. */
    static double auc(boolean[] truth, double[] score) {
        boolean pos = false;
        boolean neg = false;
        for (boolean b : truth) {
            pos |= b;
            neg |= !b;
        }
        return pos && neg ? LabelEvaluationUtil.binaryAUCROC(truth, score) : Double.NaN;
    }
}
