package io.modelmonitor.detectors.outlier;

import io.modelmonitor.detectors.stats.SpecialFunctions;
import io.modelmonitor.detectors.univariate.QuantileBins;
import io.modelmonitor.detectors.univariate.TestResult;
import java.io.Serializable;
import java.util.Arrays;

/**
 * Calibration of an outlier score (e.g. autoencoder reconstruction error; higher = more unusual)
 * on reference scores the scorer was not trained on.
 *
 * <ul>
 *   <li><b>Threshold</b>: the reference-score quantile at level q (default 0.99) with numpy's
 *       default 'linear' definition ({@code np.quantile(scores, q)}); an event is an outlier when
 *       its score is strictly above it.
 *   <li><b>Expected rate</b>: the fraction of reference scores strictly above the threshold
 *       (≈ 1 − q; exactly what the reference shows, ties included).
 *   <li><b>Per-event p-value</b>: the conformal p-value (1 + #{reference ≥ s}) / (n + 1), valid
 *       for exchangeable data (Vovk, Gammerman &amp; Shafer 2005) and never 0.
 *   <li><b>Rate test</b>: one-sided exact binomial test of a window's outlier count k out of m
 *       against the expected rate, P(X ≥ k) for X ~ Binomial(m, rate), as
 *       {@code scipy.stats.binomtest(k, m, rate, alternative='greater')}.
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
  public static final String RATE_TEST = "binomial";

  private final double[] sortedScores;
  private final double quantile;
  private final double threshold;
  private final double expectedRate;

  private OutlierCalibration(double[] sortedScores, double quantile) {
    this.sortedScores = sortedScores;
    this.quantile = quantile;
    this.threshold = QuantileBins.quantileSorted(sortedScores, quantile);
    this.expectedRate = (double) countAbove(threshold, false) / sortedScores.length;
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

  /** The outlier rate the reference shows at the threshold. */
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
   * One-sided exact binomial test of {@code outliers} out of {@code n} events against
   * {@link #expectedRate()}; the statistic is the observed rate.
   */
  public TestResult rateTest(long outliers, long n) {
    return binomialTestGreater(outliers, n, expectedRate);
  }

  /** P(X ≥ k) for X ~ Binomial(n, p), with statistic k/n. */
  public static TestResult binomialTestGreater(long k, long n, double p) {
    if (n <= 0 || k < 0 || k > n) {
      throw new IllegalArgumentException("need 0 <= k <= n and n > 0");
    }
    return new TestResult(RATE_TEST, (double) k / n, SpecialFunctions.binomialUpperTail(k, n, p));
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
        throw new IllegalStateException("setReferenceScores: non-empty scores are required");
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
