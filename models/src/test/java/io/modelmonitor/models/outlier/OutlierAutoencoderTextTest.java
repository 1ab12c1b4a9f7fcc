package io.modelmonitor.models.outlier;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.modelmonitor.detectors.outlier.OutlierCalibration;
import io.modelmonitor.models.synthetic.SyntheticTexts;
import io.modelmonitor.models.text.TextEncoder;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The autoencoder on real MiniLM embeddings: English product reviews versus clear outliers. */
class OutlierAutoencoderTextTest {

    private static TextEncoder encoder;
    private static OutlierAutoencoder ae;
    private static OutlierCalibration calibration;
    private static double[] inlierScores;

    @BeforeAll
    static void train() throws Exception {
        encoder = TextEncoder.builder().optIntraOpThreads(2).build();
        float[][] fitPart = encoder.embed(SyntheticTexts.reviews(400, 1));
        float[][] calibrationPart = encoder.embed(SyntheticTexts.reviews(300, 2));
        ae = OutlierAutoencoder.builder().optSeed(7).fit(fitPart);
        calibration =
                OutlierCalibration.builder()
                        .setReferenceScores(ae.score(calibrationPart))
                        .optQuantile(0.99)
                        .build();
        inlierScores = ae.score(encoder.embed(SyntheticTexts.reviews(200, 3)));
    }

    @AfterAll
    static void close() {
        encoder.close();
    }

    @Test
    void separatesClearOutliersFromHeldOutReviews() {
        Map<String, List<String>> outliers = new LinkedHashMap<>();
        outliers.put("random characters", SyntheticTexts.randomCharacters(100, 4));
        outliers.put("german/spanish/french reviews", SyntheticTexts.foreignReviews(100, 5));
        outliers.put("off-topic english", SyntheticTexts.offTopic(100, 6));
        StringBuilder report = new StringBuilder();
        for (Map.Entry<String, List<String>> kind : outliers.entrySet()) {
            double[] scores = ae.score(encoder.embed(kind.getValue()));
            double auc = OutlierAutoencoderTest.rocAuc(scores, inlierScores);
            long flagged = java.util.Arrays.stream(scores).filter(calibration::isOutlier).count();
            report.append(
                    String.format(
                            "%s: AUC %.4f, flagged %d/%d; ",
                            kind.getKey(), auc, flagged, scores.length));
            assertTrue(auc >= 0.95, kind.getKey() + " AUC " + auc);
        }
        long falseAlarms =
                java.util.Arrays.stream(inlierScores).filter(calibration::isOutlier).count();
        report.append(
                String.format(
                        "held-out reviews flagged %d/%d at threshold %.4g",
                        falseAlarms, inlierScores.length, calibration.threshold()));
        System.out.println("[outlier-autoencoder] " + report);
        // the 0.99 threshold calibrated on unseen reviews keeps false alarms on new reviews near 1
        // %
        assertTrue(falseAlarms <= 10, report.toString());
    }
}
