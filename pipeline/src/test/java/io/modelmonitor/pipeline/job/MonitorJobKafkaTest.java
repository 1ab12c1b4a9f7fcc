package io.modelmonitor.pipeline.job;

import static io.modelmonitor.pipeline.testutil.TestStreams.HOUR;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.modelmonitor.pipeline.cli.Main;
import io.modelmonitor.pipeline.connect.Connectors;
import io.modelmonitor.pipeline.connect.Endpoint;
import io.modelmonitor.pipeline.connect.JsonLinesFileSink;
import io.modelmonitor.pipeline.connect.RawRecordSchema;
import io.modelmonitor.pipeline.options.JobSettings;
import io.modelmonitor.pipeline.options.RunOptions;
import io.modelmonitor.pipeline.testutil.EmbeddedKafka;
import io.modelmonitor.pipeline.testutil.JsonLines;
import io.modelmonitor.pipeline.testutil.TestStreams;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.SplittableRandom;
import java.util.stream.Collectors;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The job between a real Kafka broker and the Flink MiniCluster: a numeric stream with a shift
 * injected at a known event time; the drift.mmd alert must open in the first shifted window, not
 * before, and resolve when the shift ends. Alerts go through the exactly-once Kafka sink and are
 * read back with read_committed.
 */
class MonitorJobKafkaTest {
    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(2)
                            .build());

    static final long T0 = Instant.parse("2026-11-28T00:00:00Z").toEpochMilli();
    static final int WINDOWS = 8;
    static final int PER_WINDOW = 200;
    static final int SHIFT_FROM = 3;
    static final int SHIFT_TO = 5; // exclusive
    static final int D = 4;

    static EmbeddedKafka kafka;
    @TempDir static Path dir;

    @BeforeAll
    static void startKafka() throws Exception {
        kafka = EmbeddedKafka.start();
        kafka.createTopic("events", 1);
        kafka.createTopic("alerts", 1);
    }

    @AfterAll
    static void stopKafka() throws Exception {
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void mmdAlertOpensInTheFirstShiftedWindowAndResolvesWhenTheShiftEnds() throws Exception {
        SplittableRandom random = new SplittableRandom(11);
        double[][] reference = TestStreams.gaussian(1000, D, 0, random);
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
                        "source-idleness",
                        "0s",
                        "group-id",
                        "mmd-test");
        Connectors connectors =
                new Connectors(new Properties(), "mmd-test", RunOptions.StartingOffsets.EARLIEST);
        KafkaSource<String> source =
                KafkaSource.<String>builder()
                        .setBootstrapServers(kafka.bootstrapServers())
                        .setTopics("events")
                        .setGroupId("mmd-test")
                        .setStartingOffsets(OffsetsInitializer.earliest())
                        .setBounded(OffsetsInitializer.latest())
                        .setValueOnlyDeserializer(new RawRecordSchema())
                        .build();
        MonitorJob job =
                new MonitorJob(
                        settings,
                        Map.of("sensor", TestStreams.numericReference("sensor", reference, 0.9)),
                        source,
                        null,
                        connectors.sink(
                                Endpoint.parse("alerts", kafka.uri("alerts"), true),
                                true,
                                "alerts"),
                        new JsonLinesFileSink(dir.resolve("reports.jsonl")),
                        null);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(1);
        env.enableCheckpointing(Duration.ofMillis(500).toMillis());
        job.addTo(env);
        env.execute("monitor-kafka-test");

        List<JsonNode> reports = JsonLines.read(dir.resolve("reports.jsonl"));
        assertEquals(WINDOWS, reports.size(), "one report per window");
        List<Boolean> drift =
                reports.stream()
                        .map(r -> r.get("drift").get("mmd").get("drift").asBoolean())
                        .collect(Collectors.toList());
        assertEquals(
                List.of(false, false, false, true, true, false, false, false),
                drift,
                "MMD drift per window: "
                        + reports.stream()
                                .map(r -> r.get("drift").get("mmd").get("p_value").asText())
                                .collect(Collectors.toList()));

        List<JsonNode> mmdAlerts =
                JsonLines.parse(kafka.readAll("alerts", true)).stream()
                        .filter(a -> a.get("detector").asText().equals("drift.mmd"))
                        .collect(Collectors.toList());
        assertEquals(2, mmdAlerts.size(), mmdAlerts.toString());
        JsonNode open = mmdAlerts.get(0);
        assertEquals("open", open.get("status").asText());
        assertEquals(
                Instant.ofEpochMilli(T0 + SHIFT_FROM * HOUR).toString(),
                open.get("window_start").asText());
        assertEquals(
                "sensor/drift.mmd/" + Instant.ofEpochMilli(T0 + SHIFT_FROM * HOUR),
                open.get("alert_id").asText());
        assertTrue(open.get("p_value").asDouble() < 0.01);
        assertTrue(open.get("message").asText().contains("MMD p="), open.toString());
        JsonNode resolved = mmdAlerts.get(1);
        assertEquals("resolved", resolved.get("status").asText());
        assertEquals(open.get("alert_id").asText(), resolved.get("alert_id").asText());
        // resolved on the third window in a row that looks like the reference (--resolve-after 3)
        assertEquals(
                Instant.ofEpochMilli(T0 + (SHIFT_TO + 2) * HOUR).toString(),
                resolved.get("window_start").asText());
    }

    @Test
    void runRefusesAMissingTopicAtStartUp() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status =
                Main.execute(
                        new String[] {
                            "run",
                            "--bundle",
                            dir.toString(),
                            "--events",
                            kafka.uri("no-such-topic")
                        },
                        new PrintStream(new ByteArrayOutputStream()),
                        new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(2, status);
        String message = err.toString(StandardCharsets.UTF_8).trim();
        assertEquals(1, message.lines().count(), message);
        assertTrue(message.contains("Kafka topic 'no-such-topic' does not exist"), message);
    }

    @Test
    void runRefusesAMissingBundleAndABadUri() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream errStream = new PrintStream(err, true, StandardCharsets.UTF_8);
        PrintStream quiet = new PrintStream(new ByteArrayOutputStream());
        assertEquals(
                2,
                Main.execute(
                        new String[] {
                            "run",
                            "--bundle",
                            dir.resolve("missing").toString(),
                            "--events",
                            kafka.uri("events")
                        },
                        quiet,
                        errStream));
        assertTrue(
                err.toString(StandardCharsets.UTF_8).contains("no such directory"),
                err.toString(StandardCharsets.UTF_8));
        err.reset();
        assertEquals(
                2,
                Main.execute(
                        new String[] {"run", "--bundle", dir.toString(), "--events", "http://x/y"},
                        quiet,
                        errStream));
        assertTrue(
                err.toString(StandardCharsets.UTF_8).contains("unsupported scheme 'http'"),
                err.toString(StandardCharsets.UTF_8));
    }
}
