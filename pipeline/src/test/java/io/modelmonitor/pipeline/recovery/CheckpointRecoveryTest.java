package io.modelmonitor.pipeline.recovery;

import static io.modelmonitor.pipeline.testutil.TestStreams.HOUR;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.modelmonitor.pipeline.connect.Connectors;
import io.modelmonitor.pipeline.connect.Endpoint;
import io.modelmonitor.pipeline.connect.RawRecordSchema;
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
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Exactly-once end to end: the job reads a numeric stream with a drift episode from Kafka and
 * writes alerts and reports to Kafka through the transactional sinks; a run in which the job fails
 * mid-stream and restarts from its last checkpoint must leave, for a read_committed consumer,
 * exactly the records of an undisturbed run: nothing lost, nothing duplicated, same order, same
 * values (every randomised step is seeded, so recomputed windows come out the same). The failure
 * comes after the first shifted window's report has reached the topic in a transaction that the
 * restart must abort: the report is then written again, from restored state and replayed events
 * (see {@link FailOnceKafkaSource}).
 */
class CheckpointRecoveryTest {
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

    /** The failing run restores a checkpoint taken inside the first shifted window... */
    static final long HOLD_AFTER = SHIFT_FROM * PER_WINDOW + PER_WINDOW / 2;

    /** ...and fails inside the first window after the shift, so the drift episode is replayed. */
    static final long FAIL_AFTER = SHIFT_TO * PER_WINDOW + PER_WINDOW / 2;

    static EmbeddedKafka kafka;
    static final SplittableRandom random = new SplittableRandom(23);
    static final double[][] reference = TestStreams.gaussian(1000, D, 0, random);

    /**
     * A retrain on the same normal, activated from window {@link #RETRAIN_FROM} by a reference
     * update that the restored job knows only from its checkpoint (the updates file was read
     * before).
     */
    static final int RETRAIN_FROM = SHIFT_FROM + 1;

    @TempDir static Path dir;
    static Path retrained;
    static Path updates;

    @BeforeAll
    static void startKafka() throws Exception {
        kafka = EmbeddedKafka.start();
        kafka.createTopic("events", 1);
        List<String> events = new ArrayList<>();
        for (int w = 0; w < WINDOWS; w++) {
            double shift = w >= SHIFT_FROM && w < SHIFT_TO ? 1.0 : 0.0;
            double[][] x = TestStreams.gaussian(PER_WINDOW, D, shift, random);
            for (int j = 0; j < PER_WINDOW; j++) {
                long ts = T0 + w * HOUR + j * (HOUR / PER_WINDOW);
                events.add(
                        TestStreams.event(
                                "w" + w + "-" + j, ts, "sensor", x[j], j % 2 == 0 ? "a" : "b"));
            }
        }
        kafka.produce("events", events);
        retrained =
                TestBundles.fitNumeric(
                        dir.resolve("retrained"),
                        TestStreams.gaussian(1000, D, 0, new SplittableRandom(29)));
        updates =
                JsonLines.write(
                        dir.resolve("references.jsonl"),
                        List.of(TestBundles.update("sensor", retrained, T0 + RETRAIN_FROM * HOUR)));
    }

    @AfterAll
    static void stopKafka() throws Exception {
        if (kafka != null) {
            kafka.close();
        }
    }

    /** On the heap and on RocksDB (the window state is laid out differently on each). */
    @ParameterizedTest
    @ValueSource(strings = {"hashmap", "rocksdb"})
    void aFailureMidStreamLeavesTheSameCommittedAlertsAndReportsAsAnUndisturbedRun(String backend)
            throws Exception {
        FailOnceKafkaSource.reset();
        Outputs undisturbed =
                run(
                        "undisturbed-" + backend,
                        backend,
                        kafkaSource -> kafkaSource,
                        (reportTopic, job) -> {});
        FailOnceKafkaSource.reset();
        Outputs recovered =
                run(
                        "recovered-" + backend,
                        backend,
                        kafkaSource -> new FailOnceKafkaSource(kafkaSource, HOLD_AFTER, FAIL_AFTER),
                        (reportTopic, job) -> {
                            awaitUncommittedReport(reportTopic, windowStart(SHIFT_FROM), job);
                            FailOnceKafkaSource.FAIL_NOW.complete(null);
                        });

        assertTrue(FailOnceKafkaSource.FAILED.get(), "the injected failure was thrown");
        List<List<Long>> splitStarts = FailOnceKafkaSource.SPLIT_STARTS_PER_READER;
        assertEquals(2, splitStarts.size(), "one reader per attempt, one restart: " + splitStarts);
        assertEquals(
                1,
                splitStarts.get(1).size(),
                "the restarted reader got the topic's one split back: " + splitStarts);
        long resumedAt = splitStarts.get(1).get(0);
        assertEquals(
                HOLD_AFTER,
                resumedAt,
                "the restart resumed from the checkpoint taken during the pause");
        assertEquals(
                2,
                reportsOf(SHIFT_FROM, recovered.uncommittedReports),
                "the first shifted window's report was written before the failure and again after the restart");

        // Not two empty outputs: the drift episode was seen, and its alert opened and resolved
        // once.
        List<JsonNode> reports = JsonLines.parse(undisturbed.reports);
        assertEquals(WINDOWS, reports.size(), "one report per window: " + undisturbed.reports);
        List<JsonNode> mmdAlerts =
                JsonLines.parse(undisturbed.alerts).stream()
                        .filter(a -> a.get("detector").asText().equals("drift.mmd"))
                        .collect(Collectors.toList());
        assertEquals(
                List.of("open@" + windowStart(SHIFT_FROM), "resolved@" + windowStart(SHIFT_TO + 1)),
                mmdAlerts.stream()
                        .map(a -> a.get("status").asText() + "@" + a.get("window_start").asText())
                        .collect(Collectors.toList()));

        String retrainedId = Bundles.id("sensor", retrained);
        for (JsonNode r : reports) {
            boolean after =
                    Instant.parse(r.get("window_start").asText()).toEpochMilli()
                            >= T0 + RETRAIN_FROM * HOUR;
            assertEquals(
                    after ? retrainedId : Bundles.inlineId("sensor"),
                    r.get("bundle").asText(),
                    r.toString());
        }

        assertEquals(1, reportsOf(SHIFT_FROM, recovered.reports));
        assertEquals(undisturbed.reports, recovered.reports, "committed reports");
        assertEquals(undisturbed.alerts, recovered.alerts, "committed alerts");
    }

    private static String windowStart(int window) {
        return Instant.ofEpochMilli(T0 + window * HOUR).toString();
    }

    private static long reportsOf(int window, List<String> reportLines) {
        return JsonLines.parse(reportLines).stream()
                .filter(r -> r.get("window_start").asText().equals(windowStart(window)))
                .count();
    }

    /**
     * Waits until the report of the window starting at {@code windowStart} is in the topic,
     * committed or not.
     */
    private static void awaitUncommittedReport(String topic, String windowStart, JobClient job)
            throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (JsonLines.parse(kafka.readAll(topic, false)).stream()
                .noneMatch(r -> r.get("window_start").asText().equals(windowStart))) {
            assertTrue(
                    System.nanoTime() < deadline, "no report of " + windowStart + " in " + topic);
            assertTrue(
                    !job.getJobStatus().get().isGloballyTerminalState(),
                    "the job ended before failing");
            Thread.sleep(100);
        }
    }

    /**
     * What a run left in its alert and report topics: committed records, and every report, aborted
     * ones too.
     */
    record Outputs(List<String> alerts, List<String> reports, List<String> uncommittedReports) {}

    /** Something the test does while the job runs, given the run's report topic. */
    interface WhileRunning {
        void accept(String reportTopic, JobClient job) throws Exception;
    }

    /**
     * Runs the job over the whole events topic into the run's own alert and report topics, with
     * checkpoints and one restart allowed (a second failure fails the run).
     */
    private static Outputs run(
            String name,
            String backend,
            Function<KafkaSource<String>, Source<String, ?, ?>> events,
            WhileRunning whileRunning)
            throws Exception {
        String alerts = "alerts-" + name;
        String reports = "reports-" + name;
        kafka.createTopic(alerts, 1);
        kafka.createTopic(reports, 1);
        String groupId = "recovery-" + name;
        KafkaSource<String> source =
                KafkaSource.<String>builder()
                        .setBootstrapServers(kafka.bootstrapServers())
                        .setTopics("events")
                        .setGroupId(groupId)
                        .setStartingOffsets(OffsetsInitializer.earliest())
                        .setBounded(OffsetsInitializer.latest())
                        .setValueOnlyDeserializer(new RawRecordSchema())
                        .build();
        Connectors connectors =
                new Connectors(new Properties(), groupId, RunOptions.StartingOffsets.EARLIEST);
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
                        "seed",
                        "5");
        MonitorJob job =
                new MonitorJob(
                                settings,
                                Map.of(
                                        "sensor",
                                        TestStreams.numericReference("sensor", reference, 0.9)),
                                events.apply(source),
                                null,
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
                                        Endpoint.parse("references", "file:" + updates, false)));

        Configuration conf = new Configuration();
        conf.set(StateBackendOptions.STATE_BACKEND, backend);
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 1);
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofMillis(100));
        // The failing run declines checkpoints on purpose; that must not count as a job failure.
        conf.set(CheckpointingOptions.TOLERABLE_FAILURE_NUMBER, 1000);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(1);
        env.enableCheckpointing(300);
        job.addTo(env);
        JobClient client = env.executeAsync("checkpoint-recovery-" + name);
        try {
            whileRunning.accept(reports, client);
            client.getJobExecutionResult().get(90, TimeUnit.SECONDS);
        } catch (Exception | AssertionError e) {
            client.cancel();
            throw e;
        }
        return new Outputs(
                kafka.readAll(alerts, true),
                kafka.readAll(reports, true),
                kafka.readAll(reports, false));
    }
}
