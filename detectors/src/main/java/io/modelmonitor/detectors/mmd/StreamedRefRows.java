package io.modelmonitor.detectors.mmd;

import io.modelmonitor.detectors.linalg.PointMatrix;

/**
 * Reference×reference kernel rows for a reference too large to cache: each call computes a block of
 * rows (upper parts only) into one reused float buffer of {@code blockRows × n} floats, so memory
 * stays bounded at the price of n²/2 kernel evaluations per window.
 */
final class StreamedRefRows implements GroupKernelSums.RefRowsSource, UpperRows {
    private final PointMatrix points;
    private final GaussianKernel kernel;
    private final int blockRows;
    private final boolean parallel;
    private final float[] buffer;
    private int from;

    StreamedRefRows(PointMatrix points, GaussianKernel kernel, long maxBytes, boolean parallel) {
        this.points = points;
        this.kernel = kernel;
        int n = points.rows();
        this.blockRows = (int) Math.max(64, Math.min(n, maxBytes / Float.BYTES / n));
        this.parallel = parallel;
        this.buffer = new float[Math.multiplyExact(blockRows, n)];
    }

    @Override
    public UpperRows rows(int from, int to) {
        this.from = from;
        int n = points.rows();
        Parallel.forChunks(
                to - from,
                16,
                parallel,
                (r0, r1) ->
                        kernel.rows(
                                points,
                                from + r0,
                                from + r1,
                                points,
                                0,
                                n,
                                true,
                                new double[4 * n],
                                buffer,
                                i -> (i - from) * n + i + 1,
                                new double[from + r1]));
        return this;
    }

    @Override
    public int blockRows() {
        return blockRows;
    }

    @Override
    public float[] array() {
        return buffer;
    }

    @Override
    public int base(int i) {
        return (i - from) * points.rows();
    }
}
