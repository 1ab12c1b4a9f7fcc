package io.modelmonitor.pipeline.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelmonitor.pipeline.demo.DemoData;
import io.modelmonitor.pipeline.demo.ForecastDemoData;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's first command: the demo runs to its end (real MiniLM, embedded Flink) and its alerts
 * show each injected incident opening at the hour it was injected.
 */
class DemoCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void demoFindsTheThreeIncidentsAtTheirHours(@TempDir Path dir) throws Exception {
        String printed = demo(dir);
        List<JsonNode> alerts = alerts(dir);
        // Resolving takes --resolve-after (3) windows that look like the reference: the last of
        // them is the window named.
        int resolveAfter = 3;
        assertOpenedAt(alerts, "drift.mmd", DemoData.TOPIC_SHIFT_START);
        assertResolvedAt(alerts, "drift.mmd", DemoData.TOPIC_SHIFT_END + resolveAfter - 1);
        assertOpenedAt(alerts, "outlier.rate", DemoData.OUTLIER_HOUR);
        assertResolvedAt(alerts, "outlier.rate", DemoData.OUTLIER_HOUR + resolveAfter);
        assertOpenedAt(alerts, "performance", DemoData.ACCURACY_DROP_START);
        for (JsonNode a : alerts) {
            if (!a.get("status").asText().equals("open")) {
                continue;
            }
            int hour = hour(a);
            boolean inputsChanged =
                    hour >= DemoData.TOPIC_SHIFT_START && hour < DemoData.TOPIC_SHIFT_END
                            || hour == DemoData.OUTLIER_HOUR;
            boolean expected =
                    switch (a.get("detector").asText()) {
                        case "drift.mmd", "drift.prediction", "outlier.rate" -> inputsChanged;
                        case "performance" -> hour >= DemoData.ACCURACY_DROP_START;
                        default -> false;
                    };
            assertTrue(expected, "no false alert: " + a);
        }
        assertTrue(Files.size(dir.resolve("report.html")) > 10_000, "the HTML report was written");
        assertTrue(
                printed.contains("OPEN     drift.mmd") && printed.contains("OPEN     performance"),
                "the alerts are printed: " + printed);
        assertEquals(
                alerts.size(),
                printed.lines()
                        .filter(l -> l.startsWith("  OPEN") || l.startsWith("  RESOLVED"))
                        .count(),
                "each alert is printed once");
    }

    @Test
    void forecastDemoSeesTheGrowingErrorsThroughTheLateLabelsOnly(@TempDir Path dir)
            throws Exception {
        String printed = demo(dir, "--scenario", "forecast");
        List<JsonNode> alerts = alerts(dir);
        assertOpenedAt(alerts, "performance", ForecastDemoData.CONGESTION_START);
        assertEquals(
                1,
                alerts.stream().filter(a -> a.get("status").asText().equals("open")).count(),
                "the inputs and forecasts never change, so nothing else opens: " + alerts);
        for (String l : Files.readAllLines(dir.resolve("reports.jsonl"))) {
            JsonNode p = JSON.readTree(l).get("performance");
            assertEquals("regression", p.get("task").asText(), "whole minutes are no classes");
        }
        assertTrue(Files.readString(dir.resolve("report.html")).contains("realised errors"));
        assertTrue(printed.contains("OPEN     performance"), printed);
    }

    /** Runs {@code ./monitor demo --out DIR ARGS} and returns what it printed. */
    private static String demo(Path dir, String... args) throws Exception {
        List<String> argv = new ArrayList<>(List.of("demo", "--out", dir.toString()));
        argv.addAll(List.of(args));
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream stdout = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int status;
        try {
            System.setOut(new PrintStream(out, true));
            status = Main.execute(argv.toArray(String[]::new), System.out, new PrintStream(err));
        } finally {
            System.setOut(stdout);
        }
        assertEquals(0, status, err.toString());
        return out.toString();
    }

    private static List<JsonNode> alerts(Path dir) throws Exception {
        List<JsonNode> alerts = new ArrayList<>();
        for (String l : Files.readAllLines(dir.resolve("alerts.jsonl"))) {
            alerts.add(JSON.readTree(l));
        }
        return alerts;
    }

    private static int hour(JsonNode alert) {
        return Integer.parseInt(alert.get("window_start").asText().substring(11, 13));
    }

    private static void assertOpenedAt(List<JsonNode> alerts, String detector, int hour) {
        assertTrue(
                has(alerts, detector, "open", hour),
                String.format(
                        Locale.ROOT, "%s should open at %02d:00: %s", detector, hour, alerts));
    }

    private static void assertResolvedAt(List<JsonNode> alerts, String detector, int hour) {
        assertTrue(
                has(alerts, detector, "resolved", hour),
                String.format(Locale.ROOT, "%s should resolve at %02d:00", detector, hour));
    }

    private static boolean has(List<JsonNode> alerts, String detector, String status, int hour) {
        return alerts.stream()
                .anyMatch(
                        a ->
                                a.get("detector").asText().equals(detector)
                                        && a.get("status").asText().equals(status)
                                        && hour(a) == hour);
    }
}
