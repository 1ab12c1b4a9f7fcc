package io.modelmonitor.detectors.stats;

import static io.modelmonitor.detectors.testutil.Close.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.modelmonitor.detectors.testutil.Json;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** kstwo.sf and smirnov against scipy on a grid reaching every branch (fixtures/stats/ks.json). */
class KolmogorovSmirnovDistributionTest {
    private static final Map<String, Object> FIXTURE =
            Json.objectResource("fixtures/stats/ks.json");

    @Test
    void twoSidedSurvivalMatchesScipyKstwo() {
        for (Map<String, Object> c : Json.objects(FIXTURE.get("kstwo"))) {
            int n = (int) Json.number(c.get("n"));
            double x = Json.number(c.get("x"));
            assertClose(
                    Json.number(c.get("sf")),
                    KolmogorovSmirnovDistribution.twoSidedSf(n, x),
                    1e-9,
                    1e-15,
                    "kstwo.sf(" + x + ", " + n + ")");
        }
    }

    @Test
    void oneSidedSurvivalMatchesScipySmirnov() {
        for (Map<String, Object> c : Json.objects(FIXTURE.get("smirnov"))) {
            int n = (int) Json.number(c.get("n"));
            double x = Json.number(c.get("x"));
            assertClose(
                    Json.number(c.get("sf")),
                    KolmogorovSmirnovDistribution.smirnovSf(n, x),
                    1e-10,
                    1e-300,
                    "smirnov(" + n + ", " + x + ")");
        }
    }

    /**
     * The memo answers for (sizes, h) exactly what the computation gives, whatever was asked
     * before: here sizes that share one of their values and the same h, in interleaved order.
     */
    @Test
    void memoisedExactSurvivalIsTheComputedOne() {
        int[][] sizes = {{2000, 100}, {100, 2000}, {2000, 50}, {1000, 100}, {100, 100}, {50, 2000}};
        for (int round = 0; round < 2; round++) {
            for (int h = 1; h <= 400; h += 7) {
                for (int[] mn : sizes) {
                    long lcm =
                            (long) mn[0] / KolmogorovSmirnovDistribution.gcd(mn[0], mn[1]) * mn[1];
                    if (h > lcm) {
                        continue;
                    }
                    assertEquals(
                            KolmogorovSmirnovDistribution.computeTwoSampleExactSf(mn[0], mn[1], h),
                            KolmogorovSmirnovDistribution.twoSampleExactSf(mn[0], mn[1], h),
                            "m=" + mn[0] + " n=" + mn[1] + " h=" + h);
                }
            }
        }
    }
}
