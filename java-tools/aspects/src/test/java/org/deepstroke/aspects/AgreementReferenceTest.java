package org.deepstroke.aspects;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Collectors;
import org.deepstroke.core.testing.ProjectPaths;
import org.deepstroke.core.testing.Subprocess;
import org.junit.jupiter.api.Test;

/**
 * Weighted kappa and AUC against scikit-learn (the project venv's, a real independent implementation) on seeded
 * ASPECTS-like ratings; ICC(A,1) against the McGraw-Wong formula in numpy.
 */
class AgreementReferenceTest {

    @Test
    void kappaIccAndAucAgreeWithScikitLearn() {
        Random rnd = new Random(42);
        int n = 40;
        int[] truth = new int[n];
        int[] method = new int[n];
        for (int i = 0; i < n; i++) {
            truth[i] = rnd.nextInt(11);
            method[i] = Math.max(0, Math.min(10, truth[i] + rnd.nextInt(5) - 2));
        }
        String t = Arrays.stream(truth).mapToObj(Integer::toString).collect(Collectors.joining(","));
        String m = Arrays.stream(method).mapToObj(Integer::toString).collect(Collectors.joining(","));
        String script = String.join("\n",
                "import numpy as np",
                "from sklearn.metrics import cohen_kappa_score, roc_auc_score",
                "t = [" + t + "]; p = [" + m + "]",
                "print(repr(float(cohen_kappa_score(t, p, weights='quadratic', labels=list(range(11))))))",
                "x = np.array([t, p], float).T; n, k = x.shape; g = x.mean()",
                "msr = k * ((x.mean(1) - g) ** 2).sum() / (n - 1); msc = n * ((x.mean(0) - g) ** 2).sum() / (k - 1)",
                "mse = (((x - g) ** 2).sum() - msr * (n - 1) - msc * (k - 1)) / ((n - 1) * (k - 1))",
                "print(repr(float((msr - mse) / (msr + (k - 1) * mse + k * (msc - mse) / n))))",
                "print(repr(float(roc_auc_score([a <= 7 for a in t], [-b for b in p]))))");
        Subprocess.Result r = Subprocess.run(List.of(ProjectPaths.venvPython().toString(), "-c", script),
                Duration.ofMinutes(2));
        assertEquals(0, r.exit(), r.describe());
        String[] lines = r.stdout().strip().split("\n");
        assertEquals(Double.parseDouble(lines[0]), Agreement.quadraticKappa(truth, method, 10), 1e-12);
        double[] td = Arrays.stream(truth).asDoubleStream().toArray();
        double[] md = Arrays.stream(method).asDoubleStream().toArray();
        assertEquals(Double.parseDouble(lines[1]), Agreement.iccAgreement(td, md), 1e-12);
        boolean[] positive = new boolean[n];
        double[] score = new double[n];
        for (int i = 0; i < n; i++) {
            positive[i] = truth[i] <= 7;
            score[i] = -method[i];
        }
        assertEquals(Double.parseDouble(lines[2]), Evaluation.auc(positive, score), 1e-12);
    }
}
