package io.modelmonitor.pipeline.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.modelmonitor.models.bench.EncoderBench;
import io.modelmonitor.models.runtime.NativeRuntimes;
import java.io.BufferedWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Whole-pipeline throughput of {@code ./monitor run} on the embedded Flink, for numeric and for
 * text inputs, and the share of the bare encoder's throughput that the text pipeline keeps.
 *
 * <p>Each input kind runs twice, with n and 2n events; the marginal rate n / (t(2n) − t(n)) removes
 * the job's start-up and shutdown from the figure (after one warm-up run). Texts are the
 * mixed-length corpus (20 to 600 characters). The baseline is a bare ONNX Runtime session on the
 * same texts sorted by length, batches of 32, with the job's default thread count (one per
 * processor), timed in the same process just before and after the job runs, in three rounds
 * (figures are medians over rounds of each round's ratio); the job also runs with the settings that
 * were its defaults before it sorted (one thread, batches of 32), for the before/after ratio.
 */
final class PipelineBench {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long START = 1_795_824_000_000L; // 2026-11-28T00:00:00Z
    private static final int NUMERIC_EVENTS = 50_000;
    private static final int TEXT_EVENTS = 600;
    private static final int TEXT_ROUNDS = 3;

    /** The job's defaults before it sorted texts by length in a large buffer. */
    private static final String[] BEFORE_SORTING = {"--encoder-threads", "1", "--batch-size", "32"};

    private PipelineBench() {}

    static List<Map<String, Object>> run(long seed) throws Exception {
        Path dir = Files.createTempDirectory("monitor-bench");
        List<Map<String, Object>> figures = new ArrayList<>();
        figures.add(numeric(dir.resolve("numeric"), seed));
        figures.add(text(dir.resolve("text"), seed));
        return figures;
    }

    private static Map<String, Object> numeric(Path dir, long seed) throws Exception {
        Files.createDirectories(dir);
        SplittableRandom rnd = new SplittableRandom(seed);
        writeEvents(dir.resolve("reference.jsonl"), 2000, i -> features(rnd));
        fit(dir);
        runJob(dir, NUMERIC_EVENTS / 5, i -> features(rnd)); // warm-up: JIT and class loading
        double small = runJob(dir, NUMERIC_EVENTS, i -> features(rnd));
        double large = runJob(dir, 2 * NUMERIC_EVENTS, i -> features(rnd));
        Map<String, Object> f = figure("pipeline.numeric", NUMERIC_EVENTS / (large - small));
        f.put("features", 16);
        f.put("events", List.of(NUMERIC_EVENTS, 2 * NUMERIC_EVENTS));
        f.put("seconds", List.of(round(small), round(large)));
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
        double[] bare = new double[TEXT_ROUNDS];
        double[] job = new double[TEXT_ROUNDS];
        double[] before = new double[TEXT_ROUNDS];
        double[] share = new double[TEXT_ROUNDS];
        double[] beforeShare = new double[TEXT_ROUNDS];
        double[] speedup = new double[TEXT_ROUNDS];
        for (int r = 0; r < TEXT_ROUNDS; r++) {
            double bareBefore = EncoderBench.bareSortedRate(stream, threads, 32, 1);
            job[r] = marginal(dir, stream);
            before[r] = marginal(dir, stream, BEFORE_SORTING);
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

    private static double median(double[] v) {
        double[] s = v.clone();
        java.util.Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    private static List<Double> rounded(double[] v) {
        return java.util.Arrays.stream(v).map(PipelineBench::round).boxed().toList();
    }

    /** Marginal events/s of the text job between n and 2n events. */
    private static double marginal(Path dir, List<String> stream, String... extra)
            throws IOException {
        double small = runJob(dir, TEXT_EVENTS, i -> text(stream.get(i)), extra);
        double large = runJob(dir, 2 * TEXT_EVENTS, i -> text(stream.get(i)), extra);
        return TEXT_EVENTS / (large - small);
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

    private static void fit(Path dir) {
        call(
                "fit",
                "--reference",
                dir.resolve("reference.jsonl").toString(),
                "--out",
                dir.resolve("bundle").toString());
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
