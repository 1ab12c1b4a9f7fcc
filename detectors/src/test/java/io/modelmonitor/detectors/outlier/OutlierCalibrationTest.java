package io.modelmonitor.detectors.outlier;

import static io.modelmonitor.detectors.testutil.Close.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.modelmonitor.detectors.testutil.Json;
import io.modelmonitor.detectors.univariate.TestResult;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Order-statistic threshold, conformal p-values, scipy.stats.binomtest and scipy.stats.betabinom
 * (outlier.json), and the size of the rate test on simulated clean windows.
 */
class OutlierCalibrationTest {
    private static final Map<String, Object> FIXTURE =
            Json.objectResource("fixtures/stats/outlier.json");
    private static final double[] SCORES = Json.doubles(FIXTURE.get("scores"));

    @Test
    void thresholdAndExpectedRateMatchNumpy() {
        for (Map<String, Object> c : Json.objects(FIXTURE.get("cases"))) {
            double q = Json.number(c.get("quantile"));
            OutlierCalibration cal =
                    OutlierCalibration.builder().setReferenceScores(SCORES).optQuantile(q).build();
            assertEquals(Json.number(c.get("threshold")), cal.threshold(), 0.0, "threshold " + q);
            assertEquals((int) Json.number(c.get("rank")), cal.thresholdRank(), "rank " + q);
            assertEquals(
                    Json.number(c.get("expected_rate")), cal.expectedRate(), 1e-15, "rate " + q);
            assertTrue(cal.isOutlier(Math.nextUp(cal.threshold())));
            assertFalse(cal.isOutlier(cal.threshold()));
        }
    }

    @Test
    void conformalPValues() {
        OutlierCalibration cal = OutlierCalibration.builder().setReferenceScores(SCORES).build();
        for (Map<String, Object> c : Json.objects(FIXTURE.get("pvalues"))) {
            double s = Json.number(c.get("score"));
            assertEquals(Json.number(c.get("pvalue")), cal.pValue(s), 1e-15, "score " + s);
        }
    }

    @Test
    void binomialRateTestMatchesScipy() {
        for (Map<String, Object> c : Json.objects(FIXTURE.get("binomial"))) {
            long k = (long) Json.number(c.get("k"));
            long n = (long) Json.number(c.get("n"));
            double p = Json.number(c.get("p"));
            TestResult r = OutlierCalibration.binomialTestGreater(k, n, p);
            assertClose(
                    Json.number(c.get("pvalue")),
                    r.pValue(),
                    1e-9,
                    1e-300,
                    "binomtest(" + k + ", " + n + ", " + p + ")");
            assertEquals((double) k / n, r.statistic());
        }
    }

    @Test
    void betaBinomialMatchesScipy() {
        for (Map<String, Object> c : Json.objects(FIXTURE.get("betabinom"))) {
            long k = (long) Json.number(c.get("k"));
            long n = (long) Json.number(c.get("n"));
            double a = Json.number(c.get("a"));
            double b = Json.number(c.get("b"));
            String what = "betabinom(" + n + ", " + a + ", " + b + ") at " + k;
            assertClose(
                    Json.number(c.get("logpmf")),
                    OutlierCalibration.logBetaBinomialPmf(k, n, a, b),
                    1e-10,
                    1e-10,
                    "logpmf " + what);
            double logSf = OutlierCalibration.logBetaBinomialUpperTail(k, n, a, b);
            assertClose(Json.number(c.get("logsf")), logSf, 1e-10, 1e-10, "logsf " + what);
            // scipy's sf is 1 - cdf, accurate to ~1e-11 absolute; the log-space sum above is the
            // tight check
            assertClose(Json.number(c.get("sf")), Math.exp(logSf), 1e-9, 1e-10, "sf " + what);
        }
        // The rate test is that tail with a = j, b = m − j + 1.
        OutlierCalibration cal = OutlierCalibration.builder().setReferenceScores(SCORES).build();
        int j = cal.thresholdRank();
        assertEquals(
                Math.exp(
                        OutlierCalibration.logBetaBinomialUpperTail(
                                90, 5000, j, SCORES.length - j + 1.0)),
                cal.rateTest(90, 5000).pValue(),
                0.0);
        assertEquals(OutlierCalibration.RATE_TEST, cal.rateTest(90, 5000).test());
    }

    /**
     * Clean windows: reference and window scores from one distribution, a fresh reference each time
     * (the threshold is random). The rejection rate must match the exact attained size of the
     * discrete test (computed with scipy.stats.betabinom; at most alpha) within four standard
     * errors. A binomial test at the estimated rate rejects about 4% (n = 150) and 21% (n = 1000).
     */
    @Test
    void rateTestHoldsItsSizeOnCleanWindows() {
        // {window size, alpha, exact attained size P(K >= critical k)} for m = 300, q = 0.99 (j =
        // 3)
        double[][] cases = {
            {150, 0.01, 0.007719132788667427}, {150, 0.05, 0.04398439730669734},
            {1000, 0.01, 0.00946978490716932}, {1000, 0.05, 0.048752385551823485}
        };
        int m = 300;
        int reps = 20000;
        for (int n : new int[] {150, 1000}) {
            java.util.Random rng = new java.util.Random(20261202L + n);
            double[] pValues = new double[reps];
            double[] reference = new double[m];
            for (int r = 0; r < reps; r++) {
                for (int i = 0; i < m; i++) {
                    reference[i] = -Math.log(rng.nextDouble()); // exponential, a skewed score
                }
                OutlierCalibration cal =
                        OutlierCalibration.builder().setReferenceScores(reference).build();
                long outliers = 0;
                for (int i = 0; i < n; i++) {
                    if (cal.isOutlier(-Math.log(rng.nextDouble()))) {
                        outliers++;
                    }
                }
                pValues[r] = cal.rateTest(outliers, n).pValue();
            }
            for (double[] c : cases) {
                if (c[0] != n) {
                    continue;
                }
                double alpha = c[1];
                double rate = 0;
                for (double p : pValues) {
                    rate += p <= alpha ? 1.0 / reps : 0;
                }
                double se = Math.sqrt(c[2] * (1 - c[2]) / reps);
                assertTrue(
                        Math.abs(rate - c[2]) < 4 * se && rate < alpha + 2 * se,
                        "n="
                                + n
                                + " alpha="
                                + alpha
                                + ": rejection rate "
                                + rate
                                + ", exact size "
                                + c[2]);
            }
        }
    }

    @Test
    void validatesInput() {
        assertThrows(IllegalStateException.class, () -> OutlierCalibration.builder().build());
        OutlierCalibration cal = OutlierCalibration.builder().setReferenceScores(SCORES).build();
        assertThrows(IllegalArgumentException.class, () -> cal.rateTest(5, 3));
        assertThrows(IllegalArgumentException.class, () -> cal.rateTest(1, 0));
    }
}
