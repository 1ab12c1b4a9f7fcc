package io.modelmonitor.detectors.univariate;

import io.modelmonitor.detectors.stats.SpecialFunctions;

/**
 * Two-sample Cramér–von Mises test with the asymptotic p-value of {@code
 * scipy.stats.cramervonmises_2samp(x, y, method='asymptotic')}.
 *
 * <p>The statistic is Anderson's (1962) T = U/(nm(n+m)) − (4nm − 1)/(6(n+m)) with U = n Σ(rᵢ − i)²
 * + m Σ(sⱼ − j)² over the pooled mid-ranks. The p-value standardises T by its exact mean and
 * variance and evaluates the limiting one-sample distribution there (Anderson 1962, eq. 15), whose
 * cdf is the series of Csörgő &amp; Faraway (1996, eq. 1.2) with Bessel K_{1/4} terms, summed until
 * a term falls below 1e-7 as scipy does. Only the asymptotic method is implemented; scipy's {@code
 * 'auto'} uses the exact distribution below 21 observations.
 *
 * <pre>{@code
 * TestResult r = CramerVonMises.test(reference, window);
 * }</pre>
 */
public final class CramerVonMises {
    /** Name of the test in results. */
    public static final String NAME = "cvm";

    private CramerVonMises() {}

    /** Asymptotic two-sample test; each sample needs at least two observations. */
    public static TestResult test(double[] x, double[] y) {
        return testSorted(KolmogorovSmirnov.sorted(x), KolmogorovSmirnov.sorted(y));
    }

    /** As {@link #test} for samples already sorted ascending. */
    public static TestResult testSorted(double[] sortedX, double[] sortedY) {
        int nx = sortedX.length;
        int ny = sortedY.length;
        if (nx < 2 || ny < 2) {
            throw new IllegalArgumentException(
                    "Cramér–von Mises needs at least two observations each");
        }
        double u = rankDeviation(sortedX, sortedY, nx, ny);
        double k = (double) nx * ny;
        double total = nx + ny;
        double t = u / (k * total) - (4 * k - 1) / (6 * total);
        return new TestResult(NAME, t, asymptoticPValue(t, nx, ny));
    }

    /** U = nx Σ(rank of i-th x − i)² + ny Σ(rank of j-th y − j)² with mid-ranks for ties. */
    private static double rankDeviation(double[] x, double[] y, int nx, int ny) {
        double sumX = 0;
        double sumY = 0;
        int i = 0;
        int j = 0;
        int ranked = 0; // observations ranked so far
        while (i < nx || j < ny) {
            double value = (j >= ny || (i < nx && x[i] <= y[j])) ? x[i] : y[j];
            int tieX = 0;
            while (i + tieX < nx && x[i + tieX] == value) {
                tieX++;
            }
            int tieY = 0;
            while (j + tieY < ny && y[j + tieY] == value) {
                tieY++;
            }
            int tie = tieX + tieY;
            double midRank = ranked + (tie + 1) / 2.0;
            for (int a = 0; a < tieX; a++) {
                double dev = midRank - (i + a + 1);
                sumX += dev * dev;
            }
            for (int b = 0; b < tieY; b++) {
                double dev = midRank - (j + b + 1);
                sumY += dev * dev;
            }
            i += tieX;
            j += tieY;
            ranked += tie;
        }
        return nx * sumX + ny * sumY;
    }

    /**
     * 1 − F∞(Tₙ) with Tₙ the statistic standardised to the one-sample limit's mean and variance.
     */
    static double asymptoticPValue(double t, int nx, int ny) {
        double n = nx + ny;
        double k = (double) nx * ny;
        double mean = (1 + 1 / n) / 6;
        double variance =
                (n + 1)
                        * (4 * k * n - 3 * ((double) nx * nx + (double) ny * ny) - 2 * k)
                        / (45 * n * n * 4 * k);
        double standardised = 1.0 / 6 + (t - mean) / Math.sqrt(45 * variance);
        if (standardised < 0.003) {
            return 1; // the limiting cdf is below 1.3e-18 there
        }
        return Math.max(0, 1 - limitingCdf(standardised));
    }

    /** Limiting cdf of the one-sample statistic (Csörgő &amp; Faraway 1996, eq. 1.2). */
    public static double limitingCdf(double x) {
        double total = 0;
        double gammaRatio = Math.sqrt(Math.PI); // Γ(k + 1/2) / Γ(k + 1) at k = 0
        for (int k = 0; k < 1000; k++) {
            if (k > 0) {
                gammaRatio *= (k - 0.5) / k;
            }
            double y = 4 * k + 1;
            double q = y * y / (16 * x);
            double u = gammaRatio / (Math.pow(Math.PI, 1.5) * Math.sqrt(x));
            // exp(−q)·K_{1/4}(q) = exp(−2q)·(exp(q)·K_{1/4}(q)) without underflow in K.
            double term =
                    u * Math.sqrt(y) * Math.exp(-2 * q) * SpecialFunctions.scaledBesselK(0.25, q);
            total += term;
            if (Math.abs(term) < 1e-7) {
                break;
            }
        }
        return total;
    }
}
