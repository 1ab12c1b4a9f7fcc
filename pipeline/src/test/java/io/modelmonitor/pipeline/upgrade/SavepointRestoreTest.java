package io.modelmonitor.pipeline.upgrade;

import static io.modelmonitor.pipeline.testutil.TestStreams.HOUR;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.modelmonitor.pipeline.connect.Connectors;
import io.modelmonitor.pipeline.connect.Endpoint;
import io.modelmonitor.pipeline.job.MonitorJob;
import io.modelmonitor.pipeline.options.JobSettings;
import io.modelmonitor.pipeline.options.RunOptions;
import io.modelmonitor.pipeline.references.Bundles;
import io.modelmonitor.pipeline.testutil.EmbeddedKafka;
import io.modelmonitor.pipeline.testutil.JsonLines;
import io.modelmonitor.pipeline.testutil.TestBundles;
import io.modelmonitor.pipeline.testutil.TestStreams;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * An upgrade as operators do it: {@code flink stop --savepoint} on the running job, more data
 * arrives meanwhile, a new job (a freshly built {@link MonitorJob}, as the next build would
 * construct it) starts from the savepoint. Its committed alerts and reports, after those the first
 * job committed, must be exactly those of one job that ran over all the data: the sources' offsets,
 * the windows, the pending label joins, the report revisions and the open alerts all carried over.
 *
 * <p>The stream: six one-hour windows of a numeric model, windows 2 and 3 shifted (a drift.mmd
 * alert that opens before the savepoint and must resolve after it), each prediction labelled 90
 * minutes later. The first job sees events and labels up to 3.5 h: window 2's events all come
 * before the savepoint, its labels all after, so its accuracy needs the label-join state of the
 * first job. Both runs end by stop-with-savepoint with drain (all sources are unbounded Kafka
 * sources, as in production), once the job has read and checkpointed everything.
 */
class SavepointRestoreTest {
    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(2)
                            .build());

    static final long T0 = Instant.parse("2026-11-28T00:00:00Z").toEpochMilli();
    static final int WINDOWS = 6;
    static final int PER_WINDOW = 200;
    static final int SHIFT_FROM = 2;
    static final int SHIFT_TO = 4; // exclusive
    static final int D = 4;
    static final long LABEL_DELAY = 90 * 60_000L;

    /** The first job of the upgraded run sees events and labels before this event time. */
    static final long SAVEPOINT_AT = T0 + 3 * HOUR + HOUR / 2;

    /** Its events all before the savepoint, its labels all after. */
    static final int CARRIED_WINDOW = 2;

    static EmbeddedKafka kafka;
    static final SplittableRandom random = new SplittableRandom(31);
    static final double[][] reference = TestStreams.gaussian(1000, D, 0, random);
    static final List<String> events = new ArrayList<>();
    static final List<Long> eventTimes = new ArrayList<>();
    static final List<String> labels = new ArrayList<>();
    static final List<Long> labelTimes = new ArrayList<>();

    /** Per window, how many of its predictions the labels say are right. */
    static final int[] correct = new int[WINDOWS];

    @TempDir static Path savepoints;

    /**
     * A retrain on the same normal, activated from window {@link #RETRAIN_FROM} by a reference
     * update that only the first job reads: the job restored from the savepoint is given an empty
     * updates file, so it knows the retrained bundle from the savepoint alone.
     */
    static final int RETRAIN_FROM = 3;

    @TempDir static Path dir;
    static Path retrained;
    static Path updates;
    static Path noUpdates;

    @BeforeAll
    static void startKafka() throws Exception {
        kafka = EmbeddedKafka.start();
        for (int w = 0; w < WINDOWS; w++) {
            double shift = w >= SHIFT_FROM && w < SHIFT_TO ? 1.0 : 0.0;
            double[][] x = TestStreams.gaussian(PER_WINDOW, D, shift, random);
            for (int j = 0; j < PER_WINDOW; j++) {
                long ts = T0 + w * HOUR + j * (HOUR / PER_WINDOW);
                String id = "w" + w + "-" + j;
                String predicted = j % 2 == 0 ? "a" : "b";
                boolean right = random.nextDouble() < 0.9;
                correct[w] += right ? 1 : 0;
                events.add(TestStreams.event(id, ts, "sensor", x[j], predicted));
                eventTimes.add(ts);
                labels.add(
                        TestStreams.label(
                                id,
                                ts + LABEL_DELAY,
                                right ? predicted : predicted.equals("a") ? "b" : "a"));
                labelTimes.add(ts + LABEL_DELAY);
            }
        }
    }

    @BeforeAll
    static void fitRetrained() {
        retrained =
                TestBundles.fitNumeric(
                        dir.resolve("retrained"),
                        TestStreams.gaussian(1000, D, 0, new SplittableRandom(37)));
        updates =
                JsonLines.write(
                        dir.resolve("references.jsonl"),
                        List.of(TestBundles.update("sensor", retrained, T0 + RETRAIN_FROM * HOUR)));
        noUpdates = JsonLines.write(dir.resolve("no-references.jsonl"), List.of());
    }

    @AfterAll
    static void stopKafka() throws Exception {
        if (kafka != null) {
            kafka.close();
        }
    }

    /**
     * On the heap and on RocksDB; the savepoints are in Flink's canonical format, which either
     * backend can restore.
     */
    @ParameterizedTest
    @ValueSource(strings = {"hashmap", "rocksdb"})
    void aJobRestoredFromASavepointCommitsWhatAnUndisturbedJobCommits(String backend)
            throws Exception {
        Run undisturbed = new Run("undisturbed-" + backend, backend);
        undisturbed.produce(events, labels);
        undisturbed.stopWhenAllRead(undisturbed.start(null, updates));
        Outputs expected = undisturbed.outputs();

        Run upgraded = new Run("upgraded-" + backend, backend);
        upgraded.produce(before(events, eventTimes), before(labels, labelTimes));
        JobClient first = upgraded.start(null, updates);
        String windowBeforeSavepoint = windowStart(CARRIED_WINDOW);
        upgraded.awaitAllRead(first);
        await(
                () ->
                        JsonLines.parse(kafka.readAll(upgraded.reports, true)).stream()
                                .anyMatch(
                                        r ->
                                                r.get("window_start")
                                                        .asText()
                                                        .equals(windowBeforeSavepoint)),
                first,
                "the first job committed no report of window " + CARRIED_WINDOW);
        String savepoint =
                first.stopWithSavepoint(
                                false,
                                savepoints.resolve("upgrade").toUri().toString(),
                                SavepointFormatType.CANONICAL)
                        .get(60, TimeUnit.SECONDS);
        first.getJobExecutionResult().get(30, TimeUnit.SECONDS);
        Outputs beforeUpgrade = upgraded.outputs();

        upgraded.produce(after(events, eventTimes), after(labels, labelTimes));
        upgraded.stopWhenAllRead(upgraded.start(savepoint, noUpdates));
        Outputs afterUpgrade = upgraded.outputs();

        // Not two empty outputs: a drift episode and labelled windows went through.
        List<JsonNode> reports = JsonLines.parse(expected.reports);
        assertEquals(
                WINDOWS,
                reports.stream().map(r -> r.get("window_start").asText()).distinct().count(),
                "a report per window: " + expected.reports);
        List<String> mmdAlerts =
                JsonLines.parse(expected.alerts).stream()
                        .filter(a -> a.get("detector").asText().equals("drift.mmd"))
                        .map(a -> a.get("status").asText() + "@" + a.get("window_start").asText())
                        .collect(Collectors.toList());
        assertEquals(
                List.of("open@" + windowStart(SHIFT_FROM), "resolved@" + windowStart(SHIFT_TO + 1)),
                mmdAlerts);

        // The first job got as far as the savepoint: the alert opened, window 2 reported
        // unlabelled.
        assertTrue(
                beforeUpgrade.alerts.stream().anyMatch(a -> a.contains("\"open\"")),
                "alerts before: " + beforeUpgrade.alerts);
        assertFalse(beforeUpgrade.reports.isEmpty());
        assertEquals(
                beforeUpgrade.reports,
                afterUpgrade.reports.subList(0, beforeUpgrade.reports.size()),
                "committed output is never withdrawn");
        Set<String> revisionsBefore = revisions(beforeUpgrade.reports);
        List<String> revisionsAfter =
                new ArrayList<>(
                        revisions(
                                afterUpgrade.reports.subList(
                                        beforeUpgrade.reports.size(),
                                        afterUpgrade.reports.size())));
        revisionsAfter.retainAll(revisionsBefore);
        assertEquals(
                List.of(),
                revisionsAfter,
                "the restored job re-reported revisions the first job had committed");

        // Window 2's labels all came after the savepoint, its predictions all before: the exact
        // accuracy needs the restored label-join state.
        JsonNode carried = finalRevision(afterUpgrade.reports, windowStart(CARRIED_WINDOW));
        assertEquals(
                PER_WINDOW, carried.get("performance").get("labelled").asInt(), carried.toString());
        assertEquals(
                (double) correct[CARRIED_WINDOW] / PER_WINDOW,
                carried.get("performance").get("accuracy").asDouble(),
                1e-12,
                carried.toString());

        String retrainedId = Bundles.id("sensor", retrained);
        for (JsonNode r : JsonLines.parse(afterUpgrade.reports)) {
            boolean retrainedWindow =
                    Instant.parse(r.get("window_start").asText()).toEpochMilli()
                            >= T0 + RETRAIN_FROM * HOUR;
            assertEquals(
                    retrainedWindow ? retrainedId : Bundles.inlineId("sensor"),
                    r.get("bundle").asText(),
                    r.toString());
        }

        assertEquals(expected.reports, afterUpgrade.reports, "committed reports");
        assertEquals(expected.alerts, afterUpgrade.alerts, "committed alerts");
    }

    private static String windowStart(int window) {
        return Instant.ofEpochMilli(T0 + window * HOUR).toString();
    }

    private static List<String> before(List<String> lines, List<Long> times) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            if (times.get(i) < SAVEPOINT_AT) {
                out.add(lines.get(i));
            }
        }
        return out;
    }

    private static List<String> after(List<String> lines, List<Long> times) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            if (times.get(i) >= SAVEPOINT_AT) {
                out.add(lines.get(i));
            }
        }
        return out;
    }

    /** window_start/revision of each report. */
    private static Set<String> revisions(List<String> reportLines) {
        return JsonLines.parse(reportLines).stream()
                .map(r -> r.get("window_start").asText() + "/" + r.get("revision").asText())
                .collect(Collectors.toCollection(HashSet::new));
    }

    private static JsonNode finalRevision(List<String> reportLines, String windowStart) {
        List<JsonNode> of =
                JsonLines.parse(reportLines).stream()
                        .filter(r -> r.get("window_start").asText().equals(windowStart))
                        .collect(Collectors.toList());
        assertFalse(of.isEmpty(), "no report of " + windowStart);
        return of.get(of.size() - 1);
    }

    private static void await(BooleanSupplier condition, JobClient job, String failure)
            throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, failure);
            assertFalse(
                    job.getJobStatus().get().isGloballyTerminalState(),
                    "the job ended: " + failure);
            Thread.sleep(100);
        }
    }

    /** What a run committed to its alert and report topics (read_committed). */
    record Outputs(List<String> alerts, List<String> reports) {}

    /** One run's topics and consumer group; its jobs read with unbounded Kafka sources. */
    static final class Run {
        final String events;
        final String labels;
        final String alerts;
        final String reports;
        final String groupId;
        long eventsProduced;
        long labelsProduced;
        final String backend;

        Run(String name, String backend) throws Exception {
            this.backend = backend;
            events = "events-" + name;
            labels = "labels-" + name;
            alerts = "alerts-" + name;
            reports = "reports-" + name;
            groupId = "upgrade-" + name;
            for (String topic : List.of(events, labels, alerts, reports)) {
                kafka.createTopic(topic, 1);
            }
        }

        void produce(List<String> eventLines, List<String> labelLines) throws Exception {
            kafka.produce(events, eventLines);
            kafka.produce(labels, labelLines);
            eventsProduced += eventLines.size();
            labelsProduced += labelLines.size();
        }

        /**
         * Builds the job afresh, as a new build would, and submits it.
         *
         * @param savepoint restore from this savepoint; null: start empty
         * @param references the reference updates file
         */
        JobClient start(String savepoint, Path references) throws Exception {
            JobSettings settings =
                    JobSettings.of(
                            "window-size",
                            "1h",
                            "min-window-count",
                            "50",
                            "permutations",
                            "200",
                            "p-value",
                            "0.01",
                            "resolve-after",
                            "2",
                            "source-idleness",
                            "0s",
                            "label-timeout",
                            "3h",
                            "seed",
                            "5");
            Connectors connectors =
                    new Connectors(new Properties(), groupId, RunOptions.StartingOffsets.EARLIEST);
            MonitorJob job =
                    new MonitorJob(
                                    settings,
                                    Map.of(
                                            "sensor",
                                            TestStreams.numericReference("sensor", reference, 0.9)),
                                    // Unbounded sources that commit their offsets on checkpoints,
                                    // as
                                    // ./monitor run builds them.
                                    connectors.source(
                                            Endpoint.parse("events", kafka.uri(events), false)),
                                    connectors.source(
                                            Endpoint.parse("labels", kafka.uri(labels), false)),
                                    connectors.sink(
                                            Endpoint.parse("alerts", kafka.uri(alerts), true),
                                            true,
                                            "alerts"),
                                    connectors.sink(
                                            Endpoint.parse("reports", kafka.uri(reports), true),
                                            true,
                                            "reports"),
                                    null)
                            .withReferenceUpdates(
                                    connectors.source(
                                            Endpoint.parse(
                                                    "references", "file:" + references, false)));
            Configuration conf = new Configuration();
            conf.set(StateBackendOptions.STATE_BACKEND, backend);
            if (savepoint != null) {
                conf.set(StateRecoveryOptions.SAVEPOINT_PATH, savepoint);
            }
            StreamExecutionEnvironment env =
                    StreamExecutionEnvironment.getExecutionEnvironment(conf);
            env.setParallelism(1);
            env.enableCheckpointing(300);
            job.addTo(env);
            return env.executeAsync("savepoint-restore-" + groupId);
        }

        /**
         * Waits until a completed checkpoint has everything produced so far read (the source
         * commits offsets on checkpoints).
         */
        void awaitAllRead(JobClient job) throws Exception {
            try (Admin admin =
                    Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
                await(
                        () ->
                                committedOffset(admin, events) == eventsProduced
                                        && committedOffset(admin, labels) == labelsProduced,
                        job,
                        "the job did not read "
                                + eventsProduced
                                + " events and "
                                + labelsProduced
                                + " labels");
            }
        }

        private long committedOffset(Admin admin, String topic) {
            try {
                OffsetAndMetadata o =
                        admin.listConsumerGroupOffsets(groupId)
                                .partitionsToOffsetAndMetadata()
                                .get()
                                .get(new TopicPartition(topic, 0));
                return o == null ? -1 : o.offset();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }

        /**
         * Once everything is read, stops with a draining savepoint: event time ends and every
         * window reports, as at the end of a bounded input.
         */
        void stopWhenAllRead(JobClient job) throws Exception {
            try {
                awaitAllRead(job);
                job.stopWithSavepoint(
                                true,
                                savepoints.resolve(groupId + "-end").toUri().toString(),
                                SavepointFormatType.CANONICAL)
                        .get(60, TimeUnit.SECONDS);
                job.getJobExecutionResult().get(30, TimeUnit.SECONDS);
            } catch (Exception | AssertionError e) {
                job.cancel();
                throw e;
            }
        }

        Outputs outputs() {
            return new Outputs(kafka.readAll(alerts, true), kafka.readAll(reports, true));
        }
    }
}
