package io.modelmonitor.pipeline.job;

import io.modelmonitor.pipeline.record.DeadLetter;
import io.modelmonitor.pipeline.record.LabelEvent;
import io.modelmonitor.pipeline.record.ParsedRecord;
import io.modelmonitor.pipeline.record.PredictionEvent;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Splits parsed records, after the watermark assigner, into valid records (main output) and dead
 * letters ({@link #DEAD_LETTERS} side output, still carrying their event time).
 */
public abstract class SplitParsed<T> extends ProcessFunction<ParsedRecord, T> {
    private static final long serialVersionUID = 1L;
    public static final OutputTag<DeadLetter> DEAD_LETTERS = new OutputTag<>("dead-letters") {};

    @Override
    public void processElement(ParsedRecord r, Context ctx, Collector<T> out) {
        if (r.deadLetter != null) {
            ctx.output(DEAD_LETTERS, r.deadLetter);
        } else {
            T valid = valid(r);
            if (valid != null) {
                out.collect(valid);
            }
        }
    }

    abstract T valid(ParsedRecord r);

    /** Prediction events. */
    public static class Predictions extends SplitParsed<PredictionEvent> {
        private static final long serialVersionUID = 1L;

        @Override
        PredictionEvent valid(ParsedRecord r) {
            return r.prediction;
        }
    }

    /** Label events. */
    public static class Labels extends SplitParsed<LabelEvent> {
        private static final long serialVersionUID = 1L;

        @Override
        LabelEvent valid(ParsedRecord r) {
            return r.label;
        }
    }
}
