package io.modelmonitor.detectors.univariate;

import io.modelmonitor.detectors.stats.SpecialFunctions;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.util.Arrays;

/**
 * The one-sided Mann-Whitney U test (Mann and Whitney 1947) of "values in x tend to be larger than
 * values in y", as {@code scipy.stats.mannwhitneyu(x, y, alternative='greater')} with its default
 * {@code method='auto'} and continuity correction.
 *
 * <p>U is the number of pairs (x_i, y_j) with x_i &gt; y_j, ties counting one half (the rank sum of
 * x with average ranks, minus n_x(n_x + 1)/2). The p-value is P(U ≥ u) under exchangeability:
 *
 * <ul>
 *   <li><b>exact</b> when one sample has at most 8 values and there are no ties: the null
 *       distribution of U counts the arrangements, the coefficients of the Gaussian binomial [n_x +
 *       n_y choose n_x]_q, computed in exact integers;
 *   <li>otherwise the <b>normal approximation</b> with the tie correction of the variance, σ² = n_x
 *       n_y / 12 · ((n + 1) − Σ(t³ − t) / (n(n − 1))), and a continuity correction of ½.
 * </ul>
 *
 * <p>A rank test is used for errors because they are heavy-tailed: a test of the mean error by the
 * normal approximation is liberal there, a rank test is exact under the null whatever the
 * distribution (up to ties).
 */
public final class MannWhitneyU {
    /** At most this many values in the smaller sample (and no ties) for the exact distribution. */
    static final int EXACT_MAX = 8;

    private MannWhitneyU() {}

    /** The test of "x is stochastically larger than y": statistic U of x, one-sided p-value. */
    public static TestResult greater(double[] x, double[] y) {
        int n1 = x.length;
        int n2 = y.length;
        if (n1 == 0 || n2 == 0) {
            throw new IllegalArgumentException("both samples must be non-empty");
        }
        int n = n1 + n2;
        double[] all = new double[n];
        int[] fromX = new int[n];
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            all[i] = i < n1 ? x[i] : y[i - n1];
            if (Double.isNaN(all[i])) {
                throw new IllegalArgumentException("samples must not contain NaN");
            }
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Double.compare(all[a], all[b]));
        double rankSumX = 0;
        double tieTerm = 0;
        for (int i = 0; i < n; ) {
            int j = i;
            while (j + 1 < n && all[order[j + 1]] == all[order[i]]) {
                j++;
            }
            double rank = (i + j) / 2.0 + 1; // average of ranks i+1 .. j+1
            for (int k = i; k <= j; k++) {
                if (order[k] < n1) {
                    rankSumX += rank;
                }
            }
            double t = j - i + 1;
            tieTerm += t * t * t - t;
            i = j + 1;
        }
        double u = rankSumX - n1 * (n1 + 1) / 2.0;
        double p;
        if (Math.min(n1, n2) <= EXACT_MAX && tieTerm == 0) {
            p = exactSf((long) Math.round(u), n1, n2);
        } else {
            double mu = (double) n1 * n2 / 2;
            double s =
                    Math.sqrt((double) n1 * n2 / 12 * ((n + 1) - tieTerm / ((double) n * (n - 1))));
            double z = (u - mu - 0.5) / s;
            p = s == 0 ? (u - mu - 0.5 > 0 ? 0 : 1) : SpecialFunctions.normalSf(z);
        }
        return new TestResult("mann-whitney-u", u, Math.min(1.0, Math.max(0.0, p)));
    }

    /** P(U ≥ u) for samples of n1 and n2 values without ties, from the exact counts. */
    static double exactSf(long u, int n1, int n2) {
        int m = Math.min(n1, n2);
        int k = Math.max(n1, n2);
        int max = m * k;
        if (u <= 0) {
            return 1;
        }
        if (u > max) {
            return 0;
        }
        // Coefficients of prod_{i=1..m} (1 - q^{k+i}) / (1 - q^i): the number of arrangements with
        // U = j.
        BigInteger[] c = new BigInteger[max + 1];
        Arrays.fill(c, BigInteger.ZERO);
        c[0] = BigInteger.ONE;
        for (int i = 1; i <= m; i++) {
            int shift = k + i;
            for (int j = max; j >= shift; j--) {
                c[j] = c[j].subtract(c[j - shift]);
            }
            for (int j = i; j <= max; j++) {
                c[j] = c[j].add(c[j - i]);
            }
        }
        BigInteger total = BigInteger.ZERO;
        BigInteger tail = BigInteger.ZERO;
        for (int j = 0; j <= max; j++) {
            total = total.add(c[j]);
            if (j >= u) {
                tail = tail.add(c[j]);
            }
        }
        return new BigDecimal(tail)
                .divide(new BigDecimal(total), MathContext.DECIMAL64)
                .doubleValue();
    }
}
