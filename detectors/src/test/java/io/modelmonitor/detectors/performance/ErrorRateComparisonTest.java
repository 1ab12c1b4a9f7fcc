package io.modelmonitor.detectors.performance;

import static io.modelmonitor.detectors.testutil.Close.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.modelmonitor.detectors.stats.SpecialFunctions;
import io.modelmonitor.detectors.testutil.Json;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The window-vs-reference error-rate test: against scipy's one-sided Fisher exact test
 * (fixtures/stats/error_rate.json), and its real size on simulated clean windows, where the
 * one-sample binomial test against the reference's estimated error rate (the test it replaces) is
 * shown to be too liberal.
 */
class ErrorRateComparisonTest {
    private static final Map<String, Object> FIXTURE =
            Json.objectResource("fixtures/stats/error_rate.json");

    @Test
    void matchesScipyFisherExactGreater() {
        for (Map<String, Object> c : Json.objects(FIXTURE.get("fisher_greater"))) {
            long x = (long) Json.number(c.get("window_errors"));
            long n = (long) Json.number(c.get("window_labelled"));
            long e = (long) Json.number(c.get("reference_errors"));
            long m = (long) Json.number(c.get("reference_labelled"));
            double expected = Json.number(c.get("p_value"));
            // scipy sums pmf terms itself; near 1 only the absolute error is meaningful.
            assertClose(
                    expected,
                    ErrorRateComparison.pValueWorse(x, n, e, m),
                    1e-8,
                    1e-12,
                    "fisher greater " + x + "/" + n + " vs " + e + "/" + m);
        }
    }

    @Test
    void emptyOrInconsistentCountsGiveNaN() {
        assertTrue(Double.isNaN(ErrorRateComparison.pValueWorse(0, 0, 3, 10)));
        assertTrue(Double.isNaN(ErrorRateComparison.pValueWorse(1, 10, 3, 0)));
        assertTrue(Double.isNaN(ErrorRateComparison.pValueWorse(11, 10, 3, 10)));
        assertEquals(1.0, ErrorRateComparison.pValueWorse(0, 10, 3, 10));
    }

    /**
     * Clean windows: the window and the reference share the error rate. Size at nominal 1 % and 5 %
     * must stay within three standard errors of the simulation above nominal; the replaced test
     * (binomial against 1 − reference accuracy, taken as exact) is checked to exceed it, so this
     * test fails if the plug-in comes back.
     */
    @Test
    void cleanWindowsKeepTheNominalSize() {
        int reps = 4000;
        // {reference labelled, window labelled, error rate}
        double[][] settings = {
            {300, 100, 0.10}, {1000, 1000, 0.08}, {500, 200, 0.20}, {5000, 100, 0.05}
        };
        SplittableRandom rng = new SplittableRandom(20261202);
        double[] alphas = {0.01, 0.05};
        boolean oldTooLiberal = false;
        for (double[] s : settings) {
            int m = (int) s[0];
            int n = (int) s[1];
            double rate = s[2];
            int[] rejected = new int[2];
            int[] oldRejected = new int[2];
            for (int r = 0; r < reps; r++) {
                int refErrors = binomial(rng, m, rate);
                int winErrors = binomial(rng, n, rate);
                double p = ErrorRateComparison.pValueWorse(winErrors, n, refErrors, m);
                double old =
                        SpecialFunctions.binomialUpperTail(winErrors, n, (double) refErrors / m);
                for (int a = 0; a < alphas.length; a++) {
                    rejected[a] += p <= alphas[a] ? 1 : 0;
                    oldRejected[a] += old <= alphas[a] ? 1 : 0;
                }
            }
            for (int a = 0; a < alphas.length; a++) {
                double alpha = alphas[a];
                double se = Math.sqrt(alpha * (1 - alpha) / reps);
                double size = (double) rejected[a] / reps;
                double oldSize = (double) oldRejected[a] / reps;
                String what = "m=" + m + " n=" + n + " rate=" + rate + " alpha=" + alpha;
                assertTrue(size <= alpha + 3 * se, what + ": size " + size);
                // Fisher's test is conservative through discreteness, not useless.
                assertTrue(size >= alpha / 4, what + ": size " + size);
                oldTooLiberal |= oldSize > alpha + 5 * se;
            }
        }
        assertTrue(
                oldTooLiberal,
                "the plug-in binomial test should be too liberal in one of these settings");
    }

    /** A window whose error rate doubled is found (the test is not just conservative). */
    @Test
    void aDoubledErrorRateIsDetected() {
        SplittableRandom rng = new SplittableRandom(7);
        int detected = 0;
        int reps = 500;
        for (int r = 0; r < reps; r++) {
            int refErrors = binomial(rng, 2000, 0.08);
            int winErrors = binomial(rng, 300, 0.16);
            detected +=
                    ErrorRateComparison.pValueWorse(winErrors, 300, refErrors, 2000) <= 0.01
                            ? 1
                            : 0;
        }
        assertTrue(detected > 0.8 * reps, "power " + detected / (double) reps);
    }

    private static int binomial(SplittableRandom rng, int n, double p) {
        int k = 0;
        for (int i = 0; i < n; i++) {
            k += rng.nextDouble() < p ? 1 : 0;
        }
        return k;
    }
}
