package io.modelmonitor.pipeline.cli;

import static io.modelmonitor.pipeline.testutil.TestStreams.HOUR;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.modelmonitor.models.Modality;
import io.modelmonitor.models.bundle.BundleFitter;
import io.modelmonitor.models.bundle.ReferenceData;
import io.modelmonitor.pipeline.testutil.JsonLines;
import io.modelmonitor.pipeline.testutil.TestStreams;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./monitor run} as a user calls it: a numeric bundle fitted by the models module, files in
 * and out, embedded Flink.
 */
class RunCommandTest {
    @TempDir Path dir;

    @Test
    void runsABoundedFileJobOnAFittedBundleAndExitsZero() throws Exception {
        SplittableRandom random = new SplittableRandom(3);
        double[][] reference = TestStreams.gaussian(600, 3, 0, random);
        List<String> predictions = new ArrayList<>();
        for (int i = 0; i < reference.length; i++) {
            predictions.add(i % 2 == 0 ? "a" : "b");
        }
        ReferenceData data =
                ReferenceData.builder().setFeatures(reference).optPredictions(predictions).build();
        Path bundle = dir.resolve("bundle");
        BundleFitter.builder()
                .setModality(Modality.NUMERIC)
                .optSeed(1)
                .optAutoencoderEpochs(5)
                .build()
                .fit(data)
                .save(bundle);

        long t0 = Instant.parse("2026-11-28T00:00:00Z").toEpochMilli();
        List<String> events = new ArrayList<>();
        for (int w = 0; w < 3; w++) {
            double[][] x = TestStreams.gaussian(60, 3, 0, random);
            for (int j = 0; j < x.length; j++) {
                events.add(
                        TestStreams.event(
                                "w" + w + "-" + j,
                                t0 + w * HOUR + j * 1000L,
                                null,
                                x[j],
                                j % 2 == 0 ? "a" : "b"));
            }
        }
        events.add("{broken");
        Path eventsFile = JsonLines.write(dir.resolve("events.jsonl"), events);
        Path reports = dir.resolve("out/reports.jsonl");
        Path alerts = dir.resolve("out/alerts.jsonl");
        Path dead = dir.resolve("out/dead.jsonl");
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status =
                Main.execute(
                        new String[] {
                            "run",
                            "--bundle",
                            bundle.toString(),
                            "--events",
                            "file:" + eventsFile,
                            "--reports",
                            "file:" + reports,
                            "--alerts",
                            "file:" + alerts,
                            "--dead-letters",
                            "file:" + dead,
                            "--window-size",
                            "1h",
                            "--permutations",
                            "100",
                            "--checkpoint-interval",
                            "0"
                        },
                        new PrintStream(new ByteArrayOutputStream()),
                        new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(0, status, err.toString(StandardCharsets.UTF_8));
        List<JsonNode> out = JsonLines.read(reports);
        assertEquals(3, out.size(), out.toString());
        for (JsonNode r : out) {
            assertEquals(60, r.get("count").asInt());
            assertFalse(r.get("insufficient").asBoolean());
            assertTrue(r.get("drift").has("mmd"), r.toString());
            assertTrue(r.has("outliers"), "the bundle's outlier detector scores every event: " + r);
        }
        assertEquals(1, JsonLines.read(dead).size());
    }
}
