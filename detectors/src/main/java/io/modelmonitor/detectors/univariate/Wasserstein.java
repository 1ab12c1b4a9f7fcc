package io.modelmonitor.detectors.univariate;

/**
 * First Wasserstein (earth mover's) distance between two one-dimensional samples, W₁ = ∫ |F_u(t) −
 * F_v(t)| dt, as {@code scipy.stats.wasserstein_distance(u, v)}, and its scale-free form divided by
 * the reference's population standard deviation (numpy's default {@code ddof=0}). When the
 * reference is constant (std 0) the normalised form returns the raw distance. No p-value.
 *
 * <pre>{@code
 * double w = Wasserstein.normalized(reference, window);
 * }</pre>
 */
public final class Wasserstein {
    /** Name of the measure in results. */
    public static final String NAME = "wasserstein";

    private Wasserstein() {}

    /** W₁(u, v); the inputs are not modified. */
    public static double distance(double[] u, double[] v) {
        return distanceSorted(KolmogorovSmirnov.sorted(u), KolmogorovSmirnov.sorted(v));
    }

    /** W₁ for samples sorted ascending: Σ over the pooled order of |F_u − F_v| × gap. */
    public static double distanceSorted(double[] u, double[] v) {
        int nu = u.length;
        int nv = v.length;
        if (nu == 0 || nv == 0) {
            throw new IllegalArgumentException("empty sample");
        }
        int i = 0;
        int j = 0;
        double total = 0;
        double previous = Math.min(u[0], v[0]);
        while (i < nu || j < nv) {
            double next = (j >= nv || (i < nu && u[i] <= v[j])) ? u[i] : v[j];
            total += Math.abs((double) i / nu - (double) j / nv) * (next - previous);
            while (i < nu && u[i] <= next) {
                i++;
            }
            while (j < nv && v[j] <= next) {
                j++;
            }
            previous = next;
        }
        return total;
    }

    /** W₁(reference, current) / std(reference). */
    public static double normalized(double[] reference, double[] current) {
        double std = standardDeviation(reference);
        double w = distance(reference, current);
        return std > 0 ? w / std : w;
    }

    /** As {@link #normalized} wrapped in a result with no p-value. */
    public static TestResult test(double[] reference, double[] current) {
        return new TestResult(NAME, normalized(reference, current), Double.NaN);
    }

    /** Population standard deviation (divisor n). */
    public static double standardDeviation(double[] x) {
        double mean = 0;
        for (double v : x) {
            mean += v;
        }
        mean /= x.length;
        double ss = 0;
        for (double v : x) {
            ss += (v - mean) * (v - mean);
        }
        return Math.sqrt(ss / x.length);
    }
}
