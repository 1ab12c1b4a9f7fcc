package io.modelmonitor.pipeline.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The report's "What changed" tables: the exemplars, reference rows and top outliers of the windows
 * inside a drift or outlier alert, escaped, and nothing for windows outside alerts.
 */
class HtmlExemplarsTest {
    static final Instant T0 = Instant.parse("2026-11-28T00:00:00Z");

    @TempDir Path dir;

    static String start(int i) {
        return T0.plusSeconds(3600L * i).toString();
    }

    static String report(int i, String exemplarId) {
        return "{\"model\":\"m\",\"window_start\":\""
                + start(i)
                + "\",\"window_end\":\""
                + start(i + 1)
                + "\",\"revision\":0,"
                + "\"count\":100,\"insufficient\":false,\"drift\":{\"mmd\":{\"statistic\":0.01,\"p_value\":"
                + (i == 1 ? "1e-6" : "0.5")
                + ",\"drift\":"
                + (i == 1)
                + ",\"exemplars\":[{\"id\":\""
                + exemplarId
                + "\",\"witness\":0.061},{\"id\":\"plain-"
                + i
                + "\",\"witness\":0.05}],"
                + "\"reference_exemplars\":[{\"index\":54,\"witness\":-0.004}],"
                + "\"feature_shifts\":[{\"index\":2,\"shift\":3.25}],\"component_shifts\":[{\"index\":0,\"shift\":-1.5}]}},"
                + "\"outliers\":{\"count\":1,\"rate\":0.01,\"expected_rate\":0.01,\"p_value\":0.5,"
                + "\"top\":[{\"id\":\"odd-"
                + i
                + "\",\"score\":5.25}]}}";
    }

    static String alert(String status, int window) {
        return "{\"alert_id\":\"m/drift.mmd/"
                + start(1)
                + "\",\"model\":\"m\",\"detector\":\"drift.mmd\",\"status\":\""
                + status
                + "\",\"severity\":\"critical\",\"window_start\":\""
                + start(window)
                + "\",\"window_end\":\""
                + start(window + 1)
                + "\",\"statistic\":0.01,\"threshold\":0.05,\"p_value\":1e-6,\"message\":\"m\","
                + "\"exemplars\":[\"x\"]}";
    }

    @Test
    void windowsInsideAnAlertShowWhatTheirReportsName() throws Exception {
        List<String> reports = new ArrayList<>();
        reports.add(report(0, "quiet-0"));
        reports.add(report(1, "<b>bold</b>"));
        reports.add(report(2, "inside-2"));
        reports.add(report(3, "after-3"));
        Path r = Files.write(dir.resolve("reports.jsonl"), reports);
        Path a =
                Files.write(
                        dir.resolve("alerts.jsonl"),
                        List.of(alert("open", 1), alert("resolved", 3)));
        Path out = dir.resolve("report.html");
        HtmlReport.write(r, a, out);
        String page = Files.readString(out);
        assertEquals(
                1,
                page.split("What changed: events to look at", -1).length - 1,
                "one section for the model");
        assertTrue(
                page.contains("&lt;b&gt;bold&lt;/b&gt;") && !page.contains("<b>bold"),
                "ids are escaped");
        assertTrue(
                page.contains("inside-2")
                        && page.contains("odd-1")
                        && page.contains("<td class=\"id\">54</td>"));
        assertTrue(page.contains("feature 2") && page.contains("component 0"), "the directions");
        assertTrue(
                page.contains("given the event source (report --events)"),
                "the page says how to see the inputs");
        assertFalse(page.contains("<th>input"), "no event source given: ids only");
        assertFalse(page.contains("quiet-0"), "a window before the alert is not listed");
        assertFalse(page.contains("after-3"), "the resolving window is outside the alert");
        assertEquals(2, page.split("<div class=\"exemplars\">", -1).length - 1);
    }

    @Test
    void givenTheEventSourceThePageShowsTheNamedEventsTextsAndImages() throws Exception {
        Path r =
                Files.write(
                        dir.resolve("reports.jsonl"),
                        List.of(report(0, "quiet-0"), report(1, "in-1"), report(2, "in-2")));
        Path a = Files.write(dir.resolve("alerts.jsonl"), List.of(alert("open", 1)));
        // A 1x1 PNG; a text with markup; an event no report names; the same id under another model.
        String png =
                "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8/5+hHgAHggJ/PchI7wAAAABJRU5ErkJggg==";
        String longText = "x".repeat(EventInputs.MAX_TEXT + 50);
        Path events =
                Files.write(
                        dir.resolve("events.jsonl"),
                        List.of(
                                "{\"id\":\"in-1\",\"model\":\"m\",\"text\":\"the <script>alert(1)</script> hotel was fine\"}",
                                "{\"id\":\"plain-2\",\"model\":\"m\",\"text\":\""
                                        + longText
                                        + "\"}",
                                "{\"id\":\"odd-1\",\"model\":\"m\",\"image\":\"" + png + "\"}",
                                "{\"id\":\"quiet-0\",\"model\":\"m\",\"text\":\"never named on the page\"}",
                                "{\"id\":\"in-2\",\"model\":\"other\",\"text\":\"another model's event\"}",
                                "not json"));
        Path out = dir.resolve("report.html");
        HtmlReport.builder().addReports(r).optAlerts(a).optEvents(events).build().write(out);
        String page = Files.readString(out);
        assertTrue(page.contains("<th>input"), "an input column");
        assertTrue(
                page.contains("the &lt;script&gt;alert(1)&lt;/script&gt; hotel was fine")
                        && !page.contains("<script>alert(1)"),
                "texts are escaped");
        assertTrue(
                page.contains("x".repeat(EventInputs.MAX_TEXT) + "…") && !page.contains(longText),
                "truncated");
        assertTrue(
                page.contains(
                        "<img class=\"thumb\" alt=\"odd-1\" src=\"data:image/png;base64," + png),
                "a thumbnail");
        assertFalse(
                page.contains("never named on the page"),
                "only the events the page names are read");
        assertFalse(page.contains("another model's event"), "ids are looked up within their model");
    }

    /**
     * In headless Chromium (skipped without it): the page with the tables renders, its check
     * reports ok.
     */
    @Test
    void theSectionRendersInABrowser() throws Exception {
        Path chromium = Path.of("/usr/bin/chromium");
        org.junit.jupiter.api.Assumptions.assumeTrue(
                Files.isExecutable(chromium), "headless Chromium not found");
        Path r =
                Files.write(
                        dir.resolve("reports.jsonl"),
                        List.of(report(0, "quiet-0"), report(1, "in-1"), report(2, "in-2")));
        Path a = Files.write(dir.resolve("alerts.jsonl"), List.of(alert("open", 1)));
        Path out = dir.resolve("report.html");
        HtmlReport.write(r, a, out);
        Path dom = dir.resolve("dom.html");
        Process p =
                new ProcessBuilder(
                                chromium.toString(),
                                "--headless",
                                "--no-sandbox",
                                "--disable-gpu",
                                "--no-first-run",
                                "--disable-background-networking",
                                "--disable-component-update",
                                "--disable-dev-shm-usage",
                                "--user-data-dir="
                                        + Files.createDirectories(dir.resolve("profile")),
                                "--dump-dom",
                                out.toUri().toString())
                        .redirectOutput(dom.toFile())
                        .redirectError(dir.resolve("err.txt").toFile())
                        .start();
        assertTrue(p.waitFor(90, java.util.concurrent.TimeUnit.SECONDS), "Chromium did not finish");
        String rendered = Files.readString(dom);
        assertTrue(
                rendered.contains("data-render=\"ok\""),
                "the page's render check: " + Files.readString(dir.resolve("err.txt")));
        assertEquals(
                2,
                rendered.split("<div class=\"exemplars\">", -1).length - 1,
                "windows 1 and 2, inside the open alert");
        assertTrue(rendered.contains("in-2") && !rendered.contains("quiet-0"));
    }

    @Test
    void noAlertNoSection() throws Exception {
        Path r =
                Files.write(
                        dir.resolve("reports.jsonl"),
                        List.of(report(0, "quiet-0"), report(1, "x-1")));
        Path a = Files.write(dir.resolve("alerts.jsonl"), List.of());
        Path out = dir.resolve("report.html");
        HtmlReport.write(r, a, out);
        assertFalse(Files.readString(out).contains("What changed"));
    }
}
