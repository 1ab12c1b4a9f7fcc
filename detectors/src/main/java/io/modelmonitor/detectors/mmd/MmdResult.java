package io.modelmonitor.detectors.mmd;

import java.io.Serializable;

/**
 * The outcome of one MMD two-sample test.
 *
 * @param statistic the unbiased MMD² between reference and window (double precision)
 * @param pValue (1 + #{null statistics ≥ observed}) / (1 + permutations), never 0
 * @param sigma the Gaussian kernel bandwidth used
 * @param permutations how many null statistics the p-value was computed from (permutations, or
 *     calibration draws in {@link NullMode#CALIBRATED} mode)
 * @param nReference reference sample size
 * @param nWindow window (current) sample size
 * @param nullMode how the null distribution was obtained (a CALIBRATED detector falls back to
 *     PERMUTATION for windows too large to calibrate, see {@link MmdDetector})
 */
public record MmdResult(
    double statistic,
    double pValue,
    double sigma,
    int permutations,
    int nReference,
    int nWindow,
    NullMode nullMode)
    implements Serializable {

  /** True when the p-value is strictly below the significance level {@code alpha}. */
  public boolean drift(double alpha) {
    return pValue < alpha;
  }
}
