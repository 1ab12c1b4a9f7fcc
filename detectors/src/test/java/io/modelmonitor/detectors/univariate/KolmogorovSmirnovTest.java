package io.modelmonitor.detectors.univariate;

import static io.modelmonitor.detectors.testutil.Close.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.modelmonitor.detectors.testutil.Json;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Two-sample KS against scipy.stats.ks_2samp for the methods 'auto', 'exact' and 'asymp'
 * (fixtures/stats/ks.json). Statistics agree to 1e-12; p-values to 1e-9 relative (absolute 1e-15
 * for the p-values that underflow towards 0).
 */
class KolmogorovSmirnovTest {
    private static final Map<String, Object> FIXTURE =
            Json.objectResource("fixtures/stats/ks.json");

    @Test
    void matchesScipyForEveryMethod() {
        assertEquals(41, compareWithScipy(Json.objects(FIXTURE.get("cases")), false));
    }

    /**
     * The exact p-values are memoised by (sizes, lattice statistic): the same cases again, in
     * reverse order and with the samples swapped, must still match scipy one by one.
     */
    @Test
    void memoisedExactPValuesStillMatchScipyInAnyOrder() {
        List<Map<String, Object>> cases = new ArrayList<>(Json.objects(FIXTURE.get("cases")));
        compareWithScipy(cases, false);
        Collections.reverse(cases);
        assertEquals(41, compareWithScipy(cases, true));
        assertEquals(41, compareWithScipy(cases, false));
    }

    private static int compareWithScipy(List<Map<String, Object>> cases, boolean swapped) {
        int compared = 0;
        for (Map<String, Object> c : cases) {
            double[] x = Json.doubles(c.get(swapped ? "y" : "x"));
            double[] y = Json.doubles(c.get(swapped ? "x" : "y"));
            for (String key : new String[] {"auto", "exact", "asymp"}) {
                if (!c.containsKey(key)) {
                    continue;
                }
                @SuppressWarnings("unchecked")
                Map<String, Object> expected = (Map<String, Object>) c.get(key);
                KolmogorovSmirnov.Method method =
                        key.equals("auto")
                                ? KolmogorovSmirnov.Method.AUTO
                                : key.equals("exact")
                                        ? KolmogorovSmirnov.Method.EXACT
                                        : KolmogorovSmirnov.Method.ASYMPTOTIC;
                TestResult r = KolmogorovSmirnov.test(x, y, method);
                String what = key + " n=" + x.length + "," + y.length;
                assertEquals("ks", r.test());
                assertClose(
                        Json.number(expected.get("statistic")),
                        r.statistic(),
                        1e-12,
                        0,
                        what + " D");
                assertClose(
                        Json.number(expected.get("pvalue")), r.pValue(), 1e-9, 1e-15, what + " p");
                compared++;
            }
        }
        return compared;
    }

    @Test
    void symmetricInItsArguments() {
        double[] x = {0.1, 0.5, 0.9, 1.3, 2.0};
        double[] y = {0.2, 0.4, 0.45, 3.0};
        assertEquals(KolmogorovSmirnov.test(x, y), KolmogorovSmirnov.test(y, x));
    }

    @Test
    void identicalSamplesGiveZeroAndOne() {
        double[] x = {3, 1, 2, 2, 5};
        TestResult r = KolmogorovSmirnov.test(x, x.clone());
        assertEquals(0.0, r.statistic());
        assertEquals(1.0, r.pValue());
    }

    @Test
    void rejectsEmptySamples() {
        assertThrows(
                IllegalArgumentException.class,
                () -> KolmogorovSmirnov.test(new double[0], new double[] {1}));
    }
}
