package io.modelmonitor.detectors.stats;

import static io.modelmonitor.detectors.testutil.Close.assertClose;
import static io.modelmonitor.detectors.testutil.Close.assertRel;

import io.modelmonitor.detectors.testutil.Json;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Special functions against scipy.special / scipy.stats (fixtures/stats/special.json). */
class SpecialFunctionsTest {
    private static final Map<String, Object> FIXTURE =
            Json.objectResource("fixtures/stats/special.json");

    @Test
    void logGammaMatchesScipy() {
        for (Map<String, Object> c : Json.objects(FIXTURE.get("lgamma"))) {
            double x = Json.number(c.get("x"));
            // lgamma crosses 0 at 1 and 2: compare absolutely there.
            assertClose(
                    Json.number(c.get("value")),
                    SpecialFunctions.logGamma(x),
                    1e-12,
                    1e-14,
                    "lgamma(" + x + ")");
        }
    }

    @Test
    void normalCdfSfAndQuantileMatchScipy() {
        for (Map<String, Object> c : Json.objects(FIXTURE.get("normal"))) {
            double x = Json.number(c.get("x"));
            assertRel(Json.number(c.get("cdf")), SpecialFunctions.normalCdf(x), 1e-12, "cdf " + x);
            assertRel(Json.number(c.get("sf")), SpecialFunctions.normalSf(x), 1e-12, "sf " + x);
        }
        for (Map<String, Object> c : Json.objects(FIXTURE.get("quantile"))) {
            double p = Json.number(c.get("p"));
            assertClose(
                    Json.number(c.get("value")),
                    SpecialFunctions.normalQuantile(p),
                    1e-12,
                    1e-15,
                    "ppf " + p);
        }
    }

    @Test
    void besselKMatchesScipy() {
        for (Map<String, Object> c : Json.objects(FIXTURE.get("kv"))) {
            double nu = Json.number(c.get("nu"));
            double z = Json.number(c.get("z"));
            assertRel(
                    Json.number(c.get("value")),
                    SpecialFunctions.besselK(nu, z),
                    1e-12,
                    "kv(" + nu + ", " + z + ")");
        }
    }

    @Test
    void incompleteBetaMatchesScipy() {
        for (Map<String, Object> c : Json.objects(FIXTURE.get("beta"))) {
            double x = Json.number(c.get("x"));
            double a = Json.number(c.get("a"));
            double b = Json.number(c.get("b"));
            assertRel(
                    Json.number(c.get("value")),
                    SpecialFunctions.regularizedBeta(x, a, b),
                    1e-10,
                    "betainc(" + a + ", " + b + ", " + x + ")");
        }
    }

    @Test
    void chiSquaredSurvivalMatchesScipy() {
        Map<String, Object> chi2 = Json.objectResource("fixtures/stats/chi2.json");
        for (Map<String, Object> c : Json.objects(chi2.get("sf"))) {
            double x = Json.number(c.get("x"));
            double dof = Json.number(c.get("dof"));
            assertClose(
                    Json.number(c.get("sf")),
                    SpecialFunctions.chiSquaredSf(x, dof),
                    1e-10,
                    1e-300,
                    "chi2.sf(" + x + ", " + dof + ")");
        }
    }
}
