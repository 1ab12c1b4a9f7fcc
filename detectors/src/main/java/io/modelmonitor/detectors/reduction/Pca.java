package io.modelmonitor.detectors.reduction;

import java.io.Serializable;

/**
 * Principal component analysis fitted on reference vectors: centre on the reference mean, then
 * eigendecompose the sample covariance (divisor n − 1) with {@link SymmetricEigen}. Components are
 * the eigenvectors of the largest eigenvalues, i.e. the right singular vectors of the centred data
 * ({@code numpy.linalg.svd}) up to sign.
 *
 * <p><b>Sign convention</b>: each component is flipped so that its entry of largest absolute value
 * is positive (the first such entry on ties); the projection is then deterministic.
 *
 * <pre>{@code
 * Pca pca = Pca.builder().setComponents(32).fit(reference);          // n × 384 → 32
 * Pca pca95 = Pca.builder().setExplainedVariance(0.95).fit(reference);
 * double[] z = pca.transform(embedding);
 * Pca restored = Pca.of(pca.mean(), pca.components());               // e.g. from .npy files
 * }</pre>
 */
public final class Pca implements Serializable {
    private static final long serialVersionUID = 1L;

    private final double[] mean;
    private final double[][] components;
    private final double[] explainedVariance;
    private final double totalVariance;

    private Pca(double[] mean, double[][] components, double[] explainedVariance, double total) {
        this.mean = mean;
        this.components = components;
        this.explainedVariance = explainedVariance;
        this.totalVariance = total;
    }

    /** A builder: exactly one of {@code setComponents} / {@code setExplainedVariance} is needed. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Restores a fitted PCA from its mean (length d) and components (k × d), e.g. read from a
     * bundle. Explained variances are unknown then (NaN).
     */
    public static Pca of(double[] mean, double[][] components) {
        for (double[] c : components) {
            if (c.length != mean.length) {
                throw new IllegalArgumentException("component length differs from mean length");
            }
        }
        double[] unknown = new double[components.length];
        java.util.Arrays.fill(unknown, Double.NaN);
        return new Pca(mean.clone(), deepCopy(components), unknown, Double.NaN);
    }

    /** Input dimension d. */
    public int inputDimension() {
        return mean.length;
    }

    /** Output dimension k. */
    public int outputDimension() {
        return components.length;
    }

    /** The reference mean (copy). */
    public double[] mean() {
        return mean.clone();
    }

    /** The components, k × d, one unit vector per row (copy). */
    public double[][] components() {
        return deepCopy(components);
    }

    /** Variance along each component (eigenvalues, divisor n − 1); NaN when restored. */
    public double[] explainedVariance() {
        return explainedVariance.clone();
    }

    /** Fraction of the total variance along each component; NaN when restored. */
    public double[] explainedVarianceRatio() {
        double[] ratio = new double[explainedVariance.length];
        for (int i = 0; i < ratio.length; i++) {
            ratio[i] = explainedVariance[i] / totalVariance;
        }
        return ratio;
    }

    /** Projects one vector: components · (x − mean). */
    public double[] transform(double[] x) {
        if (x.length != mean.length) {
            throw new IllegalArgumentException(
                    "expected dimension " + mean.length + ", got " + x.length);
        }
        double[] centred = new double[x.length];
        for (int j = 0; j < x.length; j++) {
            centred[j] = x[j] - mean[j];
        }
        double[] out = new double[components.length];
        for (int c = 0; c < components.length; c++) {
            double[] w = components[c];
            double s = 0;
            for (int j = 0; j < w.length; j++) {
                s += w[j] * centred[j];
            }
            out[c] = s;
        }
        return out;
    }

    /** Projects each row. */
    public double[][] transform(double[][] rows) {
        double[][] out = new double[rows.length][];
        for (int i = 0; i < rows.length; i++) {
            out[i] = transform(rows[i]);
        }
        return out;
    }

    static double[][] deepCopy(double[][] m) {
        double[][] copy = new double[m.length][];
        for (int i = 0; i < m.length; i++) {
            copy[i] = m[i].clone();
        }
        return copy;
    }

    /** Flips v so that its largest-magnitude entry is positive. */
    static void normalizeSign(double[] v) {
        int arg = 0;
        for (int j = 1; j < v.length; j++) {
            if (Math.abs(v[j]) > Math.abs(v[arg])) {
                arg = j;
            }
        }
        if (v[arg] < 0) {
            for (int j = 0; j < v.length; j++) {
                v[j] = -v[j];
            }
        }
    }

    /** Builder of a fitted {@link Pca}. */
    public static final class Builder {
        private int components = -1;
        private double varianceTarget = Double.NaN;

        private Builder() {}

        /** Keep exactly this many components. */
        public Builder setComponents(int components) {
            if (components < 1) {
                throw new IllegalArgumentException("components must be >= 1");
            }
            this.components = components;
            return this;
        }

        /** Keep the fewest components whose cumulative explained-variance ratio reaches target. */
        public Builder setExplainedVariance(double target) {
            if (!(target > 0 && target <= 1)) {
                throw new IllegalArgumentException("explained variance target must be in (0, 1]");
            }
            this.varianceTarget = target;
            return this;
        }

        /** Fits on the rows (n × d, n ≥ 2). */
        public Pca fit(double[][] rows) {
            if ((components > 0) == !Double.isNaN(varianceTarget)) {
                throw new IllegalStateException(
                        "set exactly one of components / explained variance");
            }
            int n = rows.length;
            if (n < 2) {
                throw new IllegalArgumentException("PCA needs at least 2 rows");
            }
            int d = rows[0].length;
            double[] mean = new double[d];
            for (double[] row : rows) {
                if (row.length != d) {
                    throw new IllegalArgumentException("rows differ in length");
                }
                for (int j = 0; j < d; j++) {
                    mean[j] += row[j];
                }
            }
            for (int j = 0; j < d; j++) {
                mean[j] /= n;
            }
            SymmetricEigen eigen = SymmetricEigen.of(covariance(rows, mean));
            double total = 0;
            for (double value : eigen.values) {
                total += Math.max(value, 0);
            }
            int k = components > 0 ? Math.min(components, d) : countForTarget(eigen.values, total);
            double[][] kept = new double[k][];
            double[] variance = new double[k];
            for (int c = 0; c < k; c++) {
                kept[c] = eigen.vectors[c];
                normalizeSign(kept[c]);
                variance[c] = Math.max(eigen.values[c], 0);
            }
            return new Pca(mean, kept, variance, total);
        }

        private int countForTarget(double[] values, double total) {
            double cumulative = 0;
            for (int k = 0; k < values.length; k++) {
                cumulative += Math.max(values[k], 0);
                // Tolerate rounding so that a target of 1.0 stops at the last non-zero component.
                if (cumulative >= varianceTarget * total * (1 - 1e-12)) {
                    return k + 1;
                }
            }
            return values.length;
        }

        /** Upper triangle accumulated row by row, then mirrored; divisor n − 1. */
        private static double[][] covariance(double[][] rows, double[] mean) {
            int d = mean.length;
            double[][] cov = new double[d][d];
            double[] centred = new double[d];
            for (double[] row : rows) {
                for (int j = 0; j < d; j++) {
                    centred[j] = row[j] - mean[j];
                }
                for (int a = 0; a < d; a++) {
                    double xa = centred[a];
                    double[] target = cov[a];
                    for (int b = a; b < d; b++) {
                        target[b] += xa * centred[b];
                    }
                }
            }
            for (int a = 0; a < d; a++) {
                for (int b = a; b < d; b++) {
                    cov[a][b] /= rows.length - 1;
                    cov[b][a] = cov[a][b];
                }
            }
            return cov;
        }
    }
}
