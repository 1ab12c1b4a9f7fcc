package io.modelmonitor.pipeline.job;

import io.modelmonitor.pipeline.embed.EmbeddingOperator;
import io.modelmonitor.pipeline.record.DeadLetter;
import io.modelmonitor.pipeline.record.EventParser;
import io.modelmonitor.pipeline.record.InvalidRecordException;
import io.modelmonitor.pipeline.references.ReferenceUpdate;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Parses the {@code --references} records; a malformed one goes to the dead letters ({@link
 * SplitParsed#DEAD_LETTERS}, source {@code references}) with its reason.
 */
public class ParseReferenceUpdates extends ProcessFunction<String, ReferenceUpdate> {
    private static final long serialVersionUID = 1L;
    private transient Counter records;
    private transient Counter deadLetters;

    @Override
    public void open(OpenContext ctx) {
        var group = getRuntimeContext().getMetricGroup().addGroup("modelmonitor");
        records = group.counter("records");
        deadLetters = group.counter("dead_letters");
    }

    @Override
    public void processElement(String raw, Context ctx, Collector<ReferenceUpdate> out) {
        try {
            out.collect(ReferenceUpdate.parse(raw));
            records.inc();
        } catch (InvalidRecordException bad) {
            deadLetters.inc();
            String kept =
                    raw.length() > EventParser.MAX_RAW_IN_DEAD_LETTER
                            ? raw.substring(0, EventParser.MAX_RAW_IN_DEAD_LETTER)
                            : raw;
            ctx.output(
                    SplitParsed.DEAD_LETTERS,
                    new DeadLetter(bad.getMessage(), EmbeddingOperator.REFERENCES, kept, null));
        }
    }
}
