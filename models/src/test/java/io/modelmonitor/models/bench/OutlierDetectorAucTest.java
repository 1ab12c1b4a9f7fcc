package io.modelmonitor.models.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The outlier table of the README, re-measured on its seeded data: per-event ROC AUC floors well
 * below the measured values (an AUC is a property of the detector and the data, not a speed), and
 * the calibration on held-out reference scores keeping clean events near the nominal 1 % flagged.
 */
class OutlierDetectorAucTest {
    private static final long SEED = 42;

    @Test
    void numericDetectors() {
        List<Map<String, Object>> figures = OutlierBench.numeric(SEED);
        System.out.println(OutlierBench.table(figures));
        assertEquals(9, figures.size());
        // Measured: Mahalanobis 1.000 / 0.820 / 1.000; the autoencoder and kNN at least 0.98 on
        // other populations and spikes, 0.64-0.77 on broken correlations.
        floor(figures, "mahalanobis", "other population", 0.95);
        floor(figures, "mahalanobis", "broken correlations", 0.72);
        floor(figures, "mahalanobis", "single-feature spike", 0.95);
        for (String method : List.of("autoencoder", "knn")) {
            floor(figures, method, "other population", 0.9);
            floor(figures, method, "single-feature spike", 0.9);
        }
        // Mahalanobis, the numeric default, is the best on every kind.
        for (String kind :
                List.of("other population", "broken correlations", "single-feature spike")) {
            for (String method : List.of("autoencoder", "knn")) {
                assertTrue(auc(figures, "mahalanobis", kind) >= auc(figures, method, kind), kind);
            }
        }
        cleanFlaggedNearNominal(figures, 0.03);
    }

    /** Measured: AUC 1.000 for every detector on every kind (goal: gibberish at least 0.95). */
    @Test
    void textDetectors() throws Exception {
        List<Map<String, Object>> figures = OutlierBench.text(SEED);
        System.out.println(OutlierBench.table(figures));
        assertEquals(9, figures.size());
        for (Map<String, Object> f : figures) {
            assertTrue((Double) f.get("auc") >= 0.95, f.toString());
        }
        cleanFlaggedNearNominal(figures, 0.03);
    }

    /**
     * Measured with the random-convolution encoder: random pixels 0.93-0.98, line drawings
     * 0.93-0.94 for all three; mild noise and flat colours near chance. Input complexity, the image
     * default, separates all four kinds. The trained autoencoder's own reconstruction error
     * (conv-reconstruction) separates line drawings (0.95) and flat colours (0.63-0.66) better than
     * any scorer of its embedding (at most 0.26 and 0.48 respectively).
     */
    @Test
    void imageDetectors() throws Exception {
        List<Map<String, Object>> figures = OutlierBench.images(SEED);
        System.out.println(OutlierBench.table(figures));
        assertEquals(32, figures.size());
        // Input complexity reaches the per-image targets (mild noise at least 0.8, flat colours at
        // least 0.9); measured 0.95 and 1.000.
        floor(figures, "any (pixels)", "input-complexity", "mild noise (std 25/255)", 0.85);
        floor(figures, "any (pixels)", "input-complexity", "flat colours", 0.95);
        floor(figures, "any (pixels)", "input-complexity", "random pixels", 0.95);
        floor(figures, "any (pixels)", "input-complexity", "line drawings", 0.7);
        for (String method : List.of("autoencoder", "mahalanobis", "knn")) {
            floor(figures, "random-conv", method, "random pixels", 0.85);
            floor(figures, "random-conv", method, "line drawings", 0.85);
        }
        floor(figures, "conv-autoencoder", "conv-reconstruction", "line drawings", 0.85);
        floor(figures, "conv-autoencoder", "conv-reconstruction", "random pixels", 0.75);
        for (String kind : List.of("flat colours", "line drawings")) {
            for (String method : List.of("autoencoder", "mahalanobis", "knn")) {
                assertTrue(
                        auc(figures, "conv-autoencoder", "conv-reconstruction", kind)
                                > auc(figures, "conv-autoencoder", method, kind),
                        kind + " " + method);
            }
        }
        cleanFlaggedNearNominal(figures, 0.04);
    }

    private static void floor(
            List<Map<String, Object>> figures, String method, String outliers, double floor) {
        double auc = auc(figures, method, outliers);
        assertTrue(auc >= floor, method + " on " + outliers + ": AUC " + auc);
    }

    private static void floor(
            List<Map<String, Object>> figures,
            String encoder,
            String method,
            String outliers,
            double floor) {
        double auc = auc(figures, encoder, method, outliers);
        assertTrue(auc >= floor, encoder + "/" + method + " on " + outliers + ": AUC " + auc);
    }

    private static double auc(List<Map<String, Object>> figures, String method, String outliers) {
        return figures.stream()
                .filter(f -> f.get("method").equals(method) && f.get("outliers").equals(outliers))
                .mapToDouble(f -> (Double) f.get("auc"))
                .findFirst()
                .orElseThrow();
    }

    private static double auc(
            List<Map<String, Object>> figures, String encoder, String method, String outliers) {
        return figures.stream()
                .filter(
                        f ->
                                f.get("encoder").equals(encoder)
                                        && f.get("method").equals(method)
                                        && f.get("outliers").equals(outliers))
                .mapToDouble(f -> (Double) f.get("auc"))
                .findFirst()
                .orElseThrow();
    }

    /**
     * At the 0.99 threshold about 1 % of held-out clean events are flagged; at most {@code max}.
     */
    private static void cleanFlaggedNearNominal(List<Map<String, Object>> figures, double max) {
        for (Map<String, Object> f : figures) {
            assertTrue((Double) f.get("clean_flagged") <= max, f.toString());
        }
    }
}
