package io.modelmonitor.models.bundle;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.modelmonitor.detectors.mmd.MedianHeuristic;
import io.modelmonitor.models.Device;
import io.modelmonitor.models.Encoder;
import io.modelmonitor.models.Modality;
import io.modelmonitor.models.runtime.SharedModels;
import io.modelmonitor.models.synthetic.SyntheticTexts;
import io.modelmonitor.models.text.TextEncoder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A MiniLM text bundle: fit, save, load, reopen its encoder from the manifest. */
class TextBundleTest {

    static TextEncoder encoder;
    static ReferenceBundle fitted;
    static List<String> texts;
    static List<String> progress = new ArrayList<>();

    @TempDir static Path dir;

    @BeforeAll
    static void fit() throws Exception {
        encoder = TextEncoder.builder().optIntraOpThreads(2).build();
        texts = SyntheticTexts.reviews(240, 11);
        List<String> predictions = new ArrayList<>();
        double[][] scores = new double[texts.size()][];
        for (int i = 0; i < texts.size(); i++) {
            boolean positive =
                    !texts.get(i).contains("returned") && !texts.get(i).contains("One star");
            predictions.add(positive ? "positive" : "negative");
            scores[i] = positive ? new double[] {0.2, 0.8} : new double[] {0.9, 0.1};
        }
        ReferenceData data =
                ReferenceData.builder()
                        .setTexts(texts)
                        .optPredictions(predictions)
                        .optScores(scores)
                        .optClasses(List.of("negative", "positive"))
                        .build();
        fitted =
                BundleFitter.builder()
                        .setModality(Modality.TEXT)
                        .optEncoder(encoder)
                        .optPcaComponents(16)
                        .optAutoencoderEpochs(15)
                        .optEmbedBatchSize(100)
                        .optProgress(
                                (stage, done, total) ->
                                        progress.add(stage + " " + done + "/" + total))
                        .build()
                        .fit(data);
        fitted.save(dir);
    }

    @AfterAll
    static void close() {
        encoder.close();
    }

    @Test
    void roundTripsWithTheSameEmbeddingsScoresAndThresholds() throws Exception {
        ReferenceBundle loaded = ReferenceBundle.load(dir, encoder.identity());
        assertEquals("classpath:all-minilm-l6-v2.onnx", loaded.encoderLocation().orElseThrow());
        assertEquals(16, loaded.reference()[0].length);
        assertEquals(120, loaded.reference().length);
        assertEquals(fitted.sigma(), loaded.sigma(), 0.0);
        assertEquals(MedianHeuristic.sigma(loaded.reference()), loaded.sigma(), 0.0);
        assertEquals(fitted.outlierThreshold(), loaded.outlierThreshold(), 0.0);
        BundleRoundTripTest.assertMatrixEquals(fitted.reference(), loaded.reference());
        float[][] fresh = encoder.embed(texts.subList(0, 5));
        ModelReference before = fitted.toModelReference();
        ModelReference after = loaded.toModelReference();
        for (float[] e : fresh) {
            assertArrayEquals(
                    before.reduce(before.prepare(e)), after.reduce(after.prepare(e)), 0.0);
            assertEquals(
                    before.outlierScore(before.prepare(e)),
                    after.outlierScore(after.prepare(e)),
                    0.0);
        }
        assertEquals(List.of("negative", "positive"), loaded.classes());
        assertEquals(
                240L, loaded.predictionCounts().values().stream().mapToLong(Long::longValue).sum());
        assertEquals(0.8, loaded.topScoreStats().get("min"), 0.11);
        assertTrue(progress.contains("embed 240/240"), progress.toString());
        assertTrue(progress.contains("autoencoder 15/15"), progress.toString());
        assertTrue(
                Files.readString(dir.resolve(BundleFiles.MANIFEST))
                        .contains("\"max_length\" : \"256\""));
    }

    @Test
    @SuppressWarnings("unchecked")
    void reopensTheEncoderFromTheManifestAndSharesIt() throws Exception {
        ReferenceBundle loaded = ReferenceBundle.load(dir);
        SharedModels.Lease<Encoder<?>> a = BundleEncoders.acquire(loaded, null, Device.CPU, 1);
        SharedModels.Lease<Encoder<?>> b = BundleEncoders.acquire(loaded, null, Device.CPU, 1);
        try {
            assertTrue(a.get() == b.get());
            assertEquals(2, SharedModels.referenceCount(a.key()));
            float[] reopened = ((Encoder<String>) a.get()).embed(List.of(texts.get(3)))[0];
            assertArrayEquals(encoder.embed(List.of(texts.get(3)))[0], reopened, 1e-6f);
        } finally {
            a.close();
            a.close(); // idempotent
            assertEquals(1, SharedModels.referenceCount(b.key()));
            b.close();
        }
        assertEquals(0, SharedModels.referenceCount(a.key()));
    }

    @Test
    void refusesAnEncoderWithOtherPreprocessing() throws Exception {
        try (TextEncoder shorter = TextEncoder.builder().optMaxLength(128).build()) {
            BundleException e =
                    assertThrows(
                            BundleException.class,
                            () -> ReferenceBundle.load(dir, shorter.identity()));
            assertTrue(e.getMessage().contains("preprocessing differs"), e.getMessage());
        }
    }
}
