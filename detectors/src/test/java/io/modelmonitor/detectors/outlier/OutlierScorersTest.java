package io.modelmonitor.detectors.outlier;

import static io.modelmonitor.detectors.testutil.Close.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.modelmonitor.detectors.testutil.Json;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Mahalanobis (Ledoit–Wolf), kNN and the AUC against numpy/scipy (fixtures/outlier/scorers.json,
 * from src/test/python/gen_outlier_scorer_fixtures.py).
 */
class OutlierScorersTest {
    private static final Map<String, Object> FIXTURE =
            Json.objectResource("fixtures/outlier/scorers.json");

    @Test
    void mahalanobisMatchesScipyWithLedoitWolfShrinkage() {
        int cases = 0;
        for (Map<String, Object> c : Json.objects(FIXTURE.get("mahalanobis"))) {
            MahalanobisScorer m = MahalanobisScorer.fit(Json.matrix(c.get("fit")));
            assertClose(Json.number(c.get("shrinkage")), m.shrinkage(), 1e-9, 1e-12, "shrinkage");
            double[][] queries = Json.matrix(c.get("queries"));
            double[] expected = Json.doubles(c.get("scores"));
            for (int i = 0; i < queries.length; i++) {
                assertClose(expected[i], m.score(queries[i]), 1e-9, 1e-9, "case " + cases);
            }
            MahalanobisScorer restored = MahalanobisScorer.of(m.mean(), m.precision(), 0.5);
            assertEquals(m.score(queries[0]), restored.score(queries[0]));
            cases++;
        }
        assertEquals(4, cases);
    }

    @Test
    void knnMatchesScipyKdTree() {
        int cases = 0;
        for (Map<String, Object> c : Json.objects(FIXTURE.get("knn"))) {
            double[][] reference = Json.matrix(c.get("reference"));
            int k = (int) Json.number(c.get("k"));
            KnnScorer mean = KnnScorer.of(reference, k, KnnScorer.Aggregate.MEAN);
            KnnScorer kth = KnnScorer.of(reference, k, KnnScorer.Aggregate.KTH);
            double[][] queries = Json.matrix(c.get("queries"));
            double[] expectedMean = Json.doubles(c.get("mean"));
            double[] expectedKth = Json.doubles(c.get("kth"));
            for (int i = 0; i < queries.length; i++) {
                assertClose(expectedMean[i], mean.score(queries[i]), 1e-12, 1e-12, "mean");
                assertClose(expectedKth[i], kth.score(queries[i]), 1e-12, 1e-12, "kth");
            }
            cases++;
        }
        assertEquals(4, cases);
    }

    @Test
    void aucMatchesMannWhitney() {
        for (Map<String, Object> c : Json.objects(FIXTURE.get("auc"))) {
            assertClose(
                    Json.number(c.get("auc")),
                    OutlierAuc.of(Json.doubles(c.get("outliers")), Json.doubles(c.get("inliers"))),
                    1e-12,
                    1e-12,
                    "auc");
        }
    }

    /**
     * With fewer rows than dimensions the sample covariance is singular; shrinkage keeps the
     * distance finite, and a point far along a direction the reference never varied in scores far
     * above the reference's own rows.
     */
    @Test
    void shrinkageHandlesSingularCovariance() {
        SplittableRandom random = new SplittableRandom(3);
        double[][] rows = new double[10][40];
        for (double[] r : rows) {
            for (int j = 0; j < 5; j++) {
                r[j] = random.nextGaussian();
            }
        }
        MahalanobisScorer m = MahalanobisScorer.fit(rows);
        assertTrue(m.shrinkage() > 0 && m.shrinkage() <= 1, "shrinkage " + m.shrinkage());
        double[] away = new double[40];
        away[30] = 3;
        double inlier = m.score(rows[0]);
        assertTrue(Double.isFinite(inlier));
        assertTrue(m.score(away) > 2 * inlier, m.score(away) + " vs " + inlier);
    }

    @Test
    void refusesWrongLengthsAndTooFewRows() {
        KnnScorer knn = KnnScorer.of(new double[][] {{0, 0}, {1, 1}}, 2, KnnScorer.Aggregate.KTH);
        assertThrows(IllegalArgumentException.class, () -> knn.score(new double[3]));
        assertThrows(
                IllegalArgumentException.class,
                () -> KnnScorer.of(new double[][] {{0, 0}}, 2, KnnScorer.Aggregate.MEAN));
        assertThrows(
                IllegalArgumentException.class,
                () -> MahalanobisScorer.fit(new double[][] {{0, 0}}));
        assertEquals(KnnScorer.Aggregate.KTH, KnnScorer.Aggregate.parse("kth"));
        assertThrows(IllegalArgumentException.class, () -> KnnScorer.Aggregate.parse("max"));
    }
}
