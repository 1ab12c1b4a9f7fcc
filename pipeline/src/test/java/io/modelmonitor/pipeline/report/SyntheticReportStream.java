package io.modelmonitor.pipeline.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Writes a report stream and an alert stream shaped like the job's output (docs/data-contracts.md),
 * with every case the HTML report must handle: a drift episode, an insufficient window, a window
 * re-emitted with a higher revision (and a stale lower revision after it), a model without labels
 * whose name and alert message try HTML injection, and a half-written last line.
 */
final class SyntheticReportStream {
    static final String MODEL = "sentiment";
    static final String HOSTILE_MODEL = "<script>alert(\"pwned\")</script>&co";
    static final String HOSTILE_MESSAGE = "<img src=x onerror=alert(1)> drift";
    static final Instant START = Instant.parse("2026-11-28T00:00:00Z");
    static final int WINDOWS = 12;

    /** Windows 6..9 drift; window 10 is back to normal. */
    static final int DRIFT_FROM = 6;

    static final int DRIFT_UNTIL = 10;
    static final int INSUFFICIENT = 3;
    static final int REVISED = 8;

    private SyntheticReportStream() {}

    static Instant windowStart(int i) {
        return START.plus(Duration.ofHours(i));
    }

    static Path writeReports(Path dir) throws IOException {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < WINDOWS; i++) {
            boolean drift = i >= DRIFT_FROM && i < DRIFT_UNTIL;
            if (i == INSUFFICIENT) {
                lines.add(
                        String.format(
                                Locale.ROOT,
                                "{\"model\":\"%s\",\"window_start\":\"%s\",\"window_end\":\"%s\","
                                        + "\"revision\":0,\"count\":12,\"insufficient\":true,\"late_events\":0,\"dead_letters\":1}",
                                MODEL,
                                windowStart(i),
                                windowStart(i + 1)));
                continue;
            }
            if (i == REVISED) {
                // First emitted before any label arrived; revision 1 carries the realised accuracy.
                lines.add(report(MODEL, i, 0, drift, false));
            }
            lines.add(report(MODEL, i, i == REVISED ? 1 : 0, drift, true));
        }
        // A stale lower revision arriving after the higher one must not replace it.
        lines.add(report(MODEL, REVISED, 0, true, false).replace("\"count\":500", "\"count\":1"));
        for (int i = 0; i < 6; i++) {
            lines.add(
                    String.format(
                            Locale.ROOT,
                            "{\"model\":\"%s\",\"window_start\":\"%s\",\"window_end\":\"%s\","
                                    + "\"revision\":0,\"count\":200,\"insufficient\":false,"
                                    + "\"drift\":{\"mmd\":{\"statistic\":0.001,\"p_value\":%s,\"drift\":%s}},"
                                    + "\"late_events\":0,\"dead_letters\":0}",
                            json(HOSTILE_MODEL),
                            windowStart(i),
                            windowStart(i + 1),
                            i == 4 ? "0.001" : "0.4",
                            i == 4));
        }
        lines.add("{\"model\":\"sentiment\",\"window_start\":\"2026-11-28T2"); // the job is still
        // writing
        Path file = dir.resolve("reports.jsonl");
        Files.write(file, lines);
        return file;
    }

    static Path writeAlerts(Path dir) throws IOException {
        List<String> lines =
                List.of(
                        alert(
                                MODEL,
                                "drift.mmd",
                                "open",
                                "critical",
                                DRIFT_FROM,
                                0.002,
                                "input distribution differs from reference (MMD p=0.002 < 0.05)"),
                        alert(
                                MODEL,
                                "outlier.rate",
                                "open",
                                "warning",
                                DRIFT_FROM + 1,
                                0.01,
                                "outlier rate 0.06 above 0.01"),
                        alert(
                                MODEL,
                                "drift.mmd",
                                "resolved",
                                "critical",
                                DRIFT_UNTIL,
                                0.4,
                                "input distribution back to reference"),
                        alert(
                                HOSTILE_MODEL,
                                "drift.mmd",
                                "open",
                                "critical",
                                4,
                                0.001,
                                HOSTILE_MESSAGE),
                        alert(
                                HOSTILE_MODEL,
                                "drift.mmd",
                                "resolved",
                                "critical",
                                5,
                                0.4,
                                "resolved"));
        Path file = dir.resolve("alerts.jsonl");
        Files.write(file, lines);
        return file;
    }

    private static String report(
            String model, int i, int revision, boolean drift, boolean labelled) {
        double p = drift ? 0.0005 * (i - DRIFT_FROM + 1) : 0.2 + 0.05 * (i % 5);
        double predictionP = drift ? 0.01 : 0.5;
        double outlierRate = drift ? 0.06 : 0.011;
        double accuracy = drift ? 0.81 : 0.92;
        String performance =
                labelled
                        ? String.format(
                                Locale.ROOT,
                                "{\"labelled\":430,\"coverage\":0.86,\"accuracy\":%s,"
                                        + "\"reference_accuracy\":0.93,\"estimated_accuracy\":%s}",
                                accuracy,
                                accuracy + 0.02)
                        : "{\"labelled\":0,\"coverage\":0.0,\"reference_accuracy\":0.93,\"estimated_accuracy\":0.9}";
        return String.format(
                Locale.ROOT,
                "{\"model\":\"%s\",\"window_start\":\"%s\",\"window_end\":\"%s\","
                        + "\"revision\":%d,\"count\":500,\"insufficient\":false,"
                        + "\"drift\":{\"mmd\":{\"statistic\":0.003,\"p_value\":%s,\"drift\":%s,\"n_reference\":2000,\"n_window\":500},"
                        + "\"prediction\":{\"test\":\"chi2\",\"statistic\":14.2,\"p_value\":%s,\"drift\":%s}},"
                        + "\"outliers\":{\"count\":7,\"rate\":%s,\"expected_rate\":0.01,\"p_value\":0.2},"
                        + "\"performance\":%s,\"late_events\":%d,\"dead_letters\":0}",
                model,
                windowStart(i),
                windowStart(i + 1),
                revision,
                p,
                drift,
                predictionP,
                drift,
                outlierRate,
                performance,
                i % 4 == 0 ? 3 : 0);
    }

    private static String alert(
            String model,
            String detector,
            String status,
            String severity,
            int window,
            double p,
            String message) {
        return String.format(
                Locale.ROOT,
                "{\"alert_id\":\"%s/%s\",\"model\":\"%s\",\"detector\":\"%s\","
                        + "\"status\":\"%s\",\"severity\":\"%s\",\"window_start\":\"%s\",\"window_end\":\"%s\","
                        + "\"statistic\":0.003,\"threshold\":0.05,\"p_value\":%s,\"message\":\"%s\"}",
                json(model),
                detector,
                json(model),
                detector,
                status,
                severity,
                windowStart(window),
                windowStart(window + 1),
                p,
                json(message));
    }

    private static String json(String s) {
        return s.replace("\\", "\\\\").replace("\"", "\\\"");
    }
}
