package io.modelmonitor.detectors.mmd;

import java.io.Serializable;

/**
 * The outcome of one MMD two-sample test.
 *
 * @param statistic the unbiased MMD² between reference and window (double precision)
 * @param pValue (1 + #{null statistics ≥ observed}) / (1 + permutations), or beyond the top
 *     calibration draws a generalized Pareto tail (see {@code tailApproximation}); never 0
 * @param sigma the Gaussian kernel bandwidth used
 * @param permutations how many null statistics the p-value was computed from (permutations, or
 *     calibration draws in {@link NullMode#CALIBRATED} mode)
 * @param nReference reference sample size
 * @param nWindow window (current) sample size
 * @param nullMode how the null distribution was obtained (a CALIBRATED detector falls back to
 *     PERMUTATION for windows too large to calibrate, see {@link MmdDetector})
 * @param tailApproximation true when the p-value lies beyond the calibration draws' tail threshold
 *     and comes from the fitted generalized Pareto tail (CALIBRATED mode only)
 */
public record MmdResult(
        double statistic,
        double pValue,
        double sigma,
        int permutations,
        int nReference,
        int nWindow,
        NullMode nullMode,
        boolean tailApproximation)
        implements Serializable {

    /** A result whose p-value is the plain (1 + #)/(1 + P) count, without a tail approximation. */
    public MmdResult(
            double statistic,
            double pValue,
            double sigma,
            int permutations,
            int nReference,
            int nWindow,
            NullMode nullMode) {
        this(statistic, pValue, sigma, permutations, nReference, nWindow, nullMode, false);
    }

    /** True when the p-value is strictly below the significance level {@code alpha}. */
    public boolean drift(double alpha) {
        return pValue < alpha;
    }
}
