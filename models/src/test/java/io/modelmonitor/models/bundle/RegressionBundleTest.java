package io.modelmonitor.models.bundle;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.modelmonitor.models.Modality;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A regression model's bundle: the task, the reference metrics over every labelled row, the seeded
 * samples of absolute errors and predicted values (at most 2,000), through save and load; a bundle
 * written before the task was recorded reads as a classifier.
 */
class RegressionBundleTest {
    @TempDir Path dir;

    @Test
    void regressionReferenceRoundTrips() throws Exception {
        int n = 2500;
        Random random = new Random(4);
        double[][] features = new double[n][3];
        List<String> predictions = new ArrayList<>();
        List<String> labels = new ArrayList<>();
        double sumAbs = 0;
        int labelled = 0;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < 3; j++) {
                features[i][j] = random.nextGaussian();
            }
            double predicted = 50 + 10 * features[i][0];
            double actual = predicted + 2 * random.nextGaussian();
            predictions.add(Double.toString(predicted));
            labels.add(i % 5 == 0 ? null : Double.toString(actual));
            if (i % 5 != 0) {
                sumAbs += Math.abs(predicted - actual);
                labelled++;
            }
        }
        ReferenceData data =
                ReferenceData.builder()
                        .setFeatures(features)
                        .optPredictions(predictions)
                        .optLabels(labels)
                        .optTask(ReferenceData.REGRESSION)
                        .build();
        ReferenceBundle fitted =
                BundleFitter.builder()
                        .setModality(Modality.NUMERIC)
                        .optPcaComponents(2)
                        .optAutoencoderEpochs(2)
                        .optSeed(3)
                        .build()
                        .fit(data);
        fitted.save(dir);
        ReferenceBundle loaded = ReferenceBundle.load(dir);
        assertEquals(ReferenceData.REGRESSION, loaded.task());
        assertTrue(loaded.classes().isEmpty());
        assertEquals(labelled, loaded.referenceMetrics().get("labelled"), 0);
        assertEquals(sumAbs / labelled, loaded.referenceMetrics().get("mae"), 1e-9);
        assertEquals(BundleFitter.MAX_REGRESSION_SAMPLE, loaded.referenceAbsErrors().length);
        assertArrayEquals(fitted.referenceAbsErrors(), loaded.referenceAbsErrors());
        ModelReference ref = loaded.toModelReference();
        assertTrue(ref.regression());
        assertEquals(BundleFitter.MAX_REGRESSION_SAMPLE, ref.referencePredictedValues().length);
        assertEquals(sumAbs / labelled, ref.referenceMae(), 1e-9);

        // A manifest without "task" (bundles written before it): a classifier, as the job treated
        // them.
        Path manifest = dir.resolve(BundleFiles.MANIFEST);
        String text = Files.readString(manifest);
        assertTrue(text.contains("\"task\" : \"regression\""), text);
        Files.writeString(
                manifest,
                text.replaceAll(",\\s*\"task\" : \"regression\"", "")
                        .replace("\"task\" : \"regression\",", ""));
        assertFalse(ReferenceBundle.load(dir).regression());
        Files.writeString(
                manifest, text.replace("\"task\" : \"regression\"", "\"task\" : \"ranking\""));
        assertThrows(BundleException.class, () -> ReferenceBundle.load(dir));
    }

    @Test
    void aRegressionReferenceNeedsNumbers() {
        assertThrows(
                IllegalArgumentException.class,
                () ->
                        ReferenceData.builder()
                                .setFeatures(new double[][] {{1}, {2}})
                                .optPredictions(List.of("1.5", "cat"))
                                .optTask(ReferenceData.REGRESSION)
                                .build());
        assertThrows(
                IllegalArgumentException.class, () -> ReferenceData.builder().optTask("ranking"));
    }
}
