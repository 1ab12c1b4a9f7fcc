package io.modelmonitor.detectors.univariate;

import static io.modelmonitor.detectors.testutil.Close.assertClose;

import io.modelmonitor.detectors.testutil.Json;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Against scipy.stats.cramervonmises_2samp(method='asymptotic') (fixtures/stats/cvm.json).
 * Statistic to 1e-12 relative; p-value to 1e-9 relative or 1e-13 absolute: p = 1 − cdf loses
 * relative precision to cancellation when p is small, in scipy as here.
 */
class CramerVonMisesTest {
    @Test
    void matchesScipyAsymptotic() {
        Map<String, Object> fixture = Json.objectResource("fixtures/stats/cvm.json");
        for (Map<String, Object> c : Json.objects(fixture.get("cases"))) {
            double[] x = Json.doubles(c.get("x"));
            double[] y = Json.doubles(c.get("y"));
            TestResult r = CramerVonMises.test(x, y);
            String what = "n=" + x.length + "," + y.length;
            assertClose(Json.number(c.get("statistic")), r.statistic(), 1e-12, 1e-15, what + " T");
            assertClose(Json.number(c.get("pvalue")), r.pValue(), 1e-9, 1e-13, what + " p");
        }
    }
}
