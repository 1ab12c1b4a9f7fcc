package io.modelmonitor.models.bundle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.modelmonitor.detectors.outlier.OutlierAuc;
import io.modelmonitor.models.Modality;
import io.modelmonitor.models.numeric.NumericEncoder;
import io.modelmonitor.models.outlier.OutlierAutoencoder;
import io.modelmonitor.models.outlier.OutlierMethod;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every outlier method fitted into a bundle, saved and loaded: the manifest names the method, the
 * loaded scorer gives the same scores, the threshold comes from held-out scores, and a bundle
 * without a method (written before there was a choice) is an autoencoder.
 */
class OutlierMethodBundleTest {
    private static final int D = 6;

    @TempDir Path dir;

    @ParameterizedTest
    @EnumSource(
            value = OutlierMethod.class,
            names = {"AUTOENCODER", "MAHALANOBIS", "KNN"})
    void eachMethodRoundTripsAndSeparatesSpikes(OutlierMethod method) throws Exception {
        double[][] reference = rows(600, 1, 0);
        ReferenceBundle fitted = fit(method, reference);
        fitted.save(dir);
        ObjectNode manifest =
                (ObjectNode) BundleWriter.JSON.readTree(dir.resolve(BundleFiles.MANIFEST).toFile());
        assertEquals(method.label(), manifest.path("outlier").path("method").asText());
        assertEquals(method.label(), manifest.path("options").path("outlier_method").asText());
        ReferenceBundle loaded = ReferenceBundle.load(dir, new NumericEncoder(D).identity());
        assertEquals(method.label(), loaded.outlierScorer().name());
        ModelReference before = fitted.toModelReference();
        ModelReference after = loaded.toModelReference();
        double[][] clean = rows(200, 2, 0);
        double[][] spikes = rows(200, 3, 6);
        double[] cleanScores = new double[clean.length];
        double[] spikeScores = new double[spikes.length];
        for (int i = 0; i < clean.length; i++) {
            cleanScores[i] = after.outlierScore(after.prepare(clean[i]));
            spikeScores[i] = after.outlierScore(after.prepare(spikes[i]));
            assertEquals(before.outlierScore(before.prepare(clean[i])), cleanScores[i], 0.0);
        }
        double auc = OutlierAuc.of(spikeScores, cleanScores);
        assertTrue(auc > 0.9, method + " AUC " + auc);
        // The threshold is an order statistic of the held-out scores, which the scorer never saw.
        assertEquals(
                fitted.outlierCalibration().threshold(),
                loaded.outlierCalibration().threshold(),
                0.0);
        long falseAlarms =
                java.util.Arrays.stream(cleanScores)
                        .filter(s -> after.outlierCalibration().isOutlier(s))
                        .count();
        assertTrue(falseAlarms <= 10, method + " flags " + falseAlarms + " of 200 clean rows");
    }

    @Test
    void bundleWithoutMethodIsAnAutoencoder() throws Exception {
        fit(OutlierMethod.AUTOENCODER, rows(300, 1, 0)).save(dir);
        Path manifestFile = dir.resolve(BundleFiles.MANIFEST);
        ObjectNode manifest = (ObjectNode) BundleWriter.JSON.readTree(manifestFile.toFile());
        ((ObjectNode) manifest.get("outlier")).remove("method");
        Files.writeString(manifestFile, BundleWriter.JSON.writeValueAsString(manifest));
        ReferenceBundle loaded = ReferenceBundle.load(dir, new NumericEncoder(D).identity());
        assertInstanceOf(OutlierAutoencoder.class, loaded.outlierScorer());
    }

    @Test
    void unknownMethodIsRefusedWithItsName() throws Exception {
        fit(OutlierMethod.MAHALANOBIS, rows(300, 1, 0)).save(dir);
        Path manifestFile = dir.resolve(BundleFiles.MANIFEST);
        ObjectNode manifest = (ObjectNode) BundleWriter.JSON.readTree(manifestFile.toFile());
        ((ObjectNode) manifest.get("outlier")).put("method", "isolation-forest");
        Files.writeString(manifestFile, BundleWriter.JSON.writeValueAsString(manifest));
        BundleException e =
                assertThrows(
                        BundleException.class,
                        () -> ReferenceBundle.load(dir, new NumericEncoder(D).identity()));
        assertTrue(e.getMessage().contains("isolation-forest"), e.getMessage());
    }

    private static ReferenceBundle fit(OutlierMethod method, double[][] rows) {
        return BundleFitter.builder()
                .setModality(Modality.NUMERIC)
                .optPcaComponents(D)
                .optAutoencoderEpochs(30)
                .optOutlierMethod(method)
                .optSeed(5)
                .build()
                .fit(ReferenceData.builder().setFeatures(rows).build());
    }

    /** Correlated Gaussian rows; {@code spike} &gt; 0 sets one random feature to ±spike σ. */
    static double[][] rows(int n, long seed, double spike) {
        Random random = new Random(seed);
        double[][] out = new double[n][D];
        for (int i = 0; i < n; i++) {
            double latent = random.nextGaussian();
            for (int j = 0; j < D; j++) {
                out[i][j] = 5 * j + latent * (1 + 0.3 * j) + 0.5 * random.nextGaussian();
            }
            if (spike > 0) {
                int j = random.nextInt(D);
                out[i][j] +=
                        (random.nextBoolean() ? 1 : -1)
                                * spike
                                * Math.sqrt((1 + 0.3 * j) * (1 + 0.3 * j) + 0.25);
            }
        }
        return out;
    }
}
