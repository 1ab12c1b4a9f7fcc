package io.modelmonitor.pipeline.report;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.ToDoubleFunction;

/**
 * Turns a report stream (and optionally the alert stream) of the monitoring job into one
 * self-contained HTML page: per model, timelines of the drift p-values against the significance
 * level, the outlier rate against its calibrated rate, realised and estimated accuracy with label
 * coverage, event counts, alert spans shaded on the charts, and a table of the alerts.
 *
 * <p>The page needs nothing but a browser: the charts are inline SVG written by {@link SvgChart},
 * the style sheet is inline, and a Content-Security-Policy forbids every network fetch, so a report
 * can be mailed, archived or opened on an air-gapped machine and looks the same. A few lines of
 * inline script only check the page itself: once loaded, they record on {@code <body data-render>}
 * whether any error occurred and how many charts were laid out, which lets an automated browser
 * check (and a curious reader) tell that the page rendered.
 *
 * <p>Input handling follows how the job writes its streams (docs/data-contracts.md): a window
 * re-emitted with a higher {@code revision} replaces the earlier one; windows marked {@code
 * insufficient} carry no test and show as grey bands; a model without labels gets no accuracy
 * chart; a line that is not valid JSON (such as the half-written last line of a file the job is
 * still writing) is skipped and counted. When no alert stream is given, alert spans are
 * reconstructed from the reports' own drift verdicts. {@link ReportStreamReader} reads the streams;
 * this class renders them. The same input always gives the same page, byte for byte.
 *
 * <pre>{@code
 * HtmlReport.write(Path.of("reports.jsonl"), Path.of("alerts.jsonl"), Path.of("report.html"));
 *
 * HtmlReport.builder().addReports(Path.of("reports.jsonl")).optPValueThreshold(0.01)
 *         .optTitle("Sentiment, November").build().write(Path.of("report.html"));
 * }</pre>
 */
public final class HtmlReport {
    /**
     * The significance level drawn as the threshold line when none is given (the default of
     * --p-value).
     */
    public static final double DEFAULT_P_VALUE = 0.05;

    /** The page's style sheet and its render check, inlined so that the page needs no fetch. */
    private static final String STYLE = resource("report.css");

    private static final String RENDER_CHECK = resource("render-check.js");

    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm'Z'").withZone(ZoneOffset.UTC);

    private final String title;
    private final double pValueThreshold;
    private final List<String> sources;
    private final Map<String, List<WindowReport>> windowsByModel;
    private final Map<String, List<AlertSpan>> alertsByModel;
    private final boolean alertsFromStream;
    private final int skippedLines;
    private final int supersededRevisions;
    private final Map<String, EventInputs.Input> inputs;

    private HtmlReport(
            String title,
            double pValueThreshold,
            ReportStreamReader.Contents in,
            Map<String, EventInputs.Input> inputs) {
        this.inputs = inputs;
        this.title = title;
        this.pValueThreshold = pValueThreshold;
        this.sources = in.sources();
        this.windowsByModel = in.windowsByModel();
        this.alertsByModel = in.alertsByModel();
        this.alertsFromStream = in.alertsFromStream();
        this.skippedLines = in.skippedLines();
        this.supersededRevisions = in.supersededRevisions();
    }

    /**
     * Writes the page for a report stream file and, when not {@code null}, an alert stream file.
     *
     * @throws IOException when a file cannot be read or the page cannot be written
     */
    public static void write(Path reportsJsonl, Path alertsJsonlOrNull, Path outHtml)
            throws IOException {
        Builder b = builder().addReports(reportsJsonl);
        if (alertsJsonlOrNull != null) {
            b.optAlerts(alertsJsonlOrNull);
        }
        b.build().write(outHtml);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Writes the page to {@code out} (UTF-8), creating its parent directories. */
    public void write(Path out) throws IOException {
        Path parent = out.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Files.writeString(out, render(), StandardCharsets.UTF_8);
    }

    /** The models on the page, in page order. */
    public List<String> models() {
        return List.copyOf(windowsByModel.keySet());
    }

    /** Input lines that were neither a report nor an alert record (bad JSON, missing window). */
    public int skippedLines() {
        return skippedLines;
    }

    /** Report records ignored because a higher revision of the same window was present. */
    public int supersededRevisions() {
        return supersededRevisions;
    }

    /** The whole page. */
    public String render() {
        StringBuilder h = new StringBuilder(64 * 1024);
        h.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append(
                        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; ")
                .append("style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:\">\n")
                .append(
                        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                .append("<title>")
                .append(Html.escape(title))
                .append("</title>\n<style>")
                .append(STYLE)
                .append("</style>\n")
                .append("<script>")
                .append(RENDER_CHECK)
                .append("</script>\n</head>\n<body>\n");
        h.append("<header><h1>").append(Html.escape(title)).append("</h1><p class=\"meta\">");
        h.append(windowsByModel.size())
                .append(windowsByModel.size() == 1 ? " model" : " models")
                .append(", ")
                .append(windowsByModel.values().stream().mapToInt(List::size).sum())
                .append(" windows")
                .append(" &middot; significance level &alpha; = ")
                .append(Html.number(pValueThreshold))
                .append(" &middot; alerts ")
                .append(
                        alertsFromStream
                                ? "from the alert stream"
                                : "derived from the reports (no alert stream given)");
        if (supersededRevisions > 0) {
            h.append(" &middot; ")
                    .append(supersededRevisions)
                    .append(" superseded report revisions ignored");
        }
        if (skippedLines > 0) {
            h.append(" &middot; <span class=\"warn\">")
                    .append(skippedLines)
                    .append(" unreadable input lines skipped</span>");
        }
        h.append("</p>");
        if (!sources.isEmpty()) {
            h.append("<p class=\"meta\">Sources: ");
            for (int i = 0; i < sources.size(); i++) {
                h.append(i > 0 ? ", " : "")
                        .append("<code>")
                        .append(Html.escape(sources.get(i)))
                        .append("</code>");
            }
            h.append("</p>");
        }
        h.append("</header>\n");
        if (windowsByModel.isEmpty()) {
            h.append("<p class=\"empty\">The report stream holds no report records.</p>\n");
        } else {
            overview(h);
            int i = 0;
            for (Map.Entry<String, List<WindowReport>> e : windowsByModel.entrySet()) {
                modelSection(
                        h,
                        i++,
                        e.getKey(),
                        e.getValue(),
                        alertsByModel.getOrDefault(e.getKey(), List.of()));
            }
        }
        h.append("<footer><span id=\"render-status\"></span></footer>\n</body>\n</html>\n");
        return h.toString();
    }

    private void overview(StringBuilder h) {
        h.append(
                        "<section class=\"overview\"><h2>Models</h2><table><thead><tr><th>model</th><th>windows</th>")
                .append("<th>from</th><th>to</th><th>insufficient</th><th>latest MMD p</th>")
                .append(
                        "<th>latest accuracy</th><th>alerts</th><th>still open</th></tr></thead><tbody>");
        int i = 0;
        for (Map.Entry<String, List<WindowReport>> e : windowsByModel.entrySet()) {
            List<WindowReport> w = e.getValue();
            List<AlertSpan> spans = alertsByModel.getOrDefault(e.getKey(), List.of());
            long open = spans.stream().filter(s -> !s.resolved()).count();
            h.append("<tr><td><a href=\"#model-")
                    .append(i++)
                    .append("\">")
                    .append(Html.escape(e.getKey()))
                    .append("</a></td><td>")
                    .append(w.size())
                    .append("</td><td>")
                    .append(time(first(w).windowStart()))
                    .append("</td><td>")
                    .append(time(last(w).windowEnd()))
                    .append("</td><td>")
                    .append(w.stream().filter(WindowReport::insufficient).count())
                    .append("</td><td>")
                    .append(Html.number(latest(w, WindowReport::mmdPValue)))
                    .append("</td><td>")
                    .append(Html.number(latest(w, WindowReport::accuracy)))
                    .append(
                            Double.isNaN(latest(w, WindowReport::mae))
                                    ? ""
                                    : " (MAE " + Html.number(latest(w, WindowReport::mae)) + ")")
                    .append("</td><td>")
                    .append(spans.size())
                    .append("</td><td")
                    .append(open > 0 ? " class=\"open\"" : "")
                    .append('>')
                    .append(open)
                    .append("</td></tr>");
        }
        h.append("</tbody></table></section>\n");
    }

    private void modelSection(
            StringBuilder h,
            int index,
            String model,
            List<WindowReport> windows,
            List<AlertSpan> spans) {
        Instant from = first(windows).windowStart();
        Instant to = last(windows).windowEnd();
        for (AlertSpan s : spans) {
            from = s.start().isBefore(from) ? s.start() : from;
            to = s.end().isAfter(to) ? s.end() : to;
        }
        h.append("<section class=\"model\" id=\"model-")
                .append(index)
                .append("\"><h2>Model <span class=\"name\">")
                .append(Html.escape(model))
                .append("</span></h2>\n");
        long tested = windows.stream().filter(w -> !Double.isNaN(w.mmdPValue())).count();
        long insufficient = windows.stream().filter(WindowReport::insufficient).count();
        h.append("<p class=\"meta\">")
                .append(windows.size())
                .append(" windows from ")
                .append(time(from))
                .append(" to ")
                .append(time(to))
                .append(" &middot; ")
                .append(tested)
                .append(" with an MMD test &middot; ")
                .append(insufficient)
                .append(" with too few events &middot; ")
                .append(windows.stream().mapToLong(WindowReport::lateEvents).sum())
                .append(" late events &middot; ")
                .append(windows.stream().mapToLong(WindowReport::deadLetters).sum())
                .append(" dead letters</p>\n");

        // Drift p-values on a log axis: the interesting ones are orders of magnitude below alpha.
        SvgChart drift = new SvgChart(model + ": drift p-values", "p-value (log)", from, to);
        double lowest =
                windows.stream()
                        .flatMapToDouble(
                                w ->
                                        java.util.stream.DoubleStream.of(
                                                w.mmdPValue(), w.predictionPValue()))
                        .filter(p -> p > 0)
                        .min()
                        .orElse(1);
        double floor =
                Math.min(
                        Math.pow(
                                10, Math.floor(Math.log10(Math.min(lowest, pValueThreshold / 10)))),
                        1e-3);
        drift.yAxis(SvgChart.Scale.LOG, Math.max(floor, 1e-8), 1);
        drift.line("MMD p-value (inputs)", "s-mmd", points(windows, WindowReport::mmdPValue));
        if (windows.stream().anyMatch(w -> !Double.isNaN(w.predictionPValue()))) {
            String test =
                    windows.stream()
                            .map(WindowReport::predictionTest)
                            .filter(t -> t != null)
                            .findFirst()
                            .orElse(null);
            drift.line(
                    "prediction drift p-value" + (test == null ? "" : " (" + test + ")"),
                    "s-pred",
                    points(windows, WindowReport::predictionPValue));
        }
        drift.rule(
                "threshold \u03b1 = " + Html.number(pValueThreshold),
                "r-threshold",
                pValueThreshold);
        chart(h, "Drift: p-values per window", drift, windows, spans, "drift", null);

        if (windows.stream().anyMatch(w -> !Double.isNaN(w.outlierRate()))) {
            SvgChart outliers =
                    new SvgChart(model + ": outlier rate", "outlier rate", from, to)
                            .yAxis(SvgChart.Scale.LINEAR, 0, Double.NaN)
                            .line(
                                    "outlier rate",
                                    "s-outlier",
                                    points(windows, WindowReport::outlierRate))
                            .line(
                                    "expected (calibrated) rate",
                                    "s-expected",
                                    points(windows, WindowReport::outlierExpectedRate));
            chart(
                    h,
                    "Outliers: rate against the calibrated rate",
                    outliers,
                    windows,
                    spans,
                    "outlier",
                    null);
        } else {
            h.append("<p class=\"missing\">No outlier results in these reports.</p>\n");
        }

        if (windows.stream().anyMatch(WindowReport::hasRegressionErrors)) {
            // A regression (forecasting) model: its errors, against the reference's MAE.
            SvgChart errors =
                    new SvgChart(model + ": errors", "error", from, to)
                            .line(
                                    "MAE (labelled events)",
                                    "s-acc",
                                    points(windows, WindowReport::mae))
                            .line("RMSE", "s-est", points(windows, WindowReport::rmse));
            if (windows.stream().anyMatch(w -> !Double.isNaN(w.referenceMae()))) {
                errors.line("reference MAE", "s-ref", points(windows, WindowReport::referenceMae));
            }
            chart(
                    h,
                    "Performance: realised errors (regression)",
                    errors,
                    windows,
                    spans,
                    "performance",
                    null);
        }
        if (windows.stream().anyMatch(WindowReport::hasPerformance)) {
            SvgChart accuracy =
                    new SvgChart(model + ": accuracy", "accuracy", from, to)
                            .line(
                                    "realised accuracy (labelled events)",
                                    "s-acc",
                                    points(windows, WindowReport::accuracy))
                            .line(
                                    "estimated accuracy (from scores)",
                                    "s-est",
                                    points(windows, WindowReport::estimatedAccuracy));
            if (windows.stream().anyMatch(w -> !Double.isNaN(w.referenceAccuracy()))) {
                accuracy.line(
                        "reference accuracy",
                        "s-ref",
                        points(windows, WindowReport::referenceAccuracy));
            }
            if (windows.stream().noneMatch(WindowReport::hasRegressionErrors)) {
                chart(
                        h,
                        "Performance: realised and estimated accuracy",
                        accuracy,
                        windows,
                        spans,
                        "performance",
                        null);
            }
            List<SvgChart.Bar> coverage = new ArrayList<>();
            for (WindowReport w : windows) {
                coverage.add(
                        new SvgChart.Bar(
                                w.windowStart(),
                                w.windowEnd(),
                                w.coverage(),
                                "bar-coverage",
                                time(w.windowStart())
                                        + ": "
                                        + Html.percent(w.coverage())
                                        + " labelled ("
                                        + w.labelled()
                                        + ")"));
            }
            SvgChart cover =
                    new SvgChart(model + ": label coverage", "labelled share", from, to)
                            .yAxis(SvgChart.Scale.LINEAR, 0, 1)
                            .bars("label coverage", "bar-coverage", coverage);
            chart(h, "Label coverage", cover, windows, List.of(), "performance", "small");
        } else {
            h.append(
                    "<p class=\"missing\">No performance results: no labels have been joined for this model "
                            + "and the reports carry no score-based estimate.</p>\n");
        }

        List<SvgChart.Bar> counts = new ArrayList<>();
        for (WindowReport w : windows) {
            counts.add(
                    new SvgChart.Bar(
                            w.windowStart(),
                            w.windowEnd(),
                            w.count(),
                            w.insufficient() ? "bar-insufficient" : "bar-count",
                            time(w.windowStart())
                                    + ": "
                                    + w.count()
                                    + " events"
                                    + (w.insufficient() ? " (insufficient: no test)" : "")
                                    + (w.lateEvents() > 0 ? ", " + w.lateEvents() + " late" : "")
                                    + (w.deadLetters() > 0
                                            ? ", " + w.deadLetters() + " dead letters"
                                            : "")
                                    + (w.revision() > 0 ? ", revision " + w.revision() : "")));
        }
        SvgChart volume =
                new SvgChart(model + ": events per window", "events", from, to)
                        .bars(
                                "events in window",
                                "bar-count",
                                counts.stream()
                                        .filter(b -> b.cssClass().equals("bar-count"))
                                        .toList())
                        .bars(
                                "too few events (no test)",
                                "bar-insufficient",
                                counts.stream()
                                        .filter(b -> b.cssClass().equals("bar-insufficient"))
                                        .toList());
        chart(h, "Volume: events per window", volume, windows, List.of(), "", "small");

        alertTable(h, spans);
        exemplarTables(h, windows, spans);
        h.append("</section>\n");
    }

    /**
     * Windows shown in "What changed", at most: a long incident would otherwise make the page
     * unbounded.
     */
    static final int MAX_EXEMPLAR_WINDOWS = 24;

    /**
     * For each window inside a drift or outlier alert, the events its report names: the MMD witness
     * exemplars, the reference rows it lacks most, the highest outlier scores. The report stream
     * carries ids, not inputs, so ids are shown, to be looked up in the event source.
     */
    private void exemplarTables(
            StringBuilder h, List<WindowReport> windows, List<AlertSpan> spans) {
        List<WindowReport> shown = new ArrayList<>();
        for (WindowReport w : windows) {
            boolean inAlert =
                    spans.stream()
                            .anyMatch(
                                    s ->
                                            (s.detector().startsWith("drift")
                                                            || s.detector().startsWith("outlier")
                                                            || (s.detector().equals("data.quality")
                                                                    && !w.exemplars()
                                                                            .columns()
                                                                            .isEmpty()))
                                                    && !w.windowStart().isBefore(s.start())
                                                    && (s.resolved()
                                                            ? w.windowStart().isBefore(s.end())
                                                            : true));
            if (inAlert && !w.exemplars().isEmpty()) {
                shown.add(w);
            }
        }
        if (shown.isEmpty()) {
            return;
        }
        h.append(
                "<h3>What changed: events to look at</h3>\n<p class=\"meta\">Windows inside a drift or outlier alert. "
                        + "<em>Most unlike the reference</em>: the window's events with the largest MMD witness values; "
                        + "<em>reference rows the window lacks</em>: rows of the bundle's reference sample with the smallest; "
                        + "<em>highest outlier scores</em>: the window's most unusual events; <em>shifted along</em>: where the "
                        + "events unlike the reference sit, in reference standard deviations. The report stream carries event ids; "
                        + "the texts and images are shown when the page is given the event source (report --events).</p>\n");
        int count = 0;
        for (WindowReport w : shown) {
            if (count++ == MAX_EXEMPLAR_WINDOWS) {
                h.append("<p class=\"missing\">")
                        .append(shown.size() - MAX_EXEMPLAR_WINDOWS)
                        .append(" more windows not shown.</p>\n");
                break;
            }
            WindowReport.Exemplars e = w.exemplars();
            h.append("<div class=\"exemplars\"><h4>Window ")
                    .append(time(w.windowStart()))
                    .append(" (MMD p = ")
                    .append(Html.number(w.mmdPValue()))
                    .append(")</h4>");
            namedList(h, "most unlike the reference", "witness", e.window(), w.model());
            namedList(h, "reference rows the window lacks", "witness", e.reference(), null);
            namedList(h, "highest outlier scores", "score", e.outliers(), w.model());
            namedList(
                    h,
                    "input features they are shifted along",
                    "shift (reference sd)",
                    e.features(),
                    null);
            namedList(
                    h,
                    "PCA components they are shifted along",
                    "shift (reference sd)",
                    e.components(),
                    null);
            columnTable(h, e.columns());
            h.append("</div>\n");
        }
    }

    /**
     * The named features of a tabular model's window: each column's test and adjusted p-value, its
     * missing rate against the reference's, and its unseen categories or out-of-range numbers.
     */
    private static void columnTable(StringBuilder h, List<WindowReport.Column> columns) {
        if (columns.isEmpty()) {
            return;
        }
        h.append(
                "<table class=\"exemplar-list\"><caption>named features</caption><thead><tr>"
                        + "<th>feature</th><th>type</th><th>test</th><th>adjusted p</th>"
                        + "<th>missing (reference)</th><th>unseen / out of range</th>"
                        + "<th>wrong type</th></tr></thead><tbody>");
        for (WindowReport.Column c : columns) {
            h.append("<tr><td class=\"id\">")
                    .append(Html.escape(c.name()))
                    .append(c.drift() ? " (drifted)" : "")
                    .append("</td><td>")
                    .append(Html.escape(c.type()))
                    .append("</td><td>")
                    .append(Html.escape(c.test()))
                    .append("</td><td>")
                    .append(Html.number(c.adjustedPValue()))
                    .append("</td><td>")
                    .append(Html.number(c.missingRate()))
                    .append(" (")
                    .append(Html.number(c.referenceMissingRate()))
                    .append(")</td><td>")
                    .append(
                            Html.number(
                                    "numeric".equals(c.type())
                                            ? c.outOfRangeRate()
                                            : c.unseenRate()))
                    .append("</td><td>")
                    .append(Html.number(c.typeMismatchRate()))
                    .append("</td></tr>");
        }
        h.append("</tbody></table>");
    }

    /**
     * One list of named events or coordinates; {@code model} non-null: the names are event ids of
     * that model, shown with their inputs when the page was given the event source.
     */
    private void namedList(
            StringBuilder h,
            String caption,
            String valueName,
            List<WindowReport.Named> list,
            String model) {
        if (list.isEmpty()) {
            return;
        }
        boolean withInputs =
                model != null
                        && list.stream()
                                .anyMatch(
                                        n -> inputs.containsKey(EventInputs.key(model, n.name())));
        h.append("<table class=\"exemplar-list\"><caption>")
                .append(Html.escape(caption))
                .append("</caption><thead><tr><th>")
                .append(
                        valueName.startsWith("shift")
                                ? "coordinate"
                                : caption.startsWith("reference") ? "reference row" : "event")
                .append("</th><th>")
                .append(Html.escape(valueName))
                .append(withInputs ? "</th><th>input" : "")
                .append("</th></tr></thead><tbody>");
        for (WindowReport.Named n : list) {
            h.append("<tr><td class=\"id\">")
                    .append(Html.escape(n.name()))
                    .append("</td><td>")
                    .append(Html.number(n.value()));
            if (withInputs) {
                EventInputs.Input in = inputs.get(EventInputs.key(model, n.name()));
                h.append("</td><td class=\"input\">");
                if (in != null && in.imageDataUri() != null) {
                    h.append("<img class=\"thumb\" alt=\"")
                            .append(Html.escape(n.name()))
                            .append("\" src=\"")
                            .append(Html.escape(in.imageDataUri()))
                            .append("\">");
                } else if (in != null) {
                    h.append(Html.escape(in.text()));
                }
            }
            h.append("</td></tr>");
        }
        h.append("</tbody></table>");
    }

    /**
     * Adds the alert spans of one detector family and the untested windows as bands, then the
     * chart.
     */
    private void chart(
            StringBuilder h,
            String heading,
            SvgChart chart,
            List<WindowReport> windows,
            List<AlertSpan> spans,
            String detectorPrefix,
            String size) {
        for (WindowReport w : windows) {
            if (w.insufficient() && !detectorPrefix.isEmpty()) {
                chart.band(
                        new SvgChart.Band(
                                w.windowStart(),
                                w.windowEnd(),
                                "band-insufficient",
                                "too few events (no test)",
                                time(w.windowStart()) + ": " + w.count() + " events, no test"));
            }
        }
        for (AlertSpan s : spans) {
            if (!detectorPrefix.isEmpty() && s.detector().startsWith(detectorPrefix)) {
                String severity = severityClass(s);
                chart.band(
                        new SvgChart.Band(
                                s.start(),
                                s.end(),
                                "band-alert-" + severity,
                                s.derived() ? "drift (from reports)" : "alert: " + severity,
                                s.detector()
                                        + " "
                                        + (s.derived() ? "" : s.severity() + " ")
                                        + time(s.start())
                                        + " \u2192 "
                                        + (s.resolved() ? time(s.end()) : "still open")
                                        + ": "
                                        + s.message()));
            }
        }
        h.append("<figure class=\"")
                .append(size == null ? "chart" : "chart " + size)
                .append("\"><figcaption>")
                .append(Html.escape(heading))
                .append("</figcaption>")
                .append(chart.render())
                .append("</figure>\n");
    }

    private void alertTable(StringBuilder h, List<AlertSpan> spans) {
        h.append("<h3>Alerts</h3>\n");
        if (spans.isEmpty()) {
            h.append("<p class=\"missing\">No alerts")
                    .append(alertsFromStream ? "." : " (and no drifting window).")
                    .append("</p>\n");
            return;
        }
        h.append(
                        "<table class=\"alerts\"><thead><tr><th>detector</th><th>severity</th><th>opened</th>")
                .append(
                        "<th>resolved</th><th>p-value</th><th>threshold</th><th>message</th></tr></thead><tbody>\n");
        for (AlertSpan s : spans) {
            h.append("<tr class=\"alert-row ")
                    .append(severityClass(s))
                    .append(s.resolved() ? "" : " open")
                    .append("\"><td>")
                    .append(Html.escape(s.detector()))
                    .append("</td><td>")
                    .append(Html.escape(s.severity()))
                    .append("</td><td>")
                    .append(time(s.start()))
                    .append("</td><td>")
                    .append(s.resolved() ? time(s.end()) : "<strong>still open</strong>")
                    .append("</td><td>")
                    .append(Html.number(s.pValue()))
                    .append("</td><td>")
                    .append(Html.number(s.threshold()))
                    .append("</td><td>")
                    .append(Html.escape(s.message()))
                    .append("</td></tr>\n");
        }
        h.append("</tbody></table>\n");
    }

    /** A CSS class from a severity: only known words reach the class attribute. */
    private static String severityClass(AlertSpan s) {
        if (s.derived()) {
            return "derived";
        }
        String v = s.severity().toLowerCase(java.util.Locale.ROOT);
        return switch (v) {
            case "critical", "warning", "info" -> v;
            default -> "other";
        };
    }

    /**
     * A test result per window; insufficient windows carry no test, so any value they hold is not
     * drawn.
     */
    private static List<SvgChart.Point> points(
            List<WindowReport> windows, ToDoubleFunction<WindowReport> value) {
        List<SvgChart.Point> out = new ArrayList<>(windows.size());
        for (WindowReport w : windows) {
            long mid = (w.windowStart().toEpochMilli() + w.windowEnd().toEpochMilli()) / 2;
            out.add(
                    new SvgChart.Point(
                            Instant.ofEpochMilli(mid),
                            w.insufficient() ? Double.NaN : value.applyAsDouble(w),
                            w.revision() > 0 ? "(revision " + w.revision() + ")" : null));
        }
        return out;
    }

    private static double latest(List<WindowReport> windows, ToDoubleFunction<WindowReport> value) {
        for (int i = windows.size() - 1; i >= 0; i--) {
            double v = value.applyAsDouble(windows.get(i));
            if (!Double.isNaN(v)) {
                return v;
            }
        }
        return Double.NaN;
    }

    private static WindowReport first(List<WindowReport> w) {
        return w.get(0);
    }

    private static WindowReport last(List<WindowReport> w) {
        return w.stream().max(Comparator.comparing(WindowReport::windowEnd)).orElseThrow();
    }

    private static String time(Instant t) {
        return TIME.format(t);
    }

    /** Collects the inputs of a page. */
    public static final class Builder {
        private String title = "Model Monitor report";
        private double pValueThreshold = DEFAULT_P_VALUE;
        private final ReportStreamReader input = new ReportStreamReader();
        private Path events;

        private Builder() {}

        /**
         * The event source (JSON lines) the reports came from: the page then shows the texts and
         * images of the events it names, beside their ids.
         */
        public Builder optEvents(Path jsonl) {
            this.events = jsonl;
            return this;
        }

        /**
         * Reads a report stream file (JSON lines). Alert records found in it are taken as alerts,
         * so a single file holding both streams works too.
         */
        public Builder addReports(Path jsonl) throws IOException {
            input.addReports(jsonl);
            return this;
        }

        /** Adds report (or alert) records that are already parsed. */
        public Builder addReports(List<JsonNode> records) {
            input.addReports(records);
            return this;
        }

        /**
         * Reads an alert stream file (JSON lines); alert spans then come from it, not from the
         * reports.
         */
        public Builder optAlerts(Path jsonl) throws IOException {
            input.addAlerts(jsonl);
            return this;
        }

        /** Adds alert records that are already parsed; alert spans then come from alert records. */
        public Builder optAlerts(List<JsonNode> records) {
            input.addAlerts(records);
            return this;
        }

        public Builder optTitle(String title) {
            this.title = title;
            return this;
        }

        /** The significance level drawn as the threshold line (the job's {@code --p-value}). */
        public Builder optPValueThreshold(double alpha) {
            if (!(alpha > 0 && alpha < 1)) {
                throw new IllegalArgumentException(
                        "p-value threshold must be in (0, 1), got " + alpha);
            }
            this.pValueThreshold = alpha;
            return this;
        }

        public HtmlReport build() throws IOException {
            ReportStreamReader.Contents contents = input.contents(pValueThreshold);
            Map<String, EventInputs.Input> inputs = Map.of();
            if (events != null) {
                Set<String> wanted = new HashSet<>();
                contents.windowsByModel()
                        .forEach(
                                (model, windows) ->
                                        windows.forEach(
                                                w -> {
                                                    w.exemplars()
                                                            .window()
                                                            .forEach(
                                                                    n ->
                                                                            wanted.add(
                                                                                    EventInputs.key(
                                                                                            model,
                                                                                            n
                                                                                                    .name())));
                                                    w.exemplars()
                                                            .outliers()
                                                            .forEach(
                                                                    n ->
                                                                            wanted.add(
                                                                                    EventInputs.key(
                                                                                            model,
                                                                                            n
                                                                                                    .name())));
                                                }));
                inputs = EventInputs.read(events, wanted);
            }
            return new HtmlReport(title, pValueThreshold, contents, inputs);
        }
    }

    private static String resource(String name) {
        try (InputStream in = HtmlReport.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException(
                        "missing resource " + name + " next to " + HtmlReport.class.getName());
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
