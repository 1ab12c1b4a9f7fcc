package io.modelmonitor.pipeline.results;

import io.modelmonitor.detectors.performance.ErrorRateComparison;
import io.modelmonitor.detectors.performance.RegressionMetrics;
import io.modelmonitor.detectors.stats.SplitMix64;
import io.modelmonitor.detectors.univariate.MannWhitneyU;
import io.modelmonitor.models.bundle.ModelReference;
import io.modelmonitor.pipeline.options.JobSettings;
import io.modelmonitor.pipeline.record.LabelOutcome;
import io.modelmonitor.pipeline.references.BundleResolver;
import io.modelmonitor.pipeline.time.EventTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Puts a model's reports together, keyed by model: the window's tests, its late events and dead
 * letters, and the realised performance of its predictions as their labels arrive.
 *
 * <p>Emission is driven by event time, so the same inputs give the same revisions however the
 * streams interleave: late events, dead letters and labelled outcomes are held until the watermark
 * passes the end of the window-grid slot of their event time (an outcome's is when its label became
 * known), then applied; revision 0 goes out when the watermark passes the window's end, a further
 * revision at each slot end after which the window changed. A window's state is dropped when no
 * change can come any more: end + {@code --state-retention} (at least max(allowed lateness, label
 * timeout) + window size).
 *
 * <p>Nothing outlives a silent model: every entry has an event-time timer, which fires as the
 * watermark moves on with other models' traffic. Windows go at their clean-up time; held updates
 * when their slot ends; dead letters that came before any valid record (no event time to attribute
 * them to) wait for the model's next first report, and are dropped with its last window or, if it
 * never reports, one retention after the watermark they arrived at.
 *
 * <p>Realised performance: the window's errors among its labelled predictions against the
 * reference's labelled errors, by a one-sided two-sample test ({@link ErrorRateComparison}): the
 * reference accuracy is an estimate too, and a test that took it as exact was too liberal. Each
 * revision's p-value is valid on its own (the labelled subset so far); sustained changes across
 * windows are left to the alert policy. Labels that joined nothing (duplicate, late, orphan) are
 * counted in the window of the label's time.
 *
 * <p>Metrics per model (groups {@code modelmonitor}, {@code model}): gauges of the latest report,
 * listed in {@link #GAUGES} and in k8s/README.md.
 */
public class ReportAssembler extends KeyedProcessFunction<String, ReportUpdate, ReportRecord> {
    private static final long serialVersionUID = 1L;

    /**
     * Timer of a key whose unattributed dead letters came before any watermark: at the first
     * watermark it is replaced by their expiry timer, one retention later.
     */
    static final long FIRST_WATERMARK = Long.MIN_VALUE + 1;

    /**
     * At most this many absolute errors per window for the rank test (a bottom-k sample by id
     * hash).
     */
    static final int MAX_WINDOW_ERRORS = 1000;

    private final JobSettings settings;

    /**
     * The models' references: a regressor's outcomes are scored by errors, against its reference's.
     */
    private final BundleResolver references;

    private transient MapState<Long, WindowState> windows;
    private transient ValueState<Long> unattributedDeadLetters;
    private transient MapState<Long, List<ReportUpdate>> pending;
    private transient Map<String, double[]> gauges;

    /**
     * Held updates are applied in event-time order (ties by id), whatever order they arrived in.
     */
    private static final java.util.Comparator<ReportUpdate> HELD_ORDER =
            java.util.Comparator.comparingLong(
                            (ReportUpdate u) -> u.outcome != null ? u.outcome.knownTs() : u.ts)
                    .thenComparing(u -> u.kind)
                    .thenComparing(u -> u.outcome != null ? u.outcome.id : "");

    public ReportAssembler(JobSettings settings) {
        this(settings, Map.of());
    }

    public ReportAssembler(JobSettings settings, Map<String, ModelReference> references) {
        this(settings, BundleResolver.of(references));
    }

    public ReportAssembler(JobSettings settings, BundleResolver references) {
        this.settings = settings;
        this.references = references;
    }

    @Override
    public void open(OpenContext ctx) {
        windows =
                getRuntimeContext()
                        .getMapState(
                                new MapStateDescriptor<>(
                                        "windows",
                                        Types.LONG,
                                        TypeInformation.of(WindowState.class)));
        unattributedDeadLetters =
                getRuntimeContext()
                        .getState(
                                new ValueStateDescriptor<>(
                                        "unattributed-dead-letters", Types.LONG));
        pending =
                getRuntimeContext()
                        .getMapState(
                                new MapStateDescriptor<>(
                                        "held-updates",
                                        Types.LONG,
                                        Types.LIST(TypeInformation.of(ReportUpdate.class))));
        gauges = new HashMap<>();
    }

    @Override
    public void processElement(ReportUpdate u, Context ctx, Collector<ReportRecord> out)
            throws Exception {
        if (u.kind == ReportUpdate.Kind.WINDOW) {
            WindowState w = window(u.window.windowStart, ctx);
            w.report = u.window;
            if (w.emitted()) {
                w.dirty = true; // a late firing within the allowed lateness
                ctx.timerService().registerEventTimeTimer(applyTime(u.ts, ctx));
            } else {
                ctx.timerService().registerEventTimeTimer(w.windowEnd - 1);
            }
            windows.put(w.windowStart, w);
        } else if (u.kind == ReportUpdate.Kind.DEAD_LETTER && u.ts == Long.MIN_VALUE) {
            Long n = unattributedDeadLetters.value();
            if (n == null) {
                long wm = ctx.timerService().currentWatermark();
                ctx.timerService()
                        .registerEventTimeTimer(
                                wm == Long.MIN_VALUE ? FIRST_WATERMARK : afterRetention(wm));
            }
            unattributedDeadLetters.update(n == null ? 1 : n + 1);
        } else {
            // Held until the watermark passes the end of the grid slot the update belongs to, so
            // that
            // a revision holds exactly the updates of its event time, however the inputs
            // interleave.
            long at =
                    applyTime(
                            u.kind == ReportUpdate.Kind.OUTCOME ? u.outcome.knownTs() : u.ts, ctx);
            List<ReportUpdate> held = pending.get(at);
            if (held == null) {
                held = new ArrayList<>();
            }
            held.add(u);
            pending.put(at, held);
            ctx.timerService().registerEventTimeTimer(at);
        }
    }

    /**
     * The end of the window-grid slot of {@code ts}, or of the next slot the watermark has not
     * passed yet.
     */
    private long applyTime(long ts, Context ctx) {
        long wm = ctx.timerService().currentWatermark();
        long at = Math.max(ts, wm == Long.MAX_VALUE ? wm : wm + 1);
        return at == Long.MAX_VALUE
                ? at
                : settings.latestWindowStart(at) + settings.windowSlideMs - 1;
    }

    private void apply(ReportUpdate u, Context ctx) throws Exception {
        switch (u.kind) {
            case LATE_EVENT:
                for (long start : settings.windowStarts(u.ts)) {
                    WindowState w = window(start, ctx);
                    w.lateEvents++;
                    w.dirty = w.emitted();
                    windows.put(start, w);
                }
                break;
            case DEAD_LETTER:
                {
                    WindowState w = window(settings.latestWindowStart(u.ts), ctx);
                    w.deadLetters++;
                    w.dirty = w.emitted();
                    windows.put(w.windowStart, w);
                    break;
                }
            case OUTCOME:
                outcome(u.outcome, ctx);
                break;
            default:
                throw new IllegalStateException("unexpected held update " + u.kind);
        }
    }

    private void outcome(LabelOutcome o, Context ctx) throws Exception {
        for (long start : settings.windowStarts(o.attributedTs())) {
            WindowState w = window(start, ctx);
            // A model's bundles share its task (checked when a bundle is activated).
            ModelReference ref =
                    w.report != null && w.report.bundle != null
                            ? references.reference(o.model, w.report.bundle, w.report.bundlePath)
                            : references.reference(o.model, null, null);
            boolean regression = ref != null && ref.regression();
            switch (o.kind) {
                case DUPLICATE_LABEL:
                    w.duplicateLabels++;
                    break;
                case LATE_LABEL:
                    w.lateLabels++;
                    break;
                case ORPHAN_LABEL:
                    w.orphanLabels++;
                    break;
                default:
                    w.labelled++;
                    if (regression) {
                        if (Double.isFinite(o.actualValue) && Double.isFinite(o.predictedValue)) {
                            addError(w, o, settings.seed);
                        }
                    } else if (o.classification()) {
                        w.classified++;
                        if (o.correct()) {
                            w.correct++;
                        }
                    }
                    w.labelDelayMsSum += Math.max(0, o.labelTs - o.predictionTs);
            }
            w.dirty = w.emitted();
            windows.put(start, w);
        }
    }

    /**
     * Adds a regressor's labelled prediction: to the error sums, and to the bounded sample of
     * absolute errors.
     */
    static void addError(WindowState w, LabelOutcome o, long seed) {
        if (w.regression == null) {
            w.regression = new RegressionMetrics();
        }
        w.regression.add(o.actualValue, o.predictedValue);
        double error = Math.abs(o.predictedValue - o.actualValue);
        long key = errorKey(o.id, seed);
        int n = w.errorKeys.length;
        if (n < MAX_WINDOW_ERRORS) {
            w.errorKeys = java.util.Arrays.copyOf(w.errorKeys, n + 1);
            w.absErrors = java.util.Arrays.copyOf(w.absErrors, n + 1);
            w.errorKeys[n] = key;
            w.absErrors[n] = error;
            return;
        }
        int max = 0;
        for (int i = 1; i < n; i++) {
            if (w.errorKeys[i] > w.errorKeys[max]) {
                max = i;
            }
        }
        if (key < w.errorKeys[max]) {
            w.errorKeys[max] = key;
            w.absErrors[max] = error;
        }
    }

    /**
     * Seeded 64-bit hash of an id (FNV-1a over UTF-8, SplitMix64 finalizer): the error sample's
     * order.
     */
    static long errorKey(String id, long seed) {
        long h = 0xcbf29ce484222325L ^ seed;
        for (byte b : id.getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
            h ^= b & 0xff;
            h *= 0x100000001b3L;
        }
        return SplitMix64.mix64(h);
    }

    /** The state of the window starting at {@code start}, created with its clean-up timer. */
    private WindowState window(long start, Context ctx) throws Exception {
        WindowState w = windows.get(start);
        if (w == null) {
            w = new WindowState(start, start + settings.windowSizeMs);
            ctx.timerService().registerEventTimeTimer(cleanupTime(w));
        }
        return w;
    }

    private long cleanupTime(WindowState w) {
        return afterRetention(w.windowEnd);
    }

    private long afterRetention(long t) {
        return EventTime.saturatedAdd(t, settings.windowRetentionMs());
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<ReportRecord> out)
            throws Exception {
        List<ReportUpdate> held = pending.get(timestamp);
        if (held != null) {
            pending.remove(timestamp);
            held.sort(HELD_ORDER);
            for (ReportUpdate u : held) {
                apply(u, ctx);
            }
        }
        // Only windows that emit or expire at this time are touched, in window order: a model
        // keeps every window of the retention period, and most timers concern one or two of them.
        List<WindowState> acting = new ArrayList<>();
        for (WindowState w : windows.values()) {
            if (firstDue(w, timestamp) || (w.emitted() && w.dirty) || cleanupTime(w) <= timestamp) {
                acting.add(w);
            }
        }
        acting.sort(java.util.Comparator.comparingLong(w -> w.windowStart));
        for (WindowState w : acting) {
            if (firstDue(w, timestamp) || (w.emitted() && w.dirty)) {
                if (firstDue(w, timestamp)) {
                    Long pending = unattributedDeadLetters.value();
                    if (pending != null) {
                        w.deadLetters += pending;
                        unattributedDeadLetters.clear();
                    }
                }
                out.collect(emit(w));
            }
            if (cleanupTime(w) <= timestamp) {
                windows.remove(w.windowStart);
            } else {
                windows.put(w.windowStart, w);
            }
        }
        if (windows.isEmpty()) {
            if (timestamp == FIRST_WATERMARK) {
                if (unattributedDeadLetters.value() != null) {
                    ctx.timerService()
                            .registerEventTimeTimer(
                                    afterRetention(ctx.timerService().currentWatermark()));
                }
            } else {
                unattributedDeadLetters
                        .clear(); // the model's last window went, or it never had one within the
                // retention
            }
        }
    }

    private static boolean firstDue(WindowState w, long timestamp) {
        return !w.emitted() && w.report != null && w.windowEnd - 1 <= timestamp;
    }

    private ReportRecord emit(WindowState w) {
        w.revision++;
        w.dirty = false;
        ReportRecord r = w.report.copy();
        r.revision = w.revision;
        r.lateEvents = w.lateEvents;
        r.deadLetters = w.deadLetters;
        if (r.performance == null) {
            r.performance = new ReportRecord.PerformanceSection();
        }
        ModelReference ref = references.reference(r.model, r.bundle, r.bundlePath);
        realised(r.performance, w, r.count, ref == null ? null : ref.referenceAbsErrors());
        updateGauges(r);
        return r;
    }

    static void realised(ReportRecord.PerformanceSection p, WindowState w, long count) {
        realised(p, w, count, null);
    }

    /**
     * The realised figures of a window so far. A regressor's: error metrics from the sums, and the
     * one-sided Mann-Whitney U test of the window's sampled absolute errors against the reference's
     * ({@code referenceAbsErrors}), valid whatever the errors' tails.
     */
    static void realised(
            ReportRecord.PerformanceSection p,
            WindowState w,
            long count,
            double[] referenceAbsErrors) {
        p.labelled = w.labelled;
        p.correct = w.correct;
        p.coverage = count > 0 ? Math.min(1.0, (double) w.labelled / count) : Double.NaN;
        p.meanLabelDelaySeconds =
                w.labelled > 0 ? w.labelDelayMsSum / w.labelled / 1000.0 : Double.NaN;
        p.duplicateLabels = w.duplicateLabels;
        p.lateLabels = w.lateLabels;
        p.orphanLabels = w.orphanLabels;
        if (w.regression != null && w.regression.count() > 0) {
            RegressionMetrics m = w.regression;
            p.mae = m.mae();
            p.rmse = m.rmse();
            p.bias = m.meanError();
            p.mape = m.mape();
            p.smape = m.smape();
            if (referenceAbsErrors != null
                    && referenceAbsErrors.length > 0
                    && w.absErrors.length > 0) {
                p.pValue = MannWhitneyU.greater(w.absErrors, referenceAbsErrors).pValue();
            }
        }
        if (w.classified > 0) {
            p.accuracy = (double) w.correct / w.classified;
            if (p.referenceLabelled > 0) {
                p.pValue =
                        ErrorRateComparison.pValueWorse(
                                w.classified - w.correct,
                                w.classified,
                                p.referenceLabelled - p.referenceCorrect,
                                p.referenceLabelled);
            }
        }
    }

    /**
     * Per-model gauges of the latest window, named as the Grafana dashboard and k8s/README.md
     * expect: {@code flink_taskmanager_job_task_operator_modelmonitor_model_<name>{model="..."}}.
     */
    private void updateGauges(ReportRecord r) {
        double[] g = gauges.get(r.model);
        if (g == null) {
            g = new double[GAUGES.length];
            java.util.Arrays.fill(g, Double.NaN);
            gauges.put(r.model, g);
            double[] values = g;
            MetricGroup group =
                    getRuntimeContext()
                            .getMetricGroup()
                            .addGroup("modelmonitor")
                            .addGroup("model", r.model);
            for (int i = 0; i < GAUGES.length; i++) {
                int index = i;
                group.gauge(
                        GAUGES[i], (org.apache.flink.metrics.Gauge<Double>) () -> values[index]);
            }
        }
        if (r.mmd != null) {
            g[0] = r.mmd.pValue;
        }
        if (r.prediction != null) {
            g[1] = r.prediction.pValue;
        }
        if (r.outliers != null) {
            g[2] = r.outliers.rate;
            g[3] = r.outliers.expectedRate;
        }
        if (Double.isFinite(r.performance.accuracy)) {
            g[4] = r.performance.accuracy;
        }
        if (Double.isFinite(r.performance.mae)) {
            g[8] = r.performance.mae;
        }
        if (Double.isFinite(r.performance.estimatedAccuracy)) {
            g[5] = r.performance.estimatedAccuracy;
        }
        g[6] = r.performance.coverage;
        g[7] = r.count;
    }

    private static final String[] GAUGES = {
        "mmd_p_value",
        "prediction_drift_p_value",
        "outlier_rate",
        "outlier_expected_rate",
        "accuracy",
        "estimated_accuracy",
        "label_coverage",
        "window_count",
        "mae"
    };
}
