package io.modelmonitor.detectors.performance;

import io.modelmonitor.detectors.stats.SpecialFunctions;

/**
 * Is a window's error rate higher than the reference's? A one-sided two-sample test on the two
 * error counts: Fisher's exact conditional test (Fisher 1935; Agresti, <i>Categorical Data
 * Analysis</i>, 3rd ed., §3.5), {@code scipy.stats.fisher_exact([[x, n − x], [e, m − e]],
 * alternative="greater")}.
 *
 * <p>Why not a one-sample binomial test against 1 − reference accuracy: the reference accuracy is
 * itself an estimate from a finite labelled reference, and treating it as exact makes the test too
 * liberal (the real size at a nominal 1 % was 2.8 %–14 % for references of a few hundred to a few
 * thousand labels). Conditioning on the total number of errors removes the unknown common error
 * rate: under "same error rate", the window's error count given the total is hypergeometric
 * whatever that rate is, so P(p ≤ u) ≤ u for every u (exact, conservative through discreteness). It
 * stays valid for any labelled subset of a window that is labelled independently of whether its
 * predictions are correct, so each label revision's p-value is valid on its own.
 *
 * <pre>{@code
 * double p = ErrorRateComparison.pValueWorse(31, 100, 412, 5000);  // window 31 % vs reference 8.2 %
 * }</pre>
 */
public final class ErrorRateComparison {
    private ErrorRateComparison() {}

    /**
     * P(X ≥ windowErrors) for X hypergeometric: N = windowLabelled + referenceLabelled balls of
     * which K = windowErrors + referenceErrors are errors, windowLabelled drawn. NaN when either
     * sample is empty or the counts are inconsistent.
     */
    public static double pValueWorse(
            long windowErrors, long windowLabelled, long referenceErrors, long referenceLabelled) {
        if (windowLabelled <= 0
                || referenceLabelled <= 0
                || windowErrors < 0
                || referenceErrors < 0
                || windowErrors > windowLabelled
                || referenceErrors > referenceLabelled) {
            return Double.NaN;
        }
        long n = windowLabelled;
        long total = windowLabelled + referenceLabelled;
        long errors = windowErrors + referenceErrors;
        long lowest = Math.max(0, n - (total - errors));
        long highest = Math.min(errors, n);
        if (windowErrors <= lowest) {
            return 1;
        }
        // Sum from the side with less mass, so that small p-values keep their relative precision
        // and
        // p-values near 1 their absolute precision. Terms by the ratio recurrence from one log pmf.
        long mode = (long) Math.floor((n + 1.0) * (errors + 1.0) / (total + 2.0));
        if (windowErrors > mode) {
            return Math.min(1, tail(windowErrors, highest, n, errors, total, true));
        }
        return Math.max(
                0, Math.min(1, 1 - tail(windowErrors - 1, lowest, n, errors, total, false)));
    }

    /** Σ pmf(k) for k from {@code from} to {@code to} (upward or downward). */
    private static double tail(long from, long to, long n, long errors, long total, boolean up) {
        double term = Math.exp(logPmf(from, n, errors, total));
        double sum = 0;
        long k = from;
        while (true) {
            sum += term;
            if (k == to || term < sum * 1e-17) {
                break;
            }
            if (up) {
                // pmf(k+1)/pmf(k) = (K − k)(n − k) / ((k + 1)(N − K − n + k + 1))
                term *=
                        (double) (errors - k)
                                * (n - k)
                                / ((double) (k + 1) * (total - errors - n + k + 1));
                k++;
            } else {
                // pmf(k−1)/pmf(k) = k (N − K − n + k) / ((K − k + 1)(n − k + 1))
                term *=
                        (double) k
                                * (total - errors - n + k)
                                / ((double) (errors - k + 1) * (n - k + 1));
                k--;
            }
        }
        return sum;
    }

    private static double logPmf(long k, long n, long errors, long total) {
        return logChoose(errors, k) + logChoose(total - errors, n - k) - logChoose(total, n);
    }

    private static double logChoose(long a, long b) {
        if (b == 0 || b == a) {
            return 0;
        }
        return SpecialFunctions.logGamma(a + 1.0)
                - SpecialFunctions.logGamma(b + 1.0)
                - SpecialFunctions.logGamma(a - b + 1.0);
    }
}
