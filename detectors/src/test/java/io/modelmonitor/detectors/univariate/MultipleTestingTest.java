package io.modelmonitor.detectors.univariate;

import static io.modelmonitor.detectors.testutil.Close.assertAllClose;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.modelmonitor.detectors.testutil.Json;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Against scipy.stats.false_discovery_control and min(1, m·p) (multiple_testing.json). */
class MultipleTestingTest {
    @Test
    void adjustedPValuesMatchScipy() {
        Map<String, Object> f = Json.objectResource("fixtures/stats/multiple_testing.json");
        double[] p = Json.doubles(f.get("p"));
        assertAllClose(
                Json.doubles(f.get("bonferroni")), MultipleTesting.bonferroni(p), 1e-14, 0, "bonf");
        assertAllClose(
                Json.doubles(f.get("bh")),
                MultipleTesting.Correction.BENJAMINI_HOCHBERG.adjust(p),
                1e-14,
                0,
                "bh");
        assertAllClose(p, MultipleTesting.Correction.NONE.adjust(p), 0, 0, "none");
    }

    @Test
    void decisions() {
        double[] p = {0.01, 0.02, 0.5};
        assertFalse(MultipleTesting.anyRejected(MultipleTesting.bonferroni(p), 0.02));
        assertTrue(MultipleTesting.anyRejected(MultipleTesting.benjaminiHochberg(p), 0.031));
    }
}
