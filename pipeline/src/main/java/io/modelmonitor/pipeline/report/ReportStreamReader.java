package io.modelmonitor.pipeline.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Reads the job's report and alert streams as {@link HtmlReport} shows them
 * (docs/data-contracts.md): the highest {@code revision} of each window wins, a line that is not
 * valid JSON (such as the half-written last line of a file the job is still writing) is skipped and
 * counted, and without an alert stream the alert spans are derived from the reports' own verdicts.
 */
final class ReportStreamReader {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<String> sources = new ArrayList<>();
    private final List<JsonNode> reports = new ArrayList<>();
    private final List<JsonNode> alerts = new ArrayList<>();
    private boolean alertsGiven;
    private int skippedLines;

    /**
     * What a page shows: windows per model (sorted by time; models in name order), alert spans per
     * model, and what was left out.
     */
    record Contents(
            List<String> sources,
            Map<String, List<WindowReport>> windowsByModel,
            Map<String, List<AlertSpan>> alertsByModel,
            boolean alertsFromStream,
            int skippedLines,
            int supersededRevisions) {}

    /** Reads a report stream file; alert records found in it are taken as alerts. */
    void addReports(Path jsonl) throws IOException {
        sources.add(jsonl.toString());
        readLines(jsonl);
    }

    void addReports(List<JsonNode> records) {
        records.forEach(this::accept);
    }

    /**
     * Reads an alert stream file; alert spans then come from alert records, not from the reports.
     */
    void addAlerts(Path jsonl) throws IOException {
        sources.add(jsonl.toString());
        alertsGiven = true;
        readLines(jsonl);
    }

    void addAlerts(List<JsonNode> records) {
        alertsGiven = true;
        records.forEach(this::accept);
    }

    /**
     * The latest revision of each window, and the alert spans: from the alert records when any were
     * given, else derived from the reports at significance level {@code pValueThreshold}.
     */
    Contents contents(double pValueThreshold) {
        Map<String, WindowReport> latest = new LinkedHashMap<>();
        int superseded = 0;
        int skipped = skippedLines;
        for (JsonNode n : reports) {
            WindowReport w;
            try {
                w = WindowReport.fromJson(n);
            } catch (IllegalArgumentException e) {
                skipped++;
                continue;
            }
            String key = w.model() + '\u0000' + w.windowStart() + '\u0000' + w.windowEnd();
            WindowReport before = latest.get(key);
            if (before != null) {
                superseded++;
                if (before.revision() > w.revision()) {
                    continue; // a lower revision arriving late never replaces a newer one
                }
            }
            latest.put(key, w);
        }
        Map<String, List<WindowReport>> byModel = new TreeMap<>();
        for (WindowReport w : latest.values()) {
            byModel.computeIfAbsent(w.model(), m -> new ArrayList<>()).add(w);
        }
        Map<String, Instant> dataEnd = new LinkedHashMap<>();
        byModel.forEach(
                (m, ws) -> {
                    ws.sort(
                            Comparator.comparing(WindowReport::windowStart)
                                    .thenComparing(WindowReport::windowEnd));
                    dataEnd.put(m, ws.get(ws.size() - 1).windowEnd());
                });
        Map<String, List<AlertSpan>> spans = new TreeMap<>();
        boolean fromStream = alertsGiven || !alerts.isEmpty();
        if (fromStream) {
            List<AlertSpan> all;
            try {
                all = AlertSpan.fromAlerts(alerts, dataEnd);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("alert stream: " + e.getMessage(), e);
            }
            for (AlertSpan s : all) {
                spans.computeIfAbsent(s.model(), m -> new ArrayList<>()).add(s);
            }
        } else {
            byModel.forEach((m, ws) -> spans.put(m, AlertSpan.fromReports(ws, pValueThreshold)));
        }
        // A model that only appears in alerts still gets a section, built around its alert spans.
        for (String m : new TreeSet<>(spans.keySet())) {
            if (!byModel.containsKey(m) && !spans.get(m).isEmpty()) {
                byModel.put(m, new ArrayList<>(List.of(placeholder(m, spans.get(m)))));
            }
        }
        return new Contents(List.copyOf(sources), byModel, spans, fromStream, skipped, superseded);
    }

    private static WindowReport placeholder(String model, List<AlertSpan> spans) {
        Instant start =
                spans.stream().map(AlertSpan::start).min(Comparator.naturalOrder()).orElseThrow();
        Instant end =
                spans.stream().map(AlertSpan::end).max(Comparator.naturalOrder()).orElseThrow();
        return new WindowReport(
                model,
                start,
                end,
                0,
                0,
                true,
                Double.NaN,
                false,
                Double.NaN,
                null,
                false,
                Double.NaN,
                Double.NaN,
                Double.NaN,
                Double.NaN,
                Double.NaN,
                Double.NaN,
                Double.NaN,
                0,
                0,
                0,
                Double.NaN,
                Double.NaN,
                Double.NaN,
                WindowReport.Exemplars.NONE);
    }

    private void readLines(Path file) throws IOException {
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            while ((line = r.readLine()) != null) {
                if (line.isBlank()) {
                    continue;
                }
                try {
                    accept(JSON.readTree(line));
                } catch (JsonProcessingException e) {
                    skippedLines++;
                }
            }
        }
    }

    private void accept(JsonNode n) {
        if (AlertSpan.isAlert(n)) {
            if (!n.hasNonNull("window_start")) {
                skippedLines++;
                return;
            }
            alerts.add(n);
        } else if (WindowReport.isReport(n)) {
            reports.add(n);
        } else {
            skippedLines++;
        }
    }
}
