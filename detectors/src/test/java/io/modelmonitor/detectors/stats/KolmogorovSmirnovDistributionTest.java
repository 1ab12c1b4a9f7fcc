package io.modelmonitor.detectors.stats;

import static io.modelmonitor.detectors.testutil.Close.assertClose;

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
}
