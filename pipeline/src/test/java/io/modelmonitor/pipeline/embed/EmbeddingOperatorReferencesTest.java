package io.modelmonitor.pipeline.embed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.modelmonitor.models.Device;
import io.modelmonitor.models.bundle.ModelReference;
import io.modelmonitor.pipeline.job.ReferenceBundles;
import io.modelmonitor.pipeline.job.ReferenceValidator;
import io.modelmonitor.pipeline.options.JobSettings;
import io.modelmonitor.pipeline.record.DeadLetter;
import io.modelmonitor.pipeline.record.EmbeddedEvent;
import io.modelmonitor.pipeline.record.InvalidRecordException;
import io.modelmonitor.pipeline.record.PredictionEvent;
import io.modelmonitor.pipeline.references.BundleResolver;
import io.modelmonitor.pipeline.references.Bundles;
import io.modelmonitor.pipeline.references.ReferenceUpdate;
import io.modelmonitor.pipeline.testutil.TestBundles;
import io.modelmonitor.pipeline.testutil.TestStreams;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.TwoInputStreamOperatorTestHarness;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedding stage with reference updates, operator by operator: events wait until the updates
 * that govern them are known, a model's events wait only for its own bundle's load, a model first
 * named by an update is embedded with that bundle, unusable bundles are dead letters, and the
 * bundles in force come back from a snapshot.
 */
class EmbeddingOperatorReferencesTest {
    static final long HOUR = 3_600_000L;
    static final JobSettings SETTINGS =
            JobSettings.of("window-size", "1h", "batch-size", "1", "batch-timeout", "1s");

    @TempDir static Path dir;
    static Path bundle;
    static ModelReference startup;

    @BeforeAll
    static void fit() {
        bundle =
                TestBundles.fitNumeric(
                        dir.resolve("n-v1"),
                        TestStreams.gaussian(600, 3, 0, new SplittableRandom(3)));
        startup =
                TestStreams.numericReference(
                        "m", TestStreams.gaussian(100, 3, 0, new SplittableRandom(1)), 0.9);
    }

    static TwoInputStreamOperatorTestHarness<PredictionEvent, ReferenceUpdate, EmbeddedEvent>
            harness(OperatorSubtaskState restore) throws Exception {
        return harness(restore, SETTINGS);
    }

    static TwoInputStreamOperatorTestHarness<PredictionEvent, ReferenceUpdate, EmbeddedEvent>
            harness(OperatorSubtaskState restore, JobSettings settings) throws Exception {
        var h =
                new TwoInputStreamOperatorTestHarness<>(
                        new EmbeddingOperator(
                                new BundleResolver(
                                        Map.of("m", startup),
                                        Map.of("m", "m@start"),
                                        Map.of(),
                                        ReferenceBundles.loader(
                                                null, new EncoderLoader(1, Device.CPU))),
                                settings,
                                true,
                                ReferenceValidator::check));
        h.setup();
        if (restore != null) {
            h.initializeState(restore);
        }
        h.open();
        return h;
    }

    static PredictionEvent event(String model, int i, long ts) {
        PredictionEvent e = new PredictionEvent();
        e.id = model + i;
        e.ts = ts;
        e.model = model;
        e.features = new double[] {i % 3, 1, 2};
        e.prediction = "a";
        return e;
    }

    static ReferenceUpdate update(String model, Path path, long from)
            throws InvalidRecordException {
        return ReferenceUpdate.parse(TestBundles.update(model, path, from));
    }

    static List<EmbeddedEvent> embedded(TwoInputStreamOperatorTestHarness<?, ?, EmbeddedEvent> h) {
        List<EmbeddedEvent> out = new ArrayList<>();
        for (Object o : h.getOutput()) {
            if (o instanceof StreamRecord<?> r && r.getValue() instanceof EmbeddedEvent e) {
                out.add(e);
            }
        }
        return out;
    }

    /** Advances processing time until the bundle loads have been taken in. */
    static void awaitLoads(TwoInputStreamOperatorTestHarness<?, ?, ?> h, int outputs)
            throws Exception {
        long deadline = System.nanoTime() + 30_000_000_000L;
        long t = h.getProcessingTime();
        while (h.getOutput().size() < outputs) {
            assertTrue(System.nanoTime() < deadline, "loads never finished: " + h.getOutput());
            t += 50;
            h.setProcessingTime(t);
            Thread.sleep(10);
        }
    }

    @Test
    void eventsWaitForTheUpdatesAndOnlyTheirOwnModelWaitsForItsBundle() throws Exception {
        try (var h = harness(null)) {
            h.processElement1(new StreamRecord<>(event("m", 0, HOUR), HOUR));
            assertEquals(0, embedded(h).size(), "the updates' watermark is still behind");
            h.processWatermark2(new Watermark(2 * HOUR));
            assertEquals(1, embedded(h).size(), "every update of its window is known now");
            assertEquals("m@start", embedded(h).get(0).bundle);

            h.processElement2(new StreamRecord<>(update("n", bundle, 2 * HOUR), 2 * HOUR));
            h.processElement1(new StreamRecord<>(event("n", 1, 2 * HOUR + 5), 2 * HOUR + 5));
            h.processElement1(new StreamRecord<>(event("m", 2, 2 * HOUR + 6), 2 * HOUR + 6));
            // m does not wait for n's bundle (n's event may or may not be out yet: the load runs
            // on another thread)
            assertTrue(
                    embedded(h).stream().anyMatch(e -> e.id.equals("m2")),
                    "m's event flowed while n's bundle loaded: " + h.getOutput());
            awaitLoads(h, 3);
            EmbeddedEvent n = embedded(h).stream().filter(e -> e.id.equals("n1")).findFirst().get();
            assertEquals(Bundles.id("n", bundle), n.bundle);
            assertEquals(2 * HOUR, n.bundleFrom);
        }
    }

    @Test
    void unusableBundlesAreDeadLettersAndTheActivationsComeBackFromASnapshot() throws Exception {
        OperatorSubtaskState snapshot;
        try (var h = harness(null)) {
            h.processWatermark2(new Watermark(10 * HOUR));
            h.processElement2(new StreamRecord<>(update("n", bundle, 2 * HOUR), 2 * HOUR));
            h.processElement2(
                    new StreamRecord<>(update("m", dir.resolve("missing"), 3 * HOUR), 3 * HOUR));
            h.processElement1(new StreamRecord<>(event("n", 1, 3 * HOUR), 3 * HOUR));
            awaitLoads(h, 1);
            long deadline = System.nanoTime() + 30_000_000_000L;
            while (h.getSideOutput(EmbeddingOperator.DEAD_LETTERS) == null) {
                assertTrue(System.nanoTime() < deadline);
                h.setProcessingTime(h.getProcessingTime() + 50);
                Thread.sleep(10);
            }
            DeadLetter d = h.getSideOutput(EmbeddingOperator.DEAD_LETTERS).peek().getValue();
            assertEquals("references", d.source);
            assertTrue(d.reason.contains("no such directory"), d.reason);
            snapshot = h.snapshot(1, 1);
        }
        try (var h = harness(snapshot)) {
            h.processWatermark2(new Watermark(10 * HOUR));
            h.processElement1(new StreamRecord<>(event("n", 2, 4 * HOUR), 4 * HOUR));
            h.processElement1(new StreamRecord<>(event("n", 3, HOUR), HOUR));
            h.processElement1(new StreamRecord<>(event("m", 4, 4 * HOUR), 4 * HOUR));
            List<EmbeddedEvent> out = embedded(h);
            assertEquals(2, out.size(), h.getOutput().toString());
            assertEquals(Bundles.id("n", bundle), out.get(0).bundle, "restored activation");
            assertEquals("m@start", out.get(1).bundle, "the missing bundle changed nothing");
            DeadLetter unknown = h.getSideOutput(EmbeddingOperator.DEAD_LETTERS).peek().getValue();
            assertTrue(unknown.reason.startsWith("unknown model 'n'"), unknown.reason);
        }
    }

    @Test
    void anEventOfSlidingWindowsUnderTwoBundlesGoesOutOnceUnderEach() throws Exception {
        JobSettings sliding =
                JobSettings.of(
                        "window-size",
                        "1h",
                        "window-slide",
                        "30m",
                        "batch-size",
                        "1",
                        "batch-timeout",
                        "1s");
        try (var h = harness(null, sliding)) {
            h.processElement2(new StreamRecord<>(update("m", bundle, HOUR), HOUR));
            h.processWatermark2(new Watermark(Long.MAX_VALUE));
            h.processElement1(new StreamRecord<>(event("m", 1, HOUR + 600_000), HOUR + 600_000));
            awaitLoads(h, 2);
            List<EmbeddedEvent> out = embedded(h);
            assertEquals(2, out.size(), out.toString());
            assertEquals("m@start", out.get(0).bundle);
            assertEquals(HOUR, out.get(0).bundleUntil, "its window of 00:30 only");
            assertEquals(Bundles.id("m", bundle), out.get(1).bundle);
            assertEquals(HOUR, out.get(1).bundleFrom, "its window of 01:00 only");
            assertTrue(
                    out.get(0).embedding[0] != out.get(1).embedding[0],
                    "each copy standardised by its own bundle");
        }
    }

    @Test
    void aBundleThatDoesNotFitTheModelIsADeadLetter() throws Exception {
        Path wider =
                TestBundles.fitNumeric(
                        dir.resolve("m-wider"),
                        TestStreams.gaussian(300, 4, 0, new SplittableRandom(8)));
        try (var h = harness(null)) {
            h.processWatermark2(new Watermark(10 * HOUR));
            h.processElement2(new StreamRecord<>(update("m", wider, 2 * HOUR), 2 * HOUR));
            long deadline = System.nanoTime() + 30_000_000_000L;
            while (h.getSideOutput(EmbeddingOperator.DEAD_LETTERS) == null) {
                assertTrue(System.nanoTime() < deadline);
                h.setProcessingTime(h.getProcessingTime() + 50);
                Thread.sleep(10);
            }
            DeadLetter d = h.getSideOutput(EmbeddingOperator.DEAD_LETTERS).peek().getValue();
            assertEquals("references", d.source);
            assertTrue(d.reason.contains("takes 4 features, model 'm' takes 3"), d.reason);
            h.processElement1(new StreamRecord<>(event("m", 1, 3 * HOUR), 3 * HOUR));
            assertEquals("m@start", embedded(h).get(0).bundle, "the start-up bundle stays");
        }
    }
}
