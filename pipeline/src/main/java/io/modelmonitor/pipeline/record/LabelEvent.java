package io.modelmonitor.pipeline.record;

import java.util.Objects;

/**
 * Ground truth for one prediction, arriving later on its own stream (docs/data-contracts.md). A
 * Flink POJO.
 */
public class LabelEvent {
    /** The {@link PredictionEvent#id} this label belongs to. */
    public String id;

    /**
     * The model whose prediction this label belongs to ({@code "default"} when the record names
     * none, as for events): labels join predictions on (model, id), so models that reuse request
     * ids never take each other's labels.
     */
    public String model = EventParser.DEFAULT_MODEL;

    /** When the label became known, epoch milliseconds. */
    public long ts;

    /**
     * The true class (a string or an integral number as text), or null for a non-integral number.
     */
    public String label;

    /**
     * The label as a number (any JSON number), or NaN for a string label; the model's task decides
     * which counts.
     */
    public double value = Double.NaN;

    public LabelEvent() {}

    public LabelEvent(String id, long ts, String label) {
        this.id = id;
        this.ts = ts;
        this.label = label;
    }

    public LabelEvent(String model, String id, long ts, String label) {
        this(id, ts, label);
        this.model = model;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof LabelEvent)) {
            return false;
        }
        LabelEvent l = (LabelEvent) o;
        return ts == l.ts
                && Objects.equals(id, l.id)
                && Objects.equals(model, l.model)
                && Objects.equals(label, l.label)
                && Double.compare(value, l.value) == 0;
    }

    @Override
    public int hashCode() {
        return Objects.hash(model, id, ts, label);
    }

    @Override
    public String toString() {
        return "LabelEvent{model="
                + model
                + ", id="
                + id
                + ", ts="
                + ts
                + ", label="
                + (label != null ? label : value)
                + "}";
    }
}
