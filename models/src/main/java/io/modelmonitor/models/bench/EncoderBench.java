package io.modelmonitor.models.bench;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.modelmonitor.models.Device;
import io.modelmonitor.models.runtime.NativeRuntimes;
import io.modelmonitor.models.synthetic.SyntheticTexts;
import io.modelmonitor.models.text.TextEncoder;
import io.modelmonitor.models.text.TextModelSource;
import io.modelmonitor.models.text.TokenBatch;
import java.io.IOException;
import java.nio.LongBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Throughput of the text encoder against a bare ONNX Runtime session on the same sentences and
 * batch size: the encoder's overhead (tokenization, batching, pooling, normalisation) should cost
 * little (ratio ≥ 0.9). The bare session gets the token tensors ready-made, sorted by length over
 * the whole input as sentence-transformers does before batching, and only runs the model; both use
 * the same intra-op threads. Measured at short (~16 tokens, one review), long (~128 tokens, a
 * paragraph) and mixed-length inputs (20 to 600 characters, as real traffic is); for each, the bare
 * session is also timed on batches cut in arrival order, which shows what padding costs.
 *
 * <pre>{@code
 * for (Map<String, Object> figure : EncoderBench.run(EncoderBench.Options.defaults())) {
 *   System.out.println(figure);   // name, value (sentences/s), bare_ort, ratio, ...
 * }
 * }</pre>
 */
public final class EncoderBench {

    private EncoderBench() {}

    /**
     * What to measure.
     *
     * @param model the text model
     * @param threads intra-op threads of both sessions
     * @param device cpu or gpu
     * @param batchSize rows per model call
     * @param shortSentences sentences measured at ~16 tokens
     * @param longSentences sentences measured at ~128 tokens
     * @param mixedSentences sentences measured at 20 to 600 characters
     * @param repeats timed passes over the sentences (the best one counts), after one warm-up pass
     * @param seed seed of the generated sentences
     */
    public record Options(
            TextModelSource model,
            int threads,
            Device device,
            int batchSize,
            int shortSentences,
            int longSentences,
            int mixedSentences,
            int repeats,
            long seed) {

        /**
         * MiniLM, one thread per available processor (the job's default), CPU, batch 32, 512 short,
         * 128 long and 512 mixed-length sentences, 3 repeats.
         */
        public static Options defaults() {
            return new Options(
                    TextModelSource.miniLm(),
                    NativeRuntimes.availableThreads(),
                    Device.CPU,
                    32,
                    512,
                    128,
                    512,
                    3,
                    42);
        }

        /** The same with another thread count. */
        public Options withThreads(int n) {
            return new Options(
                    model,
                    n,
                    device,
                    batchSize,
                    shortSentences,
                    longSentences,
                    mixedSentences,
                    repeats,
                    seed);
        }
    }

    /**
     * The mixed-length corpus of the benchmarks: 20 to 600 characters, lengths uniform in between.
     */
    public static List<String> mixedCorpus(int n, long seed) {
        return SyntheticTexts.mixedLengths(n, 20, 600, seed);
    }

    /** One figure per input length: encoder sentences/s, bare ORT sentences/s and their ratio. */
    public static List<Map<String, Object>> run(Options options) throws IOException, OrtException {
        List<Map<String, Object>> figures = new ArrayList<>();
        try (TextEncoder encoder =
                        TextEncoder.builder()
                                .optModel(options.model())
                                .optIntraOpThreads(options.threads())
                                .optDevice(options.device())
                                .optBatchSize(options.batchSize())
                                .build();
                OrtSession.SessionOptions sessionOptions =
                        NativeRuntimes.sessionOptions(options.threads(), options.device());
                OrtSession bare =
                        NativeRuntimes.environment()
                                .createSession(options.model().readModel(), sessionOptions)) {
            figures.add(
                    measure(
                            "text_encoder.short",
                            SyntheticTexts.reviews(options.shortSentences(), options.seed()),
                            encoder,
                            bare,
                            options));
            figures.add(
                    measure(
                            "text_encoder.long",
                            SyntheticTexts.paragraphs(options.longSentences(), 95, options.seed()),
                            encoder,
                            bare,
                            options));
            figures.add(
                    measure(
                            "text_encoder.mixed",
                            mixedCorpus(options.mixedSentences(), options.seed()),
                            encoder,
                            bare,
                            options));
        }
        return figures;
    }

    /**
     * Sentences/s of a bare ONNX Runtime session on {@code texts} sorted by length and cut into
     * batches of {@code batchSize}: the standard practice that the job is compared with. The best
     * of {@code repeats} timed passes after one warm-up pass.
     */
    public static double bareSortedRate(List<String> texts, int threads, int batchSize, int repeats)
            throws IOException, OrtException {
        try (TextEncoder encoder =
                        TextEncoder.builder()
                                .optIntraOpThreads(threads)
                                .optBatchSize(batchSize)
                                .build();
                OrtSession.SessionOptions sessionOptions =
                        NativeRuntimes.sessionOptions(threads, Device.CPU);
                OrtSession bare =
                        NativeRuntimes.environment()
                                .createSession(encoder.source().readModel(), sessionOptions)) {
            List<TokenBatch> batches = batches(encoder, texts, batchSize, true);
            double best = Double.POSITIVE_INFINITY;
            for (int pass = 0; pass <= repeats; pass++) {
                long t0 = System.nanoTime();
                runBare(bare, batches);
                if (pass > 0) {
                    best = Math.min(best, (System.nanoTime() - t0) / 1e9);
                }
            }
            return texts.size() / best;
        }
    }

    /**
     * The texts' token rows cut into padded batches, sorted by length first or in arrival order.
     */
    private static List<TokenBatch> batches(
            TextEncoder encoder, List<String> texts, int batchSize, boolean sorted) {
        List<TokenBatch.Tokens> tokens = new ArrayList<>(encoder.tokenization().tokenize(texts));
        if (sorted) {
            tokens.sort((a, b) -> Integer.compare(a.length(), b.length()));
        }
        List<TokenBatch> batches = new ArrayList<>();
        for (int start = 0; start < tokens.size(); start += batchSize) {
            batches.add(
                    TokenBatch.pad(
                            tokens.subList(start, Math.min(tokens.size(), start + batchSize))));
        }
        return batches;
    }

    private static Map<String, Object> measure(
            String name, List<String> texts, TextEncoder encoder, OrtSession bare, Options options)
            throws OrtException {
        // The bare session gets exactly the batches the encoder builds: sorted by length, padded
        // per batch.
        List<TokenBatch> batches = batches(encoder, texts, options.batchSize(), true);
        List<TokenBatch> arrival = batches(encoder, texts, options.batchSize(), false);
        long realTokens = 0;
        for (TokenBatch b : batches) {
            realTokens += b.realTokens();
        }
        double encoderSeconds = Double.POSITIVE_INFINITY;
        double bareSeconds = Double.POSITIVE_INFINITY;
        double arrivalSeconds = Double.POSITIVE_INFINITY;
        for (int pass = 0; pass <= options.repeats(); pass++) {
            // Interleave the three so that drifting machine load hits them alike; pass 0 warms up.
            long t0 = System.nanoTime();
            encoder.embed(texts);
            long t1 = System.nanoTime();
            runBare(bare, batches);
            long t2 = System.nanoTime();
            runBare(bare, arrival);
            long t3 = System.nanoTime();
            if (pass > 0) {
                encoderSeconds = Math.min(encoderSeconds, (t1 - t0) / 1e9);
                bareSeconds = Math.min(bareSeconds, (t2 - t1) / 1e9);
                arrivalSeconds = Math.min(arrivalSeconds, (t3 - t2) / 1e9);
            }
        }
        Map<String, Object> figure = new LinkedHashMap<>();
        figure.put("name", name);
        figure.put("unit", "sentences/s");
        figure.put("value", round(texts.size() / encoderSeconds));
        figure.put("bare_ort", round(texts.size() / bareSeconds));
        figure.put("ratio", Math.round(1000 * bareSeconds / encoderSeconds) / 1000.0);
        figure.put("bare_ort_arrival_order", round(texts.size() / arrivalSeconds));
        figure.put("sentences", texts.size());
        figure.put("mean_tokens", round((double) realTokens / texts.size()));
        figure.put("batch", options.batchSize());
        figure.put("threads", options.threads());
        figure.put("device", options.device().label());
        figure.put("model", encoder.id());
        return figure;
    }

    private static void runBare(OrtSession session, List<TokenBatch> batches) throws OrtException {
        OrtEnvironment env = NativeRuntimes.environment();
        boolean typeIds = session.getInputNames().contains("token_type_ids");
        for (TokenBatch batch : batches) {
            long[] shape = {batch.batch(), batch.length()};
            Map<String, OnnxTensor> inputs = new HashMap<>();
            try {
                inputs.put(
                        "input_ids",
                        OnnxTensor.createTensor(env, LongBuffer.wrap(batch.inputIds()), shape));
                inputs.put(
                        "attention_mask",
                        OnnxTensor.createTensor(
                                env, LongBuffer.wrap(batch.attentionMask()), shape));
                if (typeIds) {
                    inputs.put(
                            "token_type_ids",
                            OnnxTensor.createTensor(env, LongBuffer.wrap(batch.typeIds()), shape));
                }
                try (OrtSession.Result result =
                        session.run(
                                inputs,
                                java.util.Set.of(session.getOutputNames().iterator().next()))) {
                    ((OnnxTensor) result.get(0))
                            .getFloatBuffer(); // copy the output out, as the encoder does
                }
            } finally {
                inputs.values().forEach(OnnxTensor::close);
            }
        }
    }

    private static double round(double v) {
        return Math.round(v * 10) / 10.0;
    }

    /** Prints one JSON-like line per figure: {@code java ... EncoderBench [threads]}. */
    public static void main(String[] args) throws Exception {
        Options options = Options.defaults();
        if (args.length > 0) {
            options = options.withThreads(Integer.parseInt(args[0]));
        }
        for (Map<String, Object> figure : run(options)) {
            System.out.println(figure);
        }
    }
}
