package org.deepstroke.aspects;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import org.deepstroke.core.aspects.AspectsRegion.Side;
import org.deepstroke.core.aspects.AspectsRegion.Structure;
import org.junit.jupiter.api.Test;

/** Youden, weighted kappa, ICC, AUC and the evaluation's counting, each against hand-computed values. */
class StatisticsTest {

    /**
     * Positives 0.80, 0.85, 0.90; negatives 0.88, 0.95, 1.00, 1.02. Thresholds between distinct values: J at 0.865 =
     * 2/3 + 1 - 1 = 0.667, at 0.89 = 2/3 + 3/4 - 1 = 0.417, at 0.925 = 1 + 3/4 - 1 = 0.75 (the best), at 0.975 = 0.5.
     */
    @Test
    void youdenPicksTheBestThreshold() {
        Youden.Cut c = Youden.lowerIsPositive(new double[] {0.80, 0.85, 0.90}, new double[] {0.88, 0.95, 1.00, 1.02});
        assertEquals(0.925, c.cut(), 1e-12);
        assertEquals(1.0, c.sensitivity(), 1e-12);
        assertEquals(0.75, c.specificity(), 1e-12);
        assertEquals(0.75, c.j(), 1e-12);
    }

    /** Positives 0.80, 0.90, negatives 0.85, 0.95: J = 0.5 at 0.825 and at 0.925 (J = 0 between): the first. */
    @Test
    void youdenTakesTheFirstRunOfEquallyGoodThresholds() {
        Youden.Cut c = Youden.lowerIsPositive(new double[] {0.80, 0.90}, new double[] {0.85, 0.95});
        assertEquals(0.825, c.cut(), 1e-12);
        assertEquals(0.5, c.j(), 1e-12);
        // perfectly separated: J = 1, the cut halfway between the classes
        assertEquals(0.85, Youden.lowerIsPositive(new double[] {0.8}, new double[] {0.9}).cut(), 1e-12);
        assertTrue(Double.isNaN(Youden.lowerIsPositive(new double[0], new double[] {0.9}).cut()));
    }

    /**
     * Reference 0, 1, 2; method 0, 2, 2; categories 0..2, w = (i-j)^2 / 4. Observed: w(1,2)/3 = 1/12. Marginals: rows
     * 1/3 each, columns 1/3 (0), 2/3 (2): expected = 1*(1/3)(2/3) + (1/4)(1/3)(1/3) + (1/4)(1/3)(2/3) + 1*(1/3)(1/3)
     * = 15/36. Kappa = 1 - (1/12)/(15/36) = 0.8.
     */
    @Test
    void quadraticKappaByHand() {
        assertEquals(0.8, Agreement.quadraticKappa(new int[] {0, 1, 2}, new int[] {0, 2, 2}, 2), 1e-12);
        assertEquals(1.0, Agreement.quadraticKappa(new int[] {3, 7, 10}, new int[] {3, 7, 10}, 10), 1e-12);
        assertTrue(Double.isNaN(Agreement.quadraticKappa(new int[] {5, 5}, new int[] {5, 5}, 10)));
    }

    /**
     * Reference 1, 2, 3; method 2, 3, 4 (a constant offset). Grand mean 2.5; SS rows 4 (MSR 2), SS columns 1.5
     * (MSC 1.5), SS total 5.5, SS error 0. ICC(A,1) = 2 / (2 + 0 + 2 * 1.5 / 3) = 2/3: absolute agreement penalises
     * the offset (consistency would give 1).
     */
    @Test
    void iccAbsoluteAgreementByHand() {
        assertEquals(2.0 / 3, Agreement.iccAgreement(new double[] {1, 2, 3}, new double[] {2, 3, 4}), 1e-12);
        assertEquals(1.0, Agreement.iccAgreement(new double[] {1, 5, 9}, new double[] {1, 5, 9}), 1e-12);
    }

    /** Scores 0.9, 0.5 (positives) vs 0.5, 0.1: pairs 1 + 1 + 0.5 (tie) + 1 of 4 = 0.875. */
    @Test
    void aucCountsTiesHalf() {
        assertEquals(0.875, Evaluation.auc(new boolean[] {true, true, false, false}, new double[] {0.9, 0.5, 0.5, 0.1}),
                1e-12);
        assertTrue(Double.isNaN(Evaluation.auc(new boolean[] {true}, new double[] {1})));
    }

    /**
     * Subject A: truth R {C, L} (8), called R {C, I} (8). Subject B: no ischaemia (10), called L {M1} (9).
     * Reference hemisphere: A: R (C TP, L FN, I FP, 7 TN); B: L, the scored side (M1 FP, 9 TN): sensitivity 1/2,
     * specificity 16/18. All 20: the other hemispheres add 20 TN: specificity 36/38. Exact 1/2, within one 2/2,
     * MAE 0.5.
     */
    @Test
    @SuppressWarnings("unchecked")
    void evaluationCountsRegionsOnTheReferenceHemisphere() {
        TruthTable.Truth a = new TruthTable.Truth("a", Side.R, EnumSet.of(Structure.C, Structure.L));
        TruthTable.Truth b = new TruthTable.Truth("b", null, EnumSet.noneOf(Structure.class));
        SubjectPrediction pa = new SubjectPrediction("a", Side.R, EnumSet.of(Structure.C, Structure.I), 8, Map.of());
        SubjectPrediction pb = new SubjectPrediction("b", Side.L, EnumSet.of(Structure.M1), 9, Map.of());
        Map<String, Object> e = Evaluation.evaluate(List.of(new Evaluation.Pair(a, pa), new Evaluation.Pair(b, pb)));
        Map<String, Object> r = (Map<String, Object>) e.get("region_ipsilateral");
        assertEquals(1L, r.get("tp"));
        assertEquals(1L, r.get("fn"));
        assertEquals(2L, r.get("fp"));
        assertEquals(16L, r.get("tn"));
        assertEquals(0.5, r.get("sensitivity"));
        assertEquals(0.8889, r.get("specificity"));
        Map<String, Object> all = (Map<String, Object>) e.get("region_all20");
        assertEquals(36L, all.get("tn"));
        Map<String, Object> s = (Map<String, Object>) e.get("score");
        assertEquals(0.5, s.get("exact_agreement"));
        assertEquals(1.0, s.get("within_one"));
        assertEquals(0.5, s.get("mae"));
        assertEquals(1.0, s.get("side_accuracy"));
    }
}
