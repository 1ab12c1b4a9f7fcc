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
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two models that reuse the same request ids, on the MiniCluster: every label names its model, and
 * each model's predictions are joined with its own labels only. Model m1 is always right and m2
 * always wrong, so a label taken by the wrong model would show in both accuracies. Also one label
 * for an id m1 never predicted (an orphan) and one label repeated for m2 (a duplicate), counted in
 * the reports.
 */
class SharedIdsAcrossModelsTest {
    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(2)
                            .build());

    static final long T0 = Instant.parse("2026-11-28T00:00:00Z").toEpochMilli();
    static final int N = 40;

    @TempDir Path dir;

    private static String label(String model, String id, long ts, String label) {
        return "{\"id\":\""
                + id
                + "\",\"model\":\""
                + model
                + "\",\"ts\":"
                + ts
                + ",\"label\":\""
                + label
                + "\"}";
    }

    @Test
    void eachModelGetsItsOwnLabels() throws Exception {
        SplittableRandom random = new SplittableRandom(11);
        double[][] reference = TestStreams.gaussian(400, 2, 0, random);
        List<String> events = new ArrayList<>();
        List<String[]> labels = new ArrayList<>(); // {ts, line}
        for (String model : List.of("m1", "m2")) {
            double[][] x = TestStreams.gaussian(N, 2, 0, random);
            for (int j = 0; j < N; j++) {
                long ts = T0 + j * (HOUR / 2 / N); // the first half hour; labels a minute later,
                // same window
                String id = "r" + j;
                String predicted = j % 2 == 0 ? "a" : "b";
                events.add(TestStreams.event(id, ts, model, x[j], predicted));
                String other = predicted.equals("a") ? "b" : "a";
                long labelTs = ts + 60_000 + (model.equals("m1") ? 0 : 1);
                labels.add(
                        new String[] {
                            Long.toString(labelTs),
                            label(model, id, labelTs, model.equals("m1") ? predicted : other)
                        });
                if (model.equals("m2") && j == 3) {
                    labels.add(
                            new String[] {
                                Long.toString(labelTs), label(model, id, labelTs, predicted)
                            }); // a duplicate
                }
            }
        }
        long orphanTs = T0 + HOUR / 2;
        labels.add(
                new String[] {
                    Long.toString(orphanTs), label("m1", "never-predicted", orphanTs, "a")
                });
        events.sort(
                Comparator.comparing(e -> JsonLines.parse(List.of(e)).get(0).get("ts").asText()));
        labels.sort(Comparator.comparingLong(l -> Long.parseLong(l[0])));
        List<String> labelLines = new ArrayList<>();
        labels.forEach(l -> labelLines.add(l[1]));

        Path eventsFile = JsonLines.write(dir.resolve("events.jsonl"), events);
        Path labelsFile = JsonLines.write(dir.resolve("labels.jsonl"), labelLines);
        JobSettings settings =
                JobSettings.of(
                        "window-size",
                        "1h",
                        "min-window-count",
                        "10",
                        "label-timeout",
                        "2h",
                        "permutations",
                        "100",
                        "source-idleness",
                        "0s");
        FileJob.Outputs outputs =
                FileJob.run(
                        dir,
                        settings,
                        Map.of(
                                "m1",
                                TestStreams.numericReference("m1", reference, 0.9),
                                "m2",
                                TestStreams.numericReference("m2", reference, 0.9)),
                        eventsFile,
                        labelsFile);
        List<JsonNode> reports = outputs.reports();
        List<JsonNode> alerts = outputs.alerts();
        for (String model : List.of("m1", "m2")) {
            JsonNode last =
                    reports.stream()
                            .filter(r -> r.get("model").asText().equals(model))
                            .max(Comparator.comparingInt(r -> r.get("revision").asInt()))
                            .orElseThrow();
            JsonNode p = last.get("performance");
            assertEquals(N, p.get("labelled").asInt(), model + ": " + last);
            assertEquals(
                    model.equals("m1") ? 1.0 : 0.0,
                    p.get("accuracy").asDouble(),
                    model + ": " + last);
            assertEquals(
                    model.equals("m1") ? 1 : 0,
                    p.get("orphan_labels").asInt(),
                    model + ": " + last);
            assertEquals(
                    model.equals("m2") ? 1 : 0,
                    p.get("duplicate_labels").asInt(),
                    model + ": " + last);
            assertEquals(0, p.get("late_labels").asInt(), model + ": " + last);
            assertEquals(400, p.get("reference_labelled").asInt(), model + ": " + last);
        }
        assertTrue(
                alerts.stream()
                        .anyMatch(
                                a ->
                                        a.get("model").asText().equals("m2")
                                                && a.get("detector")
                                                        .asText()
                                                        .equals("performance")),
                "m2's accuracy drop is alerted: " + alerts);
        assertFalse(
                alerts.stream()
                        .anyMatch(
                                a ->
                                        a.get("model").asText().equals("m1")
                                                && a.get("detector")
                                                        .asText()
                                                        .equals("performance")),
                "m1 is always right: " + alerts);
    }
}
