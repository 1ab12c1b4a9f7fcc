package io.modelmonitor.detectors.univariate;

import io.modelmonitor.detectors.stats.SpecialFunctions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Drift test of a categorical variable: is the window's category distribution the reference's?
 *
 * <p>Both distributions are unknown (the reference frequencies are themselves a sample), so the
 * comparison is a two-sample test of homogeneity on the 2 × k table (reference row, window row),
 * not a goodness-of-fit test against the reference proportions taken as exact. {@link #test} makes
 * that test valid at small windows and skewed classes, where the plain Pearson statistic's χ²
 * approximation rejects too often (about 2% at nominal 1% for a 99/1 binary feature):
 *
 * <ol>
 *   <li><b>Categories unseen in the reference are left out.</b> A value the reference never showed
 *       is a data-quality matter (a new code, a pipeline bug) that {@link #unseen} counts; as drift
 *       evidence a single such value would give a 2 × k table a near-empty column and a tiny
 *       p-value. The test compares the window's seen values with the reference.
 *   <li><b>Sparse columns are pooled</b>: columns whose expected count in the smaller row is below
 *       5 (Cochran's rule) are merged into one; if that merged column is still below 5 it joins the
 *       smallest adequate column.
 *   <li>With three or more columns left: Pearson's χ² on the pooled table, columns − 1 degrees of
 *       freedom. With two (one degree of freedom, where the approximation is worst and skewed
 *       binary features live): <b>Fisher's exact test</b>, two-sided as {@code
 *       scipy.stats.fisher_exact}, summed in log space so that p-values far below 1e-6 stay exact.
 *       If pooling leaves a single column the 2 × 2 table of the most frequent seen category
 *       against the rest goes to Fisher's test.
 * </ol>
 *
 * <p>The result is named {@value #NAME} in every case (reports and their consumers know the
 * categorical test by that name); its statistic is Pearson's χ² of the table finally tested, for
 * Fisher's test too, so that statistics stay comparable across windows. {@link #pearson} is the
 * plain test ({@code scipy.stats.chi2_contingency(table, correction=False)}) without these steps.
 *
 * <pre>{@code
 * TestResult r = ChiSquared.test(Map.of("pos", 900L, "neg", 100L), Map.of("pos", 60L, "neg", 40L));
 * long unseen = ChiSquared.unseen(referenceCounts, windowCounts);
 * }</pre>
 */
public final class ChiSquared {
    /** Name of the test in results. */
    public static final String NAME = "chi2";

    /** Cochran's smallest expected count for the χ² approximation. */
    static final double MIN_EXPECTED = 5;

    private ChiSquared() {}

    /** The drift test over the union of the categories of both maps (see the class comment). */
    public static TestResult test(Map<String, Long> reference, Map<String, Long> current) {
        long[][] aligned = align(reference, current);
        return test(aligned[0], aligned[1]);
    }

    /** Number of window values in categories the reference never showed. */
    public static long unseen(Map<String, Long> reference, Map<String, Long> current) {
        long unseen = 0;
        for (Map.Entry<String, Long> e : current.entrySet()) {
            if (reference.getOrDefault(e.getKey(), 0L) == 0) {
                unseen += e.getValue();
            }
        }
        return unseen;
    }

    /**
     * The drift test on aligned count vectors (column i is the same category in both). A window
     * whose values are all unseen in the reference carries no drift evidence here: p = 1.
     */
    public static TestResult test(long[] reference, long[] current) {
        check(reference, current);
        List<long[]> seen = new ArrayList<>();
        long curSeen = 0;
        for (int i = 0; i < reference.length; i++) {
            if (reference[i] > 0) {
                seen.add(new long[] {reference[i], current[i]});
                curSeen += current[i];
            }
        }
        if (curSeen == 0 || seen.size() <= 1) {
            return new TestResult(NAME, 0, 1);
        }
        List<long[]> cells = pool(seen);
        if (cells.size() == 1) {
            cells = largestVersusRest(seen);
        }
        long[] ref = new long[cells.size()];
        long[] cur = new long[cells.size()];
        for (int i = 0; i < ref.length; i++) {
            ref[i] = cells.get(i)[0];
            cur[i] = cells.get(i)[1];
        }
        TestResult chi2 = pearson(ref, cur);
        if (cells.size() == 2) {
            return new TestResult(
                    NAME, chi2.statistic(), fisherExact(ref[0], ref[1], cur[0], cur[1]));
        }
        return chi2;
    }

    /** Sparse columns merged as the class comment says; input columns are {reference, current}. */
    static List<long[]> pool(List<long[]> columns) {
        double refTotal = 0;
        double curTotal = 0;
        for (long[] c : columns) {
            refTotal += c[0];
            curTotal += c[1];
        }
        double smallerShare = Math.min(refTotal, curTotal) / (refTotal + curTotal);
        List<long[]> cells = new ArrayList<>();
        long[] sparse = {0, 0};
        for (long[] c : columns) {
            if ((c[0] + c[1]) * smallerShare < MIN_EXPECTED) {
                sparse[0] += c[0];
                sparse[1] += c[1];
            } else {
                cells.add(c.clone());
            }
        }
        if (sparse[0] + sparse[1] > 0) {
            if ((sparse[0] + sparse[1]) * smallerShare >= MIN_EXPECTED || cells.isEmpty()) {
                cells.add(sparse);
            } else {
                long[] smallest = cells.get(0);
                for (long[] c : cells) {
                    if (c[0] + c[1] < smallest[0] + smallest[1]) {
                        smallest = c;
                    }
                }
                smallest[0] += sparse[0];
                smallest[1] += sparse[1];
            }
        }
        return cells;
    }

    private static List<long[]> largestVersusRest(List<long[]> columns) {
        long[] largest = columns.get(0);
        long[] total = {0, 0};
        for (long[] c : columns) {
            if (c[0] + c[1] > largest[0] + largest[1]) {
                largest = c;
            }
            total[0] += c[0];
            total[1] += c[1];
        }
        return List.of(largest.clone(), new long[] {total[0] - largest[0], total[1] - largest[1]});
    }

    /**
     * Two-sided Fisher exact p-value of the 2 × 2 table [[a, b], [c, d]] (rows: reference,
     * current): the hypergeometric probability, given all margins, of tables no more probable than
     * the observed one, with scipy's relative tolerance 1e-7 for ties in probability.
     */
    public static double fisherExact(long a, long b, long c, long d) {
        long row1 = a + b;
        long col1 = a + c;
        long col2 = b + d;
        long n = row1 + c + d;
        long lo = Math.max(0, row1 - col2);
        long hi = Math.min(row1, col1);
        if (lo == hi) {
            return 1;
        }
        double logObserved = logHypergeometric(a, row1, col1, col2);
        double cutoff = logObserved + 1e-7; // log(1 + 1e-7)
        long mode =
                Math.min(
                        hi,
                        Math.max(lo, (long) Math.floor((row1 + 1.0) * (col1 + 1.0) / (n + 2.0))));
        double logMode = logHypergeometric(mode, row1, col1, col2);
        // Weights fall monotonically away from the mode; walk out on both sides and stop where they
        // are e^-50 below both the observed table and the mode, too small to change either sum.
        double stop = Math.min(logObserved, logMode) - 50;
        double all = 0;
        double extreme = 0;
        for (int side = -1; side <= 1; side += 2) {
            for (long x = side < 0 ? mode : mode + 1; x >= lo && x <= hi; x += side) {
                double t = logHypergeometric(x, row1, col1, col2);
                all += Math.exp(t - logMode);
                if (t <= cutoff) {
                    extreme += Math.exp(t - logObserved); // scaled apart so that tiny tails do
                    // not underflow
                }
                if (t < stop) {
                    break;
                }
            }
        }
        // Normalising by the summed weights rather than by C(n, row1) cancels rounding in logGamma.
        return Math.min(1, Math.exp(logObserved - logMode + Math.log(extreme) - Math.log(all)));
    }

    /** log of C(col1, x) · C(col2, row1 − x), the unnormalised hypergeometric weight. */
    private static double logHypergeometric(long x, long row1, long col1, long col2) {
        return logChoose(col1, x) + logChoose(col2, row1 - x);
    }

    private static double logChoose(long n, long k) {
        return SpecialFunctions.logGamma(n + 1.0)
                - SpecialFunctions.logGamma(k + 1.0)
                - SpecialFunctions.logGamma(n - k + 1.0);
    }

    /**
     * Plain Pearson χ² test of homogeneity on aligned count vectors, as {@code
     * scipy.stats.chi2_contingency(table, correction=False)}: no Yates correction (scipy's would
     * make the statistic's definition jump between k = 2 and k = 3), E = row total × column total /
     * grand total, k − 1 degrees of freedom over the non-empty columns; a single column gives
     * statistic 0, p = 1.
     */
    public static TestResult pearson(long[] reference, long[] current) {
        check(reference, current);
        double refTotal = 0;
        double curTotal = 0;
        int columns = 0;
        for (int i = 0; i < reference.length; i++) {
            refTotal += reference[i];
            curTotal += current[i];
            if (reference[i] + current[i] > 0) {
                columns++;
            }
        }
        if (columns <= 1) {
            return new TestResult(NAME, 0, 1);
        }
        double total = refTotal + curTotal;
        double statistic = 0;
        for (int i = 0; i < reference.length; i++) {
            double columnTotal = reference[i] + current[i];
            if (columnTotal == 0) {
                continue;
            }
            statistic += cell(reference[i], refTotal * columnTotal / total);
            statistic += cell(current[i], curTotal * columnTotal / total);
        }
        return new TestResult(
                NAME, statistic, SpecialFunctions.chiSquaredSf(statistic, columns - 1));
    }

    /** Plain Pearson test over the union of the categories of both maps. */
    public static TestResult pearson(Map<String, Long> reference, Map<String, Long> current) {
        long[][] aligned = align(reference, current);
        return pearson(aligned[0], aligned[1]);
    }

    private static long[][] align(Map<String, Long> reference, Map<String, Long> current) {
        TreeSet<String> categories = new TreeSet<>(reference.keySet());
        categories.addAll(current.keySet());
        long[] ref = new long[categories.size()];
        long[] cur = new long[categories.size()];
        int i = 0;
        for (String c : categories) {
            ref[i] = reference.getOrDefault(c, 0L);
            cur[i] = current.getOrDefault(c, 0L);
            i++;
        }
        return new long[][] {ref, cur};
    }

    private static void check(long[] reference, long[] current) {
        if (reference.length != current.length) {
            throw new IllegalArgumentException("count vectors differ in length");
        }
        long refTotal = 0;
        long curTotal = 0;
        for (int i = 0; i < reference.length; i++) {
            if (reference[i] < 0 || current[i] < 0) {
                throw new IllegalArgumentException("negative count");
            }
            refTotal += reference[i];
            curTotal += current[i];
        }
        if (refTotal == 0 || curTotal == 0) {
            throw new IllegalArgumentException("chi-squared needs counts in both samples");
        }
    }

    private static double cell(double observed, double expected) {
        double diff = observed - expected;
        return diff * diff / expected;
    }
}
