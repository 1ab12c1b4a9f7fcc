package io.modelmonitor.detectors.mmd;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntFunction;

/**
 * The calibrated null of {@link MmdDetector}: the reference's own resampling distribution of the
 * unbiased MMD², simulated for a fixed grid of window counts and shared by all windows, with a
 * generalized Pareto tail beyond the simulated draws.
 *
 * <h2>One calibration for every window count</h2>
 *
 * Under H0 the unbiased MMD² of samples of sizes n and m has mean 0 and variance v(n, m)·E[k̃²],
 * v(n, m) = 2/(n(n−1)) + 2/(m(m−1)) + 4/(nm), k̃ the doubly centred kernel, and its limit law is
 * (1/n + 1/m)·Σ λ_l (Z_l² − 1) with the kernel's eigenvalues λ_l (Gretton et al. 2012, "A Kernel
 * Two-Sample Test", JMLR 13, Theorem 12): once divided by √v(n, m) its shape depends on the counts
 * only through finite-sample corrections. So each draw, a split of the calibration pool into a
 * size-g subset and the rest, is stored standardised, z = MMD²_u / √v(n_pool − g, g), and a window
 * of m events with statistic T is compared through z = T / √v(n_ref, m). The draws are simulated
 * for counts on a grid, every count up to {@value #EXACT_UP_TO} and then a geometric grid of ratio
 * 2^(1/4) (plus the largest calibratable count); a window between grid counts g₁ &lt; m &lt; g₂
 * gets the p-value interpolated linearly in (log m, log p) between theirs. The shape changes slowly
 * with m, so the interpolation error is a small fraction of the (already small) difference between
 * neighbours; the level on windows of varying counts is checked by simulation (MmdValidityTest). At
 * most about 4·log₂(m/16) + 17 grid counts are ever simulated, each once, whatever the window
 * counts.
 *
 * <h2>Tail beyond the draws</h2>
 *
 * B draws alone cannot give p-values below 1/(B + 1), while an alert policy spending a false alarm
 * budget over many windows needs per-window levels near 1e-4…1e-6. Beyond the top N_exc = min(250,
 * B/10) draws the null's survival function is a generalized Pareto tail fitted to the exceedances
 * over the threshold t between the (N_exc+1)-th and N_exc-th largest draw (Knijnenburg, Wessels,
 * Reinders &amp; Shmulevich 2009, "Fewer permutations, more accurate P-values", Bioinformatics
 * 25(12)): p(x) = (N_exc + 1)/(B + 1) · (1 + ξ(x − t)/s)^(−1/ξ), with ξ and s by
 * probability-weighted moments (Hosking &amp; Wallis 1987, Technometrics 29). Below the threshold
 * the p-value is the usual (1 + #{draws ≥ x})/(1 + B). The shape is kept at ξ ≥ 0: a weighted sum
 * of χ² variables has an exponential-type tail (ξ = 0 in the limit), and a fitted ξ &lt; 0 would
 * put a finite end point on the tail and give p = 0 beyond it. With fewer than 200 draws there is
 * no tail fit and p-values stop at 1/(B + 1).
 *
 * <p>Check against brute force (Gaussian reference of 400 points, d = 5, σ = 2, window count 20, B
 * = 1000): at the quantiles of 10⁷ independent draws at levels 1e-3, 1e-4, 1e-5 and 1e-6 the tail
 * gives 0.90, 1.10, 1.48 and 2.57 times the level, i.e. within a factor of 3 and erring on the
 * conservative side in the far tail (CalibratedNullTest#tailAgreesWithBruteForce repeats it with
 * 10⁶ draws down to 1e-5).
 */
final class CalibratedNull {
    /** Every window count up to this one is a grid count. */
    static final int EXACT_UP_TO = 16;

    /** Fewest draws with which a tail is fitted. */
    static final int MIN_DRAWS_FOR_TAIL = 200;

    /** Most exceedances the tail is fitted to. */
    static final int MAX_EXCEEDANCES = 250;

    /** Floor of reported p-values, so that log p stays finite for callers. */
    static final double MIN_P = Double.MIN_NORMAL;

    /** A p-value and whether it came from the fitted tail. */
    record Evaluation(double pValue, boolean tail) {}

    private final ReferenceKernel pool;
    private final int nReference;
    private final int draws;
    private final IntFunction<SplittableRandom> rngForCount;
    private final boolean parallel;
    private final int[] grid;
    private final ConcurrentHashMap<Integer, Tail> nulls = new ConcurrentHashMap<>();

    /**
     * @param pool the calibration pool's cached kernel (the reference, or a subset of it)
     * @param nReference the full reference size the windows are tested against
     * @param draws simulated splits per grid count (B)
     * @param rngForCount the seeded generator of the draws for a grid count
     */
    CalibratedNull(
            ReferenceKernel pool,
            int nReference,
            int draws,
            IntFunction<SplittableRandom> rngForCount,
            boolean parallel) {
        this.pool = pool;
        this.nReference = nReference;
        this.draws = draws;
        this.rngForCount = rngForCount;
        this.parallel = parallel;
        this.grid = grid(pool.n / 2);
    }

    /** Largest window count served: half the pool. */
    int maxCount() {
        return pool.n / 2;
    }

    /** The grid counts a window of m events is served from (one count, or two around m). */
    int[] bracket(int m) {
        if (m < 2 || m > maxCount()) {
            throw new IllegalArgumentException(
                    "window count " + m + " outside [2, " + maxCount() + "]");
        }
        int i = Arrays.binarySearch(grid, m);
        if (i >= 0) {
            return new int[] {m};
        }
        int above = -i - 1;
        return new int[] {grid[above - 1], grid[above]};
    }

    /** The grid counts simulated so far. */
    int[] simulatedCounts() {
        return nulls.keySet().stream().mapToInt(Integer::intValue).sorted().toArray();
    }

    /** Simulates the grid counts that serve window count m now, if not done yet. */
    void prepare(int m) {
        for (int g : bracket(m)) {
            tail(g);
        }
    }

    /** p-value of the unbiased MMD² {@code statistic} of a window of m events. */
    Evaluation pValue(double statistic, int m) {
        double z = statistic / Math.sqrt(variance(nReference, m));
        int[] b = bracket(m);
        Evaluation lo = tail(b[0]).pValue(z);
        if (b.length == 1) {
            return lo;
        }
        Evaluation hi = tail(b[1]).pValue(z);
        double t = Math.log((double) m / b[0]) / Math.log((double) b[1] / b[0]);
        double logP = (1 - t) * Math.log(lo.pValue()) + t * Math.log(hi.pValue());
        return new Evaluation(Math.max(MIN_P, Math.min(1, Math.exp(logP))), lo.tail() || hi.tail());
    }

    /** The null of grid count g (simulated on first use, then cached). */
    Tail tail(int g) {
        return nulls.computeIfAbsent(g, k -> new Tail(simulate(k, draws, rngForCount.apply(k))));
    }

    /** {@code count} standardised draws for window count g from {@code rng}, unsorted. */
    double[] simulate(int g, int count, SplittableRandom rng) {
        int nPool = pool.n;
        int[][] subsets = RandomSubsets.sample(rng, nPool, g, count);
        double[] q =
                GroupKernelSums.upperSums(
                        nPool, 0, GroupKernelSums.cached(pool), null, null, subsets, parallel);
        double scale = 1 / Math.sqrt(variance(nPool - g, g));
        double[] z = new double[count];
        for (int b = 0; b < count; b++) {
            double rowSum = 0;
            for (int i : subsets[b]) {
                rowSum += pool.rowSums[i];
            }
            z[b] = scale * UnbiasedMmd.ofSplit(2 * q[b] + g, rowSum, pool.total, g, nPool);
        }
        return z;
    }

    /**
     * Relative variance of the unbiased MMD² under H0 for sample sizes n and m: Var = v(n, m) ·
     * E[k̃(X, X')²] with k̃ the doubly centred kernel (the three sums are uncorrelated degenerate
     * U/V-statistics).
     */
    static double variance(int n, int m) {
        return 2.0 / ((double) n * (n - 1)) + 2.0 / ((double) m * (m - 1)) + 4.0 / ((double) n * m);
    }

    /** 2..16, then 16·2^(k/4) rounded, then {@code max}; at most {@code max}. */
    static int[] grid(int max) {
        List<Integer> counts = new ArrayList<>();
        for (int g = 2; g <= Math.min(EXACT_UP_TO, max); g++) {
            counts.add(g);
        }
        for (int k = 1; ; k++) {
            int g = (int) Math.round(EXACT_UP_TO * Math.pow(2, k / 4.0));
            if (g >= max) {
                break;
            }
            if (g > counts.get(counts.size() - 1)) {
                counts.add(g);
            }
        }
        if (max >= 2 && counts.get(counts.size() - 1) < max) {
            counts.add(max);
        }
        return counts.stream().mapToInt(Integer::intValue).toArray();
    }

    /** Sorted standardised draws of one grid count and the generalized Pareto fit to their top. */
    static final class Tail {
        final double[] sorted;

        /** Exceedances over {@link #threshold} the fit used; 0 when there is no tail fit. */
        final int exceedances;

        final double threshold;
        final double shape;
        final double scale;

        Tail(double[] draws) {
            sorted = draws.clone();
            Arrays.sort(sorted);
            int b = sorted.length;
            int nExc = Math.min(MAX_EXCEEDANCES, b / 10);
            if (b < MIN_DRAWS_FOR_TAIL || sorted[b - 1] <= sorted[b - nExc - 1]) {
                exceedances = 0;
                threshold = Double.POSITIVE_INFINITY;
                shape = 0;
                scale = 1;
                return;
            }
            exceedances = nExc;
            threshold = 0.5 * (sorted[b - nExc - 1] + sorted[b - nExc]);
            // Probability-weighted moments of the ascending exceedances y_(1) ≤ … ≤ y_(n):
            // a0 = E[Y], a1 = E[Y(1 − F(Y))] estimated with the unbiased weights (n − i)/(n − 1).
            double a0 = 0;
            double a1 = 0;
            for (int i = 0; i < nExc; i++) {
                double y = sorted[b - nExc + i] - threshold;
                a0 += y;
                a1 += y * (nExc - 1.0 - i) / (nExc - 1.0);
            }
            a0 /= nExc;
            a1 /= nExc;
            // Hosking & Wallis: k = a0/(a0 − 2a1) − 2, σ = 2·a0·a1/(a0 − 2a1), and ξ = −k.
            double xi = a0 - 2 * a1 > 0 ? 2 - a0 / (a0 - 2 * a1) : 0;
            if (xi > 0 && xi < 0.5) {
                shape = xi;
                scale = 2 * a0 * a1 / (a0 - 2 * a1);
            } else {
                // ξ ≤ 0 (or a fit outside PWM's range): the exponential tail, σ the mean excess
                // (its ML fit)
                shape = 0;
                scale = a0;
            }
        }

        Evaluation pValue(double z) {
            int b = sorted.length;
            if (!(z > threshold)) {
                int atLeast = b - lowerBound(sorted, z);
                return new Evaluation((1.0 + atLeast) / (1.0 + b), false);
            }
            double y = (z - threshold) / scale;
            double logSurvival = shape > 0 ? -Math.log1p(shape * y) / shape : -y;
            double logP = Math.log((exceedances + 1.0) / (b + 1.0)) + logSurvival;
            return new Evaluation(Math.max(MIN_P, Math.exp(logP)), true);
        }

        /** First index whose value is ≥ x. */
        private static int lowerBound(double[] sorted, double x) {
            int lo = 0;
            int hi = sorted.length;
            while (lo < hi) {
                int mid = (lo + hi) >>> 1;
                if (sorted[mid] < x) {
                    lo = mid + 1;
                } else {
                    hi = mid;
                }
            }
            return lo;
        }
    }
}
