package io.modelmonitor.detectors.performance;

import static io.modelmonitor.detectors.testutil.Close.assertClose;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.modelmonitor.detectors.testutil.Json;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Classification and regression metrics against the definitions evaluated with numpy, ROC AUC
 * against scipy.stats.mannwhitneyu (metrics.json); merged halves must equal the whole.
 */
class MetricsTest {
    private static final Map<String, Object> FIXTURE =
            Json.objectResource("fixtures/stats/metrics.json");

    @SuppressWarnings("unchecked")
    private static Map<String, Object> part(String name) {
        return (Map<String, Object>) FIXTURE.get(name);
    }

    /** Adds rows [from, to) of a fixture. */
    private static ClassificationMetrics metrics(Map<String, Object> f, int from, int to) {
        List<String> actual = Json.strings(f.get("actual"));
        List<String> predicted = Json.strings(f.get("predicted"));
        double[][] scores = Json.matrix(f.get("scores"));
        ClassificationMetrics m =
                ClassificationMetrics.builder().optClasses(Json.strings(f.get("classes"))).build();
        for (int i = from; i < to; i++) {
            m.add(actual.get(i), predicted.get(i), scores[i]);
        }
        return m;
    }

    private static void assertMatches(Map<String, Object> f, ClassificationMetrics m) {
        List<String> labels = Json.strings(f.get("labels"));
        assertEquals(labels, m.labels());
        long[][] confusion = m.confusionMatrix(labels);
        double[][] expected = Json.matrix(f.get("confusion"));
        for (int i = 0; i < labels.size(); i++) {
            for (int j = 0; j < labels.size(); j++) {
                assertEquals((long) expected[i][j], confusion[i][j]);
            }
        }
        assertClose(Json.number(f.get("accuracy")), m.accuracy(), 1e-12, 0, "accuracy");
        @SuppressWarnings("unchecked")
        Map<String, Map<String, Object>> per =
                (Map<String, Map<String, Object>>) f.get("per_class");
        for (String label : labels) {
            Map<String, Object> c = per.get(label);
            assertClose(
                    Json.number(c.get("precision")), m.precision(label), 1e-12, 0, "P " + label);
            assertClose(Json.number(c.get("recall")), m.recall(label), 1e-12, 0, "R " + label);
            assertClose(Json.number(c.get("f1")), m.f1(label), 1e-12, 0, "F1 " + label);
            assertEquals((long) Json.number(c.get("support")), m.support(label));
        }
        assertClose(Json.number(f.get("macro_precision")), m.macroPrecision(), 1e-12, 0, "macro P");
        assertClose(Json.number(f.get("macro_recall")), m.macroRecall(), 1e-12, 0, "macro R");
        assertClose(Json.number(f.get("macro_f1")), m.macroF1(), 1e-12, 0, "macro F1");
        assertClose(
                Json.number(f.get("weighted_precision")), m.weightedPrecision(), 1e-12, 0, "w P");
        assertClose(Json.number(f.get("weighted_recall")), m.weightedRecall(), 1e-12, 0, "w R");
        assertClose(Json.number(f.get("weighted_f1")), m.weightedF1(), 1e-12, 0, "w F1");
        assertClose(Json.number(f.get("log_loss")), m.logLoss(), 1e-12, 0, "log loss");
    }

    @Test
    void binaryMatchesReferenceAndMergeEqualsWhole() {
        Map<String, Object> f = part("binary");
        int n = Json.strings(f.get("actual")).size();
        ClassificationMetrics whole = metrics(f, 0, n);
        assertMatches(f, whole);
        assertClose(Json.number(f.get("roc_auc")), whole.rocAuc(), 1e-12, 0, "auc");
        ClassificationMetrics merged = metrics(f, 0, 250).merge(metrics(f, 250, n));
        assertMatches(f, merged);
        assertClose(Json.number(f.get("roc_auc")), merged.rocAuc(), 1e-12, 0, "merged auc");
        assertEquals(n, merged.count());
    }

    @Test
    void multiclassMatchesReference() {
        Map<String, Object> f = part("multiclass");
        int n = Json.strings(f.get("actual")).size();
        assertMatches(f, metrics(f, 0, n));
        assertMatches(f, metrics(f, 0, 100).merge(metrics(f, 100, n)));
        assertTrue(Double.isNaN(metrics(f, 0, n).rocAuc())); // binary only
    }

    @Test
    void aucOfPerfectAndTiedScores() {
        ClassificationMetrics m =
                ClassificationMetrics.builder().optClasses(List.of("n", "p")).build();
        m.add("p", "p", new double[] {0.1, 0.9});
        m.add("n", "n", new double[] {0.8, 0.2});
        assertEquals(1.0, m.rocAuc());
        m.add("n", "p", new double[] {0.1, 0.9});
        assertEquals(0.75, m.rocAuc()); // one tie counts one half: (1 + 0.5) / 2
        assertThrows(
                IllegalArgumentException.class,
                () -> m.merge(ClassificationMetrics.builder().build()));
        assertArrayEquals(new long[][] {{1, 1}, {0, 1}}, m.confusionMatrix(List.of("n", "p")));
    }

    @Test
    void regressionMatchesReferenceAndMerges() {
        Map<String, Object> f = part("regression");
        double[] y = Json.doubles(f.get("actual"));
        double[] p = Json.doubles(f.get("predicted"));
        RegressionMetrics a = new RegressionMetrics();
        RegressionMetrics b = new RegressionMetrics();
        for (int i = 0; i < y.length; i++) {
            (i < 150 ? a : b).add(y[i], p[i]);
        }
        RegressionMetrics m = a.merge(b);
        assertEquals(y.length, m.count());
        assertClose(Json.number(f.get("mae")), m.mae(), 1e-12, 0, "mae");
        assertClose(Json.number(f.get("rmse")), m.rmse(), 1e-12, 0, "rmse");
        // The fixture has a zero label: scikit-learn floors |y| at machine epsilon and reports
        // ~1e13;
        // the window metric calls MAPE (and sMAPE, when the prediction is 0 too) undefined instead.
        assertTrue(Json.number(f.get("mape")) > 1e10);
        assertTrue(Double.isNaN(m.mape()));
        assertClose(Json.number(f.get("mean_error")), m.meanError(), 1e-10, 0, "mean error");
        assertTrue(Double.isNaN(new RegressionMetrics().mae()));
    }

    @Test
    void percentageErrorsWhereDefined() {
        RegressionMetrics m = new RegressionMetrics().add(10, 12).add(-4, -3).add(2, 1);
        assertClose((0.2 + 0.25 + 0.5) / 3, m.mape(), 1e-15, 0, "mape");
        assertClose((2 / 11.0 + 1 / 3.5 + 1 / 1.5) / 3, m.smape(), 1e-15, 0, "smape");
        assertClose((2 + 1 - 1) / 3.0, m.meanError(), 1e-15, 0, "bias");
        m.add(0, 1);
        assertTrue(Double.isNaN(m.mape()));
        assertClose(
                (2 / 11.0 + 1 / 3.5 + 1 / 1.5 + 2) / 4,
                m.smape(),
                1e-15,
                0,
                "smape with a zero label");
        assertTrue(Double.isNaN(new RegressionMetrics().add(0, 0).smape()));
    }
}
