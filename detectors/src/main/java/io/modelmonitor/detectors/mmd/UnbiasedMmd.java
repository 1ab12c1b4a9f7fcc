package io.modelmonitor.detectors.mmd;

/**
 * The unbiased MMD² from kernel sums, shared by the observed statistic, the permutation test and
 * the calibrated null, so that all three compute it the same way.
 */
final class UnbiasedMmd {
    private UnbiasedMmd() {}

    /** MMD²_u from the off-diagonal within sums and the cross sum. */
    static double fromSums(double xxOff, double yyOff, double xy, int n, int m) {
        return xxOff / ((double) n * (n - 1))
                + yyOff / ((double) m * (m - 1))
                - 2 * xy / ((double) n * m);
    }

    /**
     * Unbiased MMD² of a split of a pooled sample into A (size s) and its complement B, from aᵀKa
     * (unit diagonal included), aᵀr (r = pooled row sums) and S = 1ᵀK1.
     */
    static double ofSplit(double aa, double aRowSum, double total, int s, int nPooled) {
        int t = nPooled - s;
        double ab = aRowSum - aa;
        double bb = total - aa - 2 * ab;
        return fromSums(aa - s, bb - t, ab, s, t);
    }

    static double sum(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x;
        }
        return s;
    }
}
