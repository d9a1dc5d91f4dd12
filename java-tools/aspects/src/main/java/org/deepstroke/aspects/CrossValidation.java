package org.deepstroke.aspects;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.deepstroke.core.cli.Progress;

/**
 * Subject-grouped k-fold cross-validation of three scoring methods on the same folds: the fitted classifier, the
 * cut-points re-derived (Youden) on the training folds, and fixed cut-points (e.g. the public defaults). All 20
 * hemisphere-regions of a subject stay in one fold, so no subject informs its own prediction.
 */
public final class CrossValidation {

    public static final String CLASSIFIER = "classifier";
    public static final String CALIBRATED = "cutpoint_calibrated";
    public static final String FIXED = "cutpoint_fixed";

    /** Held-out predictions of every method, and each subject's fold. */
    public record Outcome(Map<String, List<Evaluation.Pair>> pairs, Map<String, Integer> fold) {
    }

    private CrossValidation() {
    }

    /** Folds assigned round-robin over the subjects shuffled with {@code seed}. */
    public static Map<String, Integer> folds(List<String> subjects, int k, long seed) {
        List<String> order = new ArrayList<>(subjects);
        Collections.sort(order);
        Collections.shuffle(order, new Random(seed));
        Map<String, Integer> out = new LinkedHashMap<>();
        for (int i = 0; i < order.size(); i++) {
            out.put(order.get(i), i % k);
        }
        return out;
    }

    public static Outcome run(Map<String, DescriptorTable.Subject> d, Map<String, TruthTable.Truth> truth,
            CutPoints fixed, int k, IschemiaClassifier.Settings settings) {
        Map<String, Integer> fold = folds(new ArrayList<>(d.keySet()), k, settings.seed());
        Map<String, List<Evaluation.Pair>> pairs = new LinkedHashMap<>();
        for (String m : List.of(CLASSIFIER, CALIBRATED, FIXED)) {
            pairs.put(m, new ArrayList<>());
        }
        try (Progress progress = new Progress("cross-validation folds", k)) {
            for (int f = 0; f < k; f++) {
                Map<String, DescriptorTable.Subject> train = new LinkedHashMap<>();
                List<DescriptorTable.Subject> test = new ArrayList<>();
                for (var e : d.entrySet()) {
                    if (fold.get(e.getKey()) == f) {
                        test.add(e.getValue());
                    } else {
                        train.put(e.getKey(), e.getValue());
                    }
                }
                List<IschemiaClassifier.Sample> samples = new ArrayList<>();
                train.values().forEach(s -> samples.addAll(IschemiaClassifier.samples(s.subject(), s.regions(),
                        truth.get(s.subject()))));
                IschemiaClassifier model = IschemiaClassifier.train(samples, settings);
                CutPoints calibrated = Calibration.cutPoints(Calibration.calibrate(train, truth, fixed), fixed.window(),
                        "fold " + f);
                for (DescriptorTable.Subject s : test) {
                    TruthTable.Truth t = truth.get(s.subject());
                    pairs.get(CLASSIFIER).add(new Evaluation.Pair(t,
                            SubjectPrediction.ofClassifier(s.subject(), s.regions(), model, null)));
                    pairs.get(CALIBRATED).add(new Evaluation.Pair(t,
                            SubjectPrediction.of(s.subject(), AspectsScorer.score(s.regions(), calibrated, null))));
                    pairs.get(FIXED).add(new Evaluation.Pair(t,
                            SubjectPrediction.of(s.subject(), AspectsScorer.score(s.regions(), fixed, null))));
                }
                progress.advance(1);
            }
        }
        return new Outcome(pairs, fold);
    }
}
