package io.modelmonitor.detectors.performance;

import java.io.Serializable;

/**
 * Regression error metrics of one window from mergeable sums: mean absolute error, root mean
 * squared error, mean absolute percentage error (as a fraction; |y| floored at machine epsilon
 * like scikit-learn's {@code mean_absolute_percentage_error}) and mean signed error
 * (prediction − actual).
 *
 * <pre>{@code
 * RegressionMetrics m = new RegressionMetrics();
 * m.add(actual, predicted);
 * m.merge(other);
 * double rmse = m.rmse();
 * }</pre>
 */
public final class RegressionMetrics implements Serializable {
  private static final long serialVersionUID = 1L;
  private static final double EPSILON = Math.ulp(1.0);

  private long count;
  private double sumAbsolute;
  private double sumSquared;
  private double sumPercentage;
  private double sumSigned;

  /** Adds one (actual, predicted) pair; returns this. */
  public RegressionMetrics add(double actual, double predicted) {
    double error = predicted - actual;
    count++;
    sumAbsolute += Math.abs(error);
    sumSquared += error * error;
    sumPercentage += Math.abs(error) / Math.max(Math.abs(actual), EPSILON);
    sumSigned += error;
    return this;
  }

  /** Adds another window part's sums into this one; returns this. */
  public RegressionMetrics merge(RegressionMetrics other) {
    count += other.count;
    sumAbsolute += other.sumAbsolute;
    sumSquared += other.sumSquared;
    sumPercentage += other.sumPercentage;
    sumSigned += other.sumSigned;
    return this;
  }

  public long count() {
    return count;
  }

  public double mae() {
    return mean(sumAbsolute);
  }

  public double rmse() {
    return Math.sqrt(mean(sumSquared));
  }

  public double mape() {
    return mean(sumPercentage);
  }

  /** Mean of prediction − actual. */
  public double meanError() {
    return mean(sumSigned);
  }

  private double mean(double sum) {
    return count == 0 ? Double.NaN : sum / count;
  }
}
