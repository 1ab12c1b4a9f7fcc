package io.modelmonitor.models.numeric;

import java.io.Serializable;

/**
 * Per-feature standardisation z = (x − mean) / scale fitted on reference rows: mean and population
 * standard deviation (divisor n, as {@code numpy.std} and scikit-learn's {@code StandardScaler}). A
 * constant feature gets scale 1, so it maps to 0 instead of dividing by zero (the same rule as
 * {@code StandardScaler}).
 *
 * <pre>{@code
 * Standardizer s = Standardizer.fit(referenceFeatures);
 * double[] z = s.transform(x);
 * Standardizer restored = Standardizer.of(s.mean(), s.scale());   // e.g. from .npy files
 * }</pre>
 */
public final class Standardizer implements Serializable {
    private static final long serialVersionUID = 1L;

    private final double[] mean;
    private final double[] scale;

    private Standardizer(double[] mean, double[] scale) {
        this.mean = mean;
        this.scale = scale;
    }

    /** Fits on n ≥ 1 rows of equal length. */
    public static Standardizer fit(double[][] rows) {
        if (rows.length == 0) {
            throw new IllegalArgumentException("cannot fit a standardizer on no rows");
        }
        int d = rows[0].length;
        double[] mean = new double[d];
        for (double[] row : rows) {
            requireLength(row, d);
            for (int j = 0; j < d; j++) {
                mean[j] += row[j];
            }
        }
        for (int j = 0; j < d; j++) {
            mean[j] /= rows.length;
        }
        double[] scale = new double[d];
        // Two passes (sum of squared deviations from the mean): no cancellation for large offsets.
        for (double[] row : rows) {
            for (int j = 0; j < d; j++) {
                double deviation = row[j] - mean[j];
                scale[j] += deviation * deviation;
            }
        }
        for (int j = 0; j < d; j++) {
            double std = Math.sqrt(scale[j] / rows.length);
            scale[j] = std > 0 && Double.isFinite(std) ? std : 1.0;
        }
        return new Standardizer(mean, scale);
    }

    /**
     * The same standardizer with every scale raised to at least {@code fraction} × the median
     * scale. Features that barely vary on the fit data (sparse ReLU activations of an image
     * encoder, say) would otherwise be divided by almost nothing, and any input that moves them at
     * all would look enormous.
     */
    public Standardizer withScaleFloor(double fraction) {
        double[] sorted = scale.clone();
        java.util.Arrays.sort(sorted);
        double floor = fraction * sorted[sorted.length / 2];
        double[] floored = new double[scale.length];
        for (int j = 0; j < scale.length; j++) {
            floored[j] = Math.max(scale[j], floor);
        }
        return new Standardizer(mean.clone(), floored);
    }

    /** Fits on float rows (e.g. embeddings). */
    public static Standardizer fit(float[][] rows) {
        return fit(toDouble(rows));
    }

    /** Restores a fitted standardizer; every scale must be positive. */
    public static Standardizer of(double[] mean, double[] scale) {
        if (mean.length != scale.length) {
            throw new IllegalArgumentException(
                    "mean and scale lengths differ: " + mean.length + " vs " + scale.length);
        }
        for (double s : scale) {
            if (!(s > 0) || !Double.isFinite(s)) {
                throw new IllegalArgumentException("scale must be positive and finite: " + s);
            }
        }
        return new Standardizer(mean.clone(), scale.clone());
    }

    /** The identity on d features (mean 0, scale 1). */
    public static Standardizer identity(int d) {
        double[] scale = new double[d];
        java.util.Arrays.fill(scale, 1.0);
        return new Standardizer(new double[d], scale);
    }

    /** Number of features. */
    public int dimension() {
        return mean.length;
    }

    /** Per-feature means (copy). */
    public double[] mean() {
        return mean.clone();
    }

    /** Per-feature scales, 1 for constant features (copy). */
    public double[] scale() {
        return scale.clone();
    }

    /** (x − mean) / scale. */
    public double[] transform(double[] x) {
        requireLength(x, mean.length);
        double[] z = new double[x.length];
        for (int j = 0; j < x.length; j++) {
            z[j] = (x[j] - mean[j]) / scale[j];
        }
        return z;
    }

    /** (x − mean) / scale of a float vector. */
    public double[] transform(float[] x) {
        requireLength(x.length, mean.length);
        double[] z = new double[x.length];
        for (int j = 0; j < x.length; j++) {
            z[j] = (x[j] - mean[j]) / scale[j];
        }
        return z;
    }

    /** Transforms each row. */
    public double[][] transform(double[][] rows) {
        double[][] z = new double[rows.length][];
        for (int i = 0; i < rows.length; i++) {
            z[i] = transform(rows[i]);
        }
        return z;
    }

    /** Widens float rows to double. */
    public static double[][] toDouble(float[][] rows) {
        double[][] out = new double[rows.length][];
        for (int i = 0; i < rows.length; i++) {
            out[i] = new double[rows[i].length];
            for (int j = 0; j < rows[i].length; j++) {
                out[i][j] = rows[i][j];
            }
        }
        return out;
    }

    private static void requireLength(double[] row, int d) {
        requireLength(row.length, d);
    }

    private static void requireLength(int length, int d) {
        if (length != d) {
            throw new IllegalArgumentException("expected " + d + " features, got " + length);
        }
    }
}
