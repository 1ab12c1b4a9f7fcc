package io.modelmonitor.pipeline.window;

import io.modelmonitor.models.bundle.ModelReference;
import io.modelmonitor.pipeline.options.JobSettings;
import io.modelmonitor.pipeline.record.EmbeddedEvent;
import io.modelmonitor.pipeline.references.BundleResolver;
import io.modelmonitor.pipeline.results.ReportRecord;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * The event-time windows of each model (keyed by model), tumbling or sliding, with allowed
 * lateness, as Flink's window operator with an event-time trigger would run them: a window fires
 * when the watermark passes its end, fires again for each late event within {@code
 * --allowed-lateness}, and is dropped once the watermark passes its end plus the lateness; an event
 * too late for all its windows goes to the late side output.
 *
 * <p>Its state is laid out so that an event costs about the same on RocksDB as on the heap: per
 * window, its counts ({@link WindowAccumulator} without its sample rows: the counts and the keys of
 * the sampled events, 8 bytes each), and each sampled row in a map entry of its own. An event reads
 * and writes the counts, and puts one row (removing the one it displaces) when the bottom-k sample
 * admits it; a window's rows are read only when it fires. (Flink's aggregating window state would
 * read and write the whole sample, up to {@code --max-window-sample} rows, for every event on
 * RocksDB.)
 */
public class ModelWindows extends KeyedProcessFunction<String, EmbeddedEvent, ReportRecord> {
    private static final long serialVersionUID = 1L;

    private final WindowAggregate aggregate;
    private final BundleResolver references;
    private final JobSettings settings;
    private final OutputTag<EmbeddedEvent> late;

    private transient MapState<Long, WindowAccumulator> counts;
    private transient MapState<Tuple2<Long, Long>, SampleRow> rows;

    /** By bundle id (the model's name for a start-up bundle without id). */
    private transient Map<String, WindowEvaluator> evaluators;

    private transient SharedMmdDetectors mmdDetectors;

    public ModelWindows(
            BundleResolver references, JobSettings settings, OutputTag<EmbeddedEvent> late) {
        this.references = references;
        this.settings = settings;
        this.late = late;
        this.aggregate =
                new WindowAggregate(
                        references, settings.maxWindowSample, settings.seed, settings.exemplars);
    }

    @Override
    public void open(OpenContext ctx) {
        counts =
                getRuntimeContext()
                        .getMapState(
                                new MapStateDescriptor<>(
                                        "window-counts",
                                        Types.LONG,
                                        Types.POJO(WindowAccumulator.class)));
        rows =
                getRuntimeContext()
                        .getMapState(
                                new MapStateDescriptor<>(
                                        "window-sample-rows",
                                        Types.TUPLE(Types.LONG, Types.LONG),
                                        Types.POJO(SampleRow.class)));
        evaluators = new HashMap<>();
        mmdDetectors = new SharedMmdDetectors(settings);
    }

    @Override
    public void processElement(EmbeddedEvent e, Context ctx, Collector<ReportRecord> out)
            throws Exception {
        long watermark = ctx.timerService().currentWatermark();
        boolean taken = false;
        for (long start : settings.windowStarts(e.ts)) {
            if (start < e.bundleFrom || start >= e.bundleUntil) {
                continue; // a window of another bundle (docs/architecture.md, "Reference updates")
            }
            long maxTimestamp = start + settings.windowSizeMs - 1;
            if (maxTimestamp + settings.allowedLatenessMs <= watermark) {
                continue; // the window is gone
            }
            taken = true;
            add(start, e);
            if (maxTimestamp <= watermark) {
                fire(start, out); // a late event within the allowed lateness
            } else {
                ctx.timerService().registerEventTimeTimer(maxTimestamp);
            }
            ctx.timerService().registerEventTimeTimer(maxTimestamp + settings.allowedLatenessMs);
        }
        if (!taken && e.ts + settings.allowedLatenessMs <= watermark) {
            ctx.output(late, e);
        }
    }

    private void add(long start, EmbeddedEvent e) throws Exception {
        WindowAccumulator acc = counts.get(start);
        if (acc == null) {
            acc = aggregate.createAccumulator();
        }
        if (WindowAggregate.olderBundle(e, acc)) {
            acc.count++;
            counts.put(start, acc);
            return;
        }
        WindowAccumulator kept = aggregate.addCounts(e, acc);
        if (kept != acc) {
            dropRows(start, acc);
        }
        offer(start, kept, aggregate.sampleKey(e.id), e);
        counts.put(start, kept);
    }

    /** The bottom-k sample: the {@code --max-window-sample} smallest keys. */
    private void offer(long start, WindowAccumulator acc, long key, EmbeddedEvent e)
            throws Exception {
        int capacity = settings.maxWindowSample;
        if (acc.sampleSize >= capacity && key >= acc.sampleMaxKey) {
            return; // most events, once the sample is full: one comparison, no row touched
        }
        long[] keys = Arrays.copyOf(acc.sampleKeys, acc.sampleSize);
        if (acc.sampleSize < capacity) {
            keys = Arrays.copyOf(keys, keys.length + 1);
            keys[keys.length - 1] = key;
            acc.sampleSize = keys.length;
        } else {
            int max = 0;
            for (int i = 1; i < keys.length; i++) {
                if (keys[i] > keys[max]) {
                    max = i;
                }
            }
            rows.remove(Tuple2.of(start, keys[max]));
            keys[max] = key;
        }
        long maxKey = Long.MIN_VALUE;
        for (long k : keys) {
            maxKey = Math.max(maxKey, k);
        }
        acc.sampleMaxKey = maxKey;
        SampleRow row = new SampleRow();
        row.id = e.id;
        row.embedding = e.embedding;
        row.features = e.features;
        row.topScore = e.topScore();
        rows.put(Tuple2.of(start, key), row);
        acc.sampleKeys = keys;
    }

    private void dropRows(long start, WindowAccumulator acc) throws Exception {
        for (int i = 0; i < acc.sampleSize; i++) {
            rows.remove(Tuple2.of(start, acc.sampleKeys[i]));
        }
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<ReportRecord> out)
            throws Exception {
        long fireStart = timestamp + 1 - settings.windowSizeMs;
        if (counts.contains(fireStart)) {
            fire(fireStart, out);
        }
        long cleanupStart = fireStart - settings.allowedLatenessMs;
        WindowAccumulator gone = counts.get(cleanupStart);
        if (gone != null) {
            dropRows(cleanupStart, gone);
            counts.remove(cleanupStart);
        }
    }

    /** The window's accumulator with its sample rows, as the evaluator takes it. */
    WindowAccumulator assemble(long start) throws Exception {
        WindowAccumulator acc = counts.get(start);
        long[] keys = Arrays.copyOf(acc.sampleKeys, acc.sampleSize);
        int n = keys.length;
        acc.sampleKeys = new long[n];
        acc.sampleEmbeddings = new double[n][];
        acc.sampleFeatures = new double[n][];
        acc.sampleTopScores = new double[n];
        acc.sampleIds = new String[n];
        for (int i = 0; i < n; i++) {
            SampleRow row = rows.get(Tuple2.of(start, keys[i]));
            acc.sampleKeys[i] = keys[i];
            acc.sampleEmbeddings[i] = row.embedding;
            acc.sampleFeatures[i] = row.features;
            acc.sampleTopScores[i] = row.topScore;
            acc.sampleIds[i] = row.id;
        }
        return acc;
    }

    /** How many distinct MMD detectors this instance holds (tests). */
    int mmdDetectorCount() {
        return mmdDetectors.size();
    }

    private void fire(long start, Collector<ReportRecord> out) throws Exception {
        WindowAccumulator acc = assemble(start);
        String model = acc.model;
        WindowEvaluator evaluator =
                evaluators.computeIfAbsent(
                        acc.bundle != null ? acc.bundle : model,
                        k -> {
                            ModelReference ref =
                                    references.reference(model, acc.bundle, acc.bundlePath);
                            return new WindowEvaluator(
                                    ref, settings, mmdDetectors.forReference(ref));
                        });
        ReportRecord r = evaluator.evaluate(start, start + settings.windowSizeMs, acc);
        // On the heap the accumulator is the state object itself: it goes back to holding keys
        // only.
        acc.sampleEmbeddings = new double[0][];
        acc.sampleFeatures = new double[0][];
        acc.sampleTopScores = new double[0];
        acc.sampleIds = new String[0];
        r.bundle = acc.bundle != null ? acc.bundle : references.startupId(model);
        r.bundlePath = acc.bundlePath;
        out.collect(r);
    }
}
