package io.modelmonitor.models.image;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.modelmonitor.models.Device;
import io.modelmonitor.models.Encoder;
import io.modelmonitor.models.EncoderIdentity;
import io.modelmonitor.models.Modality;
import io.modelmonitor.models.runtime.Checksums;
import io.modelmonitor.models.runtime.NativeRuntimes;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A user-supplied pretrained ONNX image model (e.g. a ResNet or ViT exported with its classifier
 * head removed) as an encoder: {@link ImagePreprocessing} builds an NCHW float batch, ONNX Runtime
 * runs it, and the named output, flattened per image, is the embedding. Input size, channels, mean,
 * std and the input/output names describe the model and go into the bundle.
 *
 * <pre>{@code
 * try (OnnxImageEncoder encoder = OnnxImageEncoder.builder()
 *     .setModelPath(Path.of("resnet18-features.onnx"))
 *     .optPreprocessing(ImagePreprocessing.imageNet(224))
 *     .optOutputName("features")
 *     .build()) {
 *   float[][] v = encoder.embed(images);
 * }
 * }</pre>
 */
public final class OnnxImageEncoder implements Encoder<byte[]>, DecodedImageModel {

    private final Path modelPath;
    private final ImagePreprocessing preprocessing;
    private final OrtSession session;
    private final String inputName;
    private final String outputName;
    private final int batchSize;
    private final EncoderIdentity identity;
    private volatile boolean closed;

    private OnnxImageEncoder(Builder b) throws IOException, OrtException {
        this.modelPath = b.modelPath;
        this.preprocessing = b.preprocessing;
        this.batchSize = b.batchSize;
        byte[] model = Files.readAllBytes(b.modelPath);
        try (OrtSession.SessionOptions options =
                NativeRuntimes.sessionOptions(b.intraOpThreads, b.device)) {
            this.session = NativeRuntimes.environment().createSession(model, options);
        }
        try {
            this.inputName =
                    b.inputName != null ? b.inputName : session.getInputNames().iterator().next();
            this.outputName =
                    b.outputName != null
                            ? b.outputName
                            : session.getOutputNames().iterator().next();
            if (!session.getInputNames().contains(inputName)
                    || !session.getOutputNames().contains(outputName)) {
                throw new IllegalArgumentException(
                        "model "
                                + b.modelPath
                                + " has inputs "
                                + session.getInputNames()
                                + " and outputs "
                                + session.getOutputNames()
                                + "; asked for "
                                + inputName
                                + " → "
                                + outputName);
            }
            // The dimension is whatever the model returns for one image.
            int dimension = run(new float[][] {new float[preprocessing.length()]})[0].length;
            Map<String, String> settings = new LinkedHashMap<>(preprocessing.describe());
            settings.put("input", inputName);
            settings.put("output", outputName);
            String file = b.modelPath.getFileName().toString();
            this.identity =
                    new EncoderIdentity(
                            file.endsWith(".onnx") ? file.substring(0, file.length() - 5) : file,
                            Checksums.sha256(model),
                            dimension,
                            settings);
        } catch (OrtException | RuntimeException e) {
            session.close();
            throw e;
        }
    }

    /** A builder; the model path is required. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public EncoderIdentity identity() {
        return identity;
    }

    /** The model file. */
    public Path modelPath() {
        return modelPath;
    }

    @Override
    public Modality modality() {
        return Modality.IMAGE;
    }

    @Override
    public float[][] embed(List<byte[]> images) {
        float[][] out = new float[images.size()][];
        for (int start = 0; start < images.size(); start += batchSize) {
            int end = Math.min(images.size(), start + batchSize);
            float[][] tensors = new float[end - start][];
            for (int i = start; i < end; i++) {
                tensors[i - start] = preprocessing.apply(images.get(i));
            }
            System.arraycopy(embedTensors(tensors), 0, out, start, tensors.length);
        }
        return out;
    }

    @Override
    public float[] prepare(DecodedImage image) {
        return preprocessing.apply(image);
    }

    @Override
    public float[][] embedPrepared(float[][] tensors) {
        return embedTensors(tensors);
    }

    /**
     * Embeds preprocessed CHW tensors, {@code optBatchSize} per model call: the model alone, as
     * {@link #embed} runs it after preprocessing.
     */
    public float[][] embedTensors(float[][] tensors) {
        if (closed) {
            throw new IllegalStateException("image encoder is closed");
        }
        float[][] out = new float[tensors.length][];
        for (int start = 0; start < tensors.length; start += batchSize) {
            float[][] chunk =
                    java.util.Arrays.copyOfRange(
                            tensors, start, Math.min(tensors.length, start + batchSize));
            try {
                System.arraycopy(run(chunk), 0, out, start, chunk.length);
            } catch (OrtException e) {
                throw new IllegalStateException(
                        "ONNX Runtime failed on a batch of "
                                + chunk.length
                                + " images: "
                                + e.getMessage(),
                        e);
            }
        }
        return out;
    }

    private float[][] run(float[][] tensors) throws OrtException {
        int n = tensors.length;
        int length = preprocessing.length();
        FloatBuffer input = FloatBuffer.allocate(n * length);
        for (float[] t : tensors) {
            input.put(t);
        }
        input.flip();
        long[] shape = {n, preprocessing.channels(), preprocessing.size(), preprocessing.size()};
        try (OnnxTensor tensor =
                        OnnxTensor.createTensor(NativeRuntimes.environment(), input, shape);
                OrtSession.Result result =
                        session.run(Map.of(inputName, tensor), Set.of(outputName))) {
            OnnxTensor output = (OnnxTensor) result.get(0);
            FloatBuffer values = output.getFloatBuffer();
            int dimension = values.remaining() / n;
            float[][] out = new float[n][dimension];
            for (float[] row : out) {
                values.get(row);
            }
            return out;
        }
    }

    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        try {
            session.close();
        } catch (OrtException e) {
            throw new IllegalStateException("cannot close ONNX session: " + e.getMessage(), e);
        }
    }

    /** Builder of an {@link OnnxImageEncoder}. */
    public static final class Builder {
        private Path modelPath;
        private ImagePreprocessing preprocessing = ImagePreprocessing.imageNet(224);
        private String inputName;
        private String outputName;
        private int intraOpThreads = 1;
        private Device device = Device.CPU;
        private int batchSize = 16;

        private Builder() {}

        /** The ONNX model file (required). */
        public Builder setModelPath(Path modelPath) {
            this.modelPath = Objects.requireNonNull(modelPath, "modelPath");
            return this;
        }

        /** Input size, channels, mean and std (default ImageNet at 224). */
        public Builder optPreprocessing(ImagePreprocessing preprocessing) {
            this.preprocessing = Objects.requireNonNull(preprocessing, "preprocessing");
            return this;
        }

        /** Input name (default the model's first input). */
        public Builder optInputName(String name) {
            this.inputName = name;
            return this;
        }

        /** Output used as the embedding (default the model's first output). */
        public Builder optOutputName(String name) {
            this.outputName = name;
            return this;
        }

        /** ONNX Runtime intra-op threads (default 1; 0 = one per available processor). */
        public Builder optIntraOpThreads(int threads) {
            this.intraOpThreads = threads;
            return this;
        }

        /** CPU (default) or GPU. */
        public Builder optDevice(Device device) {
            this.device = Objects.requireNonNull(device, "device");
            return this;
        }

        /** Images per ONNX Runtime call (default 16). */
        public Builder optBatchSize(int batchSize) {
            if (batchSize < 1) {
                throw new IllegalArgumentException("batch size must be at least 1: " + batchSize);
            }
            this.batchSize = batchSize;
            return this;
        }

        /**
         * Loads the model.
         *
         * @throws IOException when the model file cannot be read
         */
        public OnnxImageEncoder build() throws IOException {
            if (modelPath == null) {
                throw new IllegalStateException("setModelPath is required");
            }
            try {
                return new OnnxImageEncoder(this);
            } catch (OrtException e) {
                throw new IllegalStateException(
                        "cannot load image model " + modelPath + ": " + e.getMessage(), e);
            }
        }
    }
}
