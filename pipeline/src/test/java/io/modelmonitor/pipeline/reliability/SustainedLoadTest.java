package io.modelmonitor.pipeline.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.modelmonitor.models.Device;
import io.modelmonitor.models.bundle.ModelReference;
import io.modelmonitor.models.synthetic.SyntheticTexts;
import io.modelmonitor.pipeline.connect.Connectors;
import io.modelmonitor.pipeline.connect.Endpoint;
import io.modelmonitor.pipeline.embed.EncoderLoader;
import io.modelmonitor.pipeline.job.JobEnvironment;
import io.modelmonitor.pipeline.job.MonitorJob;
import io.modelmonitor.pipeline.job.ReferenceBundles;
import io.modelmonitor.pipeline.options.JobSettings;
import io.modelmonitor.pipeline.options.RunOptions;
import io.modelmonitor.pipeline.testutil.FlinkRest;
import io.modelmonitor.pipeline.testutil.JsonLines;
import io.modelmonitor.pipeline.testutil.TestStreams;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.connector.datagen.source.GeneratorFunction;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Sustained load (issue #6, load): the whole job at the machine's maximum rate for minutes, with
 * exactly-once checkpoints every {@link #CHECKPOINT_INTERVAL}, for numeric and for text inputs.
 *
 * <p>The events come from a generator that is never the bottleneck: the source vertex spends next
 * to no time idle, so the job runs as fast as it can and everything upstream of its slowest
 * operator waits (backpressure). A short calibration run sizes the stream so the measured run lasts
 * about {@code -Dload.numeric.seconds} / {@code -Dload.text.seconds} (defaults 120 and 90). The
 * test then checks what a user would need to trust under load: no event lost or counted twice (the
 * committed reports account for every generated event exactly once), every checkpoint that started
 * completed, checkpoint time did not grow over the run, and the input really outran the job. It
 * prints the sustained events/s, checkpoint durations and sizes, and busy/backpressured/idle time
 * per vertex, and writes them to {@code <buildDir>/load-report-numeric.txt} and {@code
 * load-report-text.txt}:
 *
 * <pre>{@code
 * mvn -o -pl pipeline -am test -Dtest=SustainedLoadTest -Dsurefire.failIfNoSpecifiedTests=false -Dload.numeric.seconds=600
 * }</pre>
 */
class SustainedLoadTest {
    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(2)
                            .setConfiguration(FlinkRest.freshFigures())
                            .build());

    private static final ObjectMapper JSON = new ObjectMapper();
    static final Duration CHECKPOINT_INTERVAL = Duration.ofSeconds(2);

    /**
     * Checkpoint time over the last third of the run may be at most this factor of the first
     * third's.
     */
    static final double CHECKPOINT_GROWTH_FACTOR = 3.0;

    static final long T0 = ReliabilityFixtures.T0;

    /**
     * One event every 600 ms of event time: one-minute windows of 100 events, as in {@code
     * ./monitor bench} ({@code -Dload.window.events=N} for windows of N events: beyond {@code
     * --max-window-sample}, 1000, most events do not enter the window's sample). Event time thus
     * runs thousands of times faster than the clock, so the label timeout (which sets how long
     * window state is kept) is one hour of event time: the state reaches its steady size within
     * seconds, as a real stream's does within its label timeout.
     */
    static final long STEP_MS = 60_000L / Long.getLong("load.window.events", 100);

    @TempDir Path dir;

    /** {@code --state-backend} of the runs. */
    private String stateBackend = "hashmap";

    /**
     * The keyed state backends to run the numeric load on: {@code -Dload.backends=hashmap,rocksdb}
     * (default: hashmap).
     */
    static List<String> backends() {
        return List.of(System.getProperty("load.backends", "hashmap").split(","));
    }

    @ParameterizedTest
    @MethodSource("backends")
    void numericInputAtFullSpeed(String backend) throws Exception {
        stateBackend = backend;
        SplittableRandom random = new SplittableRandom(5);
        Path bundle =
                ReliabilityFixtures.fitNumericBundle(
                        dir.resolve("bundle"), TestStreams.gaussian(2000, 16, 0, random), random);
        ModelReference ref = load(bundle);
        Report r =
                measure(
                        backend.equals("hashmap") ? "numeric" : "numeric-" + backend,
                        ref,
                        new NumericEvents(),
                        150_000,
                        Long.getLong("load.numeric.seconds", 120));
        r.check();
    }

    @Test
    void textInputAtFullSpeed() throws Exception {
        List<String> reference = new ArrayList<>();
        List<String> texts = SyntheticTexts.reviews(1000, 11);
        for (int i = 0; i < texts.size(); i++) {
            ObjectNode o = JSON.createObjectNode();
            o.put("id", "r" + i)
                    .put("ts", T0 - TestStreams.HOUR + i)
                    .put("text", texts.get(i))
                    .put("prediction", "a");
            reference.add(o.toString());
        }
        Path file = dir.resolve("reference.jsonl");
        Files.write(file, reference);
        Path bundle = dir.resolve("bundle");
        ReliabilityFixtures.CliRun fit =
                ReliabilityFixtures.monitor(
                        "fit", "--reference", file.toString(), "--out", bundle.toString());
        assertEquals(0, fit.status(), fit.err());
        ModelReference ref = load(bundle);
        Report r =
                measure(
                        "text",
                        ref,
                        new TextEvents(SyntheticTexts.reviews(3000, 12)),
                        1500,
                        Long.getLong("load.text.seconds", 90));
        r.check();
    }

    /** The bundle as the job loads it. */
    private static ModelReference load(Path bundle) throws Exception {
        return ReferenceBundles.load("load", bundle, null, new EncoderLoader(1, Device.CPU));
    }

    /**
     * A calibration run of {@code calibrationEvents}, then a run sized to last about {@code
     * seconds}.
     */
    private Report measure(
            String kind,
            ModelReference ref,
            GeneratorFunction<Long, String> events,
            long calibrationEvents,
            long seconds)
            throws Exception {
        Report calibration = run(kind + "-calibration", ref, events, calibrationEvents);
        long n =
                Math.max(
                        calibrationEvents,
                        Math.round(calibration.steadyEventsPerSecond() * seconds));
        Report report = run(kind, ref, events, n);
        report.print();
        return report;
    }

    private Report run(
            String name, ModelReference ref, GeneratorFunction<Long, String> events, long n)
            throws Exception {
        Path reports = dir.resolve(name + "-reports.jsonl");
        Path deadLetters = dir.resolve(name + "-dead-letters.jsonl");
        Connectors connectors =
                new Connectors(new Properties(), name, RunOptions.StartingOffsets.EARLIEST);
        MonitorJob job =
                new MonitorJob(
                        JobSettings.of("window-size", "1m", "label-timeout", "1h", "seed", "3"),
                        Map.of("load", ref),
                        new DataGeneratorSource<>(
                                events, n, RateLimiterStrategy.noOp(), Types.STRING),
                        null,
                        connectors.sink(
                                Endpoint.parse(
                                        "alerts",
                                        "file:" + dir.resolve(name + "-alerts.jsonl"),
                                        true),
                                true,
                                "alerts"),
                        connectors.sink(
                                Endpoint.parse("reports", "file:" + reports, true),
                                true,
                                "reports"),
                        connectors.sink(
                                Endpoint.parse("dead-letters", "file:" + deadLetters, true),
                                true,
                                "dead-letters"));
        Configuration conf = new Configuration();
        conf.set(RunOptions.CHECKPOINT_INTERVAL, CHECKPOINT_INTERVAL);
        conf.set(RunOptions.PARALLELISM, 1);
        conf.set(
                RunOptions.STATE_BACKEND,
                RunOptions.StateBackend.valueOf(stateBackend.toUpperCase(Locale.ROOT)));
        StreamExecutionEnvironment env = JobEnvironment.create(conf);
        job.addTo(env);

        long t0 = System.nanoTime();
        JobClient client = env.executeAsync("sustained-load-" + name);
        FlinkRest rest =
                new FlinkRest(MINI_CLUSTER.getClientConfiguration(), client.getJobID().toString());
        Report report = new Report(name, n);
        AtomicBoolean done = new AtomicBoolean();
        Thread sampler =
                new Thread(
                        () -> {
                            while (!done.get()) {
                                try {
                                    report.sample(rest);
                                    Thread.sleep(1000);
                                } catch (InterruptedException e) {
                                    return;
                                } catch (RuntimeException e) {
                                    // The job may finish between two calls; the samples so far
                                    // stand.
                                    report.samplingErrors.add(e.toString());
                                }
                            }
                        },
                        "load-sampler");
        sampler.setDaemon(true);
        sampler.start();
        try {
            client.getJobExecutionResult().get();
        } finally {
            done.set(true);
            sampler.join();
        }
        report.seconds = (System.nanoTime() - t0) / 1e9;
        report.checkpoints = rest.job("/checkpoints");
        for (JsonNode v : rest.job("").get("vertices")) {
            if (v.get("name").asText().startsWith("Source")) {
                report.sourceEndTime = v.get("end-time").asLong();
            }
        }
        long[] ids = report.completedIds();
        if (ids.length >= 3) {
            for (long id : new long[] {ids[ids.length / 3], ids[ids.length - 1]}) {
                JsonNode tasks = rest.job("/checkpoints/details/" + id).get("tasks");
                Map<String, Long> sizes = new java.util.LinkedHashMap<>();
                rest.vertexNames()
                        .forEach(
                                (vertexId, vertex) ->
                                        sizes.put(
                                                vertex,
                                                tasks.path(vertexId)
                                                        .path("checkpointed_size")
                                                        .asLong()));
                report.vertexSizes.put(id, sizes);
            }
        }
        report.reportLines = JsonLines.read(reports);
        report.deadLetters = Files.exists(deadLetters) ? Files.readAllLines(deadLetters).size() : 0;
        return report;
    }

    /** What one run did and measured. */
    static final class Report {
        final String name;
        final long events;
        double seconds;
        JsonNode checkpoints;

        /** When the source vertex finished: the end of the input. */
        long sourceEndTime;

        /**
         * Checkpointed bytes per vertex of two checkpoints: one a third into the run and the last.
         */
        final Map<Long, Map<String, Long>> vertexSizes = new java.util.LinkedHashMap<>();

        List<JsonNode> reportLines;
        long deadLetters;

        /** Per vertex name: busy, backpressured and idle ms per second, one sample a second. */
        final Map<String, List<double[]>> vertexTime = new HashMap<>();

        /**
         * Records read by the window vertex (every valid event passes it once) against nanoTime.
         */
        final List<long[]> progress = new ArrayList<>();

        final List<String> samplingErrors = new java.util.concurrent.CopyOnWriteArrayList<>();

        Report(String name, long events) {
            this.name = name;
            this.events = events;
        }

        double eventsPerSecond() {
            return events / seconds;
        }

        /**
         * Events per second while events flowed, from the window vertex's record count over the
         * second half of the time it grew: without the job's start-up, the JIT's and the encoder's
         * warm-up, and the final flush. Falls back to the whole run's rate without enough samples.
         */
        double steadyEventsPerSecond() {
            int last = progress.size() - 1;
            while (last > 0 && progress.get(last)[1] == progress.get(last - 1)[1]) {
                last--;
            }
            int first = last / 2;
            if (last - first < 2) {
                return eventsPerSecond();
            }
            return (progress.get(last)[1] - progress.get(first)[1])
                    / ((progress.get(last)[0] - progress.get(first)[0]) / 1e9);
        }

        synchronized void sample(FlinkRest rest) {
            long read = rest.readRecords("window tests");
            if (read > 0) {
                progress.add(new long[] {System.nanoTime(), read});
            }
            for (Map.Entry<String, String> v : rest.vertexNames().entrySet()) {
                double busy = rest.maxSubtaskMetric(v.getKey(), "busyTimeMsPerSecond");
                double back = rest.maxSubtaskMetric(v.getKey(), "backPressuredTimeMsPerSecond");
                double idle = rest.maxSubtaskMetric(v.getKey(), "idleTimeMsPerSecond");
                if (!Double.isNaN(busy) && !Double.isNaN(back) && !Double.isNaN(idle)) {
                    vertexTime
                            .computeIfAbsent(v.getValue(), k -> new ArrayList<>())
                            .add(new double[] {busy, back, idle});
                }
            }
        }

        /**
         * Events the committed reports account for: the last revision of every window, plus dead
         * letters.
         */
        long eventsAccountedFor() {
            Map<String, Long> counts = new HashMap<>();
            Map<String, Integer> revisions = new HashMap<>();
            for (JsonNode r : reportLines) {
                String window = r.get("model").asText() + "/" + r.get("window_start").asText();
                int revision = r.get("revision").asInt();
                if (revision >= revisions.getOrDefault(window, -1)) {
                    revisions.put(window, revision);
                    counts.put(window, r.get("count").asLong());
                }
            }
            return counts.values().stream().mapToLong(Long::longValue).sum() + deadLetters;
        }

        /**
         * End-to-end durations (ms) of the completed checkpoints, in the order they were triggered.
         */
        long[] checkpointDurations() {
            List<JsonNode> completed = new ArrayList<>();
            for (JsonNode c : checkpoints.get("history")) {
                if (c.get("status").asText().equals("COMPLETED")) {
                    completed.add(c);
                }
            }
            completed.sort((a, b) -> Long.compare(a.get("id").asLong(), b.get("id").asLong()));
            return completed.stream()
                    .mapToLong(c -> c.get("end_to_end_duration").asLong())
                    .toArray();
        }

        long[] completedIds() {
            List<Long> ids = new ArrayList<>();
            for (JsonNode c : checkpoints.get("history")) {
                if (c.get("status").asText().equals("COMPLETED")) {
                    ids.add(c.get("id").asLong());
                }
            }
            return ids.stream().mapToLong(Long::longValue).sorted().toArray();
        }

        /**
         * Checkpointed sizes (bytes) of the completed checkpoints, in the order they were
         * triggered.
         */
        long[] checkpointSizes() {
            List<JsonNode> completed = new ArrayList<>();
            for (JsonNode c : checkpoints.get("history")) {
                if (c.get("status").asText().equals("COMPLETED")) {
                    completed.add(c);
                }
            }
            completed.sort((a, b) -> Long.compare(a.get("id").asLong(), b.get("id").asLong()));
            return completed.stream()
                    .mapToLong(
                            c -> c.path("checkpointed_size").asLong(c.path("state_size").asLong()))
                    .toArray();
        }

        static double median(long[] values, int from, int to) {
            long[] part = Arrays.copyOfRange(values, from, to);
            Arrays.sort(part);
            return part.length % 2 == 1
                    ? part[part.length / 2]
                    : (part[part.length / 2 - 1] + part[part.length / 2]) / 2.0;
        }

        /** Median of column {@code column} of a vertex's samples. */
        double medianTime(String vertex, int column) {
            long[] values =
                    vertexTime.get(vertex).stream().mapToLong(s -> Math.round(s[column])).toArray();
            return median(values, 0, values.length);
        }

        String sourceVertex() {
            return vertexTime.keySet().stream()
                    .filter(v -> v.startsWith("Source"))
                    .findFirst()
                    .orElseThrow(
                            () ->
                                    new AssertionError(
                                            "no metrics of the source vertex among "
                                                    + vertexTime.keySet()));
        }

        void check() {
            assertEquals(
                    events,
                    eventsAccountedFor(),
                    name
                            + ": the committed reports do not account for every generated event exactly once");
            assertEquals(0, deadLetters, name + ": valid events were dead-lettered");
            JsonNode counts = checkpoints.get("counts");
            List<String> failures = new ArrayList<>();
            for (JsonNode c : checkpoints.get("history")) {
                if (c.get("status").asText().equals("FAILED") && !racedWithEndOfInput(c)) {
                    failures.add(
                            "#" + c.get("id").asLong() + " " + c.path("failure_message").asText());
                }
            }
            // A checkpoint that started and did not complete (expired, declined, failed to write)
            // is in the
            // history. Triggers refused while tasks are still starting (loading the encoder) or
            // already
            // finished only add to the failed count, without an entry: they are reported, not
            // failures.
            assertEquals(List.of(), failures, name + ": checkpoints failed under load");
            long[] durations = checkpointDurations();
            assertTrue(
                    durations.length >= 6,
                    name + ": only " + durations.length + " checkpoints completed");
            assertEquals(
                    counts.get("completed").asLong(),
                    durations.length,
                    name + ": checkpoint history is incomplete");
            int third = durations.length / 3;
            double first = median(durations, 0, third);
            double last = median(durations, durations.length - third, durations.length);
            assertTrue(
                    last
                            <= CHECKPOINT_GROWTH_FACTOR
                                    * Math.max(first, CHECKPOINT_INTERVAL.toMillis() / 10.0),
                    String.format(
                            Locale.ROOT,
                            "%s: checkpoint time grew over the run: median %.0f ms in the first third, "
                                    + "%.0f ms in the last",
                            name,
                            first,
                            last));
            // Saturated: the source always had input and never waited for it, so the job ran at its
            // own maximum and whatever was slower than the source held it back.
            String source = sourceVertex();
            double idle = medianTime(source, 2);
            assertTrue(
                    idle < 100,
                    name
                            + ": the source vertex was idle "
                            + idle
                            + " ms/s: the input did not outrun the job");
            // Either a slower vertex downstream held the source back (numeric: the window tests),
            // or the
            // slowest operator is chained into the source's own thread (text: the encoder), which
            // then
            // has no time left to wait.
            double backpressured = medianTime(source, 1);
            double busy = medianTime(source, 0);
            assertTrue(
                    backpressured > 0 || busy >= 900,
                    String.format(
                            Locale.ROOT,
                            "%s: the source vertex was neither backpressured nor busy (busy %.0f, backpressured %.0f ms/s)",
                            name,
                            busy,
                            backpressured));
        }

        /**
         * A bounded input ends: the checkpoint triggered last before the source finished may reach
         * a task that has just gone ("unknown task"). That is the end of the run, not a checkpoint
         * failing under load.
         */
        /**
         * A checkpoint triggered while the input was ending: tasks that finish decline it. After
         * the source ends, the embedding operator still flushes its buffer (up to --batch-size
         * texts, a few seconds on 2 cores), so more than one trigger can fall in that time.
         */
        boolean racedWithEndOfInput(JsonNode checkpoint) {
            return checkpoint.get("trigger_timestamp").asLong()
                    >= sourceEndTime - CHECKPOINT_INTERVAL.toMillis();
        }

        void print() {
            long[] d = checkpointDurations();
            long[] sorted = d.clone();
            Arrays.sort(sorted);
            long[] sizes = checkpointSizes();
            StringBuilder sb =
                    new StringBuilder(
                            String.format(
                                    Locale.ROOT,
                                    "%nsustained load (%s): %d events in %.1f s = %.0f events/s (%.0f events/s over the second half of the input), %d windows reported, %d dead letters%n"
                                            + "checkpoints every %d s: %d completed, %d failed (triggers refused while tasks started, or racing with the end of input); end-to-end duration min %d / median %.0f / max %d ms "
                                            + "(first third median %.0f, last third %.0f); checkpointed size median %.0f bytes in the first third, %.0f in the last",
                                    name,
                                    events,
                                    seconds,
                                    eventsPerSecond(),
                                    steadyEventsPerSecond(),
                                    reportLines.size(),
                                    deadLetters,
                                    CHECKPOINT_INTERVAL.toSeconds(),
                                    d.length,
                                    checkpoints.get("counts").get("failed").asLong(),
                                    sorted[0],
                                    median(sorted, 0, sorted.length),
                                    sorted[sorted.length - 1],
                                    median(d, 0, d.length / 3),
                                    median(d, d.length - d.length / 3, d.length),
                                    median(sizes, 0, sizes.length / 3),
                                    median(sizes, sizes.length - sizes.length / 3, sizes.length)));
            for (String vertex : vertexTime.keySet()) {
                sb.append(
                        String.format(
                                Locale.ROOT,
                                "%n  %-60.60s busy %4.0f  backpressured %4.0f  idle %4.0f ms/s (median of %d samples)",
                                vertex,
                                medianTime(vertex, 0),
                                medianTime(vertex, 1),
                                medianTime(vertex, 2),
                                vertexTime.get(vertex).size()));
            }
            if (vertexTime.isEmpty() && !samplingErrors.isEmpty()) {
                sb.append(
                        String.format(
                                Locale.ROOT,
                                "%n  %d metric samples failed, e.g. %s",
                                samplingErrors.size(),
                                samplingErrors.get(0)));
            }
            sb.append(
                    String.format(
                            Locale.ROOT,
                            "%n  backpressure: the source vertex was backpressured %.1f%% and busy %.1f%% of the time (busy: the slowest"
                                    + " operator is chained into it)",
                            medianTime(sourceVertex(), 1) / 10.0,
                            medianTime(sourceVertex(), 0) / 10.0));
            vertexSizes.forEach(
                    (id, bytes) ->
                            sb.append(
                                    String.format(
                                            Locale.ROOT,
                                            "%n  checkpoint %d, checkpointed bytes per vertex: %s",
                                            id,
                                            bytes)));
            System.out.println(sb);
            // For the README: the build folder (-DbuildDir, "target" by default) keeps the figures
            // of the last run.
            Path file =
                    Path.of(
                            System.getProperty("buildDir", "target"),
                            "load-report-" + name + ".txt");
            try {
                Files.createDirectories(file.getParent());
                Files.writeString(file, sb.toString().strip() + System.lineSeparator());
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
    }

    /** Sixteen standard-normal features per event, the same for the same index. */
    static final class NumericEvents implements GeneratorFunction<Long, String> {
        private static final long serialVersionUID = 1L;

        @Override
        public String map(Long i) {
            SplittableRandom r = new SplittableRandom(i);
            double[] f = new double[16];
            for (int j = 0; j < f.length; j++) {
                f[j] = r.nextGaussian();
            }
            return TestStreams.event("e" + i, T0 + i * STEP_MS, "load", f, i % 3 == 0 ? "b" : "a");
        }
    }

    /** Product-review sentences, cycling through a fixed pool. */
    static final class TextEvents implements GeneratorFunction<Long, String> {
        private static final long serialVersionUID = 1L;
        private final ArrayList<String> pool;

        TextEvents(List<String> pool) {
            this.pool = new ArrayList<>(pool);
        }

        @Override
        public String map(Long i) {
            ObjectNode o = JSON.createObjectNode();
            o.put("id", "e" + i)
                    .put("ts", T0 + i * STEP_MS)
                    .put("model", "load")
                    .put("text", pool.get((int) (i % pool.size())))
                    .put("prediction", i % 3 == 0 ? "b" : "a");
            return o.toString();
        }
    }
}
