package io.modelmonitor.pipeline.record;

/**
 * A prediction event after embedding: what the window statistics need, and nothing heavy (the text
 * or image is dropped once embedded). A Flink POJO.
 */
public class EmbeddedEvent {
    public String id;
    public long ts;
    public String model;

    /** Input in the space of the MMD test: the reduced (PCA) standardized features or embedding. */
    public double[] embedding;

    /**
     * Numeric inputs: the raw features, for per-feature tests and range checks; named features:
     * their coded cells under the model's schema ({@code TableSchema#encode}); null otherwise.
     */
    public double[] features;

    /** Outlier score (higher = more unusual), or NaN when the reference has no outlier model. */
    public double outlierScore = Double.NaN;

    public String prediction;
    public double predictedValue = Double.NaN;
    public double[] scores;

    /** Id of the bundle the event was embedded with; null: its model's start-up bundle. */
    public String bundle;

    /** Directory of that bundle, null for a start-up bundle. */
    public String bundlePath;

    /**
     * The window starts the bundle governs, {@code [bundleFrom, bundleUntil)}: the event belongs
     * only to its windows that start in this range (an event near a change of bundle is embedded
     * once per bundle when windows slide).
     */
    public long bundleFrom = Long.MIN_VALUE;

    public long bundleUntil = Long.MAX_VALUE;

    public EmbeddedEvent() {}

    /** Copies the non-input fields of {@code e}. */
    public static EmbeddedEvent of(PredictionEvent e, double[] embedding, double outlierScore) {
        EmbeddedEvent out = new EmbeddedEvent();
        out.id = e.id;
        out.ts = e.ts;
        out.model = e.model;
        out.embedding = embedding;
        out.features = e.features;
        out.outlierScore = outlierScore;
        out.prediction = e.prediction;
        out.predictedValue = e.predictedValue;
        out.scores = e.scores;
        return out;
    }

    /** The largest class probability, or NaN without scores. */
    public double topScore() {
        if (scores == null || scores.length == 0) {
            return Double.NaN;
        }
        double max = scores[0];
        for (double s : scores) {
            max = Math.max(max, s);
        }
        return max;
    }

    @Override
    public String toString() {
        return "EmbeddedEvent{id=" + id + ", ts=" + ts + ", model=" + model + "}";
    }
}
