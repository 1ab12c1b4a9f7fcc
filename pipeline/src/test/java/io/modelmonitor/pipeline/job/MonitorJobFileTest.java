package io.modelmonitor.pipeline.job;

import static io.modelmonitor.pipeline.testutil.TestStreams.HOUR;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.modelmonitor.pipeline.options.JobSettings;
import io.modelmonitor.pipeline.testutil.FileJob;
import io.modelmonitor.pipeline.testutil.JsonLines;
import io.modelmonitor.pipeline.testutil.TestStreams;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole job on the Flink MiniCluster with file sources and sinks: predictions whose labels
 * arrive two and three windows late (realised accuracy per window known by construction, with its
 * revisions), and bad records among the good ones (every one in the dead letters with its reason,
 * every good one counted in a window).
 */
class MonitorJobFileTest {
    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(2)
                            .build());

    static final long T0 = Instant.parse("2026-11-28T00:00:00Z").toEpochMilli();
    static final int WINDOWS = 6;
    static final int PER_WINDOW = 50;

    /** Correct predictions among the first j of each window. */
    static final int[] CORRECT = {45, 40, 30, 45, 25, 45};

    static final int EVENT_DEAD_LETTERS = 7;

    /** All but the record naming an unmonitored model are attributed to model "default". */
    static final int ATTRIBUTED_DEAD_LETTERS = 6;

    static final int LABEL_DEAD_LETTERS = 2;

    @TempDir static Path dir;
    static List<JsonNode> reports;
    static List<JsonNode> deadLetters;
    static List<JsonNode> alerts;

    @BeforeAll
    static void runJob() throws Exception {
        SplittableRandom random = new SplittableRandom(7);
        double[][] reference = TestStreams.gaussian(400, 2, 0, random);
        List<String> events = new ArrayList<>();
        List<String[]> labels = new ArrayList<>(); // {ts, line}
        events.add("{not json");
        for (int w = 0; w < WINDOWS; w++) {
            double[][] x = TestStreams.gaussian(PER_WINDOW, 2, 0, random);
            for (int j = 0; j < PER_WINDOW; j++) {
                long ts = T0 + w * HOUR + j * (HOUR / PER_WINDOW);
                String id = "w" + w + "-" + j;
                String predicted = j % 2 == 0 ? "a" : "b";
                events.add(TestStreams.event(id, ts, null, x[j], predicted));
                String truth = j < CORRECT[w] ? predicted : (predicted.equals("a") ? "b" : "a");
                long labelTs = ts + 2 * HOUR + (j % 2) * HOUR;
                labels.add(
                        new String[] {
                            Long.toString(labelTs), TestStreams.label(id, labelTs, truth)
                        });
            }
            switch (w) {
                case 0:
                    events.add("{\"id\":\"x1\",\"ts\":" + (T0 + 10) + ",\"features\":[1,2,3]}");
                    events.add("");
                    break;
                case 1:
                    events.add("{\"ts\":" + (T0 + HOUR + 10) + ",\"features\":[1,2]}");
                    events.add(
                            "{\"id\":\"x2\",\"ts\":"
                                    + (T0 + HOUR + 10)
                                    + ",\"model\":\"other\",\"features\":[1,2]}");
                    break;
                case 3:
                    events.add("{\"id\":\"x3\",\"ts\":" + (T0 + 3 * HOUR) + ",\"text\":\"hello\"}");
                    events.add("{\"id\":\"x4\",\"ts\":\"yesterday\",\"features\":[1,2]}");
                    break;
                case 5:
                    events.add(
                            "{\"id\":\"x5\",\"ts\":"
                                    + (T0 + 5 * HOUR)
                                    + ",\"features\":[1,\"NaN\"]}");
                    break;
                default:
                    break;
            }
        }
        labels.sort(Comparator.comparingLong(l -> Long.parseLong(l[0])));
        List<String> labelLines = labels.stream().map(l -> l[1]).collect(Collectors.toList());
        labelLines.add(10, "garbage");
        labelLines.add(100, "{\"ts\":" + (T0 + 3 * HOUR) + ",\"label\":\"a\"}");

        Path eventsFile = JsonLines.write(dir.resolve("events.jsonl"), events);
        Path labelsFile = JsonLines.write(dir.resolve("labels.jsonl"), labelLines);
        JobSettings settings =
                JobSettings.of(
                        "window-size",
                        "1h",
                        "min-window-count",
                        "10",
                        "label-timeout",
                        "6h",
                        "permutations",
                        "100",
                        "source-idleness",
                        "0s");
        FileJob.Outputs outputs =
                FileJob.run(
                        dir,
                        settings,
                        Map.of("default", TestStreams.numericReference("default", reference, 0.9)),
                        eventsFile,
                        labelsFile);
        reports = outputs.reports();
        deadLetters = outputs.deadLetters();
        alerts = outputs.alerts();
    }

    /** Reports by window start, each window's revisions in order. */
    private static TreeMap<String, List<JsonNode>> byWindow() {
        TreeMap<String, List<JsonNode>> out = new TreeMap<>();
        for (JsonNode r : reports) {
            out.computeIfAbsent(r.get("window_start").asText(), k -> new ArrayList<>()).add(r);
        }
        out.values().forEach(l -> l.sort(Comparator.comparingInt(r -> r.get("revision").asInt())));
        return out;
    }

    @Test
    void realisedAccuracyPerWindowWithRevisionsAsLabelsArrive() {
        TreeMap<String, List<JsonNode>> windows = byWindow();
        assertEquals(WINDOWS, windows.size(), "one window per hour: " + windows.keySet());
        int w = 0;
        for (Map.Entry<String, List<JsonNode>> e : windows.entrySet()) {
            assertEquals(Instant.ofEpochMilli(T0 + w * HOUR).toString(), e.getKey());
            List<JsonNode> revisions = e.getValue();
            assertEquals(3, revisions.size(), "revisions of window " + w + ": " + revisions);
            for (int r = 0; r < 3; r++) {
                assertEquals(r, revisions.get(r).get("revision").asInt());
                assertEquals(PER_WINDOW, revisions.get(r).get("count").asInt());
            }
            JsonNode p0 = revisions.get(0).get("performance");
            assertEquals(0, p0.get("labelled").asInt(), "labels come two windows later");
            assertTrue(p0.get("accuracy").isNull());
            JsonNode p1 = revisions.get(1).get("performance");
            assertEquals(PER_WINDOW / 2, p1.get("labelled").asInt());
            assertEquals(
                    (CORRECT[w] + 1) / 2 / (double) (PER_WINDOW / 2),
                    p1.get("accuracy").asDouble(),
                    1e-12);
            assertEquals(0.5, p1.get("coverage").asDouble(), 1e-12);
            JsonNode p2 = revisions.get(2).get("performance");
            assertEquals(PER_WINDOW, p2.get("labelled").asInt());
            assertEquals(CORRECT[w] / (double) PER_WINDOW, p2.get("accuracy").asDouble(), 1e-12);
            assertEquals(1.0, p2.get("coverage").asDouble(), 1e-12);
            assertEquals(0.9, p2.get("reference_accuracy").asDouble(), 1e-12);
            assertEquals(2.5 * 3600, p2.get("mean_label_delay_seconds").asDouble(), 1e-6);
            w++;
        }
    }

    @Test
    void badRecordsAreDeadLetteredWithReasonsAndNothingElseIsLost() {
        assertEquals(
                EVENT_DEAD_LETTERS + LABEL_DEAD_LETTERS,
                deadLetters.size(),
                deadLetters.toString());
        assertEquals(
                EVENT_DEAD_LETTERS,
                deadLetters.stream()
                        .filter(d -> d.get("source").asText().equals("events"))
                        .count());
        assertEquals(
                LABEL_DEAD_LETTERS,
                deadLetters.stream()
                        .filter(d -> d.get("source").asText().equals("labels"))
                        .count());
        for (JsonNode d : deadLetters) {
            assertFalse(d.get("reason").asText().isBlank(), d.toString());
            assertTrue(d.has("raw"), d.toString());
        }
        List<String> reasons =
                deadLetters.stream()
                        .map(d -> d.get("reason").asText())
                        .collect(Collectors.toList());
        assertTrue(reasons.contains("model 'default' takes 2 features, got 3"), reasons.toString());
        assertTrue(
                reasons.stream().anyMatch(r -> r.startsWith("unknown model 'other'")),
                reasons.toString());
        assertTrue(
                reasons.contains("model 'default' takes numeric input, got text"),
                reasons.toString());

        TreeMap<String, List<JsonNode>> windows = byWindow();
        long counted = 0;
        long deadInReports = 0;
        for (List<JsonNode> revisions : windows.values()) {
            JsonNode last = revisions.get(revisions.size() - 1);
            counted += last.get("count").asLong();
            deadInReports += last.get("dead_letters").asLong();
            assertEquals(0, last.get("late_events").asLong());
        }
        assertEquals(WINDOWS * PER_WINDOW, counted, "every valid event in a window");
        assertEquals(
                ATTRIBUTED_DEAD_LETTERS, deadInReports, "dead letters per model in the reports");
    }

    @Test
    void reportsHaveTheSpecShapeAndTests() {
        JsonNode r = byWindow().firstEntry().getValue().get(0);
        for (String field :
                List.of(
                        "model",
                        "window_start",
                        "window_end",
                        "revision",
                        "count",
                        "insufficient",
                        "drift",
                        "performance",
                        "late_events",
                        "dead_letters")) {
            assertTrue(r.has(field), field + " in " + r);
        }
        assertEquals("default", r.get("model").asText());
        assertFalse(r.get("insufficient").asBoolean());
        JsonNode mmd = r.get("drift").get("mmd");
        for (String field : List.of("statistic", "p_value", "drift", "n_reference", "n_window")) {
            assertTrue(mmd.has(field), field + " in " + mmd);
        }
        assertEquals(400, mmd.get("n_reference").asInt());
        assertEquals(PER_WINDOW, mmd.get("n_window").asInt());
        // the job's default null, and whether the fitted tail beyond its draws gave the p-value
        assertEquals("calibrated", mmd.get("null").asText());
        assertTrue(mmd.get("tail_approximation").isBoolean(), mmd.toString());
        assertTrue(
                r.get("data_quality").has("unseen_prediction_rate"),
                r.get("data_quality").toString());
        assertEquals("chi2", r.get("drift").get("prediction").get("test").asText());
        assertEquals(2, r.get("drift").get("features").size());
        for (JsonNode a : alerts) {
            assertTrue(a.has("alert_id") && a.has("detector") && a.has("status"), a.toString());
        }
    }
}
