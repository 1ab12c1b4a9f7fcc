package io.modelmonitor.detectors.univariate;

import static io.modelmonitor.detectors.testutil.Close.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.modelmonitor.detectors.testutil.Json;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The one-sided Mann-Whitney U test: against scipy.stats.mannwhitneyu(alternative='greater')
 * (fixtures/stats/mann_whitney.json, from src/test/python/gen_mannwhitney_fixtures.py), and its
 * size on simulated clean windows of heavy-tailed absolute errors, as the job uses it.
 */
class MannWhitneyUTest {
    private static final Map<String, Object> FIXTURE =
            Json.objectResource("fixtures/stats/mann_whitney.json");

    @Test
    void matchesScipyGreater() {
        int i = 0;
        for (Map<String, Object> c : Json.objects(FIXTURE.get("greater"))) {
            double[] x = Json.doubles(c.get("x"));
            double[] y = Json.doubles(c.get("y"));
            TestResult r = MannWhitneyU.greater(x, y);
            assertClose(
                    Json.number(c.get("statistic")), r.statistic(), 1e-12, 1e-9, "U, case " + i);
            assertClose(
                    Json.number(c.get("p_value")),
                    r.pValue(),
                    1e-9,
                    1e-14,
                    "p, case " + i + " n=" + x.length + "/" + y.length);
            i++;
        }
        assertTrue(i >= 15);
    }

    @Test
    void exactDistributionSumsToOneAndIsSymmetric() {
        assertEquals(1.0, MannWhitneyU.exactSf(0, 4, 6));
        assertEquals(0.0, MannWhitneyU.exactSf(25, 4, 6));
        // P(U >= u) + P(U >= mn - u + 1) = 1 by symmetry of U about mn/2.
        for (int u = 1; u <= 24; u++) {
            assertClose(
                    1.0,
                    MannWhitneyU.exactSf(u, 4, 6) + MannWhitneyU.exactSf(24 - u + 1, 4, 6),
                    1e-12,
                    0,
                    "u=" + u);
        }
    }

    /**
     * Clean windows: window and reference absolute errors from the same heavy-tailed distribution
     * (|t| with 2 degrees of freedom, infinite variance; and the same rounded to whole units, with
     * ties). Size at nominal 1 % and 5 % within three simulation standard errors.
     */
    @Test
    void cleanWindowsOfHeavyTailedErrorsKeepTheNominalSize() {
        int reps = 1500;
        SplittableRandom rng = new SplittableRandom(20261202);
        double[] alphas = {0.01, 0.05};
        int[][] sizes = {{2000, 50}, {500, 200}, {2000, 6}, {300, 1000}};
        for (boolean rounded : new boolean[] {false, true}) {
            for (int[] s : sizes) {
                int[] rejected = new int[2];
                for (int r = 0; r < reps; r++) {
                    double[] ref = errors(rng, s[0], rounded);
                    double[] win = errors(rng, s[1], rounded);
                    double p = MannWhitneyU.greater(win, ref).pValue();
                    for (int a = 0; a < alphas.length; a++) {
                        rejected[a] += p <= alphas[a] ? 1 : 0;
                    }
                }
                for (int a = 0; a < alphas.length; a++) {
                    double alpha = alphas[a];
                    double size = (double) rejected[a] / reps;
                    double se = Math.sqrt(alpha * (1 - alpha) / reps);
                    String what =
                            "ref="
                                    + s[0]
                                    + " window="
                                    + s[1]
                                    + " rounded="
                                    + rounded
                                    + " alpha="
                                    + alpha
                                    + " size="
                                    + size;
                    assertTrue(size <= alpha + 3 * se, what);
                    assertTrue(
                            size >= alpha - 4 * se - (rounded || s[1] < 10 ? alpha / 2 : 0), what);
                }
            }
        }
    }

    /**
     * |t_2| errors: a standard normal over the root of an independent chi-squared(2)/2 (an
     * exponential).
     */
    private static double[] errors(SplittableRandom rng, int n, boolean rounded) {
        double[] e = new double[n];
        for (int i = 0; i < n; i++) {
            double z = gaussian(rng);
            double w = -Math.log(1 - rng.nextDouble()); // chi-squared(2) / 2
            double t = Math.abs(z / Math.sqrt(w));
            e[i] = rounded ? Math.rint(t) : t;
        }
        return e;
    }

    private static double gaussian(SplittableRandom rng) {
        double u = 1 - rng.nextDouble();
        double v = rng.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    }
}
