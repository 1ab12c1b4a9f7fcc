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
            for (int j = i + 1; j < n; j++) {
                double v = SquaredDistances.direct(points, i, points, j);
                d2[p++] = v;
                mean += v;
            }
        }
        mean /= d2.length;
        Arrays.sort(d2);
        int h = d2.length / 2;
        double median = d2.length % 2 == 1 ? d2[h] : 0.5 * (d2[h - 1] + d2[h]);
        double m = median > 0 ? median : mean;
        return m > 0 ? Math.sqrt(m / 2) : 1.0;
    }
}
