package io.modelmonitor.detectors.outlier;

import java.util.Arrays;

/**
 * ROC AUC of outlier scores: the probability that a known outlier scores above a known inlier, ties
 * counting one half (the Mann–Whitney U statistic over n₁·n₀), computed from midranks in O(n log
 * n).
 */
public final class OutlierAuc {
    private OutlierAuc() {}

    /** AUC of {@code outliers} scored above {@code inliers}; NaN scores are refused. */
    public static double of(double[] outliers, double[] inliers) {
        int n1 = outliers.length;
        int n0 = inliers.length;
        if (n1 == 0 || n0 == 0) {
            throw new IllegalArgumentException("need outliers and inliers");
        }
        double[][] all = new double[n1 + n0][];
        for (int i = 0; i < n1; i++) {
            all[i] = new double[] {outliers[i], 1};
        }
        for (int i = 0; i < n0; i++) {
            all[n1 + i] = new double[] {inliers[i], 0};
        }
        for (double[] a : all) {
            if (Double.isNaN(a[0])) {
                throw new IllegalArgumentException("NaN score");
            }
        }
        Arrays.sort(all, (a, b) -> Double.compare(a[0], b[0]));
        double rankSum = 0;
        for (int i = 0; i < all.length; ) {
            int j = i;
            while (j < all.length && all[j][0] == all[i][0]) {
                j++;
            }
            double midrank = (i + 1 + j) / 2.0;
            for (int t = i; t < j; t++) {
                if (all[t][1] == 1) {
                    rankSum += midrank;
                }
            }
            i = j;
        }
        double u = rankSum - n1 * (n1 + 1) / 2.0;
        return u / ((double) n1 * n0);
    }
}
