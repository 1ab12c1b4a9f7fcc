package io.modelmonitor.detectors.performance;

import java.io.Serializable;
import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;

/**
 * Weighted isotonic (non-decreasing) regression by the pool-adjacent-violators algorithm (Ayer et
 * al. 1955; Barlow et al. 1972), with predictions interpolated linearly between the fitted points
 * and clipped to the end values outside the fitted range — the behaviour of scikit-learn's {@code
 * IsotonicRegression(out_of_bounds='clip')}. Equal x values are first pooled into their weighted
 * mean.
 *
 * <pre>{@code
 * IsotonicRegression iso = IsotonicRegression.fit(confidences, correct01, null);
 * double calibrated = iso.predict(0.83);
 * }</pre>
 */
public final class IsotonicRegression implements Serializable {
    private static final long serialVersionUID = 1L;
    private final double[] xs;
    private final double[] fitted;

    private IsotonicRegression(double[] xs, double[] fitted) {
        this.xs = xs;
        this.fitted = fitted;
    }

    /**
     * Fits y on x.
     *
     * @param weights positive sample weights, or {@code null} for all 1
     */
    public static IsotonicRegression fit(double[] x, double[] y, double[] weights) {
        int n = x.length;
        if (n == 0 || y.length != n || (weights != null && weights.length != n)) {
            throw new IllegalArgumentException(
                    "x, y (and weights) must be non-empty, equal lengths");
        }
        Integer[] order = IntStream.range(0, n).boxed().toArray(Integer[]::new);
        Arrays.sort(order, Comparator.comparingDouble(i -> x[i]));
        // Pool ties in x into weighted means.
        double[] ux = new double[n];
        double[] uy = new double[n];
        double[] uw = new double[n];
        int m = 0;
        for (int r = 0; r < n; r++) {
            int i = order[r];
            double w = weights == null ? 1 : weights[i];
            if (!(w > 0)) {
                throw new IllegalArgumentException("weights must be positive");
            }
            if (m > 0 && x[i] == ux[m - 1]) {
                uy[m - 1] += w * y[i];
                uw[m - 1] += w;
            } else {
                ux[m] = x[i];
                uy[m] = w * y[i];
                uw[m] = w;
                m++;
            }
        }
        double[] fitted = poolAdjacentViolators(Arrays.copyOf(uy, m), Arrays.copyOf(uw, m));
        return new IsotonicRegression(Arrays.copyOf(ux, m), fitted);
    }

    /**
     * Non-decreasing least-squares fit to the values weightedSums[i]/weights[i] with the given
     * weights: merge adjacent blocks while their means decrease.
     */
    static double[] poolAdjacentViolators(double[] weightedSums, double[] weights) {
        int m = weights.length;
        double[] blockSum = new double[m];
        double[] blockWeight = new double[m];
        int[] blockLength = new int[m];
        int blocks = 0;
        for (int i = 0; i < m; i++) {
            blockSum[blocks] = weightedSums[i];
            blockWeight[blocks] = weights[i];
            blockLength[blocks] = 1;
            blocks++;
            while (blocks > 1
                    && blockSum[blocks - 2] / blockWeight[blocks - 2]
                            > blockSum[blocks - 1] / blockWeight[blocks - 1]) {
                blockSum[blocks - 2] += blockSum[blocks - 1];
                blockWeight[blocks - 2] += blockWeight[blocks - 1];
                blockLength[blocks - 2] += blockLength[blocks - 1];
                blocks--;
            }
        }
        double[] out = new double[m];
        int pos = 0;
        for (int b = 0; b < blocks; b++) {
            double mean = blockSum[b] / blockWeight[b];
            Arrays.fill(out, pos, pos + blockLength[b], mean);
            pos += blockLength[b];
        }
        return out;
    }

    /** Fitted value at x: linear interpolation, clipped at the ends. */
    public double predict(double x) {
        if (x <= xs[0]) {
            return fitted[0];
        }
        int last = xs.length - 1;
        if (x >= xs[last]) {
            return fitted[last];
        }
        int hi = Arrays.binarySearch(xs, x);
        if (hi >= 0) {
            return fitted[hi];
        }
        hi = -hi - 1; // first index with xs[hi] > x
        int lo = hi - 1;
        double t = (x - xs[lo]) / (xs[hi] - xs[lo]);
        return fitted[lo] + t * (fitted[hi] - fitted[lo]);
    }

    /** Fitted values at each x. */
    public double[] predict(double[] x) {
        double[] out = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            out[i] = predict(x[i]);
        }
        return out;
    }

    /** Distinct x values of the fit, ascending (copy). */
    public double[] knots() {
        return xs.clone();
    }

    /** Fitted values at {@link #knots()} (copy). */
    public double[] fittedValues() {
        return fitted.clone();
    }
}
