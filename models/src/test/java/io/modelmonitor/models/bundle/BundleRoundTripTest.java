package io.modelmonitor.models.bundle;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.modelmonitor.models.Modality;
import io.modelmonitor.models.numeric.NumericEncoder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Numeric reference: fit, save, load; everything comes back exactly. */
class BundleRoundTripTest {

    static final int N = 400;
    static final int D = 6;

    static ReferenceData data;
    static double[][] features;
    static List<String> labels;
    static List<String> predictions;
    static ReferenceBundle fitted;

    @TempDir static Path dir;

    /** Correlated Gaussian features, a logistic classifier's scores, noisy labels. */
    static ReferenceData numericData(int n, long seed) {
        Random random = new Random(seed);
        features = new double[n][D];
        double[][] scores = new double[n][];
        predictions = new ArrayList<>();
        labels = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            double latent = random.nextGaussian();
            for (int j = 0; j < D; j++) {
                features[i][j] = 10 * j + latent * (j + 1) + random.nextGaussian();
            }
            features[i][D - 1] = 3.0; // a constant feature
            double p = 1 / (1 + Math.exp(-(features[i][0] + 0.5 * features[i][1] - 10)));
            scores[i] = new double[] {1 - p, p};
            predictions.add(p >= 0.5 ? "yes" : "no");
            labels.add(i % 10 == 0 ? null : random.nextDouble() < p ? "yes" : "no");
        }
        return ReferenceData.builder()
                .setFeatures(features)
                .optPredictions(predictions)
                .optScores(scores)
                .optLabels(labels)
                .optClasses(List.of("no", "yes"))
                .build();
    }

    @BeforeAll
    static void fitAndSave() throws Exception {
        data = numericData(N, 1);
        fitted =
                BundleFitter.builder()
                        .setModality(Modality.NUMERIC)
                        .optPcaComponents(4)
                        .optMaxReference(1000)
                        .optAutoencoderEpochs(10)
                        .optSeed(9)
                        .build()
                        .fit(data);
        fitted.save(dir);
    }

    @Test
    void loadReturnsTheSameBundle() throws Exception {
        ReferenceBundle loaded = ReferenceBundle.load(dir, new NumericEncoder(D).identity());
        assertEquals(Modality.NUMERIC, loaded.modality());
        assertEquals(ReferenceBundle.FORMAT_VERSION, loaded.formatVersion());
        assertEquals(fitted.sigma(), loaded.sigma(), 0.0);
        assertEquals(fitted.outlierThreshold(), loaded.outlierThreshold(), 0.0);
        assertEquals(
                fitted.outlierCalibration().threshold(),
                loaded.outlierCalibration().threshold(),
                0.0);
        assertEquals(loaded.outlierThreshold(), loaded.outlierCalibration().threshold(), 0.0);
        assertEquals(fitted.outlierExpectedRate(), loaded.outlierExpectedRate(), 0.0);
        assertMatrixEquals(fitted.reference(), loaded.reference());
        assertArrayEquals(fitted.referenceOutlierScores(), loaded.referenceOutlierScores(), 0.0);
        assertMatrixEquals(
                fitted.referenceFeatures().orElseThrow(), loaded.referenceFeatures().orElseThrow());
        assertArrayEquals(
                fitted.featureMin().orElseThrow(), loaded.featureMin().orElseThrow(), 0.0);
        assertEquals(List.of("f0", "f1", "f2", "f3", "f4", "f5"), loaded.featureNames());
        assertEquals(fitted.predictionCounts(), loaded.predictionCounts());
        assertEquals(fitted.referenceMetrics(), loaded.referenceMetrics());
        assertEquals(fitted.labelFreeCalibration(), loaded.labelFreeCalibration());
        assertEquals(fitted.options(), loaded.options());
        assertEquals(fitted.outlierScoreStats(), loaded.outlierScoreStats());
        ModelReference before = fitted.toModelReference();
        ModelReference after = loaded.toModelReference();
        for (double[] x : new double[][] {features[0], features[77], {100, -5, 3, 0, 1, 3}}) {
            assertArrayEquals(
                    before.reduce(before.prepare(x)), after.reduce(after.prepare(x)), 0.0);
            assertEquals(
                    before.outlierScore(before.prepare(x)),
                    after.outlierScore(after.prepare(x)),
                    0.0);
        }
        double q = 0.83;
        assertEquals(
                fitted.confidenceCalibrator().calibrate(q),
                loaded.confidenceCalibrator().calibrate(q),
                0.0);
    }

    @Test
    void referenceStatisticsAgreeWithDirectCounts() {
        long yes = predictions.stream().filter("yes"::equals).count();
        assertEquals(Map.of("no", N - yes, "yes", yes), new HashMap<>(fitted.predictionCounts()));
        long labelled = 0;
        long correct = 0;
        for (int i = 0; i < N; i++) {
            if (labels.get(i) != null) {
                labelled++;
                correct += labels.get(i).equals(predictions.get(i)) ? 1 : 0;
            }
        }
        assertEquals(labelled, fitted.referenceMetrics().get("labelled"), 0.0);
        assertEquals((double) correct / labelled, fitted.referenceMetrics().get("accuracy"), 1e-15);
        assertEquals(3.0, fitted.featureMin().orElseThrow()[D - 1]);
        assertEquals(0.01, fitted.outlierExpectedRate(), 0.006);
    }

    /**
     * The MMD reference comes from the calibration part, the standardizer (and PCA, autoencoder)
     * from the disjoint fit part: with every calibration row in the reference, the standardizer's
     * mean is the mean of exactly the rows that are not in it.
     */
    @Test
    void fitAndCalibrationPartsAreDisjoint() throws Exception {
        double[][] reference = fitted.reference();
        boolean[] inReference = new boolean[N];
        int matched = 0;
        ModelReference transform = fitted.toModelReference();
        for (int i = 0; i < N; i++) {
            double[] z = transform.reduce(transform.prepare(features[i]));
            for (double[] r : reference) {
                if (java.util.Arrays.equals(z, r)) {
                    inReference[i] = true;
                    matched++;
                    break;
                }
            }
        }
        assertEquals(reference.length, matched);
        assertEquals(N / 2, reference.length);
        // The recorded fit-part fingerprints are exactly the rows outside the held-out sample.
        long[] fit = ReferenceBundle.load(dir).fitFingerprints().orElseThrow();
        assertArrayEquals(fitted.fitFingerprints().orElseThrow(), fit);
        assertEquals(N - matched, fit.length);
        for (int i = 0; i < N; i++) {
            assertEquals(
                    !inReference[i],
                    InputFingerprints.contains(fit, InputFingerprints.of(features[i])),
                    "row " + i);
        }
        double[] mean = new double[D];
        for (int i = 0; i < N; i++) {
            if (!inReference[i]) {
                for (int j = 0; j < D; j++) {
                    mean[j] += features[i][j] / (N - matched);
                }
            }
        }
        assertArrayEquals(mean, fitted.standardizer().orElseThrow().mean(), 1e-9);
        assertEquals(N / 2, ((Number) fitted.split().get("n_fit")).intValue());
    }

    @Test
    void manifestListsEveryFileWithItsChecksum() throws Exception {
        String manifest = Files.readString(dir.resolve(BundleFiles.MANIFEST));
        try (var files = Files.list(dir)) {
            for (Path file : files.toList()) {
                String name = file.getFileName().toString();
                if (!name.equals(BundleFiles.MANIFEST)) {
                    assertTrue(
                            manifest.contains(
                                    "\""
                                            + name
                                            + "\" : \""
                                            + io.modelmonitor.models.runtime.Checksums.sha256(
                                                    file)),
                            name);
                }
            }
        }
        assertTrue(manifest.contains("\"modality\" : \"numeric\""));
        assertFalse(manifest.contains("NaN"));
    }

    static void assertMatrixEquals(double[][] a, double[][] b) {
        assertEquals(a.length, b.length);
        for (int i = 0; i < a.length; i++) {
            assertArrayEquals(a[i], b[i], 0.0, "row " + i);
        }
    }
}
