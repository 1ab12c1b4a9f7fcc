package io.modelmonitor.detectors.outlier;

import java.util.Arrays;

/**
 * Mahalanobis distance √((x − μ)ᵀ Σ⁻¹ (x − μ)) to the reference mean, with the covariance Σ shrunk
 * towards a multiple of the identity by the Ledoit–Wolf rule (Ledoit &amp; Wolf 2004, "A
 * well-conditioned estimator for large-dimensional covariance matrices"): Σ = (1 − s)·S + s·μ_S·I
 * with S the sample covariance (divided by n), μ_S = trace(S)/p and the shrinkage s ∈ [0, 1] that
 * minimises the expected squared Frobenius error; the same formula as scikit-learn's {@code
 * ledoit_wolf}. Without shrinkage a covariance estimated from few rows in many dimensions has
 * near-zero eigenvalues, and any event off the reference's span scores huge. Σ⁻¹ is stored, so a
 * score costs p² multiply-adds.
 *
 * <pre>{@code
 * MahalanobisScorer m = MahalanobisScorer.fit(fitRows);
 * double d = m.score(x);
 * MahalanobisScorer restored = MahalanobisScorer.of(m.mean(), m.precision(), m.shrinkage());
 * }</pre>
 */
public final class MahalanobisScorer implements OutlierScorer {
    private static final long serialVersionUID = 1L;

    /** Name of the method. */
    public static final String NAME = "mahalanobis";

    private final double[] mean;

    /** Σ⁻¹, p × p row-major. */
    private final double[] precision;

    private final double shrinkage;

    private MahalanobisScorer(double[] mean, double[] precision, double shrinkage) {
        this.mean = mean;
        this.precision = precision;
        this.shrinkage = shrinkage;
    }

    /** Fits the mean and the shrunk covariance on n ≥ 2 rows of equal length p ≥ 1. */
    public static MahalanobisScorer fit(double[][] rows) {
        int n = rows.length;
        if (n < 2) {
            throw new IllegalArgumentException("Mahalanobis distance needs at least 2 rows");
        }
        int p = rows[0].length;
        double[] mean = new double[p];
        for (double[] row : rows) {
            if (row.length != p) {
                throw new IllegalArgumentException("rows differ in length");
            }
            for (int j = 0; j < p; j++) {
                mean[j] += row[j];
            }
        }
        for (int j = 0; j < p; j++) {
            mean[j] /= n;
        }
        double[][] x = new double[n][p];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < p; j++) {
                x[i][j] = rows[i][j] - mean[j];
            }
        }
        double[] cov = new double[p * p];
        double[] sq = new double[p * p]; // Σ_i x_ia² x_ib², for the shrinkage
        for (double[] r : x) {
            for (int a = 0; a < p; a++) {
                double ra = r[a];
                double ra2 = ra * ra;
                int row = a * p;
                for (int b = a; b < p; b++) {
                    cov[row + b] += ra * r[b];
                    sq[row + b] += ra2 * r[b] * r[b];
                }
            }
        }
        double trace = 0;
        double covSquares = 0; // Σ_ab (XᵀX)_ab²
        double fourth = 0; // Σ_ab (X²ᵀX²)_ab
        for (int a = 0; a < p; a++) {
            for (int b = a; b < p; b++) {
                double v = cov[a * p + b];
                double w = sq[a * p + b];
                double times = a == b ? 1 : 2;
                covSquares += times * v * v;
                fourth += times * w;
                cov[b * p + a] = v;
            }
            trace += cov[a * p + a];
        }
        for (int i = 0; i < cov.length; i++) {
            cov[i] /= n;
        }
        double mu = trace / n / p;
        double s = shrinkage(n, p, mu, covSquares / ((double) n * n), fourth);
        for (int i = 0; i < cov.length; i++) {
            cov[i] *= 1 - s;
        }
        // Every variance zero (constant rows): the identity keeps the distance Euclidean.
        double ridge = mu > 0 ? s * mu : 1;
        for (int a = 0; a < p; a++) {
            cov[a * p + a] += ridge;
        }
        return new MahalanobisScorer(mean, inverse(cov, p), s);
    }

    /**
     * scikit-learn's {@code ledoit_wolf_shrinkage}: β = (Σ(X²ᵀX²)/n − δ')/(p·n), δ = (δ' −
     * 2μ·trace(XᵀX)/n + p·μ²)/p with δ' = Σ(XᵀX)²/n², shrinkage min(β, δ)/δ.
     */
    private static double shrinkage(int n, int p, double mu, double delta0, double fourth) {
        double beta = (fourth / n - delta0) / ((double) p * n);
        double delta = (delta0 - 2 * mu * mu * p + p * mu * mu) / p;
        beta = Math.min(beta, delta);
        return beta == 0 || delta == 0 ? 0 : Math.max(0, beta / delta);
    }

    /** Restores a fitted scorer, e.g. from a bundle. */
    public static MahalanobisScorer of(double[] mean, double[][] precision, double shrinkage) {
        int p = mean.length;
        if (precision.length != p) {
            throw new IllegalArgumentException(
                    "precision has " + precision.length + " rows for a mean of " + p);
        }
        double[] flat = new double[p * p];
        for (int a = 0; a < p; a++) {
            if (precision[a].length != p) {
                throw new IllegalArgumentException("precision is not square");
            }
            System.arraycopy(precision[a], 0, flat, a * p, p);
        }
        return new MahalanobisScorer(mean.clone(), flat, shrinkage);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public double score(double[] x) {
        int p = mean.length;
        if (x.length != p) {
            throw new IllegalArgumentException("expected " + p + " values, got " + x.length);
        }
        double[] d = new double[p];
        for (int j = 0; j < p; j++) {
            d[j] = x[j] - mean[j];
        }
        double q = 0;
        for (int a = 0; a < p; a++) {
            double s = 0;
            int row = a * p;
            for (int b = 0; b < p; b++) {
                s += precision[row + b] * d[b];
            }
            q += d[a] * s;
        }
        return Math.sqrt(Math.max(0, q));
    }

    /** The reference mean (copy). */
    public double[] mean() {
        return mean.clone();
    }

    /** Σ⁻¹ (copy). */
    public double[][] precision() {
        int p = mean.length;
        double[][] out = new double[p][];
        for (int a = 0; a < p; a++) {
            out[a] = Arrays.copyOfRange(precision, a * p, (a + 1) * p);
        }
        return out;
    }

    /** The Ledoit–Wolf shrinkage s the covariance was fitted with. */
    public double shrinkage() {
        return shrinkage;
    }

    /** Inverse of a symmetric positive-definite matrix by Cholesky, A = LLᵀ, A⁻¹ = L⁻ᵀL⁻¹. */
    static double[] inverse(double[] a, int p) {
        double[] l = new double[p * p];
        for (int i = 0; i < p; i++) {
            for (int j = 0; j <= i; j++) {
                double s = a[i * p + j];
                for (int k = 0; k < j; k++) {
                    s -= l[i * p + k] * l[j * p + k];
                }
                if (i == j) {
                    if (!(s > 0)) {
                        throw new IllegalArgumentException("covariance is not positive definite");
                    }
                    l[i * p + i] = Math.sqrt(s);
                } else {
                    l[i * p + j] = s / l[j * p + j];
                }
            }
        }
        double[] linv = new double[p * p]; // lower triangular L⁻¹
        for (int j = 0; j < p; j++) {
            linv[j * p + j] = 1 / l[j * p + j];
            for (int i = j + 1; i < p; i++) {
                double s = 0;
                for (int k = j; k < i; k++) {
                    s -= l[i * p + k] * linv[k * p + j];
                }
                linv[i * p + j] = s / l[i * p + i];
            }
        }
        double[] inv = new double[p * p];
        for (int r = 0; r < p; r++) {
            for (int c = 0; c <= r; c++) {
                double s = 0;
                for (int k = r; k < p; k++) {
                    s += linv[k * p + r] * linv[k * p + c];
                }
                inv[r * p + c] = s;
                inv[c * p + r] = s;
            }
        }
        return inv;
    }
}
