package io.modelmonitor.pipeline.references;

import static io.modelmonitor.pipeline.testutil.TestStreams.HOUR;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.modelmonitor.pipeline.connect.Connectors;
import io.modelmonitor.pipeline.connect.Endpoint;
import io.modelmonitor.pipeline.connect.JsonLinesFileSink;
import io.modelmonitor.pipeline.connect.RawRecordSchema;
import io.modelmonitor.pipeline.job.MonitorJob;
import io.modelmonitor.pipeline.options.JobSettings;
import io.modelmonitor.pipeline.options.RunOptions;
import io.modelmonitor.pipeline.testutil.EmbeddedKafka;
import io.modelmonitor.pipeline.testutil.JsonLines;
import io.modelmonitor.pipeline.testutil.TestBundles;
import io.modelmonitor.pipeline.testutil.TestStreams;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reference updates from a live Kafka topic that stays open and quiet, as in production: the events
 * governed by the update wait only until the topic goes idle, then every window reports, those from
 * the update's {@code from} on against the retrained bundle, under which the shifted inputs are
 * normal again.
 */
class ReferenceUpdatesKafkaTest {
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
    static final int RETRAIN_FROM = 5;
    static final int D = 4;

    static EmbeddedKafka kafka;
    @TempDir static Path dir;

    @BeforeAll
    static void startKafka() throws Exception {
        kafka = EmbeddedKafka.start();
        kafka.createTopic("events", 1);
        kafka.createTopic("references", 1);
    }

    @AfterAll
    static void stopKafka() throws Exception {
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void aQuietUpdatesTopicHoldsNothingBackAndTheRetrainedBundleTestsItsWindows() throws Exception {
        SplittableRandom random = new SplittableRandom(13);
        double[][] reference = TestStreams.gaussian(1000, D, 0, random);
        Path retrained =
                TestBundles.fitNumeric(
                        dir.resolve("retrained"), TestStreams.gaussian(1000, D, 1.0, random));
        List<String> events = new ArrayList<>();
        for (int w = 0; w < WINDOWS; w++) {
            double[][] x = TestStreams.gaussian(PER_WINDOW, D, w >= SHIFT_FROM ? 1.0 : 0.0, random);
            for (int j = 0; j < PER_WINDOW; j++) {
                long ts = T0 + w * HOUR + j * (HOUR / PER_WINDOW);
                events.add(
                        TestStreams.event(
                                "w" + w + "-" + j, ts, "sensor", x[j], j % 2 == 0 ? "a" : "b"));
            }
        }
        kafka.produce("events", events);
        kafka.produce(
                "references",
                List.of(TestBundles.update("sensor", retrained, T0 + RETRAIN_FROM * HOUR)));

        JobSettings settings =
                JobSettings.of(
                        "window-size", "1h",
                        "min-window-count", "50",
                        "permutations", "200",
                        "p-value", "0.01",
                        "source-idleness", "2s");
        Connectors connectors =
                new Connectors(new Properties(), "refs-test", RunOptions.StartingOffsets.EARLIEST);
        KafkaSource<String> eventsSource =
                KafkaSource.<String>builder()
                        .setBootstrapServers(kafka.bootstrapServers())
                        .setTopics("events")
                        .setGroupId("refs-test")
                        .setStartingOffsets(OffsetsInitializer.earliest())
                        .setBounded(OffsetsInitializer.latest())
                        .setValueOnlyDeserializer(new RawRecordSchema())
                        .build();
        Path reportsFile = dir.resolve("reports.jsonl");
        MonitorJob job =
                new MonitorJob(
                                settings,
                                Map.of(
                                        "sensor",
                                        TestStreams.numericReference("sensor", reference, 0.9)),
                                eventsSource,
                                null,
                                new JsonLinesFileSink(dir.resolve("alerts.jsonl")),
                                new JsonLinesFileSink(reportsFile),
                                null)
                        // unbounded, as ./monitor run reads it: the job never ends by itself
                        .withReferenceUpdates(
                                connectors.source(
                                        Endpoint.parse(
                                                "references", kafka.uri("references"), false)));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(1);
        env.enableCheckpointing(500);
        job.addTo(env);
        JobClient client = env.executeAsync("references-kafka-test");
        Map<String, JsonNode> byWindow = new TreeMap<>();
        try {
            long deadline = System.nanoTime() + 120_000_000_000L;
            while (byWindow.size() < WINDOWS) {
                assertTrue(System.nanoTime() < deadline, "windows reported: " + byWindow.keySet());
                Thread.sleep(200);
                if (Files.exists(reportsFile)) {
                    for (JsonNode r : JsonLines.read(reportsFile)) {
                        byWindow.put(r.get("window_start").asText(), r);
                    }
                }
            }
        } finally {
            client.cancel().get();
        }

        String retrainedId = Bundles.id("sensor", retrained);
        List<JsonNode> reports = new ArrayList<>(byWindow.values());
        for (int w = 0; w < WINDOWS; w++) {
            JsonNode r = reports.get(w);
            assertEquals(
                    w >= RETRAIN_FROM ? retrainedId : Bundles.inlineId("sensor"),
                    r.get("bundle").asText(),
                    r.toString());
            boolean drift = r.get("drift").get("mmd").get("drift").asBoolean();
            assertEquals(
                    w >= SHIFT_FROM && w < RETRAIN_FROM,
                    drift,
                    "window " + w + ": p=" + r.get("drift").get("mmd").get("p_value"));
        }
    }
}
