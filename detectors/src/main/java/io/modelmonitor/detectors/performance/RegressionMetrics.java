package io.modelmonitor.detectors.performance;

import java.io.Serializable;

/**
 * Regression error metrics of one window from mergeable sums: mean absolute error, root mean
 * squared error, mean signed error (prediction − actual, the bias), and the mean absolute
 * percentage error and symmetric MAPE (as fractions) where they are defined.
 *
 * <p>MAPE divides by |actual| and sMAPE by (|actual| + |predicted|) / 2: one zero denominator makes
 * the mean undefined (infinite), so they are NaN as soon as one pair has one, rather than floored
 * at an epsilon that would make a single zero label dominate the figure.
 *
 * <p>The sums are public fields so that window state holding this class is a Flink POJO.
 *
 * <pre>{@code
 * RegressionMetrics m = new RegressionMetrics();
 * m.add(actual, predicted);
 * m.merge(other);
 * double rmse = m.rmse();
 * }</pre>
 */
public final class RegressionMetrics implements Serializable {
    private static final long serialVersionUID = 2L;

    public long count;
    public double sumAbsolute;
    public double sumSquared;
    public double sumSigned;
    public double sumPercentage;
    public double sumSymmetric;

    /** Pairs whose actual is 0 (MAPE undefined). */
    public long zeroActual;

    /** Pairs whose actual and predicted are both 0 (sMAPE undefined). */
    public long zeroSymmetric;

    public RegressionMetrics() {}

    /** Adds one (actual, predicted) pair; returns this. */
    public RegressionMetrics add(double actual, double predicted) {
        double error = predicted - actual;
        double abs = Math.abs(error);
        count++;
        sumAbsolute += abs;
        sumSquared += error * error;
        sumSigned += error;
        if (actual == 0) {
            zeroActual++;
        } else {
            sumPercentage += abs / Math.abs(actual);
        }
        double half = (Math.abs(actual) + Math.abs(predicted)) / 2;
        if (half == 0) {
            zeroSymmetric++;
        } else {
            sumSymmetric += abs / half;
        }
        return this;
    }

    /** Adds another window part's sums into this one; returns this. */
    public RegressionMetrics merge(RegressionMetrics other) {
        count += other.count;
        sumAbsolute += other.sumAbsolute;
        sumSquared += other.sumSquared;
        sumSigned += other.sumSigned;
        sumPercentage += other.sumPercentage;
        sumSymmetric += other.sumSymmetric;
        zeroActual += other.zeroActual;
        zeroSymmetric += other.zeroSymmetric;
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

    /** Mean |error| / |actual|; NaN when empty or when any actual is 0. */
    public double mape() {
        return zeroActual > 0 ? Double.NaN : mean(sumPercentage);
    }

    /**
     * Mean |error| / ((|actual| + |predicted|) / 2), in [0, 2]; NaN when empty or any pair is (0,
     * 0).
     */
    public double smape() {
        return zeroSymmetric > 0 ? Double.NaN : mean(sumSymmetric);
    }

    /** Mean of prediction − actual. */
    public double meanError() {
        return mean(sumSigned);
    }

    private double mean(double sum) {
        return count == 0 ? Double.NaN : sum / count;
    }
}
