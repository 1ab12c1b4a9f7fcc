package io.modelmonitor.pipeline.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.modelmonitor.detectors.stats.SpecialFunctions;
import io.modelmonitor.pipeline.demo.DemoData;
import java.io.BufferedWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * The alert policy measured on the real job: false alerts per model per 30 days on clean streams,
 * and how many windows it takes to alert on known changes. Every run goes through {@code ./monitor
 * fit} and {@code ./monitor run} at default settings (hourly windows).
 *
 * <p>Each model is a calibrated binary classifier on four N(0, 1) features: class "b" with
 * probability σ(3 x0 + 2 x1 − 1.6 x2), predicted when that probability exceeds ½ (accuracy about
 * 0.89), labels drawn from it and arriving three hours late. Windows hold 100 events. So every
 * statistic of the stream matches the model's reference (2,000 events and their labels) except
 * where a change is injected:
 *
 * <ul>
 *   <li><b>clean</b>: nothing changes; every alert is false.
 *   <li><b>mean shift</b>: from a known hour, feature x3 (which the model ignores) moves by half a
 *       standard deviation; the delay is counted in windows to the first drift alert.
 *   <li><b>accuracy drop</b>: from a known hour, labels are flipped so that accuracy falls by 8
 *       points while inputs and scores stay the same; the delay is to the first performance alert.
 * </ul>
 *
 * <pre>{@code
 * AlertSoak.Result clean = AlertSoak.clean(Main::execute, dir, 4, 30, 42);
 * System.out.println(clean.falseAlertsPerModelMonth());
 * }</pre>
 */
public final class AlertSoak {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long HOUR = 3_600_000L;
    private static final long START = Instant.parse("2026-01-01T00:00:00Z").toEpochMilli();
    private static final int WINDOW_EVENTS = 100;
    private static final int FEATURES = 4;
    private static final long LABEL_DELAY = 3 * HOUR;

    /** Where the injected changes start: after two clean days. */
    public static final int CHANGE_HOUR = 48;

    private AlertSoak() {}

    /**
     * Runs one {@code ./monitor} command line and returns its exit status: {@code
     * cli.Main::execute}. Passed in rather than called, because the CLI sits above this package and
     * lists it as a command.
     */
    @FunctionalInterface
    public interface Monitor {
        int execute(String[] args, PrintStream out, PrintStream err);
    }

    /** The alerts of one run, by model, and what was streamed. */
    public static final class Result {
        public final int models;
        public final int days;
        public final List<JsonNode> alerts;

        /**
         * Each window's last report, as the alert policy saw its p-values ({@code
         * alerting.p_values}).
         */
        public final List<JsonNode> reports;

        Result(int models, int days, List<JsonNode> alerts, List<JsonNode> reports) {
            this.models = models;
            this.days = days;
            this.alerts = alerts;
            this.reports = reports;
        }

        /**
         * The baseline on the same reports: alerts per model-month that the former rule would have
         * opened, each window deciding each detector at {@code alpha} on its own (open when p &lt;
         * alpha, resolve on the next window with p &ge; alpha).
         */
        public double perWindowRuleAlertsPerModelMonth(double alpha) {
            int opened = 0;
            for (Map<String, Map<String, Double>> byWindow : pValues().values()) {
                for (Map<String, Double> windows : byWindow.values()) {
                    boolean open = false;
                    for (double p : windows.values()) {
                        if (!open && p < alpha) {
                            opened++;
                        }
                        open = p < alpha;
                    }
                }
            }
            return opened / modelMonths();
        }

        /**
         * Per detector: windows tested and the share of them with p below 1e-2 and 1e-3. On a clean
         * stream these should be at most 0.01 and 0.001: the policy's calibration assumes valid
         * p-values.
         */
        public Map<String, Map<String, Object>> pValueTails() {
            Map<String, Map<String, Object>> out = new TreeMap<>();
            pValues()
                    .forEach(
                            (detector, byModel) -> {
                                List<Double> p =
                                        byModel.values().stream()
                                                .flatMap(w -> w.values().stream())
                                                .toList();
                                Map<String, Object> t = new LinkedHashMap<>();
                                t.put("windows", p.size());
                                t.put("below_1e-2", round(shareBelow(p, 1e-2)));
                                t.put("below_1e-3", round(shareBelow(p, 1e-3)));
                                out.put(detector, t);
                            });
            return out;
        }

        private static double shareBelow(List<Double> p, double level) {
            return p.stream().filter(v -> v < level).count() / (double) p.size();
        }

        /**
         * The p-value each window gave the alert policy, by detector, then model, then window start
         * (in time order); the last revision of a window wins.
         */
        private Map<String, Map<String, Map<String, Double>>> pValues() {
            Map<String, Map<String, Map<String, Double>>> out = new TreeMap<>();
            for (JsonNode r : reports) {
                String model = r.get("model").asText();
                String window = r.get("window_start").asText();
                r.path("alerting")
                        .path("p_values")
                        .fields()
                        .forEachRemaining(
                                e ->
                                        out.computeIfAbsent(e.getKey(), k -> new TreeMap<>())
                                                .computeIfAbsent(model, k -> new TreeMap<>())
                                                .put(window, e.getValue().asDouble()));
            }
            return out;
        }

        public double modelMonths() {
            return models * days / 30.0;
        }

        public List<JsonNode> opened() {
            return alerts.stream().filter(a -> a.get("status").asText().equals("open")).toList();
        }

        public double falseAlertsPerModelMonth() {
            return opened().size() / modelMonths();
        }

        /** Opened alerts by detector. */
        public Map<String, Integer> byDetector() {
            Map<String, Integer> out = new TreeMap<>();
            opened().forEach(a -> out.merge(a.get("detector").asText(), 1, Integer::sum));
            return out;
        }

        /** Exact (Garwood) 95 % interval of the rate per model-month, from a Poisson count. */
        public double[] interval95() {
            int k = opened().size();
            double lo = k == 0 ? 0 : gammaQuantile(k, 0.025);
            double hi = gammaQuantile(k + 1, 0.975);
            return new double[] {lo / modelMonths(), hi / modelMonths()};
        }

        /**
         * Per model, windows from the change to the first alert of one of {@code detectors} opening
         * at or after it (1 = the change's own window); {@code Integer.MAX_VALUE} when none opened.
         */
        public List<Integer> delays(List<String> detectors) {
            List<Integer> out = new ArrayList<>();
            for (int m = 0; m < models; m++) {
                String model = model(m);
                long change = START + CHANGE_HOUR * HOUR;
                int best = Integer.MAX_VALUE;
                for (JsonNode a : opened()) {
                    long start = Instant.parse(a.get("window_start").asText()).toEpochMilli();
                    if (a.get("model").asText().equals(model)
                            && detectors.contains(a.get("detector").asText())
                            && start >= change) {
                        best = Math.min(best, (int) ((start - change) / HOUR) + 1);
                    }
                }
                out.add(best);
            }
            return out;
        }
    }

    /** {@code models} clean models over {@code days} days. */
    public static Result clean(Monitor monitor, Path dir, int models, int days, long seed)
            throws IOException {
        return run(monitor, dir, models, days, seed, Change.NONE);
    }

    /** Half a standard deviation of shift in one input from {@link #CHANGE_HOUR}. */
    public static Result meanShift(Monitor monitor, Path dir, int models, int days, long seed)
            throws IOException {
        return run(monitor, dir, models, days, seed, Change.MEAN_SHIFT);
    }

    /** Eight points of accuracy lost from {@link #CHANGE_HOUR}, seen through labels only. */
    public static Result accuracyDrop(Monitor monitor, Path dir, int models, int days, long seed)
            throws IOException {
        return run(monitor, dir, models, days, seed, Change.ACCURACY_DROP);
    }

    private enum Change {
        NONE,
        MEAN_SHIFT,
        ACCURACY_DROP
    }

    static String model(int m) {
        return "model-" + m;
    }

    private static Result run(
            Monitor monitor, Path dir, int models, int days, long seed, Change change)
            throws IOException {
        Files.createDirectories(dir);
        List<String> args = new ArrayList<>(List.of("run"));
        double accuracy = referenceAccuracy(seed);
        for (int m = 0; m < models; m++) {
            Path modelDir = dir.resolve(model(m));
            Files.createDirectories(modelDir);
            writeReference(modelDir, new SplittableRandom(seed * 1000 + m));
            call(
                    monitor,
                    "fit",
                    "--reference",
                    modelDir.resolve("reference.jsonl").toString(),
                    "--labels",
                    modelDir.resolve("reference-labels.jsonl").toString(),
                    "--out",
                    modelDir.resolve("bundle").toString(),
                    "--seed",
                    Long.toString(seed + m));
            args.add("--bundle");
            args.add(model(m) + "=" + modelDir.resolve("bundle"));
        }
        Path events = dir.resolve("events.jsonl");
        Path labels = dir.resolve("labels.jsonl");
        writeStream(events, labels, models, days, seed, change, accuracy);
        Path alerts = dir.resolve("alerts.jsonl");
        Files.deleteIfExists(alerts);
        Path reports = dir.resolve("reports.jsonl");
        Files.deleteIfExists(reports);
        args.addAll(
                List.of(
                        "--events",
                        "file:" + events,
                        "--labels",
                        "file:" + labels,
                        "--alerts",
                        "file:" + alerts,
                        "--reports",
                        "file:" + reports,
                        "--seed",
                        Long.toString(seed)));
        call(monitor, args.toArray(String[]::new));
        return new Result(models, days, readLines(alerts), readLines(reports));
    }

    private static List<JsonNode> readLines(Path file) throws IOException {
        List<JsonNode> out = new ArrayList<>();
        for (String line : Files.readAllLines(file)) {
            if (!line.isBlank()) {
                out.add(JSON.readTree(line));
            }
        }
        return out;
    }

    /**
     * One text model (the demo's sentiment model on product reviews, MiniLM embeddings) over {@code
     * days} clean days of 100 events an hour, labels three hours late.
     */
    public static Result textClean(Monitor monitor, Path dir, int days, long seed)
            throws IOException {
        Files.createDirectories(dir);
        DemoData data = new DemoData(seed, WINDOW_EVENTS);
        try (BufferedWriter ev = Files.newBufferedWriter(dir.resolve("reference.jsonl"));
                BufferedWriter lb =
                        Files.newBufferedWriter(dir.resolve("reference-labels.jsonl"))) {
            for (DemoData.Record r : data.reference(2000)) {
                ev.write(textEvent(r, null));
                ev.newLine();
                lb.write(label(r.id(), r.ts().toEpochMilli(), null, r.label()));
                lb.newLine();
            }
        }
        call(
                monitor,
                "fit",
                "--reference",
                dir.resolve("reference.jsonl").toString(),
                "--labels",
                dir.resolve("reference-labels.jsonl").toString(),
                "--out",
                dir.resolve("bundle").toString(),
                "--seed",
                Long.toString(seed));
        Path events = dir.resolve("events.jsonl");
        Path labels = dir.resolve("labels.jsonl");
        List<DemoData.Record> stream = data.normal(Instant.ofEpochMilli(START), days * 24);
        try (BufferedWriter ev = Files.newBufferedWriter(events);
                BufferedWriter lb = Files.newBufferedWriter(labels)) {
            for (DemoData.Record r : stream) {
                ev.write(textEvent(r, "text-0"));
                ev.newLine();
                lb.write(label(r.id(), r.labelTs().toEpochMilli(), "text-0", r.label()));
                lb.newLine();
            }
        }
        Path alerts = dir.resolve("alerts.jsonl");
        Path reports = dir.resolve("reports.jsonl");
        call(
                monitor,
                "run",
                "--bundle",
                "text-0=" + dir.resolve("bundle"),
                "--events",
                "file:" + events,
                "--labels",
                "file:" + labels,
                "--alerts",
                "file:" + alerts,
                "--reports",
                "file:" + reports,
                "--seed",
                Long.toString(seed));
        return new Result(1, days, readLines(alerts), readLines(reports));
    }

    private static String textEvent(DemoData.Record r, String model) throws IOException {
        ObjectNode o = record(r.id(), r.ts().toEpochMilli(), model);
        o.put("text", r.text());
        o.put("prediction", r.prediction());
        var s = o.putArray("scores");
        for (double v : r.scores()) {
            s.add(v);
        }
        return JSON.writeValueAsString(o);
    }

    /** Row of features, the model's probability of class "b", and the label drawn from it. */
    private record Draw(double[] x, double pB, boolean labelB) {}

    private static Draw draw(SplittableRandom r, double shift) {
        double[] x = new double[FEATURES];
        for (int j = 0; j < FEATURES; j++) {
            x[j] = r.nextGaussian();
        }
        x[FEATURES - 1] += shift;
        double pB = 1 / (1 + Math.exp(-(3 * x[0] + 2 * x[1] - 1.6 * x[2])));
        return new Draw(x, pB, r.nextDouble() < pB);
    }

    /** The model's accuracy, by simulation: the flip rate of the accuracy drop depends on it. */
    private static double referenceAccuracy(long seed) {
        SplittableRandom r = new SplittableRandom(seed ^ 0x5DEECE66DL);
        int correct = 0;
        int n = 200_000;
        for (int i = 0; i < n; i++) {
            Draw d = draw(r, 0);
            correct += (d.pB > 0.5) == d.labelB ? 1 : 0;
        }
        return (double) correct / n;
    }

    private static void writeReference(Path dir, SplittableRandom r) throws IOException {
        try (BufferedWriter ev = Files.newBufferedWriter(dir.resolve("reference.jsonl"));
                BufferedWriter lb =
                        Files.newBufferedWriter(dir.resolve("reference-labels.jsonl"))) {
            for (int i = 0; i < 2000; i++) {
                Draw d = draw(r, 0);
                long ts = START - 30 * 24 * HOUR + i * 1000L;
                ev.write(event("r" + i, ts, null, d));
                ev.newLine();
                lb.write(label("r" + i, ts, null, d.labelB));
                lb.newLine();
            }
        }
    }

    private static void writeStream(
            Path events,
            Path labels,
            int models,
            int days,
            long seed,
            Change change,
            double accuracy)
            throws IOException {
        double flip = 0.08 / (2 * accuracy - 1); // accuracy a(1-q) + (1-a)q = a - 0.08
        SplittableRandom[] random = new SplittableRandom[models];
        for (int m = 0; m < models; m++) {
            random[m] = new SplittableRandom(seed * 7919 + m);
        }
        // Labels are written in their own time order (3 h behind), as a label topic would carry
        // them.
        try (BufferedWriter ev = Files.newBufferedWriter(events);
                BufferedWriter lb = Files.newBufferedWriter(labels)) {
            for (int h = 0; h < days * 24; h++) {
                boolean changed = h >= CHANGE_HOUR;
                for (int i = 0; i < WINDOW_EVENTS; i++) {
                    for (int m = 0; m < models; m++) {
                        SplittableRandom r = random[m];
                        Draw d = draw(r, changed && change == Change.MEAN_SHIFT ? 0.5 : 0);
                        long ts = START + h * HOUR + i * (HOUR / WINDOW_EVENTS) + m;
                        String id = "h" + h + "-" + i;
                        ev.write(event(id, ts, model(m), d));
                        ev.newLine();
                        boolean label = d.labelB;
                        if (changed && change == Change.ACCURACY_DROP && r.nextDouble() < flip) {
                            label = !label;
                        }
                        lb.write(label(id, ts + LABEL_DELAY, model(m), label));
                        lb.newLine();
                    }
                }
            }
        }
    }

    private static String event(String id, long ts, String model, Draw d) throws IOException {
        ObjectNode o = record(id, ts, model);
        var f = o.putArray("features");
        for (double v : d.x) {
            f.add(Math.round(v * 1e6) / 1e6);
        }
        o.put("prediction", d.pB > 0.5 ? "b" : "a");
        var s = o.putArray("scores");
        s.add(Math.round((1 - d.pB) * 1e6) / 1e6);
        s.add(Math.round(d.pB * 1e6) / 1e6);
        return JSON.writeValueAsString(o);
    }

    /**
     * The fields every record of the soak starts with: id, event time, and the model unless it is
     * the only one.
     */
    private static ObjectNode record(String id, long ts, String model) {
        ObjectNode o = JSON.createObjectNode();
        o.put("id", id);
        o.put("ts", Instant.ofEpochMilli(ts).toString());
        if (model != null) {
            o.put("model", model);
        }
        return o;
    }

    private static String label(String id, long ts, String model, boolean b) throws IOException {
        return label(id, ts, model, b ? "b" : "a");
    }

    private static String label(String id, long ts, String model, String value) throws IOException {
        ObjectNode o = record(id, ts, model);
        o.put("label", value);
        return JSON.writeValueAsString(o);
    }

    private static void call(Monitor monitor, String... args) {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status =
                monitor.execute(
                        args, new PrintStream(new ByteArrayOutputStream()), new PrintStream(err));
        if (status != 0) {
            throw new IllegalStateException("alert soak: '" + args[0] + "' failed: " + err);
        }
    }

    /**
     * The p-quantile of Gamma(k, 1), by bisection on the regularised lower incomplete gamma
     * function.
     */
    static double gammaQuantile(double k, double p) {
        double lo = 0;
        double hi = k + 20 * Math.sqrt(k) + 20;
        for (int i = 0; i < 200; i++) {
            double mid = (lo + hi) / 2;
            if (SpecialFunctions.regularizedGammaP(k, mid) < p) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        return (lo + hi) / 2;
    }

    /** The figures the bench command prints. */
    public static List<Map<String, Object>> figures(
            Monitor monitor, Path dir, int models, int days, long seed) throws IOException {
        List<Map<String, Object>> out = new ArrayList<>();
        Result clean = clean(monitor, dir.resolve("clean"), models, days, seed);
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("name", "alerts.false_per_model_month");
        f.put("unit", "alerts per model per 30 days");
        f.put("value", round(clean.falseAlertsPerModelMonth()));
        double[] ci = clean.interval95();
        f.put("ci95", List.of(round(ci[0]), round(ci[1])));
        f.put("model_months", round(clean.modelMonths()));
        f.put("by_detector", clean.byDetector());
        f.put("per_window_rule_at_0.05", round(clean.perWindowRuleAlertsPerModelMonth(0.05)));
        f.put("p_value_tails", clean.pValueTails());
        out.add(f);
        Result text = textClean(monitor, dir.resolve("text"), 7, seed + 3);
        Map<String, Object> t = new LinkedHashMap<>();
        t.put("name", "alerts.text.false_alerts");
        t.put("unit", "alerts");
        t.put("value", text.opened().size());
        t.put("model_months", round(text.modelMonths()));
        t.put("by_detector", text.byDetector());
        t.put("p_value_tails", text.pValueTails());
        out.add(t);
        out.add(
                delayFigure(
                        "alerts.delay.mean_shift",
                        meanShift(monitor, dir.resolve("shift"), models, 4, seed + 1)
                                .delays(List.of("drift.mmd", "drift.feature"))));
        out.add(
                delayFigure(
                        "alerts.delay.accuracy_drop",
                        accuracyDrop(monitor, dir.resolve("accuracy"), models, 5, seed + 2)
                                .delays(List.of("performance"))));
        return out;
    }

    private static Map<String, Object> delayFigure(String name, List<Integer> delays) {
        List<Integer> sorted = delays.stream().sorted().toList();
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("name", name);
        f.put("unit", "windows");
        f.put("value", sorted.get(sorted.size() / 2));
        f.put(
                "max",
                sorted.get(sorted.size() - 1) == Integer.MAX_VALUE
                        ? "never"
                        : sorted.get(sorted.size() - 1));
        f.put(
                "per_model",
                delays.stream().map(d -> d == Integer.MAX_VALUE ? "never" : (Object) d).toList());
        return f;
    }

    private static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }
}
