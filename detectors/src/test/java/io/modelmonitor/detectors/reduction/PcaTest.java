package io.modelmonitor.detectors.reduction;

import static io.modelmonitor.detectors.testutil.Close.assertAllClose;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.modelmonitor.detectors.testutil.Json;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * PCA against numpy's SVD of the centred data, signs normalised the same way
 * (fixtures/stats/pca.json). Components, variances and projections agree within 1e-9 relative
 * (1e-12 absolute for entries near zero).
 */
class PcaTest {
    private static final Map<String, Object> FIXTURE =
            Json.objectResource("fixtures/stats/pca.json");

    @Test
    void matchesNumpySvd() {
        for (Map<String, Object> c : Json.objects(FIXTURE.get("cases"))) {
            double[][] data = Json.matrix(c.get("data"));
            int k = (int) Json.number(c.get("k"));
            Pca pca = Pca.builder().setComponents(k).fit(data);
            assertAllClose(Json.doubles(c.get("mean")), pca.mean(), 1e-12, 1e-12, "mean");
            double[][] expected = Json.matrix(c.get("components"));
            double[][] actual = pca.components();
            assertEquals(k, actual.length);
            for (int i = 0; i < k; i++) {
                assertAllClose(expected[i], actual[i], 1e-9, 1e-12, "component " + i);
            }
            assertAllClose(
                    Json.doubles(c.get("explained_variance")),
                    pca.explainedVariance(),
                    1e-9,
                    0,
                    "variance");
            assertAllClose(
                    Json.doubles(c.get("explained_variance_ratio")),
                    pca.explainedVarianceRatio(),
                    1e-9,
                    0,
                    "ratio");
            double[][] points = Json.matrix(c.get("points"));
            double[][] projected = pca.transform(points);
            double[][] expectedProjection = Json.matrix(c.get("transformed"));
            for (int i = 0; i < points.length; i++) {
                assertAllClose(expectedProjection[i], projected[i], 1e-9, 1e-11, "transform " + i);
            }
            for (Map<String, Object> t : Json.objects(c.get("targets"))) {
                Pca byVariance =
                        Pca.builder().setExplainedVariance(Json.number(t.get("target"))).fit(data);
                assertEquals(
                        (int) Json.number(t.get("components")),
                        byVariance.outputDimension(),
                        "target " + t.get("target"));
            }
            Pca restored = Pca.of(pca.mean(), pca.components());
            assertArrayEquals(pca.transform(points[0]), restored.transform(points[0]));
        }
    }

    @Test
    void needsExactlyOneStoppingRule() {
        double[][] data = {{1, 2}, {3, 5}, {4, 4}};
        assertThrows(IllegalStateException.class, () -> Pca.builder().fit(data));
        assertThrows(
                IllegalStateException.class,
                () -> Pca.builder().setComponents(1).setExplainedVariance(0.9).fit(data));
        assertThrows(
                IllegalArgumentException.class,
                () -> Pca.builder().setComponents(1).fit(data).transform(new double[3]));
    }
}
