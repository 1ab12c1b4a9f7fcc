package io.modelmonitor.models.text;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import io.modelmonitor.models.Device;
import io.modelmonitor.models.Encoder;
import io.modelmonitor.models.EncoderIdentity;
import io.modelmonitor.models.Modality;
import io.modelmonitor.models.runtime.Checksums;
import io.modelmonitor.models.runtime.NativeRuntimes;
import java.io.IOException;
import java.io.InputStream;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Sentence embeddings from a sentence-transformers model exported to ONNX: tokenization ({@link
 * TextTokenization}), a transformer forward pass in ONNX Runtime, mean pooling over the attention
 * mask and L2 normalisation ({@link Pooling}). The default is all-MiniLM-L6-v2 (fp32, 384
 * dimensions) from the class path; any other sentence-transformers ONNX export with its
 * tokenizer.json works through {@link Builder#optModel}.
 *
 * <p>Speed: texts are sorted by token count and cut into batches of {@link Builder#optBatchSize}
 * rows, each padded only to its own longest text, so little time goes into padding. Results do not
 * depend on the batch a text lands in (padding is masked out), up to float rounding (about 1e-6).
 *
 * <p>The encoder is thread-safe and holds native memory (about 130 MB for MiniLM): share one per
 * JVM through {@link io.modelmonitor.models.runtime.SharedModels} and close it.
 *
 * <pre>{@code
 * try (TextEncoder encoder = TextEncoder.builder().optIntraOpThreads(2).build()) {
 *   float[][] v = encoder.embed(List.of("The new movie is awesome", "The dog plays in the garden"));
 *   String id = encoder.id();   // all-MiniLM-L6-v2@sha256:...
 * }
 * }</pre>
 */
public final class TextEncoder implements Encoder<String> {

    /** sentence-transformers' {@code max_seq_length} for all-MiniLM-L6-v2. */
    public static final int DEFAULT_MAX_LENGTH = 256;

    /** Rows per ONNX Runtime call. */
    public static final int DEFAULT_BATCH_SIZE = 32;

    private static final String INPUT_IDS = "input_ids";
    private static final String ATTENTION_MASK = "attention_mask";
    private static final String TOKEN_TYPE_IDS = "token_type_ids";

    private final TextModelSource source;
    private final TextTokenization tokenization;
    private final OrtSession session;
    private final OrtEnvironment environment;
    private final String outputName;
    private final boolean takesTypeIds;
    private final int batchSize;
    private final EncoderIdentity identity;
    private volatile boolean closed;

    private TextEncoder(Builder builder) throws IOException, OrtException {
        this.source = builder.source;
        byte[] model = source.readModel();
        String modelSha = Checksums.sha256(model);
        String tokenizerSha;
        try (InputStream in = source.openTokenizer()) {
            tokenizerSha = Checksums.sha256(in);
        }
        this.environment = NativeRuntimes.environment();
        this.tokenization = TextTokenization.open(source, builder.maxLength);
        OrtSession opened = null;
        try (OrtSession.SessionOptions options =
                NativeRuntimes.sessionOptions(builder.intraOpThreads, builder.device)) {
            opened = environment.createSession(model, options);
            this.session = opened;
            this.takesTypeIds = session.getInputNames().contains(TOKEN_TYPE_IDS);
            requireInputs(session, source);
            this.outputName =
                    builder.outputName != null
                            ? builder.outputName
                            : session.getOutputNames().iterator().next();
            this.batchSize = builder.batchSize;
            int dimension = outputDimension(session, outputName, source);
            Map<String, String> preprocessing = new LinkedHashMap<>();
            preprocessing.put("tokenizer_sha256", tokenizerSha);
            preprocessing.put("max_length", Integer.toString(builder.maxLength));
            preprocessing.put("output", outputName);
            preprocessing.put("pooling", "mean");
            preprocessing.put("normalize", "l2");
            this.identity = new EncoderIdentity(source.name(), modelSha, dimension, preprocessing);
        } catch (OrtException | RuntimeException e) {
            tokenization.close();
            if (opened != null) {
                opened.close();
            }
            throw e;
        }
    }

    /** A builder; every setting has a default (MiniLM from the class path, CPU, 1 thread). */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public EncoderIdentity identity() {
        return identity;
    }

    @Override
    public Modality modality() {
        return Modality.TEXT;
    }

    /** Where the model and tokenizer were loaded from. */
    public TextModelSource source() {
        return source;
    }

    /** Maximum tokens per text (longer texts are truncated). */
    public int maxLength() {
        return tokenization.maxLength();
    }

    /** The tokenizer, for callers that need token counts (e.g. the benchmark). */
    public TextTokenization tokenization() {
        return tokenization;
    }

    @Override
    public float[][] embed(List<String> texts) {
        if (closed) {
            throw new IllegalStateException("text encoder is closed");
        }
        List<TokenBatch.Tokens> tokens = tokenization.tokenize(texts);
        Integer[] order = new Integer[tokens.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        // Shortest first (stable): rows of similar length share a batch, so padding stays small.
        Arrays.sort(
                order, (a, b) -> Integer.compare(tokens.get(a).length(), tokens.get(b).length()));
        float[][] embeddings = new float[texts.size()][];
        for (int start = 0; start < order.length; start += batchSize) {
            int end = Math.min(order.length, start + batchSize);
            List<TokenBatch.Tokens> rows = new ArrayList<>(end - start);
            for (int i = start; i < end; i++) {
                rows.add(tokens.get(order[i]));
            }
            float[][] batch = embed(TokenBatch.pad(rows));
            for (int i = start; i < end; i++) {
                embeddings[order[i]] = batch[i - start];
            }
        }
        return embeddings;
    }

    /** Embeds one padded batch: forward pass, mean pooling, L2 normalisation. */
    public float[][] embed(TokenBatch batch) {
        try (OrtSession.Result result = run(batch)) {
            OnnxValue output =
                    result.get(outputName)
                            .orElseThrow(
                                    () ->
                                            new IllegalStateException(
                                                    "model has no output '" + outputName + "'"));
            OnnxTensor tensor = (OnnxTensor) output;
            long[] shape = tensor.getInfo().getShape();
            FloatBuffer values = tensor.getFloatBuffer();
            float[][] pooled;
            if (shape.length == 3) {
                pooled =
                        Pooling.meanPool(
                                values,
                                batch.attentionMask(),
                                batch.batch(),
                                batch.length(),
                                (int) shape[2]);
            } else if (shape.length == 2) {
                pooled = new float[batch.batch()][(int) shape[1]];
                for (float[] row : pooled) {
                    values.get(row);
                }
            } else {
                throw new IllegalStateException(
                        "output '"
                                + outputName
                                + "' has rank "
                                + shape.length
                                + ", expected 2 or 3");
            }
            for (float[] row : pooled) {
                Pooling.l2Normalize(row);
            }
            return pooled;
        } catch (OrtException e) {
            throw new IllegalStateException(
                    "ONNX Runtime failed on a batch of " + batch.batch() + ": " + e.getMessage(),
                    e);
        }
    }

    /** The bare forward pass of a padded batch; the caller closes the result. */
    public OrtSession.Result run(TokenBatch batch) throws OrtException {
        long[] shape = {batch.batch(), batch.length()};
        Map<String, OnnxTensor> inputs = new HashMap<>(4);
        try {
            inputs.put(
                    INPUT_IDS,
                    OnnxTensor.createTensor(environment, LongBuffer.wrap(batch.inputIds()), shape));
            inputs.put(
                    ATTENTION_MASK,
                    OnnxTensor.createTensor(
                            environment, LongBuffer.wrap(batch.attentionMask()), shape));
            if (takesTypeIds) {
                inputs.put(
                        TOKEN_TYPE_IDS,
                        OnnxTensor.createTensor(
                                environment, LongBuffer.wrap(batch.typeIds()), shape));
            }
            return session.run(inputs, java.util.Set.of(outputName));
        } finally {
            inputs.values().forEach(OnnxTensor::close);
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
        } finally {
            tokenization.close();
        }
    }

    private static void requireInputs(OrtSession session, TextModelSource source) {
        for (String name : List.of(INPUT_IDS, ATTENTION_MASK)) {
            if (!session.getInputNames().contains(name)) {
                throw new IllegalArgumentException(
                        "model "
                                + source.location()
                                + " has no input '"
                                + name
                                + "' (inputs: "
                                + session.getInputNames()
                                + "); expected a sentence-transformers ONNX export");
            }
        }
    }

    private static int outputDimension(
            OrtSession session, String outputName, TextModelSource source) throws OrtException {
        NodeInfo info = session.getOutputInfo().get(outputName);
        if (info == null || !(info.getInfo() instanceof TensorInfo tensor)) {
            throw new IllegalArgumentException(
                    "model "
                            + source.location()
                            + " has no tensor output '"
                            + outputName
                            + "' (outputs: "
                            + session.getOutputNames()
                            + ")");
        }
        long[] shape = tensor.getShape();
        long last = shape[shape.length - 1];
        if (last <= 0) {
            throw new IllegalArgumentException(
                    "output '"
                            + outputName
                            + "' of "
                            + source.location()
                            + " has no fixed embedding dimension: "
                            + Arrays.toString(shape));
        }
        return (int) last;
    }

    /** Builder of a {@link TextEncoder}; all settings optional. */
    public static final class Builder {
        private TextModelSource source = TextModelSource.miniLm();
        private int maxLength = DEFAULT_MAX_LENGTH;
        private int intraOpThreads = 1;
        private Device device = Device.CPU;
        private int batchSize = DEFAULT_BATCH_SIZE;
        private String outputName;

        private Builder() {}

        /** The model and tokenizer (default: all-MiniLM-L6-v2 from the class path). */
        public Builder optModel(TextModelSource source) {
            this.source = java.util.Objects.requireNonNull(source, "source");
            return this;
        }

        /** Maximum tokens per text, special tokens included (default 256). */
        public Builder optMaxLength(int maxLength) {
            this.maxLength = maxLength;
            return this;
        }

        /**
         * ONNX Runtime intra-op threads (default 1; 0 = one per available processor, the job's
         * default, because one session per TaskManager serves all its subtasks).
         */
        public Builder optIntraOpThreads(int threads) {
            this.intraOpThreads = threads;
            return this;
        }

        /** CPU (default) or GPU. */
        public Builder optDevice(Device device) {
            this.device = java.util.Objects.requireNonNull(device, "device");
            return this;
        }

        /** Rows per ONNX Runtime call (default 32). */
        public Builder optBatchSize(int batchSize) {
            if (batchSize < 1) {
                throw new IllegalArgumentException("batch size must be at least 1: " + batchSize);
            }
            this.batchSize = batchSize;
            return this;
        }

        /**
         * The output to pool (default: the model's first output, {@code last_hidden_state} for
         * sentence-transformers exports; a rank-2 output is taken as already pooled).
         */
        public Builder optOutputName(String outputName) {
            this.outputName = outputName;
            return this;
        }

        /**
         * Loads the tokenizer and the ONNX session.
         *
         * @throws IOException when a model file cannot be read
         * @throws IllegalStateException when ONNX Runtime cannot load the model or the device is
         *     unavailable
         */
        public TextEncoder build() throws IOException {
            try {
                return new TextEncoder(this);
            } catch (OrtException e) {
                throw new IllegalStateException(
                        "cannot load " + source + " in ONNX Runtime: " + e.getMessage(), e);
            }
        }
    }
}
