package org.deepstroke.curation;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A seeded patient-level split into train, validation and test.
 *
 * <p>Rule: subjects are ordered by {@code sha256(seed + ":" + subject)}; the first {@code nTest} of that order are
 * test, the next {@code nValidation} validation, the rest train, where {@code nTest = round(testFraction * N)} and
 * {@code nValidation = round(validationFraction * N)}. When {@code N >= 3}, a split whose fraction is above 0 gets
 * at least one subject (small cohorts still have a test and a validation subject), and train keeps at least one
 * (validation gives way first, then test). With {@code N < 3} everyone is train. Because the order depends only on
 * the seed and each subject's own id, the split does not depend on the input order, and adding a subject moves at
 * most the few subjects at the split boundaries.
 */
public final class PatientSplit {

    /** The three splits, in the order they are filled. */
    public enum Split {
        TRAIN("train"), VALIDATION("validation"), TEST("test");

        private final String label;

        Split(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    private PatientSplit() {
    }

    /** Checks the fractions: each in [0, 1) and together below 1. */
    public static void checkFractions(double test, double validation) {
        if (!(test >= 0 && test < 1 && validation >= 0 && validation < 1 && test + validation < 1)) {
            throw new IllegalArgumentException("need 0 <= test, validation fractions and test + validation < 1, got "
                    + test + " and " + validation);
        }
    }

    /** The split of each subject, in the order the subjects are given. */
    public static Map<String, Split> assign(List<String> subjects, double testFraction, double validationFraction,
            long seed) {
        checkFractions(testFraction, validationFraction);
        int n = subjects.size();
        int[] counts = counts(n, testFraction, validationFraction);
        List<String> order = new ArrayList<>(subjects);
        Map<String, String> key = new TreeMap<>();
        for (String s : subjects) {
            key.put(s, sha256(seed + ":" + s));
        }
        order.sort(Comparator.comparing((String s) -> key.get(s)).thenComparing(Comparator.naturalOrder()));
        Map<String, Split> bySubject = new LinkedHashMap<>();
        for (String s : subjects) {
            int rank = order.indexOf(s);
            bySubject.put(s, rank < counts[2] ? Split.TEST
                    : rank < counts[2] + counts[1] ? Split.VALIDATION : Split.TRAIN);
        }
        return bySubject;
    }

    /** {train, validation, test} counts for {@code n} subjects under the rule in the class comment. */
    public static int[] counts(int n, double testFraction, double validationFraction) {
        if (n < 3) {
            return new int[] {n, 0, 0};
        }
        int test = (int) Math.round(testFraction * n);
        int validation = (int) Math.round(validationFraction * n);
        if (testFraction > 0) {
            test = Math.max(1, test);
        }
        if (validationFraction > 0) {
            validation = Math.max(1, validation);
        }
        while (test + validation > n - 1) {
            if (validation > (validationFraction > 0 ? 1 : 0)) {
                validation--;
            } else if (test > (testFraction > 0 ? 1 : 0)) {
                test--;
            } else {
                break; // unreachable for n >= 3: 1 + 1 <= n - 1
            }
        }
        return new int[] {n - test - validation, validation, test};
    }

    static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
