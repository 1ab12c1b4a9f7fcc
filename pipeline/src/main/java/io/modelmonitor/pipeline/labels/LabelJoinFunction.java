package io.modelmonitor.pipeline.labels;

import io.modelmonitor.pipeline.record.LabelEvent;
import io.modelmonitor.pipeline.record.LabelOutcome;
import io.modelmonitor.pipeline.time.EventTime;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.streaming.api.functions.co.KeyedCoProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Joins predictions with their labels on (model, id) ({@link #key}), in event time, with bounded
 * state. The model is part of the key because request ids are only unique within one model's
 * traffic: two models that reuse ids must not take each other's labels.
 *
 * <ul>
 *   <li>A prediction waits for its label until {@code ts + labelTimeout}; a label whose time is
 *       later than that does not match (the prediction counts as unlabelled).
 *   <li>A label that arrives before its prediction waits until the watermark passes the label's
 *       time: by then every prediction up to that time has arrived.
 *   <li>A matched pair is emitted when the watermark passes the later of the two times, with that
 *       time as its timestamp: downstream, the same inputs give the same outcomes in the same
 *       event-time order, however the two streams interleave.
 *   <li>A second prediction for a key that already has one pending is ignored.
 * </ul>
 *
 * <p>Labels that join nothing are emitted as label-only outcomes (and counted in the {@code
 * modelmonitor} counters {@code duplicate_labels}, {@code late_labels}, {@code orphan_labels}) so
 * that reports can show them:
 *
 * <ul>
 *   <li>duplicate: a second label for a key whose first label is still pending (ignored);
 *   <li>late: a label whose time is past its pending prediction's timeout;
 *   <li>orphan: a label with no prediction when the watermark passes its time. That includes a
 *       label that comes after its prediction expired, or after its pair was emitted (a late
 *       retry): the join keeps no memory of resolved keys, which is what keeps its state bounded by
 *       the predictions of one label timeout. So late and duplicate counts are lower bounds, and
 *       the three counts together are every label that did not contribute.
 * </ul>
 *
 * <p>Exactly one event-time timer is registered per key while anything is pending, at the {@link
 * #deadline}; nothing (state or timer) is left once the pair is emitted or times out.
 */
public class LabelJoinFunction
        extends KeyedCoProcessFunction<String, PredictionSummary, LabelEvent, LabelOutcome> {
    private static final long serialVersionUID = 1L;

    private final long labelTimeoutMs;
    private transient ValueState<PredictionSummary> prediction;
    private transient ValueState<LabelEvent> label;
    private transient Counter duplicateLabels;
    private transient Counter lateLabels;
    private transient Counter orphanLabels;

    public LabelJoinFunction(long labelTimeoutMs) {
        this.labelTimeoutMs = labelTimeoutMs;
    }

    @Override
    public void open(OpenContext ctx) {
        prediction =
                getRuntimeContext()
                        .getState(
                                new ValueStateDescriptor<>("prediction", PredictionSummary.class));
        label = getRuntimeContext().getState(new ValueStateDescriptor<>("label", LabelEvent.class));
        MetricGroup group = getRuntimeContext().getMetricGroup().addGroup("modelmonitor");
        duplicateLabels = group.counter("duplicate_labels");
        lateLabels = group.counter("late_labels");
        orphanLabels = group.counter("orphan_labels");
    }

    /**
     * The join key of a prediction or label: model and id, length-prefixed so that no two different
     * pairs give the same string.
     */
    public static String key(String model, String id) {
        return model.length() + ":" + model + id;
    }

    @Override
    public void processElement1(PredictionSummary p, Context ctx, Collector<LabelOutcome> out)
            throws Exception {
        PredictionSummary pending = prediction.value();
        if (pending != null) {
            return; // duplicate prediction id
        }
        LabelEvent l = label.value();
        long before = deadline(null, l);
        prediction.update(p);
        if (l != null && !matches(p, l)) {
            out.collect(labelOnly(LabelOutcome.Kind.LATE_LABEL, p, l));
            label.clear();
            l = null;
        }
        reschedule(ctx, before, deadline(p, l));
    }

    @Override
    public void processElement2(LabelEvent l, Context ctx, Collector<LabelOutcome> out)
            throws Exception {
        PredictionSummary p = prediction.value();
        if (label.value() != null) {
            out.collect(labelOnly(LabelOutcome.Kind.DUPLICATE_LABEL, p, l));
            return;
        }
        if (p != null && !matches(p, l)) {
            out.collect(
                    labelOnly(
                            LabelOutcome.Kind.LATE_LABEL, p, l)); // the prediction stays unlabelled
            return;
        }
        long before = deadline(p, null);
        label.update(l);
        reschedule(ctx, before, deadline(p, l));
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<LabelOutcome> out)
            throws Exception {
        PredictionSummary p = prediction.value();
        LabelEvent l = label.value();
        if (deadline(p, l) != timestamp) {
            return;
        }
        if (p != null && l != null) {
            out.collect(outcome(p, l));
        } else if (l != null) {
            out.collect(labelOnly(LabelOutcome.Kind.ORPHAN_LABEL, null, l));
        }
        prediction.clear();
        label.clear();
    }

    /** When the pending state resolves or expires; Long.MIN_VALUE when nothing is pending. */
    long deadline(PredictionSummary p, LabelEvent l) {
        if (p != null && l != null) {
            return Math.max(p.ts, l.ts);
        }
        if (p != null) {
            return EventTime.saturatedAdd(p.ts, labelTimeoutMs);
        }
        return l != null ? l.ts : Long.MIN_VALUE;
    }

    private boolean matches(PredictionSummary p, LabelEvent l) {
        return l.ts <= EventTime.saturatedAdd(p.ts, labelTimeoutMs);
    }

    private static void reschedule(Context ctx, long before, long after) {
        if (before == after) {
            return;
        }
        if (before != Long.MIN_VALUE) {
            ctx.timerService().deleteEventTimeTimer(before);
        }
        if (after != Long.MIN_VALUE) {
            ctx.timerService().registerEventTimeTimer(after);
        }
    }

    /**
     * A label that joined nothing, attributed to its prediction's time when there is one, else its
     * own.
     */
    private LabelOutcome labelOnly(LabelOutcome.Kind kind, PredictionSummary p, LabelEvent l) {
        (kind == LabelOutcome.Kind.DUPLICATE_LABEL
                        ? duplicateLabels
                        : kind == LabelOutcome.Kind.LATE_LABEL ? lateLabels : orphanLabels)
                .inc();
        LabelOutcome o = new LabelOutcome();
        o.kind = kind;
        o.id = l.id;
        o.model = l.model;
        o.predictionTs = p != null ? p.ts : l.ts;
        o.labelTs = l.ts;
        return o;
    }

    static LabelOutcome outcome(PredictionSummary p, LabelEvent l) {
        LabelOutcome o = new LabelOutcome();
        o.id = p.id;
        o.model = p.model;
        o.predictionTs = p.ts;
        o.labelTs = l.ts;
        o.predicted = p.prediction;
        o.actual = l.label;
        o.predictedValue = p.predictedValue;
        o.actualValue = l.value;
        return o;
    }
}
