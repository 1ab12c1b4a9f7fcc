package io.modelmonitor.models.image;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Blocks;
import ai.djl.nn.LambdaBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import ai.djl.util.Pair;
import io.modelmonitor.models.Progress;
import io.modelmonitor.models.onnx.OnnxGraph;
import io.modelmonitor.models.onnx.OnnxGraph.Attribute;
import io.modelmonitor.models.runtime.NativeRuntimes;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * The offline default image encoder: a small convolutional autoencoder trained on the reference
 * images at {@code fit} time with DJL's PyTorch engine, whose encoder half is then written as an
 * ONNX model ({@link OnnxGraph}) that the job runs through ONNX Runtime ({@link OnnxImageEncoder}):
 * PyTorch is needed to fit, never to monitor. An encoder fitted to the reference sees what varies
 * in it, which an untrained one ({@link RandomConvEncoder}) may not (Rabanser et al. 2019, "Failing
 * Loudly", compare both for drift detection).
 *
 * <p>Architecture, for {@code S×S} inputs with {@code C} channels: two 3×3 convolutions of stride 2
 * (16 and 32 filters, ReLU) and a linear bottleneck of {@code dimension} units; the decoder mirrors
 * it with nearest-neighbour upsampling and 3×3 convolutions. Trained with Adam on the squared
 * reconstruction error, in shuffled mini-batches, seeded.
 *
 * <pre>{@code
 * byte[] onnx = ConvAutoencoderTrainer.builder()
 *     .setPreprocessing(ConvAutoencoderTrainer.PREPROCESSING)
 *     .optEpochs(20)
 *     .build()
 *     .train(images); // images already preprocessed, NCHW per image
 * }</pre>
 */
public final class ConvAutoencoderTrainer {
    /** Name of the encoder as {@code fit --encoder} takes it. */
    public static final String NAME = "conv-autoencoder";

    /** 32×32 RGB, pixels scaled to [0, 1] then centred on 0.5 with unit-ish spread. */
    public static final ImagePreprocessing PREPROCESSING =
            new ImagePreprocessing(
                    32, 3, new float[] {0.5f, 0.5f, 0.5f}, new float[] {0.25f, 0.25f, 0.25f});

    public static final String INPUT = "pixels";
    public static final String OUTPUT = "embedding";
    private static final int FILTERS1 = 16;
    private static final int FILTERS2 = 32;

    private final ImagePreprocessing preprocessing;
    private final int dimension;
    private final int epochs;
    private final int batchSize;
    private final float learningRate;
    private final long seed;
    private final Progress progress;

    private ConvAutoencoderTrainer(Builder b) {
        this.preprocessing = b.preprocessing;
        this.dimension = b.dimension;
        this.epochs = b.epochs;
        this.batchSize = b.batchSize;
        this.learningRate = b.learningRate;
        this.seed = b.seed;
        this.progress = b.progress;
    }

    /** A builder; the preprocessing is required (its size must be divisible by 4). */
    public static Builder builder() {
        return new Builder();
    }

    /** Output of the reconstruction-error model: one value per image. */
    public static final String RECONSTRUCTION_ERROR = "reconstruction_error";

    /**
     * The trained encoder; the whole autoencoder as a model of the per-image reconstruction error
     * (input {@value #INPUT}, output {@value #RECONSTRUCTION_ERROR}, batch × 1: the mean squared
     * difference between the preprocessed image and its reconstruction); and the trained network's
     * own (DJL) embeddings and reconstruction errors of the probe images, for checking the written
     * ONNX models.
     */
    public record Result(
            byte[] onnxModel,
            byte[] reconstructionModel,
            float[][] djlEmbeddings,
            float[] djlReconstructionErrors) {}

    /**
     * Trains on {@code images} (each preprocessed to {@code C×S×S}, NCHW order) and returns the
     * encoder half as an ONNX model with input {@value #INPUT} and output {@value #OUTPUT}.
     */
    public byte[] train(List<float[]> images) {
        return trainAndEmbed(images, List.of()).onnxModel();
    }

    /** {@link #train}, and the trained encoder's own (DJL) embeddings of {@code probe}. */
    public Result trainAndEmbed(List<float[]> images, List<float[]> probe) {
        if (images.size() < 2) {
            throw new IllegalArgumentException(
                    "need at least 2 reference images to train the autoencoder, got "
                            + images.size());
        }
        NativeRuntimes.ensureDjlOffline();
        int c = preprocessing.channels();
        int s = preprocessing.size();
        int quarter = s / 4;
        Engine engine = Engine.getEngine("PyTorch");
        engine.setRandomSeed((int) seed);
        SequentialBlock encoder =
                new SequentialBlock()
                        .add(
                                Conv2d.builder()
                                        .setKernelShape(new Shape(3, 3))
                                        .optStride(new Shape(2, 2))
                                        .optPadding(new Shape(1, 1))
                                        .setFilters(FILTERS1)
                                        .build())
                        .add(Activation::relu)
                        .add(
                                Conv2d.builder()
                                        .setKernelShape(new Shape(3, 3))
                                        .optStride(new Shape(2, 2))
                                        .optPadding(new Shape(1, 1))
                                        .setFilters(FILTERS2)
                                        .build())
                        .add(Activation::relu)
                        .add(Blocks.batchFlattenBlock())
                        .add(Linear.builder().setUnits(dimension).build());
        SequentialBlock decoder =
                new SequentialBlock()
                        .add(Linear.builder().setUnits((long) FILTERS2 * quarter * quarter).build())
                        .add(Activation::relu)
                        .add(
                                new LambdaBlock(
                                        x ->
                                                new NDList(
                                                        x.singletonOrThrow()
                                                                .reshape(
                                                                        -1, FILTERS2, quarter,
                                                                        quarter))))
                        .add(new LambdaBlock(ConvAutoencoderTrainer::upsample))
                        .add(
                                Conv2d.builder()
                                        .setKernelShape(new Shape(3, 3))
                                        .optPadding(new Shape(1, 1))
                                        .setFilters(FILTERS1)
                                        .build())
                        .add(Activation::relu)
                        .add(new LambdaBlock(ConvAutoencoderTrainer::upsample))
                        .add(
                                Conv2d.builder()
                                        .setKernelShape(new Shape(3, 3))
                                        .optPadding(new Shape(1, 1))
                                        .setFilters(c)
                                        .build());
        SequentialBlock autoencoder = new SequentialBlock().add(encoder).add(decoder);

        try (Model model = Model.newInstance(NAME, ai.djl.Device.cpu(), engine.getEngineName())) {
            model.setBlock(autoencoder);
            DefaultTrainingConfig config =
                    new DefaultTrainingConfig(Loss.l2Loss())
                            .optOptimizer(
                                    Optimizer.adam()
                                            .optLearningRateTracker(Tracker.fixed(learningRate))
                                            .build())
                            .optDevices(new ai.djl.Device[] {ai.djl.Device.cpu()});
            try (Trainer trainer = model.newTrainer(config)) {
                trainer.initialize(new Shape(1, c, s, s));
                int n = images.size();
                int[] order = new int[n];
                for (int i = 0; i < n; i++) {
                    order[i] = i;
                }
                SplittableRandom shuffle = new SplittableRandom(seed);
                int batches = (n + batchSize - 1) / batchSize;
                for (int epoch = 0; epoch < epochs; epoch++) {
                    for (int i = n - 1; i > 0; i--) {
                        int j = shuffle.nextInt(i + 1);
                        int t = order[i];
                        order[i] = order[j];
                        order[j] = t;
                    }
                    for (int b = 0; b < batches; b++) {
                        int from = b * batchSize;
                        int to = Math.min(n, from + batchSize);
                        try (NDManager m = trainer.getManager().newSubManager()) {
                            NDArray x =
                                    m.create(
                                            stack(images, order, from, to, c * s * s),
                                            new Shape(to - from, c, s, s));
                            try (GradientCollector gc = trainer.newGradientCollector()) {
                                NDArray reconstruction =
                                        trainer.forward(new NDList(x)).singletonOrThrow();
                                gc.backward(
                                        trainer.getLoss()
                                                .evaluate(
                                                        new NDList(x), new NDList(reconstruction)));
                            }
                            trainer.step();
                        }
                        progress.update(
                                "train images",
                                (long) epoch * batches + b + 1,
                                (long) epochs * batches);
                    }
                }
                float[][] embeddings = new float[probe.size()][];
                float[] errors = new float[probe.size()];
                if (!probe.isEmpty()) {
                    try (NDManager m = trainer.getManager().newSubManager()) {
                        int[] all = new int[probe.size()];
                        for (int i = 0; i < all.length; i++) {
                            all[i] = i;
                        }
                        NDArray x =
                                m.create(
                                        stack(probe, all, 0, all.length, c * s * s),
                                        new Shape(all.length, c, s, s));
                        NDArray z =
                                encoder.forward(new ParameterStore(m, false), new NDList(x), false)
                                        .singletonOrThrow();
                        float[] flat = z.toFloatArray();
                        for (int i = 0; i < all.length; i++) {
                            embeddings[i] =
                                    java.util.Arrays.copyOfRange(
                                            flat, i * dimension, (i + 1) * dimension);
                        }
                        NDArray y =
                                decoder.forward(new ParameterStore(m, false), new NDList(z), false)
                                        .singletonOrThrow();
                        errors =
                                y.sub(x)
                                        .square()
                                        .reshape(all.length, -1)
                                        .mean(new int[] {1})
                                        .toFloatArray();
                    }
                }
                return new Result(
                        encoderAsOnnx(encoder, c, s),
                        reconstructionAsOnnx(encoder, decoder, c, s),
                        embeddings,
                        errors);
            }
        }
    }

    /** The encoder half alone: its embedding is the output. */
    private byte[] encoderAsOnnx(SequentialBlock encoder, int c, int s) {
        return withEncoder(OnnxGraph.builder(NAME), encoder, c, s)
                .output(OUTPUT, dimension)
                .build();
    }

    /**
     * Encoder, then the decoder (Gemm → Relu → Reshape → nearest 2× Resize → Conv → Relu → Resize →
     * Conv), then the mean over channels and pixels of the squared difference from the input.
     */
    private byte[] reconstructionAsOnnx(
            SequentialBlock encoder, SequentialBlock decoder, int c, int s) {
        List<float[]> values = new ArrayList<>();
        List<long[]> shapes = new ArrayList<>();
        for (Pair<String, Parameter> p : decoder.getParameters()) {
            NDArray a = p.getValue().getArray();
            values.add(a.toFloatArray());
            shapes.add(a.getShape().getShape());
        }
        if (values.size() != 6) {
            throw new IllegalStateException("expected 6 decoder parameters, got " + values.size());
        }
        int quarter = s / 4;
        return withEncoder(OnnxGraph.builder(NAME + "-reconstruction"), encoder, c, s)
                .initializer("up_w", shapes.get(0), values.get(0))
                .initializer("up_b", shapes.get(1), values.get(1))
                .initializer("deconv1_w", shapes.get(2), values.get(2))
                .initializer("deconv1_b", shapes.get(3), values.get(3))
                .initializer("deconv2_w", shapes.get(4), values.get(4))
                .initializer("deconv2_b", shapes.get(5), values.get(5))
                .initializer(
                        "grid_shape", new long[] {4}, new long[] {-1, FILTERS2, quarter, quarter})
                .initializer("scales", new long[] {4}, new float[] {1, 1, 2, 2})
                .node(
                        "Gemm",
                        List.of(OUTPUT, "up_w", "up_b"),
                        List.of("up"),
                        Attribute.integer("transB", 1))
                .node("Relu", List.of("up"), List.of("up_r"))
                .node("Reshape", List.of("up_r", "grid_shape"), List.of("grid"))
                // Resize's defaults (nearest, half-pixel, round-prefer-floor) repeat each pixel
                // over a 2×2 block at scale 2, as the training's broadcast upsampling does.
                .node("Resize", List.of("grid", "", "scales"), List.of("grid2"))
                .node(
                        "Conv",
                        List.of("grid2", "deconv1_w", "deconv1_b"),
                        List.of("d1"),
                        Attribute.ints("kernel_shape", 3, 3),
                        Attribute.ints("pads", 1, 1, 1, 1))
                .node("Relu", List.of("d1"), List.of("d1_r"))
                .node("Resize", List.of("d1_r", "", "scales"), List.of("d1_up"))
                .node(
                        "Conv",
                        List.of("d1_up", "deconv2_w", "deconv2_b"),
                        List.of("reconstruction"),
                        Attribute.ints("kernel_shape", 3, 3),
                        Attribute.ints("pads", 1, 1, 1, 1))
                .node("Sub", List.of("reconstruction", INPUT), List.of("diff"))
                .node("Mul", List.of("diff", "diff"), List.of("squared"))
                .node(
                        "ReduceMean",
                        List.of("squared"),
                        List.of("mse"),
                        Attribute.ints("axes", 1, 2, 3),
                        Attribute.integer("keepdims", 1))
                .node(
                        "Flatten",
                        List.of("mse"),
                        List.of(RECONSTRUCTION_ERROR),
                        Attribute.integer("axis", 1))
                .output(RECONSTRUCTION_ERROR, 1)
                .build();
    }

    /**
     * Conv → Relu → Conv → Relu → Flatten → Gemm into {@value #OUTPUT}, with the trained weights
     * (DJL and ONNX share the layouts).
     */
    private OnnxGraph.Builder withEncoder(
            OnnxGraph.Builder graph, SequentialBlock encoder, int c, int s) {
        List<float[]> values = new ArrayList<>();
        List<long[]> shapes = new ArrayList<>();
        for (Pair<String, Parameter> p : encoder.getParameters()) {
            NDArray a = p.getValue().getArray();
            values.add(a.toFloatArray());
            shapes.add(a.getShape().getShape());
        }
        if (values.size() != 6) {
            throw new IllegalStateException("expected 6 encoder parameters, got " + values.size());
        }
        return graph.input(INPUT, c, s, s)
                .initializer("conv1_w", shapes.get(0), values.get(0))
                .initializer("conv1_b", shapes.get(1), values.get(1))
                .initializer("conv2_w", shapes.get(2), values.get(2))
                .initializer("conv2_b", shapes.get(3), values.get(3))
                .initializer("dense_w", shapes.get(4), values.get(4))
                .initializer("dense_b", shapes.get(5), values.get(5))
                .node(
                        "Conv",
                        List.of(INPUT, "conv1_w", "conv1_b"),
                        List.of("c1"),
                        Attribute.ints("kernel_shape", 3, 3),
                        Attribute.ints("strides", 2, 2),
                        Attribute.ints("pads", 1, 1, 1, 1))
                .node("Relu", List.of("c1"), List.of("r1"))
                .node(
                        "Conv",
                        List.of("r1", "conv2_w", "conv2_b"),
                        List.of("c2"),
                        Attribute.ints("kernel_shape", 3, 3),
                        Attribute.ints("strides", 2, 2),
                        Attribute.ints("pads", 1, 1, 1, 1))
                .node("Relu", List.of("c2"), List.of("r2"))
                .node("Flatten", List.of("r2"), List.of("flat"), Attribute.integer("axis", 1))
                .node(
                        "Gemm",
                        List.of("flat", "dense_w", "dense_b"),
                        List.of(OUTPUT),
                        Attribute.integer("transB", 1));
    }

    /**
     * Nearest-neighbour 2× upsampling (PyTorch through DJL has no transposed convolution): each
     * pixel repeated over a 2×2 block by broadcasting, which autograd differentiates.
     */
    private static NDList upsample(NDList input) {
        NDArray x = input.singletonOrThrow();
        long[] d = x.getShape().getShape();
        return new NDList(
                x.reshape(d[0], d[1], d[2], 1, d[3], 1)
                        .broadcast(new Shape(d[0], d[1], d[2], 2, d[3], 2))
                        .reshape(d[0], d[1], 2 * d[2], 2 * d[3]));
    }

    private static float[] stack(List<float[]> images, int[] order, int from, int to, int length) {
        float[] out = new float[(to - from) * length];
        for (int i = from; i < to; i++) {
            float[] image = images.get(order[i]);
            if (image.length != length) {
                throw new IllegalArgumentException(
                        "image "
                                + order[i]
                                + " has "
                                + image.length
                                + " values, expected "
                                + length);
            }
            System.arraycopy(image, 0, out, (i - from) * length, length);
        }
        return out;
    }

    /** Builder: {@code setPreprocessing} required; the rest optional. */
    public static final class Builder {
        private ImagePreprocessing preprocessing;
        private int dimension = 32;
        private int epochs = 15;
        private int batchSize = 32;
        private float learningRate = 2e-3f;
        private long seed = 42;
        private Progress progress = Progress.NONE;

        private Builder() {}

        public Builder setPreprocessing(ImagePreprocessing preprocessing) {
            this.preprocessing = Objects.requireNonNull(preprocessing, "preprocessing");
            return this;
        }

        /** Units of the bottleneck: the embedding's dimension (default 32). */
        public Builder optDimension(int dimension) {
            this.dimension = dimension;
            return this;
        }

        public Builder optEpochs(int epochs) {
            this.epochs = epochs;
            return this;
        }

        public Builder optBatchSize(int batchSize) {
            this.batchSize = batchSize;
            return this;
        }

        public Builder optLearningRate(float learningRate) {
            this.learningRate = learningRate;
            return this;
        }

        public Builder optSeed(long seed) {
            this.seed = seed;
            return this;
        }

        public Builder optProgress(Progress progress) {
            this.progress = Objects.requireNonNull(progress, "progress");
            return this;
        }

        public ConvAutoencoderTrainer build() {
            Objects.requireNonNull(preprocessing, "setPreprocessing is required");
            if (preprocessing.size() % 4 != 0) {
                throw new IllegalArgumentException(
                        "image size must be divisible by 4, got " + preprocessing.size());
            }
            if (dimension < 1 || epochs < 1 || batchSize < 1 || !(learningRate > 0)) {
                throw new IllegalArgumentException(
                        "dimension, epochs and batch size must be positive, and the learning rate too");
            }
            return new ConvAutoencoderTrainer(this);
        }
    }
}
