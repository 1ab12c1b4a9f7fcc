package io.modelmonitor.pipeline.cli;

import static io.modelmonitor.pipeline.options.SharedOptions.OUT;
import static io.modelmonitor.pipeline.options.SharedOptions.SEED;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.modelmonitor.pipeline.demo.DemoData;
import io.modelmonitor.pipeline.demo.ForecastDemoData;
import io.modelmonitor.pipeline.options.DemoOptions;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;
import org.apache.flink.configuration.ConfigOption;

/**
 * {@code ./monitor demo}: generates one simulated day of a model's traffic with injected incidents,
 * fits a reference bundle, runs the job on the embedded Flink, prints the alerts and writes the
 * HTML report. The default scenario is a sentiment model with three incidents (see {@link
 * DemoData}), embedded by the real MiniLM encoder; {@code --scenario forecast} is a delivery-time
 * forecaster whose errors grow (see {@link ForecastDemoData}).
 *
 * <p>It is composed of the other commands, called exactly as a user would call them, so the demo
 * exercises the product's real paths and nothing else.
 */
public final class DemoCommand implements Command {
    static final Instant DAY = Instant.parse("2026-11-28T00:00:00Z");
    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public boolean runsFlinkJob() {
        return true;
    }

    @Override
    public String name() {
        return "demo";
    }

    @Override
    public String summary() {
        return "self-contained demo: a simulated day with injected incidents, fitted, monitored, reported";
    }

    @Override
    public List<ConfigOption<?>> options() {
        return CommandLine.ordered(DemoOptions.SCENARIO, OUT, SEED);
    }

    @Override
    public int run(CommandLine line) throws Exception {
        Path out = Path.of(line.config().getOptional(OUT).orElse("demo-out")).toAbsolutePath();
        long seed = line.config().get(SEED);
        Files.createDirectories(out);
        PrintStream say = System.out;
        Scenario scenario =
                line.config().get(DemoOptions.SCENARIO).equals("forecast")
                        ? forecast(seed, out, say)
                        : sentiment(seed, out, say);

        Path bundle = out.resolve("bundle");
        List<String> fit = new ArrayList<>();
        fit.addAll(
                List.of(
                        "fit",
                        "--reference",
                        out.resolve("reference.jsonl").toString(),
                        "--labels",
                        out.resolve("reference-labels.jsonl").toString(),
                        "--out",
                        bundle.toString(),
                        "--seed",
                        Long.toString(seed)));
        fit.addAll(scenario.fitArgs());
        step(say, "fitting the reference bundle (" + scenario.fitting() + ")", fit);
        Path alerts = out.resolve("alerts.jsonl");
        Path reports = out.resolve("reports.jsonl");
        Files.deleteIfExists(alerts);
        Files.deleteIfExists(reports);
        say.println(
                "demo: running the monitoring job on the embedded Flink (1h windows); alerts as they happen:");
        // Checkpoints every second flush the alert file, so the follower prints alerts while the
        // job runs.
        try (AlertFollower follower = new AlertFollower(alerts, say)) {
            step(
                    say,
                    null,
                    List.of(
                            "run",
                            "--bundle",
                            scenario.model() + "=" + bundle,
                            "--events",
                            "file:" + out.resolve("events.jsonl"),
                            "--labels",
                            "file:" + out.resolve("labels.jsonl"),
                            "--alerts",
                            "file:" + alerts,
                            "--reports",
                            "file:" + reports,
                            "--dead-letters",
                            "file:" + out.resolve("dead-letters.jsonl"),
                            "--window-size",
                            "1h",
                            "--max-out-of-orderness",
                            "1m",
                            "--label-timeout",
                            "6h",
                            "--alpha",
                            "0.01",
                            "--seed",
                            Long.toString(seed),
                            "--checkpoint-interval",
                            "1s"));
        }
        Path html = out.resolve("report.html");
        step(
                say,
                "writing the HTML report",
                List.of(
                        "report",
                        "--reports",
                        "file:" + reports,
                        "--alerts",
                        "file:" + alerts,
                        "--events",
                        "file:" + out.resolve("events.jsonl"),
                        "--alpha",
                        "0.01",
                        "--out",
                        html.toString()));
        say.printf(
                "%ndemo: done. Outputs in %s:%n  report.html (open in a browser), alerts.jsonl, reports.jsonl,"
                        + " dead-letters.jsonl, bundle/, events.jsonl, labels.jsonl%n",
                out);
        return 0;
    }

    /**
     * One simulated day, written as the four input files every scenario has: {@code
     * reference.jsonl}, {@code reference-labels.jsonl}, {@code events.jsonl} and {@code
     * labels.jsonl} (in label-time order, as labels arrive).
     */
    private record Scenario(String model, String fitting, List<String> fitArgs) {}

    private static Scenario sentiment(long seed, Path out, PrintStream say) throws IOException {
        DemoData data = new DemoData(seed, 150);
        say.printf("demo: generating a simulated day of sentiment-model traffic in %s%n", out);
        say.printf(
                "      topic shift %02d:00-%02d:00, outlier burst %02d:00, accuracy drop from %02d:00 (labels %dh late)%n",
                DemoData.TOPIC_SHIFT_START,
                DemoData.TOPIC_SHIFT_END,
                DemoData.OUTLIER_HOUR,
                DemoData.ACCURACY_DROP_START,
                DemoData.LABEL_DELAY.toHours());
        List<DemoData.Record> reference = data.reference(2000);
        List<DemoData.Record> day = data.day(DAY);
        write(out.resolve("reference.jsonl"), reference, DemoCommand::sentimentEvent);
        write(
                out.resolve("reference-labels.jsonl"),
                reference,
                r -> label(r.id(), r.labelTs()).put("label", r.label()));
        write(out.resolve("events.jsonl"), day, DemoCommand::sentimentEvent);
        List<DemoData.Record> byLabelTime = new ArrayList<>(day);
        byLabelTime.sort(Comparator.comparing(DemoData.Record::labelTs));
        write(
                out.resolve("labels.jsonl"),
                byLabelTime,
                r -> label(r.id(), r.labelTs()).put("label", r.label()));
        return new Scenario("sentiment", "MiniLM embeddings, PCA, outlier autoencoder", List.of());
    }

    private static Scenario forecast(long seed, Path out, PrintStream say) throws IOException {
        ForecastDemoData data = new ForecastDemoData(seed, 150);
        say.printf(
                "demo: generating a simulated day of a delivery-time forecaster in %s%n"
                        + "      inputs distance_km, weight_kg, items, express; forecast in minutes; each label arrives%n"
                        + "      when its parcel is delivered; a congested depot makes deliveries slower than forecast from %02d:00%n",
                out, ForecastDemoData.CONGESTION_START);
        List<ForecastDemoData.Record> reference = data.reference(2000);
        List<ForecastDemoData.Record> day = data.day(DAY);
        write(out.resolve("reference.jsonl"), reference, DemoCommand::forecastEvent);
        write(out.resolve("reference-labels.jsonl"), reference, DemoCommand::forecastLabel);
        write(out.resolve("events.jsonl"), day, DemoCommand::forecastEvent);
        List<ForecastDemoData.Record> byLabelTime = new ArrayList<>(day);
        byLabelTime.sort(Comparator.comparing(ForecastDemoData.Record::labelTs));
        write(out.resolve("labels.jsonl"), byLabelTime, DemoCommand::forecastLabel);
        // Whole minutes are JSON integers: the task is stated, never guessed from the numbers.
        return new Scenario(
                "delivery-time",
                "standardisation, PCA, outlier autoencoder, reference errors",
                List.of("--task", "regression"));
    }

    private static void step(PrintStream say, String what, List<String> args) {
        if (what != null) {
            say.printf("demo: %s ...%n", what);
        }
        long t0 = System.nanoTime();
        int status = Main.execute(args.toArray(String[]::new), System.out, System.err);
        if (status != 0) {
            throw new IllegalStateException(
                    "step '" + args.get(0) + "' failed with status " + status);
        }
        say.printf("      done in %.1f s%n", (System.nanoTime() - t0) / 1e9);
    }

    /** Prints each alert line of a file as it appears, until closed (then prints what is left). */
    static final class AlertFollower implements AutoCloseable {
        private final Path file;
        private final PrintStream say;
        private final Thread thread;
        private volatile boolean running = true;
        private long printed;

        AlertFollower(Path file, PrintStream say) {
            this.file = file;
            this.say = say;
            this.thread = new Thread(this::follow, "demo-alert-follower");
            thread.setDaemon(true);
            thread.start();
        }

        private void follow() {
            while (running) {
                printNew();
                try {
                    Thread.sleep(200);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }

        /**
         * Complete lines past the ones already printed; a half-written last line waits for the next
         * call.
         */
        private synchronized void printNew() {
            String content;
            try {
                if (!Files.exists(file)) {
                    return;
                }
                content = Files.readString(file);
            } catch (IOException e) {
                return; // the next poll reads again
            }
            String[] parts =
                    content.split("\n", -1); // the last part is a half-written line, or empty
            long complete = parts.length - 1;
            // The sink truncates the file back to its last checkpoint on a restore.
            printed = Math.min(printed, complete);
            for (long i = printed; i < complete; i++) {
                String line = parts[(int) i];
                if (!line.isBlank()) {
                    try {
                        say.println(format(JSON.readTree(line)));
                    } catch (IOException e) {
                        say.println("  " + line);
                    }
                }
            }
            printed = complete;
        }

        @Override
        public void close() throws InterruptedException {
            running = false;
            thread.join();
            printNew();
        }
    }

    static String format(JsonNode a) {
        return String.format(
                "  %-8s %-22s %-9s window %s  %s",
                a.path("status").asText().toUpperCase(),
                a.path("detector").asText(),
                a.path("severity").asText(),
                a.path("window_start").asText(),
                a.path("message").asText());
    }

    private static ObjectNode sentimentEvent(DemoData.Record r) {
        ObjectNode o = event(r.id(), r.ts(), "sentiment");
        o.put("text", r.text());
        o.put("prediction", r.prediction());
        o.putArray("scores").add(r.scores()[0]).add(r.scores()[1]);
        return o;
    }

    private static ObjectNode forecastEvent(ForecastDemoData.Record r) {
        ObjectNode o = event(r.id(), r.ts(), "delivery-time");
        ObjectNode features = o.putObject("features");
        features.put("distance_km", r.distanceKm());
        features.put("weight_kg", r.weightKg());
        features.put("items", r.items());
        features.put("express", r.express());
        o.put("prediction", r.forecastMinutes());
        return o;
    }

    private static ObjectNode forecastLabel(ForecastDemoData.Record r) {
        return label(r.id(), r.labelTs()).put("label", r.actualMinutes());
    }

    private static ObjectNode event(String id, Instant ts, String model) {
        ObjectNode o = JSON.createObjectNode();
        o.put("id", id);
        o.put("ts", ts.toString());
        o.put("model", model);
        return o;
    }

    private static ObjectNode label(String id, Instant ts) {
        ObjectNode o = JSON.createObjectNode();
        o.put("id", id);
        o.put("ts", ts.toString());
        return o;
    }

    private static <R> void write(Path file, List<R> records, Function<R, ObjectNode> json)
            throws IOException {
        try (BufferedWriter w = Files.newBufferedWriter(file)) {
            for (R r : records) {
                w.write(JSON.writeValueAsString(json.apply(r)));
                w.newLine();
            }
        }
    }
}
