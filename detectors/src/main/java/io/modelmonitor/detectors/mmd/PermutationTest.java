package io.modelmonitor.detectors.mmd;

import io.modelmonitor.detectors.linalg.PointMatrix;
import java.util.SplittableRandom;

/**
 * The exact permutation test of {@link MmdDetector} ({@link NullMode#PERMUTATION}): pools the
 * reference and the window, draws P random splits into the original sizes and counts the splits
 * whose statistic reaches the observed one; p = (1 + count) / (1 + P).
 *
 * <p>The pooled kernel matrix is assembled once per window: the reference×reference block comes
 * from the detector's {@link ReferenceKernel} (cached, or streamed block by block above the memory
 * bound), the reference×window and window×window blocks are computed here in float. A split is
 * represented by its smaller side G and its statistic needs only q = Σ_{i&lt;j∈G} K_ij ({@link
 * GroupKernelSums}) plus the pooled row sums. The observed statistic enters the comparison through
 * the same float path (the identity split), so the p-value compares like with like; the reported
 * statistic is computed separately in double.
 */
final class PermutationTest {
    /** Rows per parallel task for kernel blocks. */
    private static final int ROW_CHUNK = 32;

    private PermutationTest() {}

    /**
     * Tests window {@code w} (centred as the reference) against {@code reference} with {@code
     * permutations} random splits drawn from {@code rng}.
     */
    static ExplainedMmd test(
            PointMatrix reference,
            PointMatrix w,
            GaussianKernel kernel,
            ReferenceKernel rk,
            int permutations,
            SplittableRandom rng,
            long maxKernelCacheBytes,
            boolean parallel,
            boolean witness) {
        int n = reference.rows();
        int m = w.rows();
        int nPooled = n + m;

        float[] krw = new float[Math.multiplyExact(n, m)];
        double[] crossRows = new double[n];
        Parallel.forChunks(
                n,
                ROW_CHUNK,
                parallel,
                (i0, i1) ->
                        kernel.rows(
                                reference,
                                i0,
                                i1,
                                w,
                                0,
                                m,
                                false,
                                new double[4 * m],
                                krw,
                                i -> i * m,
                                crossRows));
        float[] kww = new float[Math.multiplyExact(m, m)];
        double[] windowRows = new double[m];
        Parallel.forChunks(
                m,
                ROW_CHUNK,
                parallel,
                (c0, c1) ->
                        kernel.rows(
                                w,
                                c0,
                                c1,
                                w,
                                0,
                                m,
                                true,
                                new double[4 * m],
                                kww,
                                c -> c * m + c + 1,
                                windowRows));
        double statistic =
                UnbiasedMmd.fromSums(
                        rk.exactOffDiagonalSum,
                        2 * UnbiasedMmd.sum(windowRows),
                        UnbiasedMmd.sum(crossRows),
                        n,
                        m);

        double[] columns = new double[m];
        double[] rows = pooledRowSums(rk, krw, kww, n, m, columns);
        double total = UnbiasedMmd.sum(rows);

        int s = Math.min(n, m);
        int[][] groups = new int[permutations + 1][];
        groups[0] = identityGroup(n, m);
        int[][] drawn = RandomSubsets.sample(rng, nPooled, s, permutations);
        System.arraycopy(drawn, 0, groups, 1, permutations);

        GroupKernelSums.RefRowsSource source =
                rk.isCached()
                        ? GroupKernelSums.cached(rk)
                        : new StreamedRefRows(reference, kernel, maxKernelCacheBytes, parallel);
        double[] q = GroupKernelSums.upperSums(n, m, source, krw, kww, groups, parallel);

        double observed = groupStatistic(groups[0], q[0], rows, total, nPooled);
        int atLeast = 0;
        for (int p = 1; p <= permutations; p++) {
            if (groupStatistic(groups[p], q[p], rows, total, nPooled) >= observed) {
                atLeast++;
            }
        }
        double pValue = (1.0 + atLeast) / (1.0 + permutations);
        MmdResult result =
                new MmdResult(
                        statistic,
                        pValue,
                        kernel.sigma(),
                        permutations,
                        n,
                        m,
                        NullMode.PERMUTATION,
                        false);
        return new ExplainedMmd(result, witness ? witness(rk, rows, columns, n, m) : null);
    }

    /**
     * The witness from the pooled row sums (float kernel values): a reference row's sum is its
     * reference part {@code rk.rowSums} plus its window part; a window row's sum is its reference
     * part {@code columns} plus its window part (unit diagonal included).
     */
    private static Witness witness(
            ReferenceKernel rk, double[] rows, double[] columns, int n, int m) {
        double[] rf = new double[n];
        for (int i = 0; i < n; i++) {
            rf[i] = (rows[i] - rk.rowSums[i]) / m - rk.rowSums[i] / n;
        }
        double[] wf = new double[m];
        for (int c = 0; c < m; c++) {
            wf[c] = (rows[n + c] - columns[c]) / m - columns[c] / n;
        }
        return new Witness(wf, rf);
    }

    /** The smaller original sample, in pooled indices. */
    private static int[] identityGroup(int n, int m) {
        int[] g = new int[Math.min(n, m)];
        int start = m <= n ? n : 0;
        for (int i = 0; i < g.length; i++) {
            g[i] = start + i;
        }
        return g;
    }

    /**
     * Pooled kernel row sums (float values, unit diagonal included); {@code columns} (m, zeros)
     * receives each window point's sum over the reference.
     */
    private static double[] pooledRowSums(
            ReferenceKernel rk, float[] krw, float[] kww, int n, int m, double[] columns) {
        double[] rows = new double[n + m];
        for (int i = 0; i < n; i++) {
            double r = 0;
            int base = i * m;
            for (int c = 0; c < m; c++) {
                float v = krw[base + c];
                r += v;
                columns[c] += v;
            }
            rows[i] = rk.rowSums[i] + r;
        }
        double[] windowRows = new double[m];
        for (int c = 0; c < m; c++) {
            int base = c * m;
            for (int e = c + 1; e < m; e++) {
                float v = kww[base + e];
                windowRows[c] += v;
                windowRows[e] += v;
            }
        }
        for (int c = 0; c < m; c++) {
            rows[n + c] = 1.0 + columns[c] + windowRows[c];
        }
        return rows;
    }

    private static double groupStatistic(
            int[] group, double upperSum, double[] rows, double total, int nPooled) {
        double rowSum = 0;
        for (int i : group) {
            rowSum += rows[i];
        }
        return UnbiasedMmd.ofSplit(
                2 * upperSum + group.length, rowSum, total, group.length, nPooled);
    }
}
