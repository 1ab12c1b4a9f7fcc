package io.modelmonitor.pipeline.record;

import io.modelmonitor.models.tabular.NamedValues;
import java.util.Arrays;
import java.util.Objects;

/**
 * One prediction of a monitored model (docs/data-contracts.md), after parsing and validation.
 *
 * <p>A Flink POJO: public fields and a no-argument constructor, so Flink serializes it without
 * Kryo. Exactly one of {@link #text}, {@link #image}, {@link #features} and {@link #namedFeatures}
 * is set.
 */
public class PredictionEvent {
    /** Unique per prediction; the join key for labels. */
    public String id;

    /** Event time, epoch milliseconds. */
    public long ts;

    /** Which model produced it; {@code "default"} when absent. */
    public String model;

    public String text;

    /** Decoded image file bytes (PNG or JPEG). */
    public byte[] image;

    public double[] features;

    /** Named features (an object of numbers, strings, booleans and nulls), or null. */
    public NamedValues namedFeatures;

    /** Predicted class as a string (a string or an integral number), or null. */
    public String prediction;

    /**
     * The prediction as a number (any JSON number, integral ones too), or NaN for a string or
     * absent prediction. Which of the two readings counts is the model's task, from its bundle.
     */
    public double predictedValue = Double.NaN;

    /** Class probabilities in class order, or null. */
    public double[] scores;

    public PredictionEvent() {}

    public Modality modality() {
        if (text != null) {
            return Modality.TEXT;
        }
        return image != null ? Modality.IMAGE : Modality.NUMERIC;
    }

    /** Which kind of model input an event carries. */
    public enum Modality {
        TEXT,
        IMAGE,
        NUMERIC
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof PredictionEvent)) {
            return false;
        }
        PredictionEvent e = (PredictionEvent) o;
        return ts == e.ts
                && Objects.equals(id, e.id)
                && Objects.equals(model, e.model)
                && Objects.equals(text, e.text)
                && Arrays.equals(image, e.image)
                && Arrays.equals(features, e.features)
                && Objects.equals(namedFeatures, e.namedFeatures)
                && Objects.equals(prediction, e.prediction)
                && Double.compare(predictedValue, e.predictedValue) == 0
                && Arrays.equals(scores, e.scores);
    }

    @Override
    public int hashCode() {
        return Objects.hash(id, ts, model);
    }

    @Override
    public String toString() {
        return "PredictionEvent{id="
                + id
                + ", ts="
                + ts
                + ", model="
                + model
                + ", modality="
                + modality()
                + ", prediction="
                + prediction
                + "}";
    }
}
