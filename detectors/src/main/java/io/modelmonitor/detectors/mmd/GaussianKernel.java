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
        FastMath.expScaled(scratch, 0, len, negHalfInvSigma2);
        return sumAndStore(scratch, 0, len, out, outOffset);
    }

    /**
     * Four rows at once, register-blocked ({@link SquaredDistances#rowBlock4}): for q in [0, 4),
     * row q holds k(a_{i+q}, b_j) for j in [from + q·shift, to), i.e. {@code shift} = 0 for a
     * rectangular block and 1 for the strict upper triangle of a against itself (from = i + 1). Row
     * q's values are stored as float at {@code out[outOffsets[q] + (j − from − q·shift)]} when
     * {@code out} is not null, and its sum (double, in j order) goes to {@code sums[q]}. {@code
     * scratch} needs 4·(to − from) values; to − from must be at least 3·shift.
     */
    public void rows4(
            PointMatrix a,
            int i,
            PointMatrix b,
            int from,
            int to,
            int shift,
            double[] scratch,
            float[] out,
            int[] outOffsets,
            double[] sums) {
        int len = to - from;
        SquaredDistances.rowBlock4(a, i, b, from, to, scratch, 0, len);
        for (int q = 0; q < 4; q++) {
            int start = q * len + q * shift;
            int end = (q + 1) * len;
            FastMath.expScaled(scratch, start, end, negHalfInvSigma2);
            sums[q] = sumAndStore(scratch, start, end, out, out == null ? 0 : outOffsets[q]);
        }
    }

    /** Where row r of a block goes in a caller's float array. */
    public interface RowOffsets {
        int of(int row);
    }

    /**
     * Rows r in [r0, r1) of a against b, four at a time ({@link #rows4}) with single rows ({@link
     * #row}) for the rest: columns [from, to) when {@code upper} is false, else the strict upper
     * triangle of a against itself, columns [r + 1, to). Row r's sum goes to {@code sums[r]}, its
     * float values to {@code out[offsets.of(r) ..]} when {@code out} is not null. {@code scratch}
     * needs 4·(to − from) values (4·to when upper).
     */
    public void rows(
            PointMatrix a,
            int r0,
            int r1,
            PointMatrix b,
            int from,
            int to,
            boolean upper,
            double[] scratch,
            float[] out,
            RowOffsets offsets,
            double[] sums) {
        int[] at = new int[4];
        double[] four = new double[4];
        int r = r0;
        for (; r + 4 <= r1; r += 4) {
            int f = upper ? r + 1 : from;
            if (to - f < 3) {
                break;
            }
            for (int q = 0; q < 4 && out != null; q++) {
                at[q] = offsets.of(r + q);
            }
            rows4(a, r, b, f, to, upper ? 1 : 0, scratch, out, at, four);
            System.arraycopy(four, 0, sums, r, 4);
        }
        for (; r < r1; r++) {
            sums[r] =
                    row(
                            a,
                            r,
                            b,
                            upper ? r + 1 : from,
                            to,
                            scratch,
                            out,
                            out == null ? 0 : offsets.of(r));
        }
    }

    /** Σ values[from, to) in order, also stored as float at out[outOffset ..] when out is set. */
    private static double sumAndStore(
            double[] values, int from, int to, float[] out, int outOffset) {
        double sum = 0;
        if (out == null) {
            for (int j = from; j < to; j++) {
                sum += values[j];
            }
        } else {
            for (int j = from; j < to; j++) {
                double v = values[j];
                out[outOffset + j - from] = (float) v;
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
