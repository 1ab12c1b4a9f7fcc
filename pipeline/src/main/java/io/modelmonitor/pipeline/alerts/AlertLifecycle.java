package io.modelmonitor.pipeline.alerts;

import io.modelmonitor.pipeline.results.ReportJson;
import java.time.Duration;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.TimeUtils;

/**
 * One alert lifecycle per (model, detector), keyed by {@link DetectorSignal#lifecycleKey()}: an
 * alert opens once when the condition starts and resolves once when it ends, however many windows
 * it lasts.
 *
 * <p>Reports of older windows keep arriving as revisions (late labels); the latest window that
 * decided the condition wins, so a revision of a window older than that one is ignored rather
 * than flipping the alert back. That guard is kept for as long as revisions can come (window end
 * + retention, an event-time timer).
 *
 * <p>An open alert that no later window decides within the retention ({@code --state-retention}:
 * the model went silent, or its windows stopped carrying enough events or labels to test) resolves
 * as <em>expired</em>: a {@code resolved} record whose window is the last one that decided the
 * condition, with no statistic, and a message that starts with {@link #EXPIRED}. Nothing is kept
 * for the (model, detector) after that, so a model that comes back starts a fresh lifecycle. The
 * timer fires as the watermark moves on with other models' traffic; when the whole input ends
 * (watermark at its maximum) nothing expires: the data did not go silent, it ended.
 *
 * <pre>{@code
 * signals.keyBy(DetectorSignal::lifecycleKey).process(new AlertLifecycle(settings.windowRetentionMs()));
 * }</pre>
 */
public class AlertLifecycle extends KeyedProcessFunction<String, DetectorSignal, AlertRecord> {
    private static final long serialVersionUID = 1L;
    /** How the message of an alert resolved by expiry starts. */
    public static final String EXPIRED = "expired:";

    private final long retentionMs;
    private transient ValueState<AlertRecord> openAlert;
    private transient ValueState<Progress> progress;

    /** @param retentionMs how long after a window's end a revision of it can still arrive */
    public AlertLifecycle(long retentionMs) {
        this.retentionMs = retentionMs;
    }

    @Override
    public void open(OpenContext ctx) {
        openAlert = getRuntimeContext().getState(new ValueStateDescriptor<>("open-alert", AlertRecord.class));
        progress = getRuntimeContext().getState(new ValueStateDescriptor<>("progress", Progress.class));
    }

    @Override
    public void processElement(DetectorSignal signal, Context ctx, Collector<AlertRecord> out) throws Exception {
        Progress p = progress.value();
        if (p != null && signal.windowStart < p.windowStart) {
            return; // stale revision of an older window
        }
        if (p != null) {
            ctx.timerService().deleteEventTimeTimer(p.cleanupAt);
        } else {
            p = new Progress();
        }
        p.windowStart = signal.windowStart;
        p.cleanupAt = saturatedAdd(signal.windowEnd, retentionMs);
        progress.update(p);
        ctx.timerService().registerEventTimeTimer(p.cleanupAt);

        AlertRecord open = openAlert.value();
        if (signal.condition && open == null) {
            AlertRecord a = transition(signal, AlertRecord.OPEN,
                    signal.model + "/" + signal.detector + "/" + ReportJson.iso(signal.windowStart));
            openAlert.update(a);
            out.collect(a);
        } else if (!signal.condition && open != null) {
            openAlert.clear();
            AlertRecord a = transition(signal, AlertRecord.RESOLVED, open.alertId);
            a.severity = open.severity;
            out.collect(a);
        }
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<AlertRecord> out) throws Exception {
        Progress p = progress.value();
        if (p == null || p.cleanupAt != timestamp) {
            return;
        }
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
        a.windowStart = p.windowStart;
        a.windowEnd = p.cleanupAt == Long.MAX_VALUE ? Long.MAX_VALUE : p.cleanupAt - retentionMs;
        a.message = EXPIRED + " no window decided " + open.detector + " within "
                + TimeUtils.formatWithHighestUnit(Duration.ofMillis(retentionMs)) + " (--state-retention) after the window of "
                + ReportJson.iso(p.windowStart) + ": the model went silent or its windows had too few events or labels to test";
        return a;
    }

    private static AlertRecord transition(DetectorSignal s, String status, String alertId) {
        AlertRecord a = new AlertRecord();
        a.alertId = alertId;
        a.model = s.model;
        a.detector = s.detector;
        a.status = status;
        a.severity = s.severity;
        a.windowStart = s.windowStart;
        a.windowEnd = s.windowEnd;
        a.statistic = s.statistic;
        a.threshold = s.threshold;
        a.pValue = s.pValue;
        a.message = s.message;
        return a;
    }

    static long saturatedAdd(long a, long b) {
        long r = a + b;
        return ((a ^ r) & (b ^ r)) < 0 ? Long.MAX_VALUE : r;
    }

    /** The latest window that decided the condition, and when that guard may be dropped. A Flink POJO. */
    public static class Progress {
        public long windowStart;
        public long cleanupAt;

        public Progress() {}
    }
}
