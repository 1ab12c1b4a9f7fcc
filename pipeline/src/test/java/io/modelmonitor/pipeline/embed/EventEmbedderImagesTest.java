package io.modelmonitor.pipeline.embed;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.modelmonitor.models.Device;
import io.modelmonitor.models.Encoder;
import io.modelmonitor.models.bundle.BundleEncoders;
import io.modelmonitor.models.bundle.ModelReference;
import io.modelmonitor.models.bundle.ReferenceBundle;
import io.modelmonitor.models.synthetic.SyntheticImages;
import io.modelmonitor.pipeline.cli.Main;
import io.modelmonitor.pipeline.record.EmbeddedEvent;
import io.modelmonitor.pipeline.record.PredictionEvent;
import java.io.BufferedWriter;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedding stage decodes each image once for the encoder and the outlier model, in chunks of
 * {@link EventEmbedder#IMAGE_CHUNK}; every event must still get the embedding and outlier score
 * that the bundle's encoder and outlier model give for its bytes on their own: with the default
 * models (random convolutions, input complexity) and with two ONNX models (the trained autoencoder
 * and its reconstruction error). The batch mixes in a second model's images and is not a multiple
 * of the chunk, so a chunk or row mix-up shows.
 */
class EventEmbedderImagesTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void defaultModelsGiveTheScoresOfTheBytes(@TempDir Path dir) throws Exception {
        assertSameAsBytePath(dir);
    }

    @Test
    void onnxModelsGiveTheScoresOfTheBytes(@TempDir Path dir) throws Exception {
        assertSameAsBytePath(
                dir,
                "--encoder",
                "conv-autoencoder",
                "--outlier",
                "conv-reconstruction",
                "--image-epochs",
                "1");
    }

    private static void assertSameAsBytePath(Path dir, String... fitFlags) throws Exception {
        Path reference = dir.resolve("reference.jsonl");
        try (BufferedWriter w = Files.newBufferedWriter(reference)) {
            List<byte[]> images = SyntheticImages.scenes(120, new double[] {1, 1, 1}, 0, 1);
            for (int i = 0; i < images.size(); i++) {
                ObjectNode o = JSON.createObjectNode();
                o.put("id", "r" + i);
                o.put("ts", 1_795_824_000_000L + i);
                o.put("image", Base64.getEncoder().encodeToString(images.get(i)));
                o.put("prediction", i % 3 == 0 ? "b" : "a");
                w.write(JSON.writeValueAsString(o));
                w.newLine();
            }
        }
        List<String> fit =
                new ArrayList<>(
                        List.of(
                                "fit",
                                "--reference",
                                reference.toString(),
                                "--out",
                                dir.resolve("bundle").toString()));
        fit.addAll(List.of(fitFlags));
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        assertEquals(
                0,
                Main.execute(
                        fit.toArray(String[]::new),
                        new PrintStream(new ByteArrayOutputStream()),
                        new PrintStream(err)),
                err.toString());
        ReferenceBundle bundle = ReferenceBundle.load(dir.resolve("bundle"));
        ModelReference ref = bundle.toModelReference("m", bundle.encoderLocation().orElseThrow());
        assertTrue(ref.outlierModel() != null, "an image bundle has an outlier model of its own");

        // Clean and noisy scenes, flat colours, drawings: 37 of model m, between 5 of model other.
        List<byte[]> images = new ArrayList<>();
        images.addAll(SyntheticImages.scenes(20, new double[] {1, 1, 1}, 0, 2));
        images.addAll(SyntheticImages.scenes(8, new double[] {1, 1, 1}, 40, 3));
        images.addAll(SyntheticImages.foreign(4, false, 4));
        images.addAll(SyntheticImages.drawings(5, 5));
        List<PredictionEvent> batch = new ArrayList<>();
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < images.size(); i++) {
            if (i % 8 == 3) {
                batch.add(event("other", images.get(images.size() - 1 - i)));
                keys.add("other");
            }
            batch.add(event("m", images.get(i)));
            keys.add("m");
        }
        List<EmbeddedEvent> out;
        try (EventEmbedder embedder =
                new EventEmbedder(
                        Map.of("m", ref, "other", ref), new EncoderLoader(1, Device.CPU))) {
            out = embedder.embed(batch, keys);
        }

        try (Encoder<?> encoder = BundleEncoders.open(bundle, null, Device.CPU, 1);
                Encoder<?> outlierModel =
                        BundleEncoders.open(
                                bundle.modality(),
                                ref.outlierModel(),
                                ref.outlierModelLocation(),
                                Device.CPU,
                                1)) {
            List<byte[]> bytes = batch.stream().map(e -> e.image).toList();
            @SuppressWarnings("unchecked")
            float[][] vectors = ((Encoder<byte[]>) encoder).embed(bytes);
            @SuppressWarnings("unchecked")
            float[][] scores = ((Encoder<byte[]>) outlierModel).embed(bytes);
            assertEquals(batch.size(), out.size());
            for (int i = 0; i < out.size(); i++) {
                assertEquals(batch.get(i).id, out.get(i).id);
                assertArrayEquals(
                        ref.reduce(ref.prepare(vectors[i])), out.get(i).embedding, "event " + i);
                assertEquals(scores[i][0], out.get(i).outlierScore, "score of event " + i);
            }
        }
    }

    private static PredictionEvent event(String model, byte[] image) {
        PredictionEvent e = new PredictionEvent();
        e.id = model + "-" + Integer.toHexString(java.util.Arrays.hashCode(image));
        e.model = model;
        e.image = image;
        e.prediction = "a";
        return e;
    }
}
