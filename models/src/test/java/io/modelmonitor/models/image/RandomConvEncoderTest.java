package io.modelmonitor.models.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.modelmonitor.detectors.mmd.MmdDetector;
import io.modelmonitor.detectors.mmd.MmdResult;
import io.modelmonitor.detectors.reduction.Pca;
import io.modelmonitor.models.numeric.Standardizer;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

class RandomConvEncoderTest {

    /** Grey 32×32 PNGs of one random ellipse or rectangle on a noisy background. */
    static List<byte[]> shapes(int n, long seed, double noiseStd) throws IOException {
        Random random = new Random(seed);
        List<byte[]> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            BufferedImage image = new BufferedImage(32, 32, BufferedImage.TYPE_BYTE_GRAY);
            Graphics2D g = image.createGraphics();
            g.setColor(
                    new Color(
                            40 + random.nextInt(40),
                            40 + random.nextInt(40),
                            40 + random.nextInt(40)));
            g.fillRect(0, 0, 32, 32);
            int grey = 150 + random.nextInt(100);
            g.setColor(new Color(grey, grey, grey));
            int x = random.nextInt(16);
            int y = random.nextInt(16);
            int w = 6 + random.nextInt(12);
            int h = 6 + random.nextInt(12);
            if (random.nextBoolean()) {
                g.fillOval(x, y, w, h);
            } else {
                g.fillRect(x, y, w, h);
            }
            g.dispose();
            var raster = image.getRaster();
            for (int r = 0; r < 32; r++) {
                for (int c = 0; c < 32; c++) {
                    double v =
                            raster.getSample(c, r, 0)
                                    + 4 * random.nextGaussian()
                                    + noiseStd * random.nextGaussian();
                    raster.setSample(c, r, 0, (int) Math.max(0, Math.min(255, Math.round(v))));
                }
            }
            ByteArrayOutputStream png = new ByteArrayOutputStream();
            ImageIO.write(image, "png", png);
            out.add(png.toByteArray());
        }
        return out;
    }

    @Test
    void seededAndDeterministic() throws IOException {
        List<byte[]> images = shapes(3, 1, 0);
        RandomConvEncoder a = RandomConvEncoder.builder().optSeed(7).build();
        RandomConvEncoder b = RandomConvEncoder.builder().optSeed(7).build();
        RandomConvEncoder c = RandomConvEncoder.builder().optSeed(8).build();
        assertEquals(512, a.dimension());
        assertArrayEquals(a.embed(images)[2], b.embed(images)[2]);
        assertTrue(a.identity().matches(b.identity()));
        assertTrue(!a.identity().matches(c.identity()));
        assertThrows(IllegalArgumentException.class, () -> a.embed(List.of(new byte[] {1, 2, 3})));
    }

    @Test
    void resizeOfAConstantImageIsConstantAndHalvingAveragesPairs() {
        float[] constant = new float[5 * 7];
        java.util.Arrays.fill(constant, 0.25f);
        for (float v : ImagePreprocessing.resizeBilinear(constant, 5, 7, 3, 4)) {
            assertEquals(0.25f, v, 1e-7f);
        }
        // 4 → 2 with half-pixel centres samples at 0.5 and 2.5: the mean of each pair
        float[] row = {0, 1, 2, 3};
        assertArrayEquals(
                new float[] {0.5f, 2.5f},
                ImagePreprocessing.resizeBilinear(row, 4, 1, 2, 1),
                1e-6f);
    }

    /**
     * Rabanser et al. 2019: untrained random convolutions + PCA + MMD detect a Gaussian-noise
     * corruption, and do not flag a clean sample of the same kind. PCA is fitted on a part of the
     * reference disjoint from the MMD reference sample.
     */
    @Test
    void mmdOnItsEmbeddingsDetectsGaussianNoise() throws IOException {
        RandomConvEncoder encoder = RandomConvEncoder.builder().optSeed(3).build();
        double[][] fitPart = Standardizer.toDouble(encoder.embed(shapes(200, 10, 0)));
        double[][] referencePart = Standardizer.toDouble(encoder.embed(shapes(200, 11, 0)));
        double[][] clean = Standardizer.toDouble(encoder.embed(shapes(100, 12, 0)));
        double[][] noisy = Standardizer.toDouble(encoder.embed(shapes(100, 13, 20)));
        Pca pca = Pca.builder().setComponents(16).fit(fitPart);
        MmdDetector mmd =
                MmdDetector.builder()
                        .setReference(pca.transform(referencePart))
                        .optPermutations(200)
                        .optSeed(5)
                        .build();
        MmdResult cleanResult = mmd.test(pca.transform(clean));
        MmdResult noisyResult = mmd.test(pca.transform(noisy));
        System.out.printf(
                "[random-conv] clean p=%.3f, noise(std 20/255) p=%.4f%n",
                cleanResult.pValue(), noisyResult.pValue());
        assertTrue(noisyResult.drift(0.05), "noisy " + noisyResult);
        assertTrue(!cleanResult.drift(0.05), "clean " + cleanResult);
    }
}
