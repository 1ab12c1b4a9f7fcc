package io.modelmonitor.detectors.outlier;

import io.modelmonitor.detectors.stats.SpecialFunctions;
import io.modelmonitor.detectors.univariate.TestResult;
import java.io.Serializable;
import java.util.Arrays;

/**
 * Calibration of an outlier score (e.g. autoencoder reconstruction error; higher = more unusual) on
 * reference scores the scorer was not trained on.
 *
 * <ul>
 *   <li><b>Threshold</b>: an order statistic of the m reference scores, the j-th largest with j =
 *       max(1, ⌊(1 − q)(m + 1)⌋) for the level q (default 0.99); an event is an outlier when its
 *       score is strictly above it. For exchangeable scores a new score exceeds the j-th largest of
 *       m with probability j/(m + 1) ≤ 1 − q, so "outlier" means exactly "conformal p-value at most
 *       j/(m + 1)" (an interpolated quantile would have no such exact law).
 *   <li><b>Expected rate</b>: j/(m + 1), the probability above, i.e. the mean window outlier rate
 *       when nothing has changed.
 *   <li><b>Per-event p-value</b>: the conformal p-value (1 + #{reference ≥ s}) / (m + 1), valid for
 *       exchangeable data (Vovk, Gammerman &amp; Shafer 2005) and never 0.
 *   <li><b>Rate test</b>: the threshold is itself estimated from the m reference scores, so the
 *       count K of a window's n scores above it is not Binomial(n, rate): given the threshold it is
 *       Binomial(n, π) with π = 1 − F(threshold), and π, the upper tail mass beyond the j-th
 *       largest of m uniforms, is Beta(j, m − j + 1). Mixed over π, K is beta-binomial (n, a = j, b
 *       = m − j + 1). The test is its one-sided upper tail P(K ≥ k), as {@code
 *       scipy.stats.betabinom(n, j, m - j + 1).sf(k - 1)}. Treating the estimated rate as exact (a
 *       plain binomial test) rejects about 4% of clean windows at nominal 1% with m = 300, n = 150
 *       and 21% with n = 1000. Ties at the threshold only make strict exceedances rarer, so the
 *       p-value stays valid (conservative) for discrete scores.
 * </ul>
 *
 * <pre>{@code
 * OutlierCalibration cal = OutlierCalibration.builder()
 *     .setReferenceScores(heldOutScores).optQuantile(0.99).build();
 * boolean outlier = cal.isOutlier(score);
 * TestResult r = cal.rateTest(7, 500);   // alert when r.reject(0.05)
 * }</pre>
 */
public final class OutlierCalibration implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Name of the rate test in results. */
    public static final String RATE_TEST = "betabinomial";

    private final double[] sortedScores;
    private final double quantile;
    private final double threshold;
    private final double expectedRate;

    /** The threshold is the {@code rank}-th largest reference score. */
    private final int rank;

    private OutlierCalibration(double[] sortedScores, double quantile) {
        this.sortedScores = sortedScores;
        this.quantile = quantile;
        int m = sortedScores.length;
        // The tolerance keeps e.g. (1 - 0.9) * 10 = 0.99999999999999978 from flooring to 0.
        this.rank = (int) Math.max(1, Math.min(m, Math.floor((1 - quantile) * (m + 1) + 1e-9)));
        this.threshold = sortedScores[m - rank];
        this.expectedRate = rank / (m + 1.0);
    }

    /** A builder; reference scores are required. */
    public static Builder builder() {
        return new Builder();
    }

    /** The score threshold. */
    public double threshold() {
        return threshold;
    }

    /** The quantile level the threshold was taken at. */
    public double quantile() {
        return quantile;
    }

    /**
     * The threshold's rank j among the reference scores, counted from the largest (1 = maximum).
     */
    public int thresholdRank() {
        return rank;
    }

    /** The probability j/(m + 1) that a score exchangeable with the reference is an outlier. */
    public double expectedRate() {
        return expectedRate;
    }

    /** Number of reference scores. */
    public int referenceSize() {
        return sortedScores.length;
    }

    /** True when the score is strictly above the threshold. */
    public boolean isOutlier(double score) {
        return score > threshold;
    }

    /** Conformal p-value (1 + #{reference scores ≥ s}) / (n + 1). */
    public double pValue(double score) {
        return (1.0 + countAbove(score, true)) / (sortedScores.length + 1.0);
    }

    /**
     * One-sided beta-binomial test of {@code outliers} out of {@code n} events (see the class
     * comment); the statistic is the observed rate.
     */
    public TestResult rateTest(long outliers, long n) {
        if (n <= 0 || outliers < 0 || outliers > n) {
            throw new IllegalArgumentException("need 0 <= outliers <= n and n > 0");
        }
        double p =
                Math.exp(
                        logBetaBinomialUpperTail(
                                outliers, n, rank, sortedScores.length - rank + 1.0));
        return new TestResult(RATE_TEST, (double) outliers / n, p);
    }

    /** log P(K = k) for K ~ BetaBinomial(n, a, b). */
    public static double logBetaBinomialPmf(long k, long n, double a, double b) {
        if (k < 0 || k > n) {
            return Double.NEGATIVE_INFINITY;
        }
        return SpecialFunctions.logGamma(n + 1.0)
                - SpecialFunctions.logGamma(k + 1.0)
                - SpecialFunctions.logGamma(n - k + 1.0)
                + SpecialFunctions.logBeta(k + a, n - k + b)
                - SpecialFunctions.logBeta(a, b);
    }

    /**
     * log P(K ≥ k) for K ~ BetaBinomial(n, a, b), in log space so that tails far below 1e-300 stay
     * exact. The terms are unimodal in k; the sum runs over the shorter side of the mode (the
     * complement when k is below it) and stops once terms no longer change the sum.
     */
    public static double logBetaBinomialUpperTail(long k, long n, double a, double b) {
        if (k <= 0) {
            return 0;
        }
        if (k > n) {
            return Double.NEGATIVE_INFINITY;
        }
        double mean = n * a / (a + b);
        if (k > mean) {
            return logSumTerms(k, n, a, b, +1);
        }
        double lower = Math.exp(logSumTerms(k - 1, n, a, b, -1));
        return Math.log1p(-Math.min(1, lower));
    }

    /** log of Σ pmf(x) from x = start walking by step (+1 up to n, −1 down to 0). */
    private static double logSumTerms(long start, long n, double a, double b, int step) {
        double logFirst = logBetaBinomialPmf(start, n, a, b);
        double relative = 1; // running sum of pmf(x) / pmf(start)
        double logRatio = 0; // log pmf(x) / pmf(start)
        for (long x = start; step > 0 ? x < n : x > 0; x += step) {
            // pmf(x+1)/pmf(x) = (n−x)/(x+1) · (x+a)/(n−x−1+b); the downward ratio is its inverse.
            double up = step > 0 ? x : x - 1;
            logRatio +=
                    step * (Math.log((n - up) * (up + a)) - Math.log((up + 1) * (n - up - 1 + b)));
            double term = Math.exp(logRatio);
            relative += term;
            if (term < 1e-17 * relative) {
                break;
            }
        }
        return logFirst + Math.log(relative);
    }

    /**
     * P(X ≥ k) for X ~ Binomial(n, p) with p known exactly, with statistic k/n; test "binomial".
     */
    public static TestResult binomialTestGreater(long k, long n, double p) {
        if (n <= 0 || k < 0 || k > n) {
            throw new IllegalArgumentException("need 0 <= k <= n and n > 0");
        }
        return new TestResult(
                "binomial", (double) k / n, SpecialFunctions.binomialUpperTail(k, n, p));
    }

    /** #{scores ≥ s} (inclusive) or #{scores &gt; s} by binary search. */
    private int countAbove(double s, boolean inclusive) {
        int lo = 0;
        int hi = sortedScores.length;
        while (lo < hi) { // first index whose score is >= s (inclusive) or > s
            int mid = (lo + hi) >>> 1;
            boolean below = inclusive ? sortedScores[mid] < s : sortedScores[mid] <= s;
            if (below) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return sortedScores.length - lo;
    }

    /** Builder: {@code setReferenceScores} required; quantile optional (0.99). */
    public static final class Builder {
        private double[] scores;
        private double quantile = 0.99;

        private Builder() {}

        /** Held-out reference scores (not the scorer's training data). */
        public Builder setReferenceScores(double[] scores) {
            this.scores = scores;
            return this;
        }

        /** Quantile level of the threshold, in (0, 1]. */
        public Builder optQuantile(double quantile) {
            if (!(quantile > 0 && quantile <= 1)) {
                throw new IllegalArgumentException("quantile must be in (0, 1]");
            }
            this.quantile = quantile;
            return this;
        }

        public OutlierCalibration build() {
            if (scores == null || scores.length == 0) {
                throw new IllegalStateException(
                        "setReferenceScores: non-empty scores are required");
            }
            double[] sorted = scores.clone();
            Arrays.sort(sorted);
            if (Double.isNaN(sorted[sorted.length - 1])) {
                throw new IllegalArgumentException("reference scores contain NaN");
            }
            return new OutlierCalibration(sorted, quantile);
        }
    }
}
