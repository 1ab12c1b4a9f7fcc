package io.modelmonitor.pipeline.alerts;

import io.modelmonitor.pipeline.results.ReportJson;
import io.modelmonitor.pipeline.time.EventTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.TimeUtils;

/**
 * One alert lifecycle per (model, detector), keyed by {@link DetectorSignal#lifecycleKey()}: the
 * Flink adapter of {@link AlertPolicy}. An alert opens once when the evidence accumulated over
 * windows reaches the calibrated threshold and resolves once after enough windows that look like
 * the reference, however many windows it lasts.
 *
 * <p>State: the evidence statistic and the run of clean windows ({@link Progress}); the open alert;
 * and, per window not yet final, its latest signal and whether it was decided ({@link
 * WindowEntry}), dropped by an event-time timer when the window can no longer change, so every
 * window feeds the policy exactly once however many revisions it has.
 *
 * <p>An open alert that no later window decides within the retention ({@code --state-retention}:
 * the model went silent, or its windows stopped carrying enough events or labels to test) resolves
 * as <em>expired</em>: a {@code resolved} record whose window is the last one that decided it, with
 * no statistic, and a message that starts with {@link #EXPIRED}. Nothing is kept for the (model,
 * detector) after the retention, so a model that comes back starts afresh. When the whole input
 * ends (watermark at its maximum) nothing expires: the data did not go silent, it ended.
 *
 * <pre>{@code
 * signals.keyBy(DetectorSignal::lifecycleKey).process(new AlertLifecycle(policy));
 * }</pre>
 */
public class AlertLifecycle extends KeyedProcessFunction<String, DetectorSignal, AlertRecord> {
    private static final long serialVersionUID = 1L;

    /** How the message of an alert resolved by expiry starts. */
    public static final String EXPIRED = "expired:";

    private final AlertPolicy policy;
    private transient ValueState<AlertRecord> openAlert;
    private transient ValueState<Progress> progress;
    private transient MapState<Long, WindowEntry> windows;

    public AlertLifecycle(AlertPolicy policy) {
        this.policy = policy;
    }

    @Override
    public void open(OpenContext ctx) {
        openAlert =
                getRuntimeContext()
                        .getState(new ValueStateDescriptor<>("open-alert", AlertRecord.class));
        progress =
                getRuntimeContext()
                        .getState(new ValueStateDescriptor<>("progress", Progress.class));
        windows =
                getRuntimeContext()
                        .getMapState(
                                new MapStateDescriptor<>(
                                        "windows", Types.LONG, Types.POJO(WindowEntry.class)));
    }

    @Override
    public void processElement(DetectorSignal signal, Context ctx, Collector<AlertRecord> out)
            throws Exception {
        if (!policy.uses(signal.windowStart) || !Double.isFinite(signal.pValue)) {
            return;
        }
        Progress progressed = progress.value();
        if (progressed != null && signal.windowStart <= progressed.finalThrough) {
            // The window was final and its entry dropped. Checked on state, not only on the
            // watermark, which
            // restarts from nothing after a restore while revisions of old windows can still come
            // through.
            return;
        }
        WindowEntry entry = windows.get(signal.windowStart);
        if (entry == null) {
            long finalAt = policy.finalAt(signal.detector, signal.windowEnd);
            if (finalAt <= ctx.timerService().currentWatermark()) {
                return; // the window was final and decided before this revision arrived
            }
            entry = new WindowEntry();
            entry.finalAt = finalAt;
            ctx.timerService().registerEventTimeTimer(finalAt);
        } else if (entry.decided) {
            return;
        }
        entry.latest = signal;
        if (signal.complete) {
            entry.decided = true;
            decide(signal, ctx, out);
        }
        windows.put(signal.windowStart, entry);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<AlertRecord> out)
            throws Exception {
        List<Long> done = new ArrayList<>();
        List<DetectorSignal> undecided = new ArrayList<>();
        for (Map.Entry<Long, WindowEntry> e : windows.entries()) {
            if (e.getValue().finalAt <= timestamp) {
                done.add(e.getKey());
                if (!e.getValue().decided) {
                    undecided.add(e.getValue().latest);
                }
            }
        }
        undecided.sort((a, b) -> Long.compare(a.windowStart, b.windowStart));
        for (Long w : done) {
            windows.remove(w);
        }
        for (DetectorSignal s : undecided) {
            decide(
                    s, ctx,
                    out); // the label timeout passed: the last revision is the window's evidence
        }
        Progress p = progress.value();
        if (p != null && !done.isEmpty()) {
            // Windows become final in window order (a fixed wait after each window's end).
            p.finalThrough =
                    Math.max(
                            p.finalThrough,
                            done.stream().mapToLong(Long::longValue).max().getAsLong());
            progress.update(p);
        }
        if (p != null && p.expireAt == timestamp) {
            expire(p, ctx, out);
        }
    }

    private void decide(DetectorSignal s, Context ctx, Collector<AlertRecord> out)
            throws Exception {
        Progress p = progress.value();
        if (p == null) {
            p = new Progress();
        } else {
            ctx.timerService().deleteEventTimeTimer(p.expireAt);
        }
        boolean changed = followReference(p, s);
        p.evidence = policy.cusum.next(p.evidence, s.pValue);
        p.lastWindowStart = Math.max(p.lastWindowStart, s.windowStart);
        p.lastWindowEnd = Math.max(p.lastWindowEnd, s.windowEnd);
        AlertRecord open = openAlert.value();
        if (open != null && changed) {
            open.referenceChanged = true;
            openAlert.update(open);
        }
        if (open == null) {
            if (policy.cusum.alarm(p.evidence)) {
                AlertRecord a =
                        record(
                                s,
                                AlertRecord.OPEN,
                                s.model + "/" + s.detector + "/" + ReportJson.iso(s.windowStart),
                                p);
                a.severity =
                        p.evidence >= policy.cusum.threshold() + AlertPolicy.CRITICAL_MARGIN
                                ? "critical"
                                : "warning";
                a.message =
                        s.summary
                                + " ("
                                + s.evidence
                                + "; evidence "
                                + fmt(p.evidence)
                                + " >= alert threshold "
                                + fmt(policy.cusum.threshold())
                                + ")";
                openAlert.update(a);
                out.collect(a);
                p.cleanWindows = 0;
            }
        } else {
            p.cleanWindows = s.pValue >= policy.cleanLevel ? p.cleanWindows + 1 : 0;
            if (p.cleanWindows >= policy.resolveAfter) {
                AlertRecord a = record(s, AlertRecord.RESOLVED, open.alertId, p);
                a.severity = open.severity;
                if (a.windowStart
                        < open.windowStart) { // decided out of window order (labels): never before
                    // the opening
                    a.windowStart = open.windowStart;
                    a.windowEnd = open.windowEnd;
                }
                a.referenceChanged = open.referenceChanged;
                a.message =
                        (open.referenceChanged
                                        ? "back to reference (the reference changed to "
                                                + s.bundle
                                                + " while the alert was open): "
                                        : "back to reference: ")
                                + s.evidence
                                + "; "
                                + p.cleanWindows
                                + " windows in a row with p >= "
                                + fmt(policy.cleanLevel);
                openAlert.clear();
                out.collect(a);
                p.evidence = 0;
                p.cleanWindows = 0;
            }
        }
        p.expireAt = EventTime.saturatedAdd(p.lastWindowEnd, policy.retentionMs);
        ctx.timerService().registerEventTimeTimer(p.expireAt);
        progress.update(p);
    }

    /**
     * Follows the model's reference bundle: when a window newer than any under the current bundle
     * was tested against another bundle, the evidence gathered against the old reference says
     * nothing about the new one, so it restarts from zero, as does the run of clean windows of an
     * open alert (which the new reference then decides). A late revision of an older window under
     * the old bundle changes nothing. Returns whether the bundle changed.
     */
    private static boolean followReference(Progress p, DetectorSignal s) {
        if (s.bundle == null) {
            return false;
        }
        if (p.bundle == null) {
            p.bundle = s.bundle;
            p.bundleSince = s.windowStart;
            return false;
        }
        if (s.bundle.equals(p.bundle) || s.windowStart <= p.bundleSince) {
            return false;
        }
        p.bundle = s.bundle;
        p.bundleSince = s.windowStart;
        p.evidence = 0;
        p.cleanWindows = 0;
        return true;
    }

    private void expire(Progress p, OnTimerContext ctx, Collector<AlertRecord> out)
            throws Exception {
        AlertRecord open = openAlert.value();
        if (open != null) {
            if (ctx.timerService().currentWatermark() == Long.MAX_VALUE) {
                return; // the input ended: the alert stays open as the data left it
            }
            out.collect(expired(open, p));
            openAlert.clear();
        }
        progress.clear();
    }

    private AlertRecord expired(AlertRecord open, Progress p) {
        AlertRecord a = new AlertRecord();
        a.alertId = open.alertId;
        a.model = open.model;
        a.detector = open.detector;
        a.status = AlertRecord.RESOLVED;
        a.severity = open.severity;
        a.windowStart = p.lastWindowStart;
        a.windowEnd = p.lastWindowEnd;
        a.threshold = policy.cleanLevel;
        a.evidenceThreshold = policy.cusum.threshold();
        a.message =
                EXPIRED
                        + " no window decided "
                        + open.detector
                        + " within "
                        + TimeUtils.formatWithHighestUnit(Duration.ofMillis(policy.retentionMs))
                        + " (--state-retention) after the window of "
                        + ReportJson.iso(p.lastWindowStart)
                        + ": the model went silent or its windows had too few events or labels to test";
        return a;
    }

    private AlertRecord record(DetectorSignal s, String status, String alertId, Progress p) {
        AlertRecord a = new AlertRecord();
        a.alertId = alertId;
        a.model = s.model;
        a.detector = s.detector;
        a.status = status;
        a.windowStart = s.windowStart;
        a.windowEnd = s.windowEnd;
        a.statistic = s.statistic;
        a.threshold = policy.cleanLevel;
        a.pValue = s.pValue;
        a.evidence = p.evidence;
        a.evidenceThreshold = policy.cusum.threshold();
        a.exemplars = s.exemplars == null ? null : new java.util.ArrayList<>(s.exemplars);
        a.bundle = s.bundle;
        return a;
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.2f", v);
    }

    /**
     * The detector's accumulated evidence, its run of clean windows, and the expiry timer. A Flink
     * POJO.
     */
    public static class Progress {
        public double evidence;
        public int cleanWindows;
        public long lastWindowStart = Long.MIN_VALUE;
        public long lastWindowEnd = Long.MIN_VALUE;

        /**
         * The latest window start whose window was final and whose entry was dropped: older signals
         * are ignored.
         */
        public long finalThrough = Long.MIN_VALUE;

        public long expireAt;

        /** The reference bundle the latest windows were tested against, null when unknown. */
        public String bundle;

        /** The first window start tested against {@link #bundle}. */
        public long bundleSince = Long.MIN_VALUE;

        public Progress() {}
    }

    /**
     * A window that can still change: its latest signal and whether it fed the policy. A Flink
     * POJO.
     */
    public static class WindowEntry {
        public DetectorSignal latest;
        public boolean decided;
        public long finalAt;

        public WindowEntry() {}
    }
}
