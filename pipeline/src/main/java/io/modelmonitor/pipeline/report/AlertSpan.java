package io.modelmonitor.pipeline.report;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The time during which one alert condition held: from the start of the window that opened it to
 * the start of the window that resolved it (or to the end of the data while it is still open).
 *
 * <p>Spans come either from the alert stream (docs/data-contracts.md: an {@code open} record, later
 * a {@code resolved} record with the same {@code alert_id}) or, when no alert stream is given, are
 * derived from the report records' own verdicts (consecutive windows with {@code drift: true}).
 *
 * @param end exclusive; for a span still open, the end of the last window seen for its model
 * @param resolved whether a {@code resolved} record (or a non-drifting window) closed it
 * @param derived true when reconstructed from report records rather than read from alert records
 */
record AlertSpan(
        String model,
        String detector,
        String severity,
        Instant start,
        Instant end,
        boolean resolved,
        double pValue,
        double threshold,
        String message,
        boolean derived) {

    static final Comparator<AlertSpan> ORDER =
            Comparator.comparing(AlertSpan::model)
                    .thenComparing(AlertSpan::start)
                    .thenComparing(AlertSpan::detector);

    /** Whether {@code node} is an alert record. */
    static boolean isAlert(JsonNode node) {
        return node.isObject() && node.hasNonNull("detector") && node.hasNonNull("status");
    }

    /**
     * Pairs open and resolved alert records into spans, in stream order.
     *
     * @param dataEnd per model, the end of its last reported window: where still-open spans stop
     */
    static List<AlertSpan> fromAlerts(List<JsonNode> alerts, Map<String, Instant> dataEnd) {
        Map<String, JsonNode> open = new LinkedHashMap<>();
        List<AlertSpan> out = new ArrayList<>();
        for (JsonNode a : alerts) {
            String key = key(a);
            String status = a.get("status").asText();
            if ("open".equalsIgnoreCase(status)) {
                open.putIfAbsent(key, a); // a replayed open record does not restart the span
            } else if ("resolved".equalsIgnoreCase(status)) {
                JsonNode opened = open.remove(key);
                Instant resolvedAt = resolvedAt(a, opened);
                out.add(span(opened != null ? opened : a, resolvedAt, true));
            }
        }
        for (JsonNode a : open.values()) {
            String model = modelOf(a);
            Instant start = WindowReport.time(a.get("window_start"), "window_start");
            Instant end = dataEnd.getOrDefault(model, windowEnd(a, start));
            out.add(span(a, end.isAfter(start) ? end : windowEnd(a, start), false));
        }
        out.sort(ORDER);
        return out;
    }

    /**
     * Spans for the drift verdicts carried by the reports themselves: every maximal run of
     * consecutive tested windows whose {@code drift.mmd.drift} (or {@code drift.prediction.drift})
     * is true. Insufficient windows neither extend nor end a run: they carry no verdict.
     *
     * @param windows one model's windows, sorted by start
     */
    static List<AlertSpan> fromReports(List<WindowReport> windows, double threshold) {
        List<AlertSpan> out = new ArrayList<>();
        runs(
                windows,
                "drift.mmd",
                w -> !Double.isNaN(w.mmdPValue()),
                WindowReport::mmdDrift,
                WindowReport::mmdPValue,
                threshold,
                "input drift reported by the MMD test",
                out);
        runs(
                windows,
                "drift.prediction",
                w -> !Double.isNaN(w.predictionPValue()),
                WindowReport::predictionDrift,
                WindowReport::predictionPValue,
                threshold,
                "prediction drift reported",
                out);
        out.sort(ORDER);
        return out;
    }

    private static void runs(
            List<WindowReport> windows,
            String detector,
            java.util.function.Predicate<WindowReport> tested,
            java.util.function.Predicate<WindowReport> flagged,
            java.util.function.ToDoubleFunction<WindowReport> pValue,
            double threshold,
            String message,
            List<AlertSpan> out) {
        WindowReport first = null;
        WindowReport last = null;
        for (WindowReport w : windows) {
            if (w.insufficient() || !tested.test(w)) {
                continue;
            }
            if (flagged.test(w)) {
                if (first == null) {
                    first = w;
                }
                last = w;
            } else if (first != null) {
                out.add(
                        derived(
                                first,
                                w.windowStart(),
                                true,
                                detector,
                                pValue,
                                threshold,
                                message));
                first = null;
            }
        }
        if (first != null) {
            out.add(derived(first, last.windowEnd(), false, detector, pValue, threshold, message));
        }
    }

    private static AlertSpan derived(
            WindowReport first,
            Instant end,
            boolean resolved,
            String detector,
            java.util.function.ToDoubleFunction<WindowReport> pValue,
            double threshold,
            String message) {
        Instant stop = end.isAfter(first.windowStart()) ? end : first.windowEnd();
        return new AlertSpan(
                first.model(),
                detector,
                "derived",
                first.windowStart(),
                stop,
                resolved,
                pValue.applyAsDouble(first),
                threshold,
                message,
                true);
    }

    private static AlertSpan span(JsonNode opened, Instant end, boolean resolved) {
        Instant start = WindowReport.time(opened.get("window_start"), "window_start");
        return new AlertSpan(
                modelOf(opened),
                opened.get("detector").asText(),
                text(opened, "severity"),
                start,
                end.isAfter(start) ? end : windowEnd(opened, start),
                resolved,
                number(opened, "p_value"),
                number(opened, "threshold"),
                text(opened, "message"),
                false);
    }

    /**
     * The resolved record names the window in which the condition no longer held: the alert covered
     * everything before its start. A resolved record that repeats the opening window closes that
     * window.
     */
    private static Instant resolvedAt(JsonNode resolved, JsonNode opened) {
        Instant at = WindowReport.time(resolved.get("window_start"), "window_start");
        if (opened != null) {
            Instant start = WindowReport.time(opened.get("window_start"), "window_start");
            if (!at.isAfter(start)) {
                return windowEnd(resolved, at);
            }
        }
        return at;
    }

    private static String key(JsonNode a) {
        if (a.hasNonNull("alert_id")) {
            return a.get("alert_id").asText();
        }
        return modelOf(a) + "/" + a.get("detector").asText();
    }

    private static String modelOf(JsonNode a) {
        return a.hasNonNull("model") ? a.get("model").asText() : "default";
    }

    private static Instant windowEnd(JsonNode a, Instant fallback) {
        return a.hasNonNull("window_end")
                ? WindowReport.time(a.get("window_end"), "window_end")
                : fallback;
    }

    private static String text(JsonNode a, String field) {
        return a.hasNonNull(field) ? a.get(field).asText() : "";
    }

    private static double number(JsonNode a, String field) {
        JsonNode v = a.get(field);
        return v != null && v.isNumber() ? v.asDouble() : Double.NaN;
    }
}
