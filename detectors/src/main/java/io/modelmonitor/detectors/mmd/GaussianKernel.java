package io.modelmonitor.detectors.mmd;

import io.modelmonitor.detectors.linalg.PointMatrix;
import io.modelmonitor.detectors.linalg.SquaredDistances;
import java.io.Serializable;

/**
 * The Gaussian kernel k(x, y) = exp(−||x − y||² / (2σ²)) (docs/statistics.md), evaluated a row at a
 * time over blocks of {@link PointMatrix} points in double precision (optionally also storing the
 * values as float), plus the small sums the MMD detectors share.
 *
 * <pre>{@code
 * GaussianKernel k = new GaussianKernel(MedianHeuristic.sigma(reference));
 * double s = k.sum(points, 0, referencePoints);   // Σ_j k(points_0, ref_j)
 * }</pre>
 */
public final class GaussianKernel implements Serializable {
    private static final long serialVersionUID = 1L;

    private final double sigma;
    private final double negHalfInvSigma2;

    /** A kernel of bandwidth σ &gt; 0. */
    public GaussianKernel(double sigma) {
        if (!(sigma > 0) || !Double.isFinite(sigma)) {
            throw new IllegalArgumentException("sigma must be positive and finite, got " + sigma);
        }
        this.sigma = sigma;
        this.negHalfInvSigma2 = -0.5 / (sigma * sigma);
    }

    public double sigma() {
        return sigma;
    }

    /** k for a squared distance. */
    public double ofSquaredDistance(double d2) {
        return Math.exp(d2 * negHalfInvSigma2);
    }

    /** k(x, y) for x = a[ao .. ao+d), y = b[bo .. bo+d), by explicit differences. */
    public double value(double[] a, int ao, double[] b, int bo, int d) {
        double s = 0;
        for (int k = 0; k < d; k++) {
            double diff = a[ao + k] - b[bo + k];
            s += diff * diff;
        }
        return Math.exp(s * negHalfInvSigma2);
    }

    /** Σ_j k(a_i, b_j) over all rows of b. */
    public double sum(PointMatrix a, int i, PointMatrix b) {
        return row(a, i, b, 0, b.rows(), new double[b.rows()], null, 0);
    }

    /** The full symmetric Gram matrix of the rows, row-major n × n, unit diagonal. */
    public double[] gram(PointMatrix a) {
        int n = a.rows();
        double[] g = new double[Math.multiplyExact(n, n)];
        double[] scratch = new double[n];
        for (int i = 0; i < n; i++) {
            g[i * n + i] = 1.0;
            row(a, i, a, i + 1, n, scratch, null, 0);
            for (int j = i + 1; j < n; j++) {
                g[i * n + j] = scratch[j - i - 1];
                g[j * n + i] = scratch[j - i - 1];
            }
        }
        return g;
    }

    /** Σ_{i≠j} k(a_i, a_j) / (n(n−1)): the within-sample term of the unbiased MMD². */
    public double offDiagonalMean(PointMatrix a) {
        int n = a.rows();
        double[] scratch = new double[n];
        double s = 0;
        for (int i = 0; i < n; i++) {
            s += row(a, i, a, i + 1, n, scratch, null, 0);
        }
        return 2 * s / ((double) n * (n - 1));
    }

    /**
     * Computes k(a_i, b_j) for j in [from, to) into {@code scratch[0 .. to − from)}, also stores
     * them as float at {@code out[outOffset + j − from]} when {@code out} is not null, and returns
     * their sum (double, in j order).
     */
    public double row(
            PointMatrix a,
            int i,
            PointMatrix b,
            int from,
            int to,
            double[] scratch,
            float[] out,
            int outOffset) {
        int len = to - from;
        if (len <= 0) {
            return 0.0;
        }
        SquaredDistances.rowBlock(a, i, b, from, to, scratch, 0);
        double sum = 0;
        if (out == null) {
            for (int j = 0; j < len; j++) {
                double v = Math.exp(scratch[j] * negHalfInvSigma2);
                scratch[j] = v;
                sum += v;
            }
        } else {
            for (int j = 0; j < len; j++) {
                double v = Math.exp(scratch[j] * negHalfInvSigma2);
                scratch[j] = v;
                out[outOffset + j] = (float) v;
                sum += v;
            }
        }
        return sum;
    }

    /**
     * {@code sigma} when it is a usable bandwidth (positive and finite), else
     * IllegalArgumentException.
     */
    public static double requireBandwidth(double sigma) {
        if (!(sigma > 0) || !Double.isFinite(sigma)) {
            throw new IllegalArgumentException("sigma must be positive and finite");
        }
        return sigma;
    }
}
