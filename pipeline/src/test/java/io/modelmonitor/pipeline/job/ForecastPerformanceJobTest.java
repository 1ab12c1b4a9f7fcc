package io.modelmonitor.pipeline.job;

import static io.modelmonitor.pipeline.testutil.TestStreams.HOUR;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.modelmonitor.detectors.performance.RegressionMetrics;
import io.modelmonitor.models.Modality;
import io.modelmonitor.models.bundle.ModelReference;
import io.modelmonitor.models.numeric.Standardizer;
import io.modelmonitor.pipeline.options.JobSettings;
import io.modelmonitor.pipeline.testutil.FileJob;
import io.modelmonitor.pipeline.testutil.JsonLines;
import io.modelmonitor.pipeline.testutil.TestStreams;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A forecasting model on the MiniCluster whose error grows: it forecasts whole units (parcels),
 * written as JSON integers, and its bundle says regression, so 17 is the value 17 and not the class
 * "17". Its labels (the actual counts) arrive half an hour later. The first three hours' errors are
 * like the reference's; from the fourth hour on they are four times larger. The reports carry the
 * error metrics and the rank test's p-value; the performance alert opens on the bad hours only.
 */
class ForecastPerformanceJobTest {
    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(2)
                            .build());

    static final long T0 = Instant.parse("2026-11-28T00:00:00Z").toEpochMilli();
    static final int PER_HOUR = 60;
    static final int HOURS = 7;
    static final int GOOD_HOURS = 3;

    @TempDir Path dir;

    @Test
    void growingErrorsOpenThePerformanceAlert() throws Exception {
        SplittableRandom random = new SplittableRandom(17);
        double[][] referenceRows = TestStreams.gaussian(400, 2, 0, random);
        RegressionMetrics referenceMetrics = new RegressionMetrics();
        double[] referenceErrors = new double[400];
        double[] referencePredictions = new double[400];
        for (int i = 0; i < 400; i++) {
            double predicted = Math.rint(40 + 8 * random.nextGaussian());
            double actual = predicted + Math.rint(2 * random.nextGaussian());
            referenceMetrics.add(actual, predicted);
            referenceErrors[i] = Math.abs(predicted - actual);
            referencePredictions[i] = predicted;
        }
        Standardizer s = Standardizer.fit(referenceRows);
        ModelReference reference =
                ModelReference.builder("forecast", Modality.NUMERIC, 2)
                        .optStandardizer(s)
                        .setReference(s.transform(referenceRows))
                        .optReferenceFeatures(referenceRows)
                        .optRegression(
                                referenceErrors, referencePredictions, referenceMetrics.mae())
                        .build();

        List<String> events = new ArrayList<>();
        List<long[]> labelTimes = new ArrayList<>();
        List<String> labels = new ArrayList<>();
        for (int h = 0; h < HOURS; h++) {
            double[][] x = TestStreams.gaussian(PER_HOUR, 2, 0, random);
            double scale = h < GOOD_HOURS ? 2 : 8;
            for (int j = 0; j < PER_HOUR; j++) {
                long ts = T0 + h * HOUR + j * (HOUR / PER_HOUR);
                String id = "f" + h + "-" + j;
                long predicted = Math.round(40 + 8 * random.nextGaussian());
                long actual = predicted + Math.round(scale * random.nextGaussian());
                events.add(
                        String.format(
                                Locale.ROOT,
                                "{\"id\":\"%s\",\"ts\":%d,\"model\":\"forecast\",\"features\":[%f,%f],\"prediction\":%d}",
                                id,
                                ts,
                                x[j][0],
                                x[j][1],
                                predicted));
                long labelTs = ts + HOUR / 2;
                labelTimes.add(new long[] {labelTs, labels.size()});
                labels.add(
                        String.format(
                                Locale.ROOT,
                                "{\"id\":\"%s\",\"ts\":%d,\"model\":\"forecast\",\"label\":%d}",
                                id,
                                labelTs,
                                actual));
            }
        }
        labelTimes.sort(Comparator.comparingLong(l -> l[0]));
        List<String> labelLines = new ArrayList<>();
        labelTimes.forEach(l -> labelLines.add(labels.get((int) l[1])));

        Path eventsFile = JsonLines.write(dir.resolve("events.jsonl"), events);
        Path labelsFile = JsonLines.write(dir.resolve("labels.jsonl"), labelLines);
        JobSettings settings =
                JobSettings.of(
                        "window-size",
                        "1h",
                        "min-window-count",
                        "10",
                        "label-timeout",
                        "2h",
                        "permutations",
                        "100",
                        "source-idleness",
                        "0s");
        FileJob.Outputs outputs =
                FileJob.run(dir, settings, Map.of("forecast", reference), eventsFile, labelsFile);
        List<JsonNode> reports = outputs.reports();
        List<JsonNode> alerts = outputs.alerts();
        for (int h = 0; h < HOURS; h++) {
            long start = T0 + h * HOUR;
            JsonNode last =
                    reports.stream()
                            .filter(
                                    r ->
                                            Instant.parse(r.get("window_start").asText())
                                                            .toEpochMilli()
                                                    == start)
                            .max(Comparator.comparingInt(r -> r.get("revision").asInt()))
                            .orElseThrow();
            JsonNode p = last.get("performance");
            assertEquals("regression", p.get("task").asText(), last.toString());
            assertEquals(PER_HOUR, p.get("labelled").asInt(), last.toString());
            assertTrue(p.get("accuracy") == null, "no accuracy for a regressor: " + last);
            double mae = p.get("mae").asDouble();
            double pValue = p.get("p_value").asDouble();
            assertTrue(p.get("rmse").asDouble() >= mae, last.toString());
            assertEquals(referenceMetrics.mae(), p.get("reference_mae").asDouble(), 1e-12);
            if (h < GOOD_HOURS) {
                assertTrue(mae < 2.5 && pValue > 0.001, "hour " + h + ": " + p);
            } else {
                assertTrue(mae > 4 && pValue < 1e-6, "hour " + h + ": " + p);
            }
            assertEquals(
                    "ks",
                    last.get("drift").get("prediction").get("test").asText(),
                    last.toString());
            assertTrue(
                    last.get("data_quality").get("unseen_classes").isEmpty(),
                    "17 is no class: " + last);
        }
        List<JsonNode> performance =
                alerts.stream()
                        .filter(a -> a.get("detector").asText().equals("performance"))
                        .toList();
        assertFalse(performance.isEmpty(), "the error growth is alerted: " + alerts);
        for (JsonNode a : performance) {
            long start = Instant.parse(a.get("window_start").asText()).toEpochMilli();
            assertTrue(start >= T0 + GOOD_HOURS * HOUR, "no alert on the good hours: " + a);
        }
        String page =
                io.modelmonitor.pipeline.report.HtmlReport.builder()
                        .addReports(dir.resolve("reports.jsonl"))
                        .optAlerts(dir.resolve("alerts.jsonl"))
                        .build()
                        .render();
        assertTrue(
                page.contains("Performance: realised errors (regression)")
                        && page.contains("reference MAE"),
                "the page shows the regression errors");
        assertFalse(
                page.contains("Performance: realised and estimated accuracy"),
                "and no accuracy chart");
    }
}
