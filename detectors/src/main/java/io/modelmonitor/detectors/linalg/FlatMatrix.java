package io.modelmonitor.detectors.linalg;

import java.util.Arrays;

/**
 * A numeric sample held as one row-major {@code double[]} (rows × cols): one array instead of one
 * per row, so a million rows of 32 features take 256 MB rather than about 270 MB plus a million
 * object headers, and a file reader can fill it without an intermediate copy.
 *
 * <pre>{@code
 * FlatMatrix m = new FlatMatrix(2, 3, new double[] {1, 2, 3, 4, 5, 6});
 * double x = m.get(1, 2);            // 6
 * double[] col = m.column(0);        // {1, 4}
 * }</pre>
 */
public final class FlatMatrix {
    private final int rows;
    private final int cols;
    private final double[] data;

    /**
     * Wraps {@code data} (not copied) as a rows × cols row-major matrix.
     *
     * @throws IllegalArgumentException if the sizes do not match or cols &lt; 1
     */
    public FlatMatrix(int rows, int cols, double[] data) {
        if (rows < 0 || cols < 1 || (long) rows * cols != data.length) {
            throw new IllegalArgumentException(
                    rows + " × " + cols + " does not match " + data.length + " values");
        }
        this.rows = rows;
        this.cols = cols;
        this.data = data;
    }

    /** Copies equal-length rows. */
    public static FlatMatrix of(double[][] rows) {
        if (rows.length == 0) {
            throw new IllegalArgumentException("no rows");
        }
        int d = rows[0].length;
        double[] data = new double[Math.multiplyExact(rows.length, d)];
        for (int i = 0; i < rows.length; i++) {
            if (rows[i].length != d) {
                throw new IllegalArgumentException(
                        "row " + i + " has " + rows[i].length + " values, expected " + d);
            }
            System.arraycopy(rows[i], 0, data, i * d, d);
        }
        return new FlatMatrix(rows.length, d, data);
    }

    public int rows() {
        return rows;
    }

    public int cols() {
        return cols;
    }

    /** The backing array, row-major (not a copy). */
    public double[] data() {
        return data;
    }

    public double get(int i, int j) {
        return data[i * cols + j];
    }

    /** A copy of column j. */
    public double[] column(int j) {
        double[] out = new double[rows];
        for (int i = 0, p = j; i < rows; i++, p += cols) {
            out[i] = data[p];
        }
        return out;
    }

    /** A copy of row i. */
    public double[] row(int i) {
        return Arrays.copyOfRange(data, i * cols, (i + 1) * cols);
    }

    /** Copies of the given rows, in the given order. */
    public double[][] rows(int[] indices) {
        double[][] out = new double[indices.length][];
        for (int k = 0; k < indices.length; k++) {
            out[k] = row(indices[k]);
        }
        return out;
    }

    /** Copies of all rows (one array per row). */
    public double[][] toRows() {
        double[][] out = new double[rows][];
        for (int i = 0; i < rows; i++) {
            out[i] = row(i);
        }
        return out;
    }

    /** Column means. */
    public double[] columnMeans() {
        double[] mean = new double[cols];
        for (int i = 0, p = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                mean[j] += data[p++];
            }
        }
        for (int j = 0; j < cols; j++) {
            mean[j] /= rows;
        }
        return mean;
    }
}
