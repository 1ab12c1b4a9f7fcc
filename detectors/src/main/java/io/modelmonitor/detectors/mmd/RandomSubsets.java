package io.modelmonitor.detectors.mmd;

import java.util.SplittableRandom;

/** Uniform random subsets of {0, …, n−1}, returned sorted. */
final class RandomSubsets {
    private RandomSubsets() {}

    /**
     * {@code count} independent uniform subsets of size k of {0..n−1}, each sorted ascending, drawn
     * in order from {@code rng} (Floyd's algorithm, O(n) per subset with the final scan).
     */
    static int[][] sample(SplittableRandom rng, int n, int k, int count) {
        if (k > n || k < 0) {
            throw new IllegalArgumentException("subset size " + k + " out of range for " + n);
        }
        int[][] out = new int[count][];
        boolean[] chosen = new boolean[n];
        for (int c = 0; c < count; c++) {
            for (int j = n - k; j < n; j++) {
                int t = rng.nextInt(j + 1);
                chosen[chosen[t] ? j : t] = true;
            }
            int[] subset = new int[k];
            int m = 0;
            for (int i = 0; i < n; i++) {
                if (chosen[i]) {
                    subset[m++] = i;
                    chosen[i] = false;
                }
            }
            out[c] = subset;
        }
        return out;
    }

    /** A uniform random permutation of {0..n−1} (Fisher–Yates). */
    static int[] permutation(SplittableRandom rng, int n) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }
}
