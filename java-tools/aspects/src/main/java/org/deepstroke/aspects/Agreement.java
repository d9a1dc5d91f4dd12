package org.deepstroke.aspects;

/**
 * Agreement of two integer ratings per subject (reference, method) on the ASPECTS scale 0..10. No well-kept Maven
 * Central library offers weighted kappa or ICC (Commons Math has neither; Smile neither), so both are written here
 * from their textbook definitions and pinned by hand-computed tests.
 */
public final class Agreement {

    private Agreement() {
    }

    /**
     * Cohen's kappa with quadratic weights over categories {@code 0..maxCategory}: 1 - sum(w O) / sum(w E), with
     * w(i,j) = (i-j)^2 / maxCategory^2, O the observed joint proportions, E the product of the marginals. NaN when
     * the expected disagreement is 0 (both raters constant at the same value).
     */
    public static double quadraticKappa(int[] reference, int[] method, int maxCategory) {
        int k = maxCategory + 1;
        int n = reference.length;
        double[][] o = new double[k][k];
        double[] rowSum = new double[k];
        double[] colSum = new double[k];
        for (int i = 0; i < n; i++) {
            o[reference[i]][method[i]] += 1.0 / n;
            rowSum[reference[i]] += 1.0 / n;
            colSum[method[i]] += 1.0 / n;
        }
        double observed = 0;
        double expected = 0;
        for (int a = 0; a < k; a++) {
            for (int b = 0; b < k; b++) {
                double w = (double) (a - b) * (a - b) / ((double) maxCategory * maxCategory);
                observed += w * o[a][b];
                expected += w * rowSum[a] * colSum[b];
            }
        }
        return expected == 0 ? Double.NaN : 1 - observed / expected;
    }

    /**
     * ICC(A,1) of McGraw and Wong (1996) = ICC(2,1) of Shrout and Fleiss: two-way random effects, absolute agreement,
     * single rater, for n subjects rated by k = 2 raters:
     * (MSR - MSE) / (MSR + (k-1) MSE + k (MSC - MSE) / n).
     */
    public static double iccAgreement(double[] reference, double[] method) {
        int n = reference.length;
        int k = 2;
        double grand = 0;
        for (int i = 0; i < n; i++) {
            grand += reference[i] + method[i];
        }
        grand /= n * k;
        double ssRows = 0;
        double ssTotal = 0;
        double meanRef = 0;
        double meanMet = 0;
        for (int i = 0; i < n; i++) {
            double rowMean = (reference[i] + method[i]) / 2;
            ssRows += k * (rowMean - grand) * (rowMean - grand);
            ssTotal += (reference[i] - grand) * (reference[i] - grand) + (method[i] - grand) * (method[i] - grand);
            meanRef += reference[i] / n;
            meanMet += method[i] / n;
        }
        double ssCols = n * ((meanRef - grand) * (meanRef - grand) + (meanMet - grand) * (meanMet - grand));
        double ssError = ssTotal - ssRows - ssCols;
        double msr = ssRows / (n - 1);
        double msc = ssCols / (k - 1);
        double mse = ssError / ((n - 1) * (k - 1));
        double denominator = msr + (k - 1) * mse + k * (msc - mse) / n;
        return denominator == 0 ? Double.NaN : (msr - mse) / denominator;
    }
}
