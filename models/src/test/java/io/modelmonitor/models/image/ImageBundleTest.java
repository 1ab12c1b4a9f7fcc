package io.modelmonitor.models.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.modelmonitor.models.Device;
import io.modelmonitor.models.Encoder;
import io.modelmonitor.models.Modality;
import io.modelmonitor.models.bundle.BundleEncoders;
import io.modelmonitor.models.bundle.BundleFitter;
import io.modelmonitor.models.bundle.ModelReference;
import io.modelmonitor.models.bundle.ReferenceBundle;
import io.modelmonitor.models.bundle.ReferenceData;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An image bundle with the random convolutional encoder: fit, save, load, reopen the encoder. */
class ImageBundleTest {

    @TempDir Path dir;

    @Test
    @SuppressWarnings("unchecked")
    void roundTripsAndReopensTheEncoder() throws Exception {
        RandomConvEncoder encoder = RandomConvEncoder.builder().optSeed(5).build();
        List<byte[]> images = RandomConvEncoderTest.shapes(60, 1, 0);
        ReferenceBundle fitted =
                BundleFitter.builder()
                        .setModality(Modality.IMAGE)
                        .optEncoder(encoder)
                        .optPcaComponents(8)
                        .optAutoencoderEpochs(3)
                        .build()
                        .fit(ReferenceData.builder().setImages(images).build());
        fitted.save(dir);
        ReferenceBundle loaded = ReferenceBundle.load(dir, encoder.identity());
        assertEquals("random-conv", loaded.encoderLocation().orElseThrow());
        Encoder<byte[]> reopened =
                (Encoder<byte[]>) BundleEncoders.open(loaded, null, Device.CPU, 1);
        float[] e = reopened.embed(images.subList(0, 1))[0];
        assertArrayEquals(encoder.embed(images.subList(0, 1))[0], e);
        ModelReference before = fitted.toModelReference();
        ModelReference after = loaded.toModelReference();
        assertEquals(
                before.outlierScore(before.prepare(e)), after.outlierScore(after.prepare(e)), 0.0);
        assertArrayEquals(before.reduce(before.prepare(e)), after.reduce(after.prepare(e)), 0.0);
    }

    @Test
    void onnxImageEncoderNamesAMissingModel() {
        Exception e =
                assertThrows(
                        Exception.class,
                        () ->
                                OnnxImageEncoder.builder()
                                        .setModelPath(Path.of("/nonexistent/model.onnx"))
                                        .build());
        assertTrue(e.getMessage().contains("/nonexistent/model.onnx"), e.getMessage());
    }
}
