package io.modelmonitor.pipeline.record;

import java.util.Objects;

/**
 * A rejected input record with the reason it was rejected (docs/data-contracts.md, Dead letter). A
 * Flink POJO.
 */
public class DeadLetter {
    public String reason;

    /** {@code "events"} or {@code "labels"}. */
    public String source;

    /** The raw record, cut to {@link EventParser#MAX_RAW_IN_DEAD_LETTER} characters when huge. */
    public String raw;

    /**
     * The model named by the record when it could be read, else null; lets reports count dead
     * letters per model.
     */
    public String model;

    /**
     * Event time the job attributes the record to, for the per-window dead-letter counts: the
     * latest valid event time its source had shown (a bad record's own timestamp is not to be
     * trusted); {@link Long#MIN_VALUE} before any valid record.
     */
    public long ts = Long.MIN_VALUE;

    public DeadLetter() {}

    public DeadLetter(String reason, String source, String raw, String model) {
        this.reason = reason;
        this.source = source;
        this.raw = raw;
        this.model = model;
    }

    /**
     * docs/data-contracts.md: {@code {"reason", "source", "raw"}}, plus {@code "model"} when known.
     */
    public String toJson() {
        com.fasterxml.jackson.databind.node.ObjectNode o = JSON.createObjectNode();
        o.put("reason", reason);
        o.put("source", source);
        o.put("raw", raw);
        if (model != null) {
            o.put("model", model);
        }
        return o.toString();
    }

    private static final com.fasterxml.jackson.databind.ObjectMapper JSON =
            new com.fasterxml.jackson.databind.ObjectMapper();

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof DeadLetter)) {
            return false;
        }
        DeadLetter d = (DeadLetter) o;
        return Objects.equals(reason, d.reason)
                && Objects.equals(source, d.source)
                && Objects.equals(raw, d.raw)
                && Objects.equals(model, d.model);
    }

    @Override
    public int hashCode() {
        return Objects.hash(reason, source, raw);
    }

    @Override
    public String toString() {
        return "DeadLetter{" + source + ": " + reason + "}";
    }
}
