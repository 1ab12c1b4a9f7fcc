package io.modelmonitor.models.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.modelmonitor.models.Device;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The trained encoder and the whole autoencoder's reconstruction error, written as ONNX and run by
 * ONNX Runtime, give the embeddings and errors DJL/PyTorch computes with the same trained weights:
 * an independent check of the weight export and the graphs.
 */
class ConvAutoencoderTrainerTest {
    @Test
    void onnxEncoderMatchesTheTrainedNetwork(@TempDir Path dir) throws Exception {
        List<byte[]> pngs = ImageDetectionTest.scenes(64, new double[] {1, 1, 1}, 0, 1);
        ImagePreprocessing p = ConvAutoencoderTrainer.PREPROCESSING;
        List<float[]> images = pngs.stream().map(p::apply).toList();
        ConvAutoencoderTrainer.Result result =
                ConvAutoencoderTrainer.builder()
                        .setPreprocessing(p)
                        .optEpochs(2)
                        .optSeed(5)
                        .build()
                        .trainAndEmbed(images, images.subList(0, 8));
        Path model = dir.resolve("encoder.onnx");
        Files.write(model, result.onnxModel());
        try (OnnxImageEncoder encoder =
                OnnxImageEncoder.builder()
                        .setModelPath(model)
                        .optPreprocessing(p)
                        .optDevice(Device.CPU)
                        .build()) {
            float[][] onnx = encoder.embed(pngs.subList(0, 8));
            for (int i = 0; i < 8; i++) {
                assertEquals(result.djlEmbeddings()[i].length, onnx[i].length);
                for (int k = 0; k < onnx[i].length; k++) {
                    assertEquals(
                            result.djlEmbeddings()[i][k],
                            onnx[i][k],
                            1e-4,
                            "image " + i + ", unit " + k);
                }
            }
            // The model alone on tensors preprocessed beforehand, cut into model calls of 16 as
            // embed cuts the images: the same rows, in order.
            float[][] whole = encoder.embed(pngs.subList(0, 40));
            float[][] tensors = encoder.embedTensors(images.subList(0, 40).toArray(float[][]::new));
            assertEquals(40, tensors.length);
            for (int i = 0; i < 40; i++) {
                assertArrayEquals(whole[i], tensors[i], 1e-6f, "image " + i);
            }
        }
        Path reconstruction = dir.resolve("reconstruction.onnx");
        Files.write(reconstruction, result.reconstructionModel());
        try (OnnxImageEncoder scorer =
                OnnxImageEncoder.builder()
                        .setModelPath(reconstruction)
                        .optPreprocessing(p)
                        .optOutputName(ConvAutoencoderTrainer.RECONSTRUCTION_ERROR)
                        .optDevice(Device.CPU)
                        .build()) {
            float[][] errors = scorer.embed(pngs.subList(0, 8));
            for (int i = 0; i < 8; i++) {
                assertEquals(1, errors[i].length);
                assertTrue(errors[i][0] > 0);
                assertEquals(
                        result.djlReconstructionErrors()[i],
                        errors[i][0],
                        1e-4 * Math.max(1, errors[i][0]),
                        "reconstruction error of image " + i);
            }
        }
    }
}
