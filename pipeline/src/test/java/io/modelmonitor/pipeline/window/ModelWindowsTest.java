package io.modelmonitor.pipeline.window;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.modelmonitor.models.bundle.ModelReference;
import io.modelmonitor.pipeline.job.MonitorJob;
import io.modelmonitor.pipeline.options.JobSettings;
import io.modelmonitor.pipeline.record.EmbeddedEvent;
import io.modelmonitor.pipeline.references.BundleResolver;
import io.modelmonitor.pipeline.results.ReportJson;
import io.modelmonitor.pipeline.results.ReportRecord;
import io.modelmonitor.pipeline.testutil.TestStreams;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.SplittableRandom;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The model windows on the heap and on RocksDB: a window's report is the one the whole window's
 * accumulator gives (the sample kept row by row is the same bottom-k sample), late events within
 * the lateness re-fire it, later ones go to the late output, sliding windows each get their events,
 * and nothing is left once the windows are gone.
 */
class ModelWindowsTest {
    static final long HOUR = 3_600_000L;
    static final int SAMPLE = 20;
    static final ModelReference REF =
            TestStreams.numericReference(
                    "m", TestStreams.gaussian(200, 3, 0, new SplittableRandom(2)), 0.9);

    static KeyedOneInputStreamOperatorTestHarness<String, EmbeddedEvent, ReportRecord> harness(
            String backend, JobSettings settings) throws Exception {
        var h =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        new KeyedProcessOperator<>(
                                new ModelWindows(
                                        BundleResolver.of(Map.of("m", REF)),
                                        settings,
                                        MonitorJob.LATE_EVENTS)),
                        (EmbeddedEvent e) -> e.model,
                        Types.STRING);
        if (backend.equals("rocksdb")) {
            h.setStateBackend(new EmbeddedRocksDBStateBackend());
        }
        h.open();
        return h;
    }

    static List<EmbeddedEvent> events(int n, long from, long span, Random rnd) {
        List<EmbeddedEvent> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            EmbeddedEvent e = new EmbeddedEvent();
            e.id = "e" + from + "-" + i;
            e.model = "m";
            e.ts = from + (long) (rnd.nextDouble() * span);
            e.features = new double[] {rnd.nextGaussian(), rnd.nextGaussian(), rnd.nextGaussian()};
            e.embedding = REF.prepare(e.features);
            e.prediction = rnd.nextBoolean() ? "a" : "b";
            out.add(e);
        }
        return out;
    }

    static String expectedReport(JobSettings settings, List<EmbeddedEvent> events, long start) {
        WindowAggregate agg = new WindowAggregate(Map.of("m", REF), SAMPLE, settings.seed);
        WindowAccumulator acc = agg.createAccumulator();
        for (EmbeddedEvent e : events) {
            acc = agg.add(e, acc);
        }
        ReportRecord r = new WindowEvaluator(REF, settings).evaluate(start, start + HOUR, acc);
        r.bundle = "m@inline";
        return ReportJson.toJson(r);
    }

    @ParameterizedTest
    @ValueSource(strings = {"hashmap", "rocksdb"})
    void reportsLatenessAndCleanupAsFlinksWindows(String backend) throws Exception {
        JobSettings settings =
                JobSettings.of(
                        "window-size", "1h",
                        "allowed-lateness", "30m",
                        "max-window-sample", Integer.toString(SAMPLE),
                        "min-window-count", "5",
                        "permutations", "50");
        List<EmbeddedEvent> events = events(150, 0, HOUR, new Random(1));
        List<EmbeddedEvent> shuffled = new ArrayList<>(events);
        Collections.shuffle(shuffled, new Random(2));
        try (var h = harness(backend, settings)) {
            for (EmbeddedEvent e : shuffled) {
                h.processElement(e, e.ts);
            }
            assertEquals(0, h.extractOutputValues().size(), "nothing before the watermark");
            h.processWatermark(new Watermark(HOUR));
            List<ReportRecord> out = h.extractOutputValues();
            assertEquals(1, out.size());
            assertEquals(expectedReport(settings, events, 0), ReportJson.toJson(out.get(0)));

            EmbeddedEvent late = events(1, 10 * 60_000L, 1, new Random(3)).get(0);
            h.processWatermark(new Watermark(HOUR + 10 * 60_000L));
            h.processElement(late, late.ts);
            out = h.extractOutputValues();
            assertEquals(2, out.size(), "a late event within the lateness fires the window again");
            List<EmbeddedEvent> withLate = new ArrayList<>(events);
            withLate.add(late);
            assertEquals(expectedReport(settings, withLate, 0), ReportJson.toJson(out.get(1)));

            h.processWatermark(new Watermark(HOUR + 30 * 60_000L));
            EmbeddedEvent tooLate = events(1, 20 * 60_000L, 1, new Random(4)).get(0);
            h.processElement(tooLate, tooLate.ts);
            assertEquals(2, h.extractOutputValues().size());
            assertEquals(1, h.getSideOutput(MonitorJob.LATE_EVENTS).size());
            if (backend.equals("hashmap")) {
                assertEquals(0, h.numKeyedStateEntries(), "the window's state is gone");
            }
            assertEquals(0, h.numEventTimeTimers());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"hashmap", "rocksdb"})
    void slidingWindowsEachGetTheirEvents(String backend) throws Exception {
        JobSettings settings =
                JobSettings.of(
                        "window-size", "1h",
                        "window-slide", "30m",
                        "max-window-sample", Integer.toString(SAMPLE),
                        "min-window-count", "5",
                        "permutations", "50");
        List<EmbeddedEvent> first = events(40, 0, HOUR / 2, new Random(5));
        List<EmbeddedEvent> second = events(60, HOUR / 2, HOUR / 2, new Random(6));
        try (var h = harness(backend, settings)) {
            for (EmbeddedEvent e : first) {
                h.processElement(e, e.ts);
            }
            for (EmbeddedEvent e : second) {
                h.processElement(e, e.ts);
            }
            h.processWatermark(new Watermark(Long.MAX_VALUE));
            List<ReportRecord> out = h.extractOutputValues();
            assertEquals(3, out.size(), out.toString());
            assertEquals(-HOUR / 2, out.get(0).windowStart);
            assertEquals(40, out.get(0).count);
            assertEquals(100, out.get(1).count);
            assertEquals(60, out.get(2).count);
            List<EmbeddedEvent> both = new ArrayList<>(first);
            both.addAll(second);
            String expected = expectedReport(settings, both, 0);
            assertTrue(
                    ReportJson.toJson(out.get(1)).equals(expected),
                    ReportJson.toJson(out.get(1)) + "\n" + expected);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"hashmap", "rocksdb"})
    void aSlidingWindowTakesOnlyTheCopyOfItsBundle(String backend) throws Exception {
        JobSettings settings =
                JobSettings.of(
                        "window-size", "1h",
                        "window-slide", "30m",
                        "max-window-sample", Integer.toString(SAMPLE),
                        "min-window-count", "5",
                        "permutations", "50");
        // A new bundle from 01:00: an event at 01:10 belongs to the windows of 00:30 (old bundle)
        // and 01:00 (new bundle), and the embedding stage sends one copy under each.
        List<EmbeddedEvent> events = events(30, HOUR + 10 * 60_000L, 60_000L, new Random(7));
        try (var h = harness(backend, settings)) {
            for (EmbeddedEvent e : events) {
                EmbeddedEvent old = copy(e);
                old.bundleUntil = HOUR;
                h.processElement(old, e.ts);
                EmbeddedEvent fresh = copy(e);
                fresh.bundle = "m@new";
                fresh.bundleFrom = HOUR;
                h.processElement(fresh, e.ts);
            }
            h.processWatermark(new Watermark(Long.MAX_VALUE));
            List<ReportRecord> out = h.extractOutputValues();
            assertEquals(2, out.size(), out.toString());
            assertEquals(HOUR / 2, out.get(0).windowStart);
            assertEquals("m@inline", out.get(0).bundle);
            assertEquals(30, out.get(0).count);
            assertEquals(HOUR, out.get(1).windowStart);
            assertEquals("m@new", out.get(1).bundle);
            assertEquals(30, out.get(1).count);
        }
    }

    static EmbeddedEvent copy(EmbeddedEvent e) {
        EmbeddedEvent c = new EmbeddedEvent();
        c.id = e.id;
        c.ts = e.ts;
        c.model = e.model;
        c.features = e.features;
        c.embedding = e.embedding;
        c.prediction = e.prediction;
        return c;
    }

    /**
     * Models fitted on equal reference samples share one MMD detector (and its kernel matrix), and
     * each still gets the report its own detector would give; a model with another sample gets its
     * own.
     */
    @org.junit.jupiter.api.Test
    void modelsWithEqualReferenceSamplesShareOneMmdDetector() throws Exception {
        JobSettings settings =
                JobSettings.of(
                        "window-size", "1h",
                        "max-window-sample", Integer.toString(SAMPLE),
                        "min-window-count", "5",
                        "permutations", "50");
        ModelReference twin =
                TestStreams.numericReference(
                        "twin", TestStreams.gaussian(200, 3, 0, new SplittableRandom(2)), 0.9);
        ModelReference other =
                TestStreams.numericReference(
                        "other", TestStreams.gaussian(200, 3, 0.5, new SplittableRandom(3)), 0.9);
        Map<String, ModelReference> refs = Map.of("m", REF, "twin", twin, "other", other);
        ModelWindows windows =
                new ModelWindows(BundleResolver.of(refs), settings, MonitorJob.LATE_EVENTS);
        var h =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        new KeyedProcessOperator<>(windows),
                        (EmbeddedEvent e) -> e.model,
                        Types.STRING);
        h.open();
        Map<String, List<EmbeddedEvent>> byModel = new java.util.TreeMap<>();
        for (String model : refs.keySet()) {
            List<EmbeddedEvent> events = events(120, 0, HOUR, new Random(9));
            for (EmbeddedEvent e : events) {
                e.model = model;
                e.embedding = refs.get(model).prepare(e.features);
                h.processElement(e, e.ts);
            }
            byModel.put(model, events);
        }
        h.processWatermark(new Watermark(HOUR));
        List<ReportRecord> out = h.extractOutputValues();
        assertEquals(3, out.size());
        assertEquals(2, windows.mmdDetectorCount(), "m and twin share one detector");
        for (ReportRecord r : out) {
            ModelReference ref = refs.get(r.model);
            WindowAggregate agg = new WindowAggregate(refs, SAMPLE, settings.seed);
            WindowAccumulator acc = agg.createAccumulator();
            for (EmbeddedEvent e : byModel.get(r.model)) {
                acc = agg.add(e, acc);
            }
            ReportRecord own = new WindowEvaluator(ref, settings).evaluate(0, HOUR, acc);
            own.bundle = r.bundle;
            assertTrue(r.mmd != null, r.model);
            assertEquals(ReportJson.toJson(own), ReportJson.toJson(r), r.model);
        }
        h.close();
    }
}
