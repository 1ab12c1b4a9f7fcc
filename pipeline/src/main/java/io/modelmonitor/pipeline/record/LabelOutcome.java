package io.modelmonitor.pipeline.record;

/**
 * A prediction joined with its label: the unit of realised performance. Attributed to the
 * window(s) of {@link #predictionTs}; known (in event time) from {@link #labelTs}. A Flink POJO.
 */
public class LabelOutcome {
    public String id;
    public String model;
    public long predictionTs;
    public long labelTs;
    public String predicted;
    public String actual;
    /** Regression: predicted and true values (NaN for classification). */
    public double predictedValue = Double.NaN;
    public double actualValue = Double.NaN;

    public LabelOutcome() {}

    /** Classification outcome: the prediction equals the label. */
    public boolean correct() {
        return predicted != null && predicted.equals(actual);
    }

    /** Whether this outcome has a class prediction and a class label (accuracy applies). */
    public boolean classification() {
        return actual != null && predicted != null;
    }

    @Override
    public String toString() {
        return "LabelOutcome{id=" + id + ", model=" + model + ", predicted=" + predicted + ", actual=" + actual + "}";
    }
}
