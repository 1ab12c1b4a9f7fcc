package io.modelmonitor.pipeline.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.modelmonitor.models.Device;
import io.modelmonitor.models.Encoder;
import io.modelmonitor.models.bench.EncoderBench;
import io.modelmonitor.models.bundle.BundleEncoders;
import io.modelmonitor.models.bundle.ReferenceBundle;
import io.modelmonitor.models.image.DecodedImage;
import io.modelmonitor.models.image.DecodedImageModel;
import io.modelmonitor.models.runtime.NativeRuntimes;
import io.modelmonitor.models.synthetic.SyntheticImages;
import io.modelmonitor.pipeline.options.RunOptions;
import java.io.BufferedWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * Whole-pipeline throughput of {@code ./monitor run} on the embedded Flink, for numeric, text and
 * image inputs, and the share of the bare encoder's throughput that the text and image pipelines
 * keep.
 *
 * <p>Each input kind runs with n and 2n events; the marginal rate n / (t(2n) − t(n)) removes the
 * job's start-up and shutdown from the figure (after one warm-up run); every figure is the median
 * of three such rounds. Texts are the mixed-length corpus (20 to 600 characters). The baseline is a
 * bare ONNX Runtime session on the same texts sorted by length, batches of 32, with the job's
 * default thread count (one per processor), timed in the same process just before and after the job
 * runs, in three rounds (figures are medians over rounds of each round's ratio); the job also runs
 * with the settings that were its defaults before it sorted (one thread, batches of 32), for the
 * before/after ratio.
 *
 * <p>Images are 32×32 PNG scenes, with the default random-convolution encoder and with the
 * convolutional autoencoder trained at fit (run by ONNX Runtime); the baseline is the bundle's own
 * encoder on the same images in the job's batches and threads, timed the same way.
 */
final class PipelineBench {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long START = 1_795_824_000_000L; // 2026-11-28T00:00:00Z
    private static final int NUMERIC_EVENTS = 100_000;
    private static final int TEXT_EVENTS = 600;

    /** Events of the random-convolution job; the trained encoder's job is faster: more. */
    private static final int IMAGE_EVENTS = 1500;

    private static final int AUTOENCODER_EVENTS = 4000;
    private static final int ROUNDS = 3;

    /** The job's defaults before it sorted texts by length in a large buffer. */
    private static final String[] BEFORE_SORTING = {"--encoder-threads", "1", "--batch-size", "32"};

    private PipelineBench() {}

    static List<Map<String, Object>> run(long seed) throws Exception {
        Path dir = Files.createTempDirectory("monitor-bench");
        List<Map<String, Object>> figures = new ArrayList<>();
        figures.add(numeric(dir.resolve("numeric"), seed));
        figures.add(text(dir.resolve("text"), seed));
        figures.add(image(dir.resolve("image"), seed, "pipeline.image", IMAGE_EVENTS));
        // The trained encoder's rate does not depend on how well it is trained: few epochs.
        figures.add(
                image(
                        dir.resolve("image-conv-autoencoder"),
                        seed,
                        "pipeline.image.conv_autoencoder",
                        AUTOENCODER_EVENTS,
                        "--encoder",
                        "conv-autoencoder",
                        "--image-epochs",
                        "2"));
        return figures;
    }

    private static Map<String, Object> numeric(Path dir, long seed) throws Exception {
        Files.createDirectories(dir);
        SplittableRandom rnd = new SplittableRandom(seed);
        writeEvents(dir.resolve("reference.jsonl"), 2000, i -> features(rnd));
        fit(dir);
        runJob(dir, NUMERIC_EVENTS / 5, i -> features(rnd)); // warm-up: JIT and class loading
        // A marginal second is short: the median of rounds resists a burst of load from elsewhere.
        double[] rates = new double[ROUNDS];
        for (int r = 0; r < ROUNDS; r++) {
            rates[r] = marginal(dir, NUMERIC_EVENTS, i -> features(rnd));
        }
        Map<String, Object> f = figure("pipeline.numeric", median(rates));
        f.put("features", 16);
        f.put("events", List.of(NUMERIC_EVENTS, 2 * NUMERIC_EVENTS));
        f.put("rounds", rounded(rates));
        return f;
    }

    private static Map<String, Object> text(Path dir, long seed) throws Exception {
        Files.createDirectories(dir);
        List<String> reference = EncoderBench.mixedCorpus(1000, seed);
        List<String> stream = EncoderBench.mixedCorpus(2 * TEXT_EVENTS, seed + 1);
        writeEvents(dir.resolve("reference.jsonl"), reference.size(), i -> text(reference.get(i)));
        fit(dir);
        runJob(dir, TEXT_EVENTS / 5, i -> text(stream.get(i))); // warm-up
        int threads = NativeRuntimes.availableThreads();
        // Rounds of bare, job, job as before, bare: each round's ratios compare runs seconds
        // apart, and the median over rounds resists a burst of load from elsewhere.
        double[] bare = new double[ROUNDS];
        double[] job = new double[ROUNDS];
        double[] before = new double[ROUNDS];
        double[] share = new double[ROUNDS];
        double[] beforeShare = new double[ROUNDS];
        double[] speedup = new double[ROUNDS];
        for (int r = 0; r < ROUNDS; r++) {
            double bareBefore = EncoderBench.bareSortedRate(stream, threads, 32, 1);
            job[r] = marginal(dir, TEXT_EVENTS, i -> text(stream.get(i)));
            before[r] = marginal(dir, TEXT_EVENTS, i -> text(stream.get(i)), BEFORE_SORTING);
            bare[r] = (bareBefore + EncoderBench.bareSortedRate(stream, threads, 32, 1)) / 2;
            share[r] = job[r] / bare[r];
            beforeShare[r] = before[r] / bare[r];
            speedup[r] = job[r] / before[r];
        }
        Map<String, Object> f = figure("pipeline.text", median(job));
        f.put("corpus", "mixed 20-600 characters");
        f.put("threads", threads);
        f.put("bare_ort_sorted", round(median(bare)));
        f.put("share_of_bare_ort_sorted", round(median(share)));
        f.put("before_sorting", round(median(before)));
        f.put("before_sorting_share_of_bare", round(median(beforeShare)));
        f.put("speedup_over_before", round(median(speedup)));
        f.put("rounds", List.of(rounded(job), rounded(bare), rounded(before)));
        f.put("events", List.of(TEXT_EVENTS, 2 * TEXT_EVENTS));
        return f;
    }

    /**
     * The image job's marginal rate on 32×32 scenes against the bundle's own encoder on the same
     * images, in the job's batches ({@code --batch-size}'s default) with its default threads:
     * decoding, preprocessing and model ({@code bare_encoder}), and the model alone on tensors
     * preprocessed beforehand ({@code bare_model}).
     */
    @SuppressWarnings("unchecked")
    static Map<String, Object> image(Path dir, long seed, String name, int n, String... fitFlags)
            throws Exception {
        Files.createDirectories(dir);
        List<byte[]> reference = SyntheticImages.scenes(1000, new double[] {1, 1, 1}, 0, seed);
        List<byte[]> stream = SyntheticImages.scenes(2 * n, new double[] {1, 1, 1}, 0, seed + 1);
        writeEvents(dir.resolve("reference.jsonl"), reference.size(), i -> image(reference.get(i)));
        fit(dir, fitFlags);
        InputAt events = i -> image(stream.get(i));
        runJob(dir, n / 5, events); // warm-up
        int threads = NativeRuntimes.availableThreads(); // the job's --encoder-threads 0
        int batch = RunOptions.BATCH_SIZE.defaultValue();
        double[] bare = new double[ROUNDS];
        double[] model = new double[ROUNDS];
        double[] job = new double[ROUNDS];
        double[] share = new double[ROUNDS];
        try (Encoder<?> opened =
                BundleEncoders.open(
                        ReferenceBundle.load(dir.resolve("bundle")), null, Device.CPU, threads)) {
            Encoder<byte[]> encoder = (Encoder<byte[]>) opened;
            DecodedImageModel prepared = (DecodedImageModel) opened;
            // The bare encoder takes the job's first n images; the job's 2n-event run also takes
            // the next n, which are alike.
            List<byte[]> images = stream.subList(0, n);
            List<float[]> tensors = new ArrayList<>();
            for (byte[] png : images) {
                tensors.add(prepared.prepare(DecodedImage.decode(png)));
            }
            Consumer<List<float[]>> modelAlone =
                    chunk -> prepared.embedPrepared(chunk.toArray(float[][]::new));
            rate(images, batch, encoder::embed); // warm-up of the bare encoder
            rate(tensors, batch, modelAlone);
            for (int r = 0; r < ROUNDS; r++) {
                double bareBefore = rate(images, batch, encoder::embed);
                job[r] = marginal(dir, n, events);
                bare[r] = (bareBefore + rate(images, batch, encoder::embed)) / 2;
                model[r] = rate(tensors, batch, modelAlone);
                share[r] = job[r] / bare[r];
            }
        }
        Map<String, Object> f = figure(name, median(job));
        f.put("images", "32x32 PNG scenes");
        f.put("threads", threads);
        f.put("batch", batch);
        f.put("bare_encoder", round(median(bare)));
        f.put("share_of_bare", round(median(share)));
        f.put("bare_model", round(median(model)));
        f.put("rounds", List.of(rounded(job), rounded(bare), rounded(model)));
        f.put("events", List.of(n, 2 * n));
        return f;
    }

    /** Inputs/s of {@code embed} over {@code inputs} cut into batches of {@code batch}. */
    private static <T> double rate(List<T> inputs, int batch, Consumer<List<T>> embed) {
        long t0 = System.nanoTime();
        for (int start = 0; start < inputs.size(); start += batch) {
            embed.accept(inputs.subList(start, Math.min(inputs.size(), start + batch)));
        }
        return inputs.size() / ((System.nanoTime() - t0) / 1e9);
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        java.util.Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    private static List<Double> rounded(double[] v) {
        return java.util.Arrays.stream(v).map(PipelineBench::round).boxed().toList();
    }

    /** Marginal events/s of the job between n and 2n events. */
    private static double marginal(Path dir, int n, InputAt input, String... extra)
            throws IOException {
        double small = runJob(dir, n, input, extra);
        double large = runJob(dir, 2 * n, input, extra);
        return n / (large - small);
    }

    private interface Input {
        void put(ObjectNode event, int i);
    }

    private static Input features(SplittableRandom rnd) {
        return (o, i) -> {
            var a = o.putArray("features");
            for (int j = 0; j < 16; j++) {
                a.add(rnd.nextGaussian());
            }
        };
    }

    private static Input text(String s) {
        return (o, i) -> o.put("text", s);
    }

    private static Input image(byte[] png) {
        return (o, i) -> o.put("image", Base64.getEncoder().encodeToString(png));
    }

    private interface InputAt {
        Input at(int i);
    }

    private static void writeEvents(Path file, int n, InputAt input) throws IOException {
        try (BufferedWriter w = Files.newBufferedWriter(file)) {
            for (int i = 0; i < n; i++) {
                ObjectNode o = JSON.createObjectNode();
                o.put("id", "e" + i);
                // 100 events per simulated minute: 1-minute windows of 100 events.
                o.put("ts", START + i * 600L);
                input.at(i).put(o, i);
                o.put("prediction", i % 3 == 0 ? "b" : "a");
                w.write(JSON.writeValueAsString(o));
                w.newLine();
            }
        }
    }

    private static void fit(Path dir, String... flags) {
        List<String> args =
                new ArrayList<>(
                        List.of(
                                "fit",
                                "--reference",
                                dir.resolve("reference.jsonl").toString(),
                                "--out",
                                dir.resolve("bundle").toString()));
        args.addAll(List.of(flags));
        call(args.toArray(String[]::new));
    }

    /** Seconds for a whole embedded run over the first {@code n} events. */
    private static double runJob(Path dir, int n, InputAt input, String... extra)
            throws IOException {
        Path events = dir.resolve("events-" + n + ".jsonl");
        writeEvents(events, n, input);
        List<String> args =
                new ArrayList<>(
                        List.of(
                                "run",
                                "--bundle",
                                dir.resolve("bundle").toString(),
                                "--events",
                                "file:" + events,
                                "--alerts",
                                "file:" + dir.resolve("alerts-" + n + ".jsonl"),
                                "--reports",
                                "file:" + dir.resolve("reports-" + n + ".jsonl"),
                                "--window-size",
                                "1m",
                                "--checkpoint-interval",
                                "0"));
        args.addAll(List.of(extra));
        long t0 = System.nanoTime();
        call(args.toArray(String[]::new));
        return (System.nanoTime() - t0) / 1e9;
    }

    private static void call(String... args) {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status =
                Main.execute(
                        args, new PrintStream(new ByteArrayOutputStream()), new PrintStream(err));
        if (status != 0) {
            throw new IllegalStateException("bench: '" + args[0] + "' failed: " + err);
        }
    }

    private static Map<String, Object> figure(String name, double eventsPerSecond) {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("name", name);
        f.put("unit", "events/s");
        f.put("value", round(eventsPerSecond));
        return f;
    }

    private static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }
}
