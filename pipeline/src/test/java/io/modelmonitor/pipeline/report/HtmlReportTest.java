package io.modelmonitor.pipeline.report;

import static io.modelmonitor.pipeline.report.SyntheticReportStream.*;
import static org.junit.jupiter.api.Assertions.*;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;

/**
 * The HTML report built from a synthetic report and alert stream, checked as text and as SVG XML.
 */
class HtmlReportTest {
    @TempDir static Path dir;
    static Path reports;
    static Path alerts;
    static String page;
    static HtmlReport report;

    @BeforeAll
    static void writePage() throws Exception {
        reports = writeReports(dir);
        alerts = writeAlerts(dir);
        Path out = dir.resolve("out/report.html");
        HtmlReport.write(reports, alerts, out);
        page = Files.readString(out);
        report = HtmlReport.builder().addReports(reports).optAlerts(alerts).build();
    }

    @Test
    void everyChartIsAnSvgPerModelAndMissingPartsAreSaid() {
        String sentiment = section(MODEL);
        String hostile = section(Html.escape(HOSTILE_MODEL));
        // drift, outliers, accuracy, label coverage, volume
        assertEquals(5, count(sentiment, "<svg class=\"chart\""), "charts of the labelled model");
        for (String title :
                List.of(
                        "drift p-values",
                        "outlier rate",
                        "accuracy",
                        "label coverage",
                        "events per window")) {
            assertTrue(sentiment.contains("aria-label=\"" + MODEL + ": " + title + "\""), title);
        }
        // no outliers, no performance: the drift and volume charts only, and the page says why
        assertEquals(
                2, count(hostile, "<svg class=\"chart\""), "charts of the model without labels");
        assertTrue(hostile.contains("No performance results"));
        assertTrue(hostile.contains("No outlier results"));
        assertTrue(
                sentiment.contains("9 late events &middot; 1 dead letters"),
                "totals of the latest revisions");
    }

    @Test
    void svgChartsAreWellFormedXmlWithTheDataDrawn() throws Exception {
        List<String> svgs = fragments(page, "<svg class=\"chart\"", "</svg>");
        assertEquals(7, svgs.size());
        var factory = DocumentBuilderFactory.newInstance();
        for (String svg : svgs) {
            Document d =
                    factory.newDocumentBuilder()
                            .parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
            assertEquals("svg", d.getDocumentElement().getTagName());
        }
        List<String> sentiment = fragments(section(MODEL), "<svg class=\"chart\"", "</svg>");
        String drift = sentiment.get(0);
        assertTrue(
                drift.contains("class=\"series s-mmd\"")
                        && drift.contains("class=\"series s-pred\""));
        assertTrue(drift.contains("class=\"rule r-threshold\""), "threshold line");
        assertTrue(drift.contains("threshold \u03b1 = 0.05"));
        // 11 tested windows for the MMD: the insufficient one is a gap, not a point
        String mmd = fragments(drift, "<g class=\"series s-mmd\">", "</g>").get(0);
        assertEquals(WINDOWS - 1, count(mmd, "<circle"));
        assertTrue(mmd.contains(" M"), "the line is broken at the insufficient window");
        assertEquals(1, count(drift, "class=\"band band-insufficient\""));
        assertEquals(
                1, count(drift, "class=\"band band-alert-critical\""), "the drift.mmd alert span");
        assertEquals(
                1,
                count(sentiment.get(1), "class=\"band band-alert-warning\""),
                "the outlier alert on the outlier chart");
        assertEquals(
                0,
                count(sentiment.get(1), "band-alert-critical"),
                "drift alerts stay on the drift chart");
    }

    @Test
    void alertTableListsOpenAndResolvedAlerts() {
        List<String> rows = fragments(page, "<tr class=\"alert-row", "</tr>");
        assertEquals(3, rows.size());
        String mmd =
                rows.stream()
                        .filter(
                                r ->
                                        r.contains("drift.mmd")
                                                && r.contains("critical")
                                                && r.contains("differs from reference"))
                        .findFirst()
                        .orElseThrow();
        assertTrue(
                mmd.contains(Html.escape("2026-11-28 06:00Z")) && mmd.contains("2026-11-28 10:00Z"),
                "opened at window 6, resolved when window 10 was back to normal: " + mmd);
        String outlier =
                rows.stream().filter(r -> r.contains("outlier.rate")).findFirst().orElseThrow();
        assertTrue(outlier.contains("still open") && outlier.contains(" open\""), outlier);
    }

    @Test
    void stringsFromRecordsAreEscaped() {
        assertEquals(1, count(page, "<script"), "only the page's own render check is a script");
        assertFalse(page.contains("<img"));
        assertFalse(page.contains(HOSTILE_MODEL));
        assertTrue(page.contains("&lt;script&gt;alert(&quot;pwned&quot;)&lt;/script&gt;&amp;co"));
        assertTrue(page.contains(Html.escape(HOSTILE_MESSAGE)));
    }

    @Test
    void highestRevisionWinsAndBadLinesAreCounted() {
        assertEquals(2, report.supersededRevisions());
        assertEquals(1, report.skippedLines(), "the half-written last line");
        assertEquals(List.of(HOSTILE_MODEL, MODEL), report.models());
        String volume =
                fragments(
                                section(MODEL),
                                "aria-label=\"" + MODEL + ": events per window\"",
                                "</svg>")
                        .get(0);
        assertTrue(
                volume.contains("2026-11-28 08:00Z: 500 events, 3 late, revision 1"),
                "revision 1 kept, stale revision 0 dropped");
        String accuracy =
                fragments(section(MODEL), "aria-label=\"" + MODEL + ": accuracy\"", "</svg>")
                        .get(0);
        assertEquals(
                WINDOWS - 1,
                count(fragments(accuracy, "<g class=\"series s-acc\">", "</g>").get(0), "<circle"),
                "the revised window has its realised accuracy");
    }

    @Test
    void pageIsSelfContainedAndReproducible() throws Exception {
        assertFalse(page.contains("http://") || page.contains("https://") || page.contains("url("));
        // the only links are to sections of the page itself; no element has a source to fetch
        assertFalse(
                Pattern.compile("<[^>]+\\s(src|srcset|data|href)\\s*=\\s*\"(?!#)")
                        .matcher(page)
                        .find(),
                "nothing is fetched at view time");
        assertTrue(page.contains("default-src 'none'"), "and the browser is told to fetch nothing");
        assertEquals(
                page, HtmlReport.builder().addReports(reports).optAlerts(alerts).build().render());
    }

    @Test
    void withoutAlertStreamSpansComeFromTheReportsVerdicts() throws Exception {
        String derived =
                HtmlReport.builder().addReports(reports).optPValueThreshold(0.01).build().render();
        List<String> rows = fragments(derived, "<tr class=\"alert-row", "</tr>");
        // sentiment: MMD and prediction drift over windows 6..9; hostile model: one MMD window
        assertEquals(3, rows.size(), String.join("\n", rows));
        String mmd =
                rows.stream()
                        .filter(r -> r.contains("drift.mmd") && r.contains("06:00Z"))
                        .findFirst()
                        .orElseThrow();
        assertTrue(mmd.contains("2026-11-28 10:00Z"), mmd);
        assertTrue(derived.contains("threshold \u03b1 = 0.01"));
        assertTrue(derived.contains("derived from the reports"));
        assertTrue(derived.contains("band band-alert-derived"));
    }

    @Test
    void emptyStreamGivesAPageThatSaysSo() throws Exception {
        Path empty = Files.writeString(dir.resolve("empty.jsonl"), "");
        String html = HtmlReport.builder().addReports(empty).build().render();
        assertTrue(html.contains("no report records"));
        assertEquals(0, count(html, "<svg"));
    }

    private static String section(String escapedModel) {
        for (String s : fragments(page, "<section class=\"model\"", "</section>")) {
            if (s.contains("<span class=\"name\">" + escapedModel + "</span>")) {
                return s;
            }
        }
        throw new AssertionError("no section for " + escapedModel);
    }

    static int count(String s, String what) {
        return s.split(Pattern.quote(what), -1).length - 1;
    }

    static List<String> fragments(String s, String open, String close) {
        List<String> out = new ArrayList<>();
        Matcher m =
                Pattern.compile(Pattern.quote(open) + ".*?" + Pattern.quote(close), Pattern.DOTALL)
                        .matcher(s);
        while (m.find()) {
            out.add(m.group());
        }
        return out;
    }
}
