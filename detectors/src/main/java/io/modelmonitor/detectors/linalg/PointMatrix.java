package io.modelmonitor.detectors.linalg;

import java.io.Serializable;
import java.util.Arrays;

/**
 * An immutable set of points (rows) of equal dimension, stored row-major in one contiguous {@code
 * double[]}, with the derived layouts that fast pairwise computations need: the squared row norms
 * and a transposed (column-major) copy, both built lazily and not serialized.
 *
 * <p>Use it with {@link SquaredDistances} to compute blocks of pairwise squared Euclidean distances
 * at vector speed:
 *
 * <pre>{@code
 * double[] centre = PointMatrix.columnMeans(reference);
 * PointMatrix ref = PointMatrix.of(reference, centre);          // n x d
 * PointMatrix win = PointMatrix.of(window, centre);             // same centre: same distances
 * double[] d2 = new double[ref.rows()];
 * SquaredDistances.rowBlock(win, 0, ref, 0, ref.rows(), d2, 0); // ||win_0 - ref_j||^2 for all j
 * }</pre>
 *
 * <p>{@link #of(double[][], double[])} subtracts a centre from every point. Distances do not change
 * under a common translation, but the norm expansion ||x||² + ||y||² − 2x·y that the fast path uses
 * loses precision when the points lie far from the origin; centring both sets on the same point
 * (e.g. the reference mean) keeps it accurate.
 */
public final class PointMatrix implements Serializable {
    private static final long serialVersionUID = 1L;

    private final int rows;
    private final int dim;
    private final double[] data;
    private transient volatile double[] squaredNorms;
    private transient volatile double[] transposed;

    private PointMatrix(int rows, int dim, double[] data) {
        this.rows = rows;
        this.dim = dim;
        this.data = data;
    }

    /** Copies the points; every row must have the same, positive length and finite values. */
    public static PointMatrix of(double[][] points) {
        return of(points, null);
    }

    /**
     * Copies the points minus {@code center} (no centring when null); every row must have the same,
     * positive length and finite values.
     */
    public static PointMatrix of(double[][] points, double[] center) {
        if (points == null || points.length == 0) {
            throw new IllegalArgumentException("no points");
        }
        int d = points[0].length;
        if (d == 0) {
            throw new IllegalArgumentException("points have dimension 0");
        }
        if (center != null && center.length != d) {
            throw new IllegalArgumentException(
                    "centre has dimension " + center.length + ", points have " + d);
        }
        double[] data = new double[Math.multiplyExact(points.length, d)];
        for (int i = 0; i < points.length; i++) {
            double[] p = points[i];
            if (p.length != d) {
                throw new IllegalArgumentException(
                        "point " + i + " has dimension " + p.length + ", expected " + d);
            }
            for (int k = 0; k < d; k++) {
                double v = p[k];
                if (!Double.isFinite(v)) {
                    throw new IllegalArgumentException("point " + i + " has a non-finite value");
                }
                data[i * d + k] = center == null ? v : v - center[k];
            }
        }
        return new PointMatrix(points.length, d, data);
    }

    /**
     * Column means of a set of points (the usual centre to pass to {@link #of(double[][],
     * double[])}).
     */
    public static double[] columnMeans(double[][] points) {
        int d = points[0].length;
        double[] mean = new double[d];
        for (double[] p : points) {
            for (int k = 0; k < d; k++) {
                mean[k] += p[k];
            }
        }
        for (int k = 0; k < d; k++) {
            mean[k] /= points.length;
        }
        return mean;
    }

    /** The rows at the given indices, in that order. */
    public PointMatrix select(int[] indices) {
        double[] out = new double[Math.multiplyExact(indices.length, dim)];
        for (int r = 0; r < indices.length; r++) {
            System.arraycopy(data, indices[r] * dim, out, r * dim, dim);
        }
        return new PointMatrix(indices.length, dim, out);
    }

    public int rows() {
        return rows;
    }

    public int dim() {
        return dim;
    }

    /** Element (i, k). */
    public double get(int i, int k) {
        return data[i * dim + k];
    }

    /** A copy of row i. */
    public double[] row(int i) {
        return Arrays.copyOfRange(data, i * dim, (i + 1) * dim);
    }

    /** A copy as {@code double[rows][dim]}. */
    public double[][] toArray() {
        double[][] out = new double[rows][];
        for (int i = 0; i < rows; i++) {
            out[i] = row(i);
        }
        return out;
    }

    /** The row-major data (shared, do not modify). */
    public double[] data() {
        return data;
    }

    /** ||row i||² for every row (computed once, shared, do not modify). */
    public double[] squaredNorms() {
        double[] norms = squaredNorms;
        if (norms == null) {
            norms = new double[rows];
            for (int i = 0; i < rows; i++) {
                double s = 0;
                int base = i * dim;
                for (int k = 0; k < dim; k++) {
                    s += data[base + k] * data[base + k];
                }
                norms[i] = s;
            }
            squaredNorms = norms;
        }
        return norms;
    }

    /**
     * Column-major copy: element (i, k) at {@code k * rows + i} (computed once, shared, do not
     * modify). Lets the inner loop of a distance block run over contiguous memory, which the JIT
     * vectorizes.
     */
    double[] transposed() {
        double[] t = transposed;
        if (t == null) {
            t = new double[data.length];
            for (int i = 0; i < rows; i++) {
                for (int k = 0; k < dim; k++) {
                    t[k * rows + i] = data[i * dim + k];
                }
            }
            transposed = t;
        }
        return t;
    }
}
