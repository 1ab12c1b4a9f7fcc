package io.modelmonitor.detectors.mmd;

import java.util.Arrays;

/**
 * The core of the permutation test: for many groups G_p of the pooled sample (reference points
 * 0..n_ref−1, then window points n_ref..n_ref+n_win−1), the within-group kernel sums q_p =
 * Σ_{i&lt;j ∈ G_p} K_ij.
 *
 * <p>Together with the pooled row sums r = K·1 and total S = 1ᵀK1 (both computed once), q_p gives
 * all three block sums of a split: with a = indicator of G_p, aᵀKa = 2q_p + |G_p| (unit diagonal),
 * aᵀK(1−a) = aᵀr − aᵀKa and (1−a)ᵀK(1−a) = S − aᵀKa − 2aᵀK(1−a). Each group is the smaller side of
 * a split, so a permutation costs s(s−1)/2 kernel look-ups with s = min(n_ref, n_win), instead of
 * the (n_ref + n_win)² multiply-adds of the dense product Kᵀ·a.
 *
 * <p>Loop order for cache reuse: pooled rows are visited in blocks of {@value #ROW_BLOCK}; within a
 * block every group of a chunk adds the rows it contains (each group's indices are sorted, so a
 * cursor per group advances monotonically), so the block's kernel rows stay in L2 while all groups
 * use them. Group chunks run in parallel; each group's sum is accumulated in a fixed order, so the
 * result does not depend on the thread count.
 */
final class GroupKernelSums {
    private static final int ROW_BLOCK = 64;

    /** Where the reference×reference rows come from: a cache, or computed block by block. */
    interface RefRowsSource {
        /** Rows [from, to) of the strict upper triangle, valid until the next call. */
        UpperRows rows(int from, int to);

        /** How many rows one call to {@link #rows} may cover. */
        int blockRows();
    }

    private GroupKernelSums() {}

    /** A source over a fully cached reference kernel. */
    static RefRowsSource cached(ReferenceKernel kernel) {
        return new RefRowsSource() {
            @Override
            public UpperRows rows(int from, int to) {
                return kernel;
            }

            @Override
            public int blockRows() {
                return Integer.MAX_VALUE;
            }
        };
    }

    /**
     * q_p for every group.
     *
     * @param nRef pooled indices below this are reference points
     * @param nWin number of window points (0 when the pool is the reference alone)
     * @param ref reference×reference rows
     * @param krw reference×window kernel, row-major nRef × nWin (null when nWin = 0)
     * @param kww window×window kernel, row-major nWin × nWin, upper triangle used (null when nWin =
     *     0)
     * @param groups sorted pooled indices, all groups of the same size
     */
    static double[] upperSums(
            int nRef,
            int nWin,
            RefRowsSource ref,
            float[] krw,
            float[] kww,
            int[][] groups,
            boolean parallel) {
        int count = groups.length;
        int nPooled = nRef + nWin;
        int[] cursor = new int[count];
        int[] split = new int[count];
        double[] sums = new double[count];
        for (int p = 0; p < count; p++) {
            int pos = Arrays.binarySearch(groups[p], nRef);
            split[p] = pos >= 0 ? pos : -pos - 1;
        }
        int superBlock = (int) Math.min(nPooled, Math.max(ROW_BLOCK, (long) ref.blockRows()));
        int chunk = Parallel.chunkSize(count, 4);
        for (int i0 = 0; i0 < nPooled; i0 += superBlock) {
            int i1 = Math.min(nPooled, i0 + superBlock);
            UpperRows refRows = i0 < nRef ? ref.rows(i0, Math.min(i1, nRef)) : null;
            int from = i0;
            Parallel.forChunks(
                    count,
                    chunk,
                    parallel,
                    (p0, p1) -> {
                        for (int b0 = from; b0 < i1; b0 += ROW_BLOCK) {
                            int b1 = Math.min(i1, b0 + ROW_BLOCK);
                            for (int p = p0; p < p1; p++) {
                                sums[p] +=
                                        addRows(
                                                groups[p], cursor, split[p], p, b1, nRef, nWin,
                                                refRows, krw, kww);
                            }
                        }
                    });
        }
        return sums;
    }

    /**
     * Adds the upper-triangle row parts of group members below {@code end}; advances the cursor.
     */
    private static double addRows(
            int[] g,
            int[] cursor,
            int split,
            int p,
            int end,
            int nRef,
            int nWin,
            UpperRows refRows,
            float[] krw,
            float[] kww) {
        int s = g.length;
        int t = cursor[p];
        double acc = 0;
        while (t < s && g[t] < end) {
            int i = g[t];
            if (i < nRef) {
                acc += gatherSum(refRows.array(), refRows.base(i), g, t + 1, split);
                if (nWin > 0) {
                    acc += gatherSum(krw, i * nWin - nRef, g, Math.max(t + 1, split), s);
                }
            } else {
                acc += gatherSum(kww, (i - nRef) * nWin - nRef, g, t + 1, s);
            }
            t++;
        }
        cursor[p] = t;
        return acc;
    }

    /**
     * Σ a[base + idx[u]] for u in [from, to). Four values are added in float before one double
     * addition: converting every value to double was the loop's bottleneck (1.7× the time), and the
     * two float roundings per four values are of the order of the float storage's own rounding. The
     * observed split's sum takes the same path, so the comparison stays like with like.
     */
    private static double gatherSum(float[] a, int base, int[] idx, int from, int to) {
        double s = 0;
        int u = from;
        for (; u + 3 < to; u += 4) {
            float pair0 = a[base + idx[u]] + a[base + idx[u + 1]];
            float pair1 = a[base + idx[u + 2]] + a[base + idx[u + 3]];
            s += pair0 + pair1;
        }
        for (; u < to; u++) {
            s += a[base + idx[u]];
        }
        return s;
    }
}
