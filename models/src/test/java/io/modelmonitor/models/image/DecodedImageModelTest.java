package io.modelmonitor.models.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.modelmonitor.models.Encoder;
import io.modelmonitor.models.synthetic.SyntheticImages;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/**
 * Images decoded once and prepared for each model give, bit for bit, the embeddings and scores of
 * the models' byte API, and both give what they gave before equal sizes skipped the bilinear
 * interpolation and before the decode was shared: the pinned hashes were computed with the
 * implementation that decoded in every model and interpolated at every size.
 */
class DecodedImageModelTest {

    @Test
    void identityResizeIsBitIdenticalToTheInterpolation() {
        SplittableRandom random = new SplittableRandom(1);
        int[][] sizes = {{1, 1}, {2, 1}, {5, 3}, {17, 40}, {32, 32}, {224, 224}};
        for (int[] size : sizes) {
            int w = size[0];
            int h = size[1];
            for (int round = 0; round < 4; round++) {
                float[] plane = new float[w * h];
                for (int i = 0; i < plane.length; i++) {
                    // Every value a plane can hold (bytes / 255, luma mixes) and the edges 0 and 1.
                    plane[i] =
                            switch (random.nextInt(4)) {
                                case 0 -> random.nextInt(256) / 255f;
                                case 1 -> random.nextBoolean() ? 0f : 1f;
                                default -> (float) random.nextDouble();
                            };
                }
                float[] interpolated = ImagePreprocessing.interpolate(plane, w, h, w, h);
                float[] resized = ImagePreprocessing.resizeBilinear(plane, w, h, w, h);
                assertSame(plane, resized, "equal sizes skip the interpolation");
                for (int i = 0; i < plane.length; i++) {
                    assertEquals(
                            Float.floatToRawIntBits(interpolated[i]),
                            Float.floatToRawIntBits(resized[i]),
                            w + "x" + h + " pixel " + i);
                }
            }
        }
    }

    /** What lets input complexity take a 32×32 image's bytes as they are. */
    @Test
    void quantisingAPreprocessedByteGivesTheByteBack() {
        for (int b = 0; b < 256; b++) {
            assertEquals(b, InputComplexity.quantise(b / 255f), "byte " + b);
        }
    }

    @Test
    void decodedPathGivesTheByteAPIsResultsAndThoseOfBefore() throws IOException {
        List<byte[]> images = images();
        InputComplexity complexity =
                InputComplexity.fit(SyntheticImages.scenes(40, new double[] {1, 1, 1}, 0, 1));
        assertBothPaths(RandomConvEncoder.builder().optSeed(3).build(), images, 1710678861);
        assertBothPaths(
                RandomConvEncoder.builder().optChannels(3).optSeed(11).build(), images, 276555945);
        assertBothPaths(complexity, images, -923222641);
    }

    private static <M extends Encoder<byte[]> & DecodedImageModel> void assertBothPaths(
            M model, List<byte[]> images, int pinnedHash) {
        float[][] bytePath = model.embed(images);
        float[][] prepared = new float[images.size()][];
        for (int i = 0; i < prepared.length; i++) {
            prepared[i] = model.prepare(DecodedImage.decode(images.get(i)));
        }
        float[][] decodedPath = model.embedPrepared(prepared);
        assertEquals(pinnedHash, Arrays.deepHashCode(bytePath), model.id() + " byte path");
        assertEquals(pinnedHash, Arrays.deepHashCode(decodedPath), model.id() + " decoded path");
    }

    /**
     * 32×32 scenes (clean and noisy), drawings, noise and flat colours, and two images of other
     * sizes, which still go through the interpolation.
     */
    private static List<byte[]> images() throws IOException {
        List<byte[]> out =
                new ArrayList<>(SyntheticImages.scenes(12, new double[] {1, 1, 1}, 0, 5));
        out.addAll(SyntheticImages.scenes(4, new double[] {1, 1, 1}, 30, 6));
        out.addAll(SyntheticImages.drawings(4, 7));
        out.addAll(SyntheticImages.foreign(2, true, 8));
        out.addAll(SyntheticImages.foreign(2, false, 9));
        SplittableRandom random = new SplittableRandom(10);
        for (int[] size : new int[][] {{48, 40}, {20, 32}}) {
            BufferedImage image = new BufferedImage(size[0], size[1], BufferedImage.TYPE_INT_RGB);
            for (int y = 0; y < size[1]; y++) {
                for (int x = 0; x < size[0]; x++) {
                    image.setRGB(x, y, random.nextInt(1 << 24));
                }
            }
            ByteArrayOutputStream png = new ByteArrayOutputStream();
            ImageIO.write(image, "png", png);
            out.add(png.toByteArray());
        }
        return out;
    }
}
