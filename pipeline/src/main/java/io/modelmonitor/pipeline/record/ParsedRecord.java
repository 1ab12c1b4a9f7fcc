package io.modelmonitor.pipeline.record;

/**
 * The outcome of parsing one raw record: exactly one of {@link #prediction}, {@link #label} and
 * {@link #deadLetter} is set. Parsed and rejected records travel together through the watermark
 * assigner, so dead letters carry event time and reach the per-window counts in order. A Flink
 * POJO.
 */
public class ParsedRecord {
    public PredictionEvent prediction;
    public LabelEvent label;
    public DeadLetter deadLetter;

    public ParsedRecord() {}

    public static ParsedRecord of(PredictionEvent e) {
        ParsedRecord r = new ParsedRecord();
        r.prediction = e;
        return r;
    }

    public static ParsedRecord of(LabelEvent l) {
        ParsedRecord r = new ParsedRecord();
        r.label = l;
        return r;
    }

    public static ParsedRecord of(DeadLetter d) {
        ParsedRecord r = new ParsedRecord();
        r.deadLetter = d;
        return r;
    }

    /** Event time: the event's, the label's, or the dead letter's attributed time. */
    public long timestamp() {
        if (prediction != null) {
            return prediction.ts;
        }
        return label != null ? label.ts : deadLetter.ts;
    }
}
