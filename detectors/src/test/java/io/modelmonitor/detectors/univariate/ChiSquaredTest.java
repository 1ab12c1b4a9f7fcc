package io.modelmonitor.detectors.univariate;

import static io.modelmonitor.detectors.testutil.Close.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.modelmonitor.detectors.testutil.Json;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Plain Pearson test against scipy.stats.chi2_contingency(correction=False); the drift test (unseen
 * categories out, sparse columns pooled, Fisher's exact test on 2 × 2) against chi2_contingency /
 * fisher_exact on the pooled tables (fixtures/stats/chi2.json); its size on simulated clean windows
 * of skewed classes.
 */
class ChiSquaredTest {
    private static final Map<String, Object> FIXTURE =
            Json.objectResource("fixtures/stats/chi2.json");

    @Test
    void pearsonMatchesScipyOnCountMaps() {
        for (Map<String, Object> c : Json.objects(FIXTURE.get("cases"))) {
            List<String> names = Json.strings(c.get("categories"));
            long[] ref = Json.longs(c.get("reference"));
            long[] cur = Json.longs(c.get("current"));
            Map<String, Long> refMap = new HashMap<>();
            Map<String, Long> curMap = new HashMap<>();
            for (int i = 0; i < names.size(); i++) {
                if (ref[i] > 0) {
                    refMap.put(names.get(i), ref[i]);
                }
                curMap.put(names.get(i), cur[i]);
            }
            TestResult r = ChiSquared.pearson(refMap, curMap);
            assertEquals("chi2", r.test());
            assertClose(Json.number(c.get("statistic")), r.statistic(), 1e-12, 0, "statistic");
            assertClose(Json.number(c.get("pvalue")), r.pValue(), 1e-9, 1e-300, "p");
        }
    }

    @Test
    void pearsonUnionOfCategoriesMatchesScipy() {
        @SuppressWarnings("unchecked")
        Map<String, Object> maps = (Map<String, Object>) FIXTURE.get("maps");
        TestResult r =
                ChiSquared.pearson(toLongs(maps.get("reference")), toLongs(maps.get("current")));
        assertClose(Json.number(maps.get("statistic")), r.statistic(), 1e-12, 0, "statistic");
        assertClose(Json.number(maps.get("pvalue")), r.pValue(), 1e-9, 0, "p");
    }

    @Test
    void driftTestMatchesScipyOnPooledTables() {
        for (Map<String, Object> c : Json.objects(FIXTURE.get("drift"))) {
            long[] ref = Json.longs(c.get("reference"));
            long[] cur = Json.longs(c.get("current"));
            TestResult r = ChiSquared.test(ref, cur);
            String what = "drift test " + c.get("pooled");
            assertEquals(
                    "chi2", r.test(), what); // fixture "test" says which scipy function decided
            assertClose(
                    Json.number(c.get("statistic")), r.statistic(), 1e-12, 0, "statistic " + what);
            assertClose(Json.number(c.get("pvalue")), r.pValue(), 1e-9, 1e-300, "p " + what);
            Map<String, Long> refMap = new HashMap<>();
            Map<String, Long> curMap = new HashMap<>();
            for (int i = 0; i < ref.length; i++) {
                refMap.put("c" + i, ref[i]);
                curMap.put("c" + i, cur[i]);
            }
            assertEquals(r, ChiSquared.test(refMap, curMap));
            assertEquals((long) Json.number(c.get("unseen")), ChiSquared.unseen(refMap, curMap));
        }
    }

    @Test
    void fisherExactMatchesScipy() {
        for (Map<String, Object> c : Json.objects(FIXTURE.get("fisher"))) {
            long[] t = Json.longs(c.get("table"));
            assertClose(
                    Json.number(c.get("pvalue")),
                    ChiSquared.fisherExact(t[0], t[1], t[2], t[3]),
                    1e-9,
                    1e-300,
                    "fisher_exact " + c.get("table"));
        }
    }

    /** One never-seen value of a binary feature is a data-quality count, not drift evidence. */
    @Test
    void unseenValueIsNotDriftEvidence() {
        Map<String, Long> ref = Map.of("0.0", 500L, "1.0", 500L);
        Map<String, Long> cur = Map.of("0.0", 50L, "1.0", 49L, "2.0", 1L);
        assertTrue(ChiSquared.pearson(ref, cur).pValue() < 0.01, "the plain test calls it drift");
        assertTrue(ChiSquared.test(ref, cur).pValue() > 0.5);
        assertEquals(1, ChiSquared.unseen(ref, cur));
        FeatureTest t = FeatureTest.chiSquared(new double[] {0, 1, 0, 1, 0, 1, 0, 1, 0, 1});
        assertEquals(2, t.unseen(new double[] {0, 1, 2, 2, 0}));
        assertEquals(1.0, ChiSquared.test(Map.of("a", 10L, "b", 5L), Map.of("z", 3L)).pValue());
    }

    /**
     * Clean windows of skewed classes: reference and window drawn from one distribution. The
     * rejection rate at 1% and 5% must not exceed the level by more than three standard errors. The
     * plain Pearson test rejects 2.0% at 1% for the 99/1 binary feature (5000 vs 100).
     */
    @Test
    void sizeOnSkewedClassesIsValid() {
        double[][] classes = {
            {0.99, 0.01}, {0.97, 0.03}, {0.9, 0.07, 0.02, 0.01}, {0.6, 0.2, 0.1, 0.05, 0.03, 0.02}
        };
        int[][] sizes = {{5000, 100}, {1000, 100}, {300, 150}};
        int reps = 6000;
        Random rng = new Random(20261202L);
        double worst1 = 0;
        for (double[] p : classes) {
            for (int[] n : sizes) {
                int reject1 = 0;
                int reject5 = 0;
                for (int r = 0; r < reps; r++) {
                    double pv =
                            ChiSquared.test(multinomial(rng, n[0], p), multinomial(rng, n[1], p))
                                    .pValue();
                    reject1 += pv <= 0.01 ? 1 : 0;
                    reject5 += pv <= 0.05 ? 1 : 0;
                }
                String what = java.util.Arrays.toString(p) + " " + n[0] + " vs " + n[1];
                double rate1 = (double) reject1 / reps;
                double rate5 = (double) reject5 / reps;
                assertTrue(
                        rate1 < 0.01 + 3 * Math.sqrt(0.01 * 0.99 / reps),
                        what + ": size at 1% " + rate1);
                assertTrue(
                        rate5 < 0.05 + 3 * Math.sqrt(0.05 * 0.95 / reps),
                        what + ": size at 5% " + rate5);
                worst1 = Math.max(worst1, rate1);
            }
        }
        // a test that never rejects is valid too: the sizes must also be near their levels
        assertTrue(worst1 > 0.004, "largest size at 1% " + worst1);
    }

    private static long[] multinomial(Random rng, int n, double[] p) {
        long[] counts = new long[p.length];
        for (int i = 0; i < n; i++) {
            double u = rng.nextDouble();
            int k = 0;
            while (k < p.length - 1 && u >= p[k]) {
                u -= p[k];
                k++;
            }
            counts[k]++;
        }
        return counts;
    }

    @Test
    void singleCategoryHasNoEvidence() {
        TestResult r = ChiSquared.test(Map.of("a", 10L), Map.of("a", 3L));
        assertEquals(0.0, r.statistic());
        assertEquals(1.0, r.pValue());
    }

    @Test
    void emptySampleIsAnError() {
        assertThrows(
                IllegalArgumentException.class, () -> ChiSquared.test(Map.of("a", 10L), Map.of()));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Long> toLongs(Object json) {
        Map<String, Long> out = new HashMap<>();
        ((Map<String, Object>) json).forEach((k, v) -> out.put(k, Math.round(Json.number(v))));
        return out;
    }
}
