package io.modelmonitor.detectors.mmd;

import io.modelmonitor.detectors.linalg.PointMatrix;

/**
 * The reference×reference Gaussian kernel block, computed once per reference: the strict upper
 * triangle packed row by row as float (n(n−1)/2 × 4 bytes: 50 MB at n = 5000, 256 MiB at n ≈ 11
 * 585), the row sums of the float values including the unit diagonal, their total, and the exact
 * double-precision off-diagonal sum used by the reported statistic.
 *
 * <p>Float storage halves memory and cache traffic for the permutation sums; sums are always
 * accumulated in double.
 */
final class ReferenceKernel implements UpperRows {
    /** Rows per parallel task while building: rows have unequal lengths, so keep tasks small. */
    private static final int BUILD_CHUNK = 16;

    final int n;
    private final float[] packed;

    /** Σ_j float(k(i, j)) over all j including j = i (k(i, i) = 1). */
    final double[] rowSums;

    /** Σ_i rowSums[i]. */
    final double total;

    /** Σ_{i≠j} k(i, j) from the double values. */
    final double exactOffDiagonalSum;

    private ReferenceKernel(
            int n, float[] packed, double[] rowSums, double total, double exactOffDiagonalSum) {
        this.n = n;
        this.packed = packed;
        this.rowSums = rowSums;
        this.total = total;
        this.exactOffDiagonalSum = exactOffDiagonalSum;
    }

    /** Bytes of the packed float triangle for n points. */
    static long packedBytes(long n) {
        return n * (n - 1) / 2 * Float.BYTES;
    }

    /** The largest n whose packed triangle fits in {@code maxBytes} (and in one Java array). */
    static int maxCachedPoints(long maxBytes) {
        long n = (long) Math.floor((1 + Math.sqrt(1 + 8.0 * (maxBytes / Float.BYTES))) / 2);
        while (n > 1 && packedBytes(n) > maxBytes) {
            n--;
        }
        return (int) Math.min(n, 65_000);
    }

    static ReferenceKernel build(PointMatrix points, GaussianKernel kernel, boolean parallel) {
        int n = points.rows();
        float[] packed = new float[(int) (packedBytes(n) / Float.BYTES)];
        double[] upperExact = new double[n];
        Parallel.forChunks(
                n,
                BUILD_CHUNK,
                parallel,
                (from, to) ->
                        kernel.rows(
                                points,
                                from,
                                to,
                                points,
                                0,
                                n,
                                true,
                                new double[4 * n],
                                packed,
                                i -> offset(n, i),
                                upperExact));
        double[] rowSums = new double[n];
        java.util.Arrays.fill(rowSums, 1.0);
        int p = 0;
        for (int i = 0; i < n; i++) {
            double own = 0;
            for (int j = i + 1; j < n; j++) {
                double v = packed[p++];
                own += v;
                rowSums[j] += v;
            }
            rowSums[i] += own;
        }
        double exact = 0;
        double total = 0;
        for (int i = 0; i < n; i++) {
            exact += upperExact[i];
            total += rowSums[i];
        }
        return new ReferenceKernel(n, packed, rowSums, total, 2 * exact);
    }

    /**
     * Statistics of a reference too large to cache: the float-value row sums (including the
     * diagonal) and the exact off-diagonal sum, from one streaming pass over full rows (n² kernel
     * evaluations, O(n) memory per thread).
     */
    static ReferenceKernel streamedSums(
            PointMatrix points, GaussianKernel kernel, boolean parallel) {
        int n = points.rows();
        double[] rowSums = new double[n];
        double[] rowExact = new double[n];
        Parallel.forChunks(
                n,
                BUILD_CHUNK,
                parallel,
                (from, to) -> {
                    double[] scratch = new double[n];
                    for (int i = from; i < to; i++) {
                        kernel.row(points, i, points, 0, n, scratch, null, 0);
                        double exact = 0;
                        double asFloat = 1.0;
                        for (int j = 0; j < n; j++) {
                            if (j != i) {
                                exact += scratch[j];
                                asFloat += (float) scratch[j];
                            }
                        }
                        rowSums[i] = asFloat;
                        rowExact[i] = exact;
                    }
                });
        double total = 0;
        double exact = 0;
        for (int i = 0; i < n; i++) {
            total += rowSums[i];
            exact += rowExact[i];
        }
        return new ReferenceKernel(n, null, rowSums, total, exact);
    }

    boolean isCached() {
        return packed != null;
    }

    @Override
    public float[] array() {
        return packed;
    }

    @Override
    public int base(int i) {
        return offset(n, i) - i - 1;
    }

    /** Index in the packed triangle of entry (i, i + 1). */
    private static int offset(int n, int i) {
        return (int) ((long) i * (2L * n - i - 1) / 2);
    }
}
