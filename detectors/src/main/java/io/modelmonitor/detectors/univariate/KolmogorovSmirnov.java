package io.modelmonitor.detectors.univariate;

import io.modelmonitor.detectors.stats.KolmogorovSmirnovDistribution;
import java.util.Arrays;

/**
 * Two-sample two-sided Kolmogorov–Smirnov test, with the p-values of {@code scipy.stats.ks_2samp(x,
 * y, method=...)}.
 *
 * <ul>
 *   <li>{@link Method#EXACT}: the exact null distribution by lattice path counting (Hodges 1958;
 *       Viehmann 2021). The statistic is reported as h/lcm(n₁, n₂), the lattice value it rounds to,
 *       exactly as scipy does.
 *   <li>{@link Method#ASYMPTOTIC}: the one-sample distribution {@code kstwo} at the effective size
 *       round(n₁n₂/(n₁+n₂)), computed as in Simard &amp; L'Ecuyer (2011).
 *   <li>{@link Method#AUTO}: exact when max(n₁, n₂) ≤ 10000, else asymptotic (scipy's rule). Exact
 *       falls back to asymptotic where floating point fails.
 * </ul>
 *
 * <pre>{@code
 * TestResult r = KolmogorovSmirnov.test(reference, window);            // method AUTO
 * TestResult a = KolmogorovSmirnov.test(reference, window, Method.ASYMPTOTIC);
 * }</pre>
 */
public final class KolmogorovSmirnov {
    /** Name of the test in results. */
    public static final String NAME = "ks";

    /** Largest sample size for which {@link Method#AUTO} computes the exact distribution. */
    public static final int MAX_AUTO_EXACT = 10_000;

    /** How to compute the p-value. */
    public enum Method {
        AUTO,
        EXACT,
        ASYMPTOTIC
    }

    private KolmogorovSmirnov() {}

    /** Test with {@link Method#AUTO}; the inputs are not modified. */
    public static TestResult test(double[] x, double[] y) {
        return test(x, y, Method.AUTO);
    }

    /** Test with the given method; the inputs are not modified. */
    public static TestResult test(double[] x, double[] y, Method method) {
        return testSorted(sorted(x), sorted(y), method);
    }

    /** Test on samples already sorted ascending (saves the sort of a fixed reference). */
    public static TestResult testSorted(double[] sortedX, double[] sortedY, Method method) {
        int n1 = sortedX.length;
        int n2 = sortedY.length;
        if (n1 == 0 || n2 == 0) {
            throw new IllegalArgumentException("KS test needs two non-empty samples");
        }
        double d = statistic(sortedX, sortedY);
        Method chosen = method;
        if (chosen == Method.AUTO) {
            chosen = Math.max(n1, n2) <= MAX_AUTO_EXACT ? Method.EXACT : Method.ASYMPTOTIC;
        } else if (chosen == Method.EXACT) {
            int g = KolmogorovSmirnovDistribution.gcd(n1, n2);
            if ((double) (n1 / g) >= Integer.MAX_VALUE / (double) (n2 / g)) {
                chosen = Method.ASYMPTOTIC;
            }
        }
        if (chosen == Method.EXACT) {
            int g = KolmogorovSmirnovDistribution.gcd(n1, n2);
            long lcm = (long) (n1 / g) * n2;
            int h = (int) Math.rint(d * lcm);
            double latticeD = h / (double) lcm;
            double p = KolmogorovSmirnovDistribution.twoSampleExactSf(n1, n2, h);
            if (p >= 0 && p <= 1) {
                return new TestResult(NAME, latticeD, p);
            }
            // Floating point failed: fall back to the asymptotic distribution, as scipy does.
            d = latticeD;
        }
        return new TestResult(NAME, d, asymptoticPValue(d, n1, n2));
    }

    /** sup |F₁(t) − F₂(t)| over all sample points, for sorted samples. */
    public static double statistic(double[] sortedX, double[] sortedY) {
        int n1 = sortedX.length;
        int n2 = sortedY.length;
        int i = 0;
        int j = 0;
        double d = 0;
        while (i < n1 || j < n2) {
            // Step past every copy of the next value in both samples, then compare the ECDFs.
            double next;
            if (j >= n2 || (i < n1 && sortedX[i] <= sortedY[j])) {
                next = sortedX[i];
            } else {
                next = sortedY[j];
            }
            while (i < n1 && sortedX[i] <= next) {
                i++;
            }
            while (j < n2 && sortedY[j] <= next) {
                j++;
            }
            d = Math.max(d, Math.abs((double) i / n1 - (double) j / n2));
        }
        return d;
    }

    /** kstwo.sf(d, round(n₁n₂/(n₁+n₂))), scipy's two-sided asymptotic p-value. */
    public static double asymptoticPValue(double d, int n1, int n2) {
        double m = Math.max(n1, n2);
        double n = Math.min(n1, n2);
        double effective = m * n / (m + n);
        return KolmogorovSmirnovDistribution.twoSidedSf((int) Math.rint(effective), d);
    }

    static double[] sorted(double[] values) {
        double[] copy = values.clone();
        Arrays.sort(copy);
        return copy;
    }
}
