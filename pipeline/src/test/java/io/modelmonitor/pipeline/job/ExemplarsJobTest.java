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
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The witness exemplars through the whole job: a window of reference-like events with 20 % of them
 * shifted names mostly shifted events among its top 10, and the drift.mmd alert it opens carries
 * their ids; a clean window before it has exemplars too (every tested window does).
 */
class ExemplarsJobTest {
    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(2)
                            .build());

    static final long T0 = Instant.parse("2026-11-28T00:00:00Z").toEpochMilli();
    static final int PER_WINDOW = 200;
    static final int SHIFTED = PER_WINDOW / 5;

    @TempDir static Path dir;
    static List<JsonNode> reports;
    static List<JsonNode> alerts;

    @BeforeAll
    static void runJob() throws Exception {
        SplittableRandom random = new SplittableRandom(11);
        double[][] reference = TestStreams.gaussian(600, 4, 0, random);
        List<String> events = new ArrayList<>();
        for (int w = 0; w < 2; w++) {
            double[][] x = TestStreams.gaussian(PER_WINDOW, 4, 0, random);
            for (int j = 0; j < PER_WINDOW; j++) {
                boolean shifted = w == 1 && j % 5 == 0;
                if (shifted) {
                    x[j][0] += 3; // a cluster the reference lacks, in one feature
                }
                long ts = T0 + w * HOUR + j * (HOUR / PER_WINDOW);
                events.add(
                        TestStreams.event(
                                (shifted ? "shifted-" : "normal-") + w + "-" + j,
                                ts,
                                null,
                                x[j],
                                j % 2 == 0 ? "a" : "b"));
            }
        }
        Path eventsFile = JsonLines.write(dir.resolve("events.jsonl"), events);
        Path labelsFile = JsonLines.write(dir.resolve("labels.jsonl"), List.of());
        JobSettings settings =
                JobSettings.of(
                        "window-size",
                        "1h",
                        "min-window-count",
                        "10",
                        "permutations",
                        "200",
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
        alerts = outputs.alerts();
    }

    private static JsonNode mmd(int window) {
        String start = Instant.ofEpochMilli(T0 + window * HOUR).toString();
        return reports.stream()
                .filter(
                        r ->
                                r.get("window_start").asText().equals(start)
                                        && r.get("revision").asInt() == 0)
                .findFirst()
                .orElseThrow()
                .get("drift")
                .get("mmd");
    }

    @Test
    void theShiftedEventsLeadTheExemplarsOfTheShiftedWindow() {
        JsonNode mmd = mmd(1);
        assertTrue(mmd.get("p_value").asDouble() < 1e-3, "the shifted window drifts: " + mmd);
        JsonNode exemplars = mmd.get("exemplars");
        assertEquals(10, exemplars.size());
        int shifted = 0;
        double previous = Double.POSITIVE_INFINITY;
        for (JsonNode e : exemplars) {
            assertTrue(e.get("id").asText().contains("-1-"), "an event of the window: " + e);
            if (e.get("id").asText().startsWith("shifted-")) {
                shifted++;
            }
            double witness = e.get("witness").asDouble();
            assertTrue(witness <= previous, "largest witness first: " + exemplars);
            previous = witness;
        }
        // chance: 2 of 10
        assertTrue(
                shifted >= 8,
                shifted + " of the top 10 exemplars are shifted events: " + exemplars);
        JsonNode lacking = mmd.get("reference_exemplars");
        assertEquals(10, lacking.size());
        for (JsonNode e : lacking) {
            assertTrue(e.get("index").asInt() >= 0 && e.get("index").asInt() < 600, e.toString());
            assertTrue(
                    e.get("witness").asDouble() < 0,
                    "the reference rows the window lacks have negative witness: " + e);
        }
    }

    @Test
    void theShiftedFeatureRanksFirst() {
        JsonNode features = mmd(1).get("feature_shifts");
        assertEquals(4, features.size());
        assertEquals(0, features.get(0).get("index").asInt(), "feature 0 was shifted: " + features);
        assertTrue(features.get(0).get("shift").asDouble() > 1, features.toString());
        assertEquals(
                4,
                mmd(1).get("component_shifts").size(),
                "the test space (standardised features) too");
    }

    @Test
    void everyTestedWindowNamesItsExemplars() {
        assertEquals(10, mmd(0).get("exemplars").size());
        assertEquals(10, mmd(0).get("reference_exemplars").size());
    }

    @Test
    void theDriftAlertCarriesTheExemplarIds() {
        JsonNode open =
                alerts.stream()
                        .filter(
                                a ->
                                        a.get("detector").asText().equals("drift.mmd")
                                                && a.get("status").asText().equals("open"))
                        .findFirst()
                        .orElseThrow(() -> new AssertionError("no drift.mmd alert: " + alerts));
        List<String> expected = new ArrayList<>();
        mmd(1).get("exemplars").forEach(e -> expected.add(e.get("id").asText()));
        List<String> got = new ArrayList<>();
        open.get("exemplars").forEach(e -> got.add(e.asText()));
        assertEquals(expected, got);
        assertFalse(
                alerts.stream()
                        .anyMatch(
                                a ->
                                        a.get("detector").asText().equals("drift.feature")
                                                && a.has("exemplars")),
                "only drift.mmd and outlier.rate alerts name events");
    }
}
