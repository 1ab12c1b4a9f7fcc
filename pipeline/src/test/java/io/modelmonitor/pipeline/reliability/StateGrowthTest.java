package io.modelmonitor.pipeline.reliability;

import static io.modelmonitor.pipeline.testutil.TestStreams.HOUR;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.modelmonitor.models.bundle.ModelReference;
import io.modelmonitor.pipeline.alerts.AlertLifecycle;
import io.modelmonitor.pipeline.connect.Connectors;
import io.modelmonitor.pipeline.connect.Endpoint;
import io.modelmonitor.pipeline.job.MonitorJob;
import io.modelmonitor.pipeline.options.JobSettings;
import io.modelmonitor.pipeline.options.RunOptions;
import io.modelmonitor.pipeline.testutil.EmbeddedKafka;
import io.modelmonitor.pipeline.testutil.FlinkRest;
import io.modelmonitor.pipeline.testutil.JsonLines;
import io.modelmonitor.pipeline.testutil.TestStreams;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.SplittableRandom;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Keyed state over a long run (issue #6, bounded state): hundreds of one-hour windows in which
 * models keep starting, send for three windows (the last one shifted and mislabelled, so that
 * drift.mmd, drift.feature and performance alerts are open when they stop) and then fall silent for
 * good, while 30 % of all predictions never get a label. A heartbeat model keeps the watermark
 * moving. The job reads from Kafka as in production; after every eight windows the test waits for a
 * checkpoint that has read everything produced and takes the checkpointed state size of each
 * operator from the Flink REST API ({@code /jobs/:id/checkpoints/details/:checkpoint}).
 *
 * <p>With the job's clean-up (window state and open alerts dropped one {@code --state-retention}
 * after the last window that could change them) the state levels off: its size over the last
 * quarter of the run stays within {@link #PLATEAU_FACTOR} of the first quarter's while the models
 * ever seen grow fourfold. The same measurement on a job that keeps state for longer than the run
 * ({@code --state-retention} of years: nothing is ever cleaned) grows with the models seen, so the
 * check does tell the two apart.
 */
class StateGrowthTest {
    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(2)
                            .setConfiguration(FlinkRest.freshFigures())
                            .build());

    /**
     * Start of the stream: in the past, because Kafka 4 refuses records stamped more than an hour
     * ahead of the broker's clock ({@code log.message.timestamp.after.max.ms}), and the sinks stamp
     * alerts with their event time.
     */
    static final long T0 = Instant.parse("2026-01-01T00:00:00Z").toEpochMilli();

    static final int MODELS = 96;

    /** A new model starts every this many windows. */
    static final int STAGGER = 2;

    /** Windows a model sends in; the last of them is shifted and its labels wrong. */
    static final int ACTIVE = 3;

    static final int PER_WINDOW = 30;
    static final int HEARTBEAT_PER_WINDOW = 4;

    /** Windows of heartbeat after the last model went silent: more than a retention. */
    static final int TAIL = 8;

    static final int WINDOWS = (MODELS - 1) * STAGGER + ACTIVE + TAIL;

    /** Windows produced between two measurements. */
    static final int CHUNK = 8;

    static final int D = 3;
    static final double SHIFT = 4.0;
    static final long LABEL_DELAY_MS = 30 * 60_000L;

    /** Of every ten predictions, this many get a label; the others never do. */
    static final int LABELLED_OF_TEN = 7;

    /** Last quarter's peak state may be at most this many times the first quarter's peak. */
    static final double PLATEAU_FACTOR = 1.5;

    /** The stateful operators, by the name of the job-graph vertex they head. */
    static final List<String> OPERATORS =
            List.of("window tests", "label join", "reports", "alert lifecycle");

    static final String HEARTBEAT = "heartbeat";

    static EmbeddedKafka kafka;
    static final Map<String, ModelReference> references = new HashMap<>();

    /** Per window: its event lines, in time order. */
    static final List<List<String>> eventsByWindow = new ArrayList<>();

    /** Per window: the label lines whose label time falls in it, in time order. */
    static final List<List<String>> labelsByWindow = new ArrayList<>();

    @BeforeAll
    static void startKafkaAndBuildTheStream() throws Exception {
        kafka = EmbeddedKafka.start();
        SplittableRandom random = new SplittableRandom(61);
        double[][] reference = TestStreams.gaussian(200, D, 0, random);
        references.put(HEARTBEAT, TestStreams.numericReference(HEARTBEAT, reference, 0.9));
        for (int k = 0; k < MODELS; k++) {
            references.put(model(k), TestStreams.numericReference(model(k), reference, 0.9));
        }
        List<List<long[]>> labelTimes = new ArrayList<>();
        for (int w = 0; w < WINDOWS; w++) {
            labelTimes.add(new ArrayList<>());
            labelsByWindow.add(new ArrayList<>());
        }
        for (int w = 0; w < WINDOWS; w++) {
            List<long[]> timed = new ArrayList<>(); // {ts, index into lines}
            List<String> lines = new ArrayList<>();
            double[][] beat = TestStreams.gaussian(HEARTBEAT_PER_WINDOW, D, 0, random);
            for (int j = 0; j < HEARTBEAT_PER_WINDOW; j++) {
                long ts = T0 + w * HOUR + j * (HOUR / HEARTBEAT_PER_WINDOW);
                timed.add(new long[] {ts, lines.size()});
                lines.add(
                        TestStreams.event(
                                HEARTBEAT + "-" + w + "-" + j, ts, HEARTBEAT, beat[j], "a"));
                addLabel(
                        labelTimes,
                        HEARTBEAT,
                        HEARTBEAT + "-" + w + "-" + j,
                        ts + LABEL_DELAY_MS,
                        "a");
            }
            for (int k = 0; k < MODELS; k++) {
                if (w < k * STAGGER || w >= k * STAGGER + ACTIVE) {
                    continue;
                }
                boolean last = w == k * STAGGER + ACTIVE - 1;
                double[][] x = TestStreams.gaussian(PER_WINDOW, D, last ? SHIFT : 0, random);
                for (int j = 0; j < PER_WINDOW; j++) {
                    long ts =
                            T0
                                    + w * HOUR
                                    + j * (HOUR / PER_WINDOW)
                                    + k; // + k: no two models at the same instant
                    String id = model(k) + "-" + w + "-" + j;
                    String predicted = j % 2 == 0 ? "a" : "b";
                    timed.add(new long[] {ts, lines.size()});
                    lines.add(TestStreams.event(id, ts, model(k), x[j], predicted));
                    if (j % 10 < LABELLED_OF_TEN) {
                        addLabel(
                                labelTimes,
                                model(k),
                                id,
                                ts + LABEL_DELAY_MS,
                                last ? ReliabilityFixtures.flip(predicted) : predicted);
                    }
                }
            }
            eventsByWindow.add(inTimeOrder(timed, lines));
        }
        for (int w = 0; w < WINDOWS; w++) {
            labelsByWindow.set(w, inTimeOrder(labelTimes.get(w), labelsByWindow.get(w)));
        }
    }

    /** A label line into the window of its label time (dropped past the stream's end). */
    private static void addLabel(
            List<List<long[]>> labelTimes, String model, String id, long labelTs, String label) {
        int window = (int) ((labelTs - T0) / HOUR);
        if (window < WINDOWS) {
            labelTimes.get(window).add(new long[] {labelTs, labelsByWindow.get(window).size()});
            labelsByWindow.get(window).add(TestStreams.label(model, id, labelTs, label));
        }
    }

    @AfterAll
    static void stopKafka() throws Exception {
        if (kafka != null) {
            kafka.close();
        }
    }

    static String model(int k) {
        return String.format(Locale.ROOT, "m%03d", k);
    }

    private static List<String> inTimeOrder(List<long[]> timed, List<String> lines) {
        return timed.stream()
                .sorted(Comparator.comparingLong(t -> t[0]))
                .map(t -> lines.get((int) t[1]))
                .collect(Collectors.toList());
    }

    /** Models that had started by the end of window {@code windowsProduced - 1}. */
    static int modelsSeen(int windowsProduced) {
        return Math.min(MODELS, (windowsProduced + STAGGER - 1) / STAGGER);
    }

    @Test
    void keyedStateLevelsOffWhileModelsKeepStartingAndFallingSilent() throws Exception {
        Run run = Run.of("bounded", null);
        run.print();
        for (String operator : OPERATORS) {
            assertTrue(run.peak(operator, 0) > 0, operator + ": no state measured");
            assertTrue(
                    run.levelsOff(operator),
                    String.format(
                            Locale.ROOT,
                            "%s: state grew from %d to %d bytes while the models seen grew from %d to %d",
                            operator,
                            run.peak(operator, 0),
                            run.peak(operator, 3),
                            run.samples.get(run.quarterEnd(0) - 1).modelsSeen,
                            MODELS));
        }
        assertTrue(
                run.levelsOff(null),
                "job state: " + run.peak(null, 0) + " -> " + run.peak(null, 3));

        // Every model's alerts opened by its last (shifted, mislabelled) window expired once it had
        // been
        // silent for a retention: a resolution naming that window, and no alert is left open.
        Map<String, JsonNode> latest = new LinkedHashMap<>();
        int opened = 0;
        int resolved = 0;
        for (JsonNode a : run.alerts) {
            latest.put(a.get("model").asText() + "/" + a.get("detector").asText(), a);
            opened += a.get("status").asText().equals("open") ? 1 : 0;
            resolved += a.get("status").asText().equals("resolved") ? 1 : 0;
        }
        assertEquals(opened, resolved, "every alert opened is resolved once");
        for (int k = 0; k < MODELS; k++) {
            String lastWindowOf =
                    Instant.ofEpochMilli(T0 + (k * STAGGER + ACTIVE - 1) * HOUR).toString();
            // Not drift.mmd: at --permutations 100 its p-value stops at 1/101, and the alert policy
            // needs three such
            // windows (a model here is shifted in one); the per-feature test and performance open
            // in one window.
            for (String detector : List.of("drift.feature", "performance")) {
                JsonNode a = latest.get(model(k) + "/" + detector);
                String name = model(k);
                assertTrue(
                        a != null,
                        name
                                + "/"
                                + detector
                                + ": no alert among "
                                + run.alerts.stream()
                                        .filter(x -> x.get("model").asText().equals(name))
                                        .collect(Collectors.toList()));
                assertEquals("resolved", a.get("status").asText(), a.toString());
                assertTrue(
                        a.get("message").asText().startsWith(AlertLifecycle.EXPIRED), a.toString());
                assertEquals(lastWindowOf, a.get("window_start").asText(), a.toString());
            }
        }
    }

    @Test
    void withoutCleanUpTheSameMeasurementGrowsWithTheModelsSeen() throws Exception {
        Run run = Run.of("never-cleaned", "100000d");
        run.print();
        for (String operator : Arrays.asList("reports", "alert lifecycle", null)) {
            assertFalse(
                    run.levelsOff(operator),
                    String.format(
                            Locale.ROOT,
                            "%s: kept everything, yet its state went only from %d to %d bytes",
                            operator == null ? "job" : operator,
                            run.peak(operator, 0),
                            run.peak(operator, 3)));
        }
        assertFalse(
                run.alerts.stream()
                        .anyMatch(
                                a -> a.get("message").asText().startsWith(AlertLifecycle.EXPIRED)),
                "nothing expires within a retention longer than the run");
    }

    /** Checkpointed state after {@code windows} windows had been produced and read. */
    record Sample(
            int windows,
            int modelsSeen,
            long events,
            long jobBytes,
            Map<String, Long> operatorBytes) {}

    /** One job over the whole stream, measured after every chunk of windows. */
    static final class Run {
        final List<Sample> samples = new ArrayList<>();
        List<JsonNode> alerts;
        final String name;

        private Run(String name) {
            this.name = name;
        }

        static Run of(String name, String stateRetention) throws Exception {
            Run run = new Run(name);
            run.execute(stateRetention);
            return run;
        }

        private void execute(String stateRetention) throws Exception {
            String events = "events-" + name;
            String labels = "labels-" + name;
            String alertTopic = "alerts-" + name;
            String groupId = "state-growth-" + name;
            for (String topic : List.of(events, labels, alertTopic)) {
                kafka.createTopic(topic, 1);
            }
            List<String> settings =
                    new ArrayList<>(
                            List.of(
                                    "window-size",
                                    "1h",
                                    "label-timeout",
                                    "2h",
                                    "min-window-count",
                                    "20",
                                    "min-labelled",
                                    "10",
                                    "permutations",
                                    "100",
                                    "max-window-sample",
                                    "40",
                                    "source-idleness",
                                    "0s",
                                    "seed",
                                    "7"));
            if (stateRetention != null) {
                settings.addAll(List.of("state-retention", stateRetention));
            }
            Connectors connectors =
                    new Connectors(new Properties(), groupId, RunOptions.StartingOffsets.EARLIEST);
            MonitorJob job =
                    new MonitorJob(
                            JobSettings.of(settings.toArray(String[]::new)),
                            references,
                            connectors.source(Endpoint.parse("events", kafka.uri(events), false)),
                            connectors.source(Endpoint.parse("labels", kafka.uri(labels), false)),
                            connectors.sink(
                                    Endpoint.parse("alerts", kafka.uri(alertTopic), true),
                                    false,
                                    "alerts"),
                            null,
                            null);
            StreamExecutionEnvironment env =
                    StreamExecutionEnvironment.getExecutionEnvironment(new Configuration());
            env.setParallelism(1);
            env.enableCheckpointing(200);
            job.addTo(env);
            JobClient client = env.executeAsync("state-growth-" + name);
            try {
                FlinkRest rest =
                        new FlinkRest(
                                MINI_CLUSTER.getClientConfiguration(),
                                client.getJobID().toString());
                long eventsProduced = 0;
                long labelsProduced = 0;
                for (int from = 0; from < WINDOWS; from += CHUNK) {
                    int to = Math.min(WINDOWS, from + CHUNK);
                    List<String> e = new ArrayList<>();
                    List<String> l = new ArrayList<>();
                    for (int w = from; w < to; w++) {
                        e.addAll(eventsByWindow.get(w));
                        l.addAll(labelsByWindow.get(w));
                    }
                    kafka.produce(events, e);
                    kafka.produce(labels, l);
                    eventsProduced += e.size();
                    labelsProduced += l.size();
                    long ev = eventsProduced;
                    long lb = labelsProduced;
                    await(
                            () ->
                                    rest.readRecords("window tests") == ev
                                            && rest.readRecords("label join") == ev + lb,
                            client,
                            "the job did not take in " + ev + " events and " + lb + " labels");
                    // Checkpoints that began after everything was read, and after the watermark
                    // caught up with it.
                    long after = rest.latestCompletedCheckpoint();
                    await(
                            () -> rest.latestCompletedCheckpoint() >= after + 2,
                            client,
                            "no new checkpoint");
                    samples.add(
                            sample(
                                    rest,
                                    rest.latestCompletedCheckpoint(),
                                    to,
                                    modelsSeen(to),
                                    eventsProduced));
                }
                // The last models' alerts expire once the watermark has passed their retention; the
                // test checks them.
                long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                while (stateRetention == null
                        && expiredCount(kafka.readAll(alertTopic, false)) < 3 * MODELS
                        && System.nanoTime() < deadline) {
                    Thread.sleep(100);
                }
                alerts = JsonLines.parse(kafka.readAll(alertTopic, false));
            } finally {
                client.cancel().get();
            }
        }

        private static long expiredCount(List<String> alertLines) {
            return alertLines.stream().filter(a -> a.contains(AlertLifecycle.EXPIRED)).count();
        }

        /**
         * Whether the peak state of {@code operator} (null: the whole job) over the last quarter
         * stays within {@link #PLATEAU_FACTOR} of the first quarter's.
         */
        boolean levelsOff(String operator) {
            return peak(operator, 3) <= PLATEAU_FACTOR * peak(operator, 0);
        }

        /** Index just past quarter {@code q} (0..3) of the samples. */
        int quarterEnd(int q) {
            return Math.max(1, samples.size() * (q + 1) / 4);
        }

        /**
         * Largest state of {@code operator} (null: the whole job) over quarter {@code q} of the
         * run, skipping the very first sample.
         */
        long peak(String operator, int q) {
            int from = q == 0 ? 1 : quarterEnd(q - 1);
            long peak = 0;
            for (Sample s : samples.subList(from, quarterEnd(q))) {
                peak =
                        Math.max(
                                peak,
                                operator == null
                                        ? s.jobBytes
                                        : s.operatorBytes.getOrDefault(operator, 0L));
            }
            return peak;
        }

        void print() {
            StringBuilder sb =
                    new StringBuilder(
                            String.format(
                                    Locale.ROOT,
                                    "%nstate growth (%s): checkpointed state bytes after each chunk of %d windows%n%8s %7s %8s %10s",
                                    name,
                                    CHUNK,
                                    "windows",
                                    "models",
                                    "events",
                                    "job"));
            for (String op : OPERATORS) {
                sb.append(String.format(Locale.ROOT, " %16s", op));
            }
            for (Sample s : samples) {
                sb.append(
                        String.format(
                                Locale.ROOT,
                                "%n%8d %7d %8d %10d",
                                s.windows,
                                s.modelsSeen,
                                s.events,
                                s.jobBytes));
                for (String op : OPERATORS) {
                    sb.append(
                            String.format(
                                    Locale.ROOT, " %16d", s.operatorBytes.getOrDefault(op, 0L)));
                }
            }
            sb.append(
                    String.format(
                            Locale.ROOT,
                            "%npeak over the first quarter (models seen <= %d) / last quarter (models seen %d):",
                            samples.get(quarterEnd(0) - 1).modelsSeen,
                            MODELS));
            sb.append(String.format(Locale.ROOT, " job %d / %d", peak(null, 0), peak(null, 3)));
            for (String op : OPERATORS) {
                sb.append(String.format(Locale.ROOT, "; %s %d / %d", op, peak(op, 0), peak(op, 3)));
            }
            System.out.println(sb);
        }
    }

    private static void await(BooleanSupplier condition, JobClient job, String failure)
            throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, failure);
            assertFalse(
                    job.getJobStatus().get().isGloballyTerminalState(),
                    "the job ended: " + failure);
            Thread.sleep(50);
        }
    }

    /** Checkpointed state size per operator, read through {@link FlinkRest}. */
    static Sample sample(
            FlinkRest rest, long checkpoint, int windows, int modelsSeen, long events) {
        Map<String, String> vertexNames = rest.vertexNames();
        JsonNode details = rest.job("/checkpoints/details/" + checkpoint);
        Map<String, Long> byOperator = new HashMap<>();
        details.get("tasks")
                .fields()
                .forEachRemaining(
                        t -> {
                            String vertex = vertexNames.getOrDefault(t.getKey(), t.getKey());
                            for (String op : OPERATORS) {
                                if (vertex.startsWith(op)) {
                                    byOperator.merge(
                                            op, t.getValue().get("state_size").asLong(), Long::sum);
                                }
                            }
                        });
        return new Sample(
                windows, modelsSeen, events, details.get("state_size").asLong(), byOperator);
    }
}
