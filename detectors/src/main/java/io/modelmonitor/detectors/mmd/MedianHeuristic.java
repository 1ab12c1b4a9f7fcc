package io.modelmonitor.detectors.mmd;

import io.modelmonitor.detectors.linalg.PointMatrix;
import io.modelmonitor.detectors.linalg.SquaredDistances;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * The median heuristic for the Gaussian kernel's bandwidth: σ = √(median/2), the median taken over
 * the squared distances between distinct reference points.
 *
 * <pre>{@code
 * double sigma = MedianHeuristic.sigma(reference);   // n_ref x d
 * }</pre>
 */
public final class MedianHeuristic {
    /** Reference size above which the median is taken over a seeded subsample. */
    public static final int MAX_POINTS = 2000;

    private static final long SEED = 0x6d656469616eL;

    private MedianHeuristic() {}

    /**
     * σ = √(median/2), the median taken over the squared distances between distinct reference
     * points (all pairs i &lt; j, computed exactly by differences; the median of an even count is
     * the mean of the two middle values, as numpy's). References larger than {@value #MAX_POINTS}
     * points use a fixed-seed uniform subsample of that many points (2·10⁶ pairs; the median's
     * relative sampling error is then well below 1%). If the median is 0 (mostly duplicate points)
     * the mean squared distance is used instead, and σ = 1 if all points coincide.
     */
    public static double sigma(double[][] reference) {
        return sigma(reference, MAX_POINTS, SEED);
    }

    /**
     * The rows {@link #sigma(double[][])} uses of a reference of n &gt; {@value #MAX_POINTS} rows.
     */
    static int[] subsample(int n) {
        return subsample(n, MAX_POINTS, SEED);
    }

    private static int[] subsample(int n, int maxPoints, long seed) {
        return RandomSubsets.sample(new SplittableRandom(seed), n, maxPoints, 1)[0];
    }

    /**
     * The median of the values (the mean of the two middle ones for an even count), by selection
     * rather than a full sort: the same value as sorting, in linear expected time. Reorders {@code
     * v}.
     */
    static double median(double[] v) {
        int h = v.length / 2;
        select(v, h);
        if (v.length % 2 == 1) {
            return v[h];
        }
        double below = v[0];
        for (int i = 1; i < h; i++) {
            below = Math.max(below, v[i]);
        }
        return 0.5 * (below + v[h]);
    }

    /**
     * Reorders {@code v} so that v[k] is the k-th smallest value, with nothing larger before it and
     * nothing smaller after it (Hoare's quickselect, median-of-three pivots; a range that does not
     * shrink fast enough is sorted instead).
     */
    private static void select(double[] v, int k) {
        int lo = 0;
        int hi = v.length - 1;
        for (int rounds = 0; hi > lo; rounds++) {
            if (rounds > 64) {
                Arrays.sort(v, lo, hi + 1);
                return;
            }
            int mid = (lo + hi) >>> 1;
            double pivot = medianOfThree(v[lo], v[mid], v[hi]);
            int i = lo;
            int j = hi;
            while (i <= j) {
                while (v[i] < pivot) {
                    i++;
                }
                while (v[j] > pivot) {
                    j--;
                }
                if (i <= j) {
                    double t = v[i];
                    v[i] = v[j];
                    v[j] = t;
                    i++;
                    j--;
                }
            }
            if (k <= j) {
                hi = j;
            } else if (k >= i) {
                lo = i;
            } else {
                return;
            }
        }
    }

    private static double medianOfThree(double a, double b, double c) {
        return Math.max(Math.min(a, b), Math.min(Math.max(a, b), c));
    }

    /** {@link #sigma(double[][])} with an explicit subsample bound and seed. */
    public static double sigma(double[][] reference, int maxPoints, long seed) {
        PointMatrix points = PointMatrix.of(reference);
        int n = points.rows();
        if (n < 2) {
            throw new IllegalArgumentException("the median heuristic needs at least 2 points");
        }
        if (n > maxPoints) {
            int[] subset = subsample(n, maxPoints, seed);
            points = points.select(subset);
            n = maxPoints;
        }
        double[] d2 = new double[(int) ((long) n * (n - 1) / 2)];
        int p = 0;
        double mean = 0;
        for (int i = 0; i < n; i++) {
            SquaredDistances.directRow(points, i, points, i + 1, n, d2, p);
            for (int j = i + 1; j < n; j++) {
                mean += d2[p++];
            }
        }
        mean /= d2.length;
        double median = median(d2);
        double m = median > 0 ? median : mean;
        return m > 0 ? Math.sqrt(m / 2) : 1.0;
    }
}
