package io.modelmonitor.detectors.univariate;

import static io.modelmonitor.detectors.testutil.Close.assertAllClose;
import static io.modelmonitor.detectors.testutil.Close.assertClose;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.modelmonitor.detectors.testutil.Json;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * PSI, Jensen–Shannon and Wasserstein against numpy / scipy (fixtures/stats/distances.json), and
 * the quantile binning against numpy.quantile + searchsorted.
 */
class DistancesTest {
    private static final Map<String, Object> FIXTURE =
            Json.objectResource("fixtures/stats/distances.json");

    @Test
    void quantileMatchesNumpyLinear() {
        double[] sorted = Json.doubles(FIXTURE.get("quantile_sample"));
        Arrays.sort(sorted);
        for (Map<String, Object> c : Json.objects(FIXTURE.get("quantiles"))) {
            double q = Json.number(c.get("q"));
            assertClose(
                    Json.number(c.get("value")),
                    QuantileBins.quantileSorted(sorted, q),
                    1e-14,
                    1e-15,
                    "q=" + q);
        }
    }

    @Test
    void binsPsiJsAndWassersteinMatchReference() {
        for (Map<String, Object> c : Json.objects(FIXTURE.get("cases"))) {
            double[] ref = Json.doubles(c.get("reference"));
            double[] cur = Json.doubles(c.get("current"));
            int bins = (int) Json.number(c.get("bins"));
            QuantileBins fitted = QuantileBins.fit(ref, bins);
            assertAllClose(Json.doubles(c.get("edges")), fitted.edges(), 1e-14, 1e-15, "edges");
            assertArrayEquals(Json.longs(c.get("reference_counts")), fitted.counts(ref));
            assertArrayEquals(Json.longs(c.get("current_counts")), fitted.counts(cur));

            PopulationStabilityIndex psi = PopulationStabilityIndex.fit(ref, bins);
            assertClose(Json.number(c.get("psi")), psi.index(cur), 1e-12, 1e-15, "psi");
            assertClose(
                    Json.number(c.get("jensen_shannon")),
                    JensenShannon.distance(fitted, ref, cur),
                    1e-12,
                    1e-15,
                    "js");
            assertClose(
                    Json.number(c.get("wasserstein")),
                    Wasserstein.distance(ref, cur),
                    1e-12,
                    0,
                    "wasserstein");
            assertClose(
                    Json.number(c.get("wasserstein_normalized")),
                    Wasserstein.normalized(ref, cur),
                    1e-12,
                    0,
                    "wasserstein/std");
        }
    }

    @Test
    void jensenShannonOfVectorsMatchesScipy() {
        @SuppressWarnings("unchecked")
        Map<String, Object> v = (Map<String, Object>) FIXTURE.get("js_vectors");
        assertClose(
                Json.number(v.get("distance")),
                JensenShannon.distance(Json.doubles(v.get("p")), Json.doubles(v.get("q"))),
                1e-12,
                0,
                "js");
    }

    @Test
    void distancesOfIdenticalSamplesAreZero() {
        double[] x = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
        assertEquals(0.0, PopulationStabilityIndex.fit(x, 4).index(x));
        assertEquals(0.0, Wasserstein.distance(x, x));
        assertEquals(
                0.0,
                JensenShannon.distance(Map.of("a", 3L, "b", 1L), Map.of("a", 6L, "b", 2L)),
                1e-15);
        assertEquals(1.0, JensenShannon.distance(Map.of("a", 3L), Map.of("b", 2L)), 1e-15);
    }
}
