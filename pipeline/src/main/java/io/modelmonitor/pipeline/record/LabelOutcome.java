package io.modelmonitor.pipeline.record;

/**
 * A prediction joined with its label: the unit of realised performance. Attributed to the window(s)
 * of {@link #predictionTs}; known (in event time) from {@link #labelTs}. A Flink POJO.
 *
 * <p>The label join also reports the labels that joined nothing, so reports can count them: {@link
 * Kind#DUPLICATE_LABEL}, {@link Kind#LATE_LABEL} and {@link Kind#ORPHAN_LABEL} carry no prediction
 * or label values, only the times the report attributes them by.
 */
public class LabelOutcome {
    /** What this outcome is. */
    public enum Kind {
        /** A prediction and its label. */
        MATCHED,
        /** A second label for a (model, id) whose first label was still waiting in the join. */
        DUPLICATE_LABEL,
        /** A label later than its prediction's label timeout (the prediction stays unlabelled). */
        LATE_LABEL,
        /**
         * A label that found no prediction: none came up to the label's time, or it expired before
         * the label reached the join, or its pair was already emitted. {@link #predictionTs} is the
         * label's time, as there is no prediction to attribute it to.
         */
        ORPHAN_LABEL
    }

    public Kind kind = Kind.MATCHED;
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

    /** A label for a prediction (not one of the label-only kinds). */
    public boolean matched() {
        return kind == Kind.MATCHED;
    }

    /**
     * The event time the reports attribute this outcome to: a matched label counts for its
     * prediction's window(s); a label-only outcome for the window of the label's own time (when the
     * label stream delivered it), so that it never revises a window whose labels are complete.
     */
    public long attributedTs() {
        return matched() ? predictionTs : labelTs;
    }

    /**
     * The event time from which this outcome is known: when the later of prediction and label came.
     */
    public long knownTs() {
        return matched() ? Math.max(predictionTs, labelTs) : labelTs;
    }

    /** Classification outcome: the prediction equals the label. */
    public boolean correct() {
        return predicted != null && predicted.equals(actual);
    }

    /** Whether this outcome has a class prediction and a class label (accuracy applies). */
    public boolean classification() {
        return matched() && actual != null && predicted != null;
    }

    @Override
    public String toString() {
        return "LabelOutcome{"
                + kind
                + ", id="
                + id
                + ", model="
                + model
                + ", predicted="
                + predicted
                + ", actual="
                + actual
                + "}";
    }
}
