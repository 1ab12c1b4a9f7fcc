package io.modelmonitor.models.image;

import io.modelmonitor.models.Encoder;
import io.modelmonitor.models.EncoderIdentity;
import io.modelmonitor.models.Modality;
import io.modelmonitor.models.runtime.Checksums;
import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The offline default image encoder: an untrained convolutional network with seeded random filters
 * — three blocks of 3×3 convolution (8, 16, 32 filters, zero padding), ReLU and 2×2 max pooling,
 * flattened. Rabanser, Günnemann &amp; Lipton (2019), "Failing Loudly: An Empirical Study of
 * Methods for Detecting Dataset Shift", found such untrained encoders followed by an MMD test as
 * effective at detecting shift as trained ones; they need no pretrained weights, which no reachable
 * registry offers here. For semantic shifts a pretrained model ({@link OnnxImageEncoder}) is the
 * better production choice.
 *
 * <p>Plain Java, deterministic ({@code StrictMath} initialisation) and thread-safe; the identity's
 * checksum is that of the weights, so a bundle refuses an encoder built with another seed, size or
 * channel count.
 *
 * <pre>{@code
 * RandomConvEncoder encoder = RandomConvEncoder.builder().optImageSize(32).optChannels(1).optSeed(7).build();
 * float[][] v = encoder.embed(List.of(pngBytes));   // 32 × 4 × 4 = 512 values each
 * }</pre>
 */
public final class RandomConvEncoder implements Encoder<byte[]>, DecodedImageModel {

    /** Name in encoder identities. */
    public static final String NAME = "random-conv";

    private static final int[] FILTERS = {8, 16, 32};

    private final ImagePreprocessing preprocessing;

    /** Per block: filters × inChannels × 3 × 3. */
    private final float[][] kernels;

    private final float[][] biases;
    private final EncoderIdentity identity;

    private RandomConvEncoder(ImagePreprocessing preprocessing, long seed) {
        this.preprocessing = preprocessing;
        SplittableRandom random = new SplittableRandom(seed);
        kernels = new float[FILTERS.length][];
        biases = new float[FILTERS.length][];
        int in = preprocessing.channels();
        ByteBuffer bytes = ByteBuffer.allocate(4 * weightCount(in));
        for (int b = 0; b < FILTERS.length; b++) {
            int fanIn = in * 9;
            double std = Math.sqrt(2.0 / fanIn); // He et al. 2015
            kernels[b] = new float[FILTERS[b] * fanIn];
            for (int i = 0; i < kernels[b].length; i++) {
                kernels[b][i] = (float) (gaussian(random) * std);
                bytes.putFloat(kernels[b][i]);
            }
            biases[b] = new float[FILTERS[b]];
            in = FILTERS[b];
        }
        int side = preprocessing.size() >> FILTERS.length;
        Map<String, String> settings = new LinkedHashMap<>(preprocessing.describe());
        settings.put("seed", Long.toString(seed));
        settings.put(
                "architecture",
                "conv3x3-relu-maxpool2 x"
                        + FILTERS.length
                        + " "
                        + java.util.Arrays.toString(FILTERS));
        this.identity =
                new EncoderIdentity(
                        NAME,
                        Checksums.sha256(bytes.array()),
                        FILTERS[FILTERS.length - 1] * side * side,
                        settings);
    }

    /** A builder; every setting has a default (32 × 32 grey images, seed 42). */
    public static Builder builder() {
        return new Builder();
    }

    private static int weightCount(int channels) {
        int count = 0;
        int in = channels;
        for (int f : FILTERS) {
            count += f * in * 9;
            in = f;
        }
        return count;
    }

    @Override
    public EncoderIdentity identity() {
        return identity;
    }

    @Override
    public Modality modality() {
        return Modality.IMAGE;
    }

    /** The preprocessing applied before the network. */
    public ImagePreprocessing preprocessing() {
        return preprocessing;
    }

    @Override
    public float[][] embed(List<byte[]> images) {
        float[][] out = new float[images.size()][];
        for (int i = 0; i < out.length; i++) {
            out[i] = embedTensor(preprocessing.apply(images.get(i)));
        }
        return out;
    }

    @Override
    public float[] prepare(DecodedImage image) {
        return preprocessing.apply(image);
    }

    @Override
    public float[][] embedPrepared(float[][] tensors) {
        float[][] out = new float[tensors.length][];
        for (int i = 0; i < out.length; i++) {
            out[i] = embedTensor(tensors[i]);
        }
        return out;
    }

    /** Embeds one preprocessed CHW tensor. */
    public float[] embedTensor(float[] chw) {
        float[] x = chw;
        int channels = preprocessing.channels();
        int side = preprocessing.size();
        for (int b = 0; b < FILTERS.length; b++) {
            x =
                    maxPool2(
                            relu(conv3x3(x, channels, side, kernels[b], biases[b], FILTERS[b])),
                            FILTERS[b],
                            side);
            channels = FILTERS[b];
            side /= 2;
        }
        return x;
    }

    private static float[] conv3x3(
            float[] x, int in, int side, float[] kernel, float[] bias, int out) {
        float[] y = new float[out * side * side];
        for (int o = 0; o < out; o++) {
            int yPlane = o * side * side;
            java.util.Arrays.fill(y, yPlane, yPlane + side * side, bias[o]);
            for (int c = 0; c < in; c++) {
                int xPlane = c * side * side;
                int k = (o * in + c) * 9;
                for (int dy = -1; dy <= 1; dy++) {
                    for (int dx = -1; dx <= 1; dx++) {
                        float w = kernel[k + (dy + 1) * 3 + (dx + 1)];
                        for (int r = Math.max(0, -dy); r < Math.min(side, side - dy); r++) {
                            int yRow = yPlane + r * side;
                            int xRow = xPlane + (r + dy) * side + dx;
                            for (int col = Math.max(0, -dx);
                                    col < Math.min(side, side - dx);
                                    col++) {
                                y[yRow + col] += w * x[xRow + col];
                            }
                        }
                    }
                }
            }
        }
        return y;
    }

    private static float[] relu(float[] x) {
        for (int i = 0; i < x.length; i++) {
            if (x[i] < 0) {
                x[i] = 0;
            }
        }
        return x;
    }

    private static float[] maxPool2(float[] x, int channels, int side) {
        int half = side / 2;
        float[] y = new float[channels * half * half];
        for (int c = 0; c < channels; c++) {
            for (int r = 0; r < half; r++) {
                for (int col = 0; col < half; col++) {
                    int i = c * side * side + 2 * r * side + 2 * col;
                    y[c * half * half + r * half + col] =
                            Math.max(
                                    Math.max(x[i], x[i + 1]),
                                    Math.max(x[i + side], x[i + side + 1]));
                }
            }
        }
        return y;
    }

    private static double gaussian(SplittableRandom random) {
        double u1 = 1.0 - random.nextDouble();
        double u2 = random.nextDouble();
        return StrictMath.sqrt(-2 * StrictMath.log(u1)) * StrictMath.cos(2 * Math.PI * u2);
    }

    @Override
    public void close() {
        // nothing native
    }

    /** Builder of a {@link RandomConvEncoder}. */
    public static final class Builder {
        private int size = 32;
        private int channels = 1;
        private long seed = 42;
        private ImagePreprocessing preprocessing;

        private Builder() {}

        /** Input width and height, a multiple of 8 (default 32). */
        public Builder optImageSize(int size) {
            if (size < 8 || size % 8 != 0) {
                throw new IllegalArgumentException(
                        "image size must be a positive multiple of 8: " + size);
            }
            this.size = size;
            return this;
        }

        /** 1 (grey, default) or 3 (RGB). */
        public Builder optChannels(int channels) {
            this.channels = channels;
            return this;
        }

        /** Seed of the random filters (default 42). */
        public Builder optSeed(long seed) {
            this.seed = seed;
            return this;
        }

        /** Full preprocessing (overrides size and channels; the size must be a multiple of 8). */
        public Builder optPreprocessing(ImagePreprocessing preprocessing) {
            this.preprocessing = preprocessing;
            return this;
        }

        /** Draws the filters. */
        public RandomConvEncoder build() {
            ImagePreprocessing p =
                    preprocessing != null ? preprocessing : ImagePreprocessing.unit(size, channels);
            if (p.size() % 8 != 0) {
                throw new IllegalArgumentException(
                        "image size must be a multiple of 8: " + p.size());
            }
            return new RandomConvEncoder(p, seed);
        }
    }
}
