package io.modelmonitor.pipeline.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.modelmonitor.models.bundle.ModelReference;
import io.modelmonitor.pipeline.connect.Connectors;
import io.modelmonitor.pipeline.connect.Endpoint;
import io.modelmonitor.pipeline.connect.JsonLinesFileSink;
import io.modelmonitor.pipeline.job.MonitorJob;
import io.modelmonitor.pipeline.options.JobSettings;
import io.modelmonitor.pipeline.options.RunOptions;
import io.modelmonitor.pipeline.testutil.JsonLines;
import io.modelmonitor.pipeline.testutil.TestBundles;
import io.modelmonitor.pipeline.testutil.TestStreams;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.SplittableRandom;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Many models at parallelism 4 on two TaskManagers give, window for window, the reports and alerts
 * of parallelism 1: {@code -Dscale.models} numeric models (default 200), a quarter of them drifting
 * from the third window and a tenth retrained by a reference update from the fourth. The events are
 * interleaved across models, so every subtask of the keyed stages holds many models and the
 * embedding stage's subtasks each see every model and every update. Prints events/s of both runs.
 */
class ParallelismTest {
    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(2)
                            .setNumberSlotsPerTaskManager(2)
                            .build());

    static final long HOUR = TestStreams.HOUR;
    static final long T0 = ReliabilityFixtures.T0;
    static final int WINDOWS = 6;
    static final int PER_WINDOW = 60;
    static final int D = 3;

    @TempDir static Path dir;

    @Test
    void parallelismFourReportsWhatParallelismOneReports() throws Exception {
        int models = Integer.getInteger("scale.models", 200);
        SplittableRandom random = new SplittableRandom(41);
        Map<String, ModelReference> references = new LinkedHashMap<>();
        for (int m = 0; m < models; m++) {
            String name = "model-" + m;
            references.put(
                    name,
                    TestStreams.numericReference(
                            name, TestStreams.gaussian(200, D, 0, random), 0.9));
        }
        Path retrained =
                TestBundles.fitNumeric(
                        dir.resolve("retrained"), TestStreams.gaussian(600, D, 0, random));
        List<String> updates = new ArrayList<>();
        for (int m = 0; m < models; m += 10) {
            updates.add(TestBundles.update("model-" + m, retrained, T0 + 3 * HOUR));
        }
        List<String> events = new ArrayList<>();
        for (int w = 0; w < WINDOWS; w++) {
            for (int j = 0; j < PER_WINDOW; j++) {
                for (int m = 0; m < models; m++) {
                    double shift = m % 4 == 0 && w >= 2 ? 1.5 : 0;
                    double[] x = TestStreams.gaussian(1, D, shift, random)[0];
                    long ts = T0 + w * HOUR + j * (HOUR / PER_WINDOW) + m % 1000;
                    events.add(
                            TestStreams.event(
                                    "m" + m + "-" + w + "-" + j,
                                    ts,
                                    "model-" + m,
                                    x,
                                    j % 2 == 0 ? "a" : "b"));
                }
            }
        }
        Path eventsFile = JsonLines.write(dir.resolve("events.jsonl"), events);
        Path updatesFile = JsonLines.write(dir.resolve("updates.jsonl"), updates);

        Run one = run("p1", 1, references, eventsFile, updatesFile);
        Run four = run("p4", 4, references, eventsFile, updatesFile);
        System.out.printf(
                Locale.ROOT,
                "%nparallelism (%d models, %d events): parallelism 1 %.0f events/s, parallelism 4 on two TaskManagers %.0f events/s%n",
                models,
                events.size(),
                events.size() / one.seconds,
                events.size() / four.seconds);

        assertEquals(models * WINDOWS, one.reports.size(), "a report per model and window");
        assertTrue(
                one.reports.stream().anyMatch(r -> r.contains(retrainedId(retrained))),
                "the retrained bundle tested windows");
        assertTrue(one.alerts.stream().anyMatch(a -> a.contains("drift.mmd")), "drift alerts");
        assertEquals(one.reports, four.reports, "reports, window for window");
        assertEquals(one.alerts, four.alerts, "alerts");
    }

    static String retrainedId(Path bundle) {
        return io.modelmonitor.pipeline.references.Bundles.id("model-0", bundle);
    }

    record Run(List<String> reports, List<String> alerts, double seconds) {}

    static Run run(
            String name,
            int parallelism,
            Map<String, ModelReference> references,
            Path events,
            Path updates)
            throws Exception {
        Connectors connectors =
                new Connectors(new Properties(), name, RunOptions.StartingOffsets.EARLIEST);
        Path out = dir.resolve(name);
        Files.createDirectories(out);
        MonitorJob job =
                new MonitorJob(
                                JobSettings.of(
                                        "window-size", "1h",
                                        "min-window-count", "30",
                                        "permutations", "200",
                                        "source-idleness", "0s",
                                        "seed", "9"),
                                references,
                                connectors.source(
                                        Endpoint.parse("events", "file:" + events, false)),
                                null,
                                new JsonLinesFileSink(out.resolve("alerts.jsonl")),
                                new JsonLinesFileSink(out.resolve("reports.jsonl")),
                                new JsonLinesFileSink(out.resolve("dead-letters.jsonl")))
                        .withReferenceUpdates(
                                connectors.source(
                                        Endpoint.parse("references", "file:" + updates, false)));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(parallelism);
        job.addTo(env);
        long t0 = System.nanoTime();
        env.execute("parallelism-" + name);
        double seconds = (System.nanoTime() - t0) / 1e9;
        return new Run(
                sorted(out.resolve("reports.jsonl")), sorted(out.resolve("alerts.jsonl")), seconds);
    }

    /** The lines, sorted: their order across models differs between parallelisms. */
    static List<String> sorted(Path file) throws Exception {
        return Files.readAllLines(file).stream().filter(l -> !l.isBlank()).sorted().toList();
    }
}
