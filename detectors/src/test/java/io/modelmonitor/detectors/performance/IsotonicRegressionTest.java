package io.modelmonitor.detectors.performance;

import static io.modelmonitor.detectors.testutil.Close.assertAllClose;
import static io.modelmonitor.detectors.testutil.Close.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.modelmonitor.detectors.testutil.Json;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** PAVA and interpolation against the fixture script's own PAVA + np.interp (isotonic.json). */
class IsotonicRegressionTest {
    private static final Map<String, Object> FIXTURE =
            Json.objectResource("fixtures/stats/isotonic.json");

    @Test
    void matchesReferencePava() {
        for (Map<String, Object> c : Json.objects(FIXTURE.get("cases"))) {
            double[] w = c.get("w") == null ? null : Json.doubles(c.get("w"));
            IsotonicRegression iso =
                    IsotonicRegression.fit(Json.doubles(c.get("x")), Json.doubles(c.get("y")), w);
            assertAllClose(Json.doubles(c.get("knots")), iso.knots(), 0, 0, "knots");
            assertAllClose(
                    Json.doubles(c.get("fitted")), iso.fittedValues(), 1e-12, 1e-15, "fitted");
            assertAllClose(
                    Json.doubles(c.get("predictions")),
                    iso.predict(Json.doubles(c.get("queries"))),
                    1e-12,
                    1e-15,
                    "predictions");
            double[] f = iso.fittedValues();
            for (int i = 1; i < f.length; i++) {
                assertEquals(true, f[i] >= f[i - 1], "monotone");
            }
        }
    }

    @Test
    void smallHandExample() {
        // y = 1, 3, 2, 4 at x = 1..4: the violators 3, 2 pool to 2.5.
        IsotonicRegression iso =
                IsotonicRegression.fit(new double[] {4, 2, 3, 1}, new double[] {4, 3, 2, 1}, null);
        assertAllClose(new double[] {1, 2.5, 2.5, 4}, iso.fittedValues(), 0, 0, "fitted");
        assertEquals(1.75, iso.predict(1.5), 1e-15);
        assertEquals(4, iso.predict(10), 0);
        assertEquals(1, iso.predict(-10), 0);
    }

    @Test
    void expectedCalibrationErrorMatchesFormula() {
        @SuppressWarnings("unchecked")
        Map<String, Object> e = (Map<String, Object>) FIXTURE.get("ece");
        assertClose(
                Json.number(e.get("value")),
                ConfidenceCalibrator.expectedCalibrationError(
                        Json.doubles(e.get("confidence")), Json.doubles(e.get("correct")), 10),
                1e-12,
                0,
                "ece");
    }
}
