package io.modelmonitor.pipeline.window;

import io.modelmonitor.detectors.performance.PerformanceEstimator;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What a window keeps of its events: exact counts, and a bounded sample of inputs for the tests
 * that need rows (MMD, per-feature tests, the top-score test).
 *
 * <p>The sample is a bottom-k sample: the k events with the smallest seeded hash of their id.
 * Unlike a reservoir, it does not depend on arrival order, so the same events and seed give the
 * same sample after a restart, at any parallelism, and two accumulators merge exactly. A Flink POJO.
 */
public class WindowAccumulator {
    public String model;
    public long count;
    /** Events that got an outlier score. */
    public long scored;
    public long outliers;
    public long missingPrediction;
    public long missingScores;
    /** Events with at least one feature outside the reference range. */
    public long outOfRange;
    public Map<String, Long> predictionCounts = new HashMap<>();
    /** Predicted classes the reference never showed (at most {@link #MAX_UNSEEN_CLASSES} names). */
    public List<String> unseenClasses = new ArrayList<>();
    /** Label-free performance estimate state; null without a calibrator. */
    public PerformanceEstimator.Accumulator estimate;

    public int sampleSize;
    public long[] sampleKeys = new long[0];
    public double[][] sampleEmbeddings = new double[0][];
    /** Raw features of the sampled events (numeric inputs), else null rows. */
    public double[][] sampleFeatures = new double[0][];
    /** Top class probability of the sampled events, NaN without scores. */
    public double[] sampleTopScores = new double[0];

    static final int MAX_UNSEEN_CLASSES = 20;

    /**
     * Regression models: the predicted values of a bottom-k sample of the window's events (by the
     * same seeded id hash as the input sample, kept apart so the input sample is untouched), for the
     * two-sample KS test against the reference's predicted values.
     */
    public long[] valueKeys = new long[0];
    public double[] predictedValues = new double[0];

    /** Offers one regression prediction to the bottom-{@code capacity} sample of predicted values. */
    void offerValue(long key, double value, int capacity) {
        int n = valueKeys.length;
        if (n < capacity) {
            valueKeys = Arrays.copyOf(valueKeys, n + 1);
            predictedValues = Arrays.copyOf(predictedValues, n + 1);
            valueKeys[n] = key;
            predictedValues[n] = value;
            return;
        }
        int max = 0;
        for (int i = 1; i < n; i++) {
            if (valueKeys[i] > valueKeys[max]) {
                max = i;
            }
        }
        if (key < valueKeys[max]) {
            valueKeys[max] = key;
            predictedValues[max] = value;
        }
    }

    public WindowAccumulator() {}

    /** Offers one event to the bottom-{@code capacity} sample. */
    void offer(long key, double[] embedding, double[] features, double topScore, int capacity) {
        if (sampleSize < capacity) {
            if (sampleSize == sampleKeys.length) {
                int n = Math.min(capacity, Math.max(16, sampleSize * 2));
                sampleKeys = Arrays.copyOf(sampleKeys, n);
                sampleEmbeddings = Arrays.copyOf(sampleEmbeddings, n);
                sampleFeatures = Arrays.copyOf(sampleFeatures, n);
                sampleTopScores = Arrays.copyOf(sampleTopScores, n);
            }
            put(sampleSize++, key, embedding, features, topScore);
            return;
        }
        int max = 0;
        for (int i = 1; i < sampleSize; i++) {
            if (sampleKeys[i] > sampleKeys[max]) {
                max = i;
            }
        }
        if (key < sampleKeys[max]) {
            put(max, key, embedding, features, topScore);
        }
    }

    private void put(int i, long key, double[] embedding, double[] features, double topScore) {
        sampleKeys[i] = key;
        sampleEmbeddings[i] = embedding;
        sampleFeatures[i] = features;
        sampleTopScores[i] = topScore;
    }

    /** The sampled embeddings, in key order (deterministic). */
    public double[][] embeddings() {
        return sorted(sampleEmbeddings);
    }

    /** The sampled raw features (rows without features left out), in key order. */
    public double[][] features() {
        return Arrays.stream(sorted(sampleFeatures)).filter(f -> f != null).toArray(double[][]::new);
    }

    /** The sampled top scores (events without scores left out). */
    public double[] topScores() {
        double[] s = Arrays.copyOf(sampleTopScores, sampleSize);
        return Arrays.stream(s).filter(Double::isFinite).toArray();
    }

    private double[][] sorted(double[][] rows) {
        Integer[] order = new Integer[sampleSize];
        for (int i = 0; i < sampleSize; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Long.compare(sampleKeys[a], sampleKeys[b]));
        double[][] out = new double[sampleSize][];
        for (int i = 0; i < sampleSize; i++) {
            out[i] = rows[order[i]];
        }
        return out;
    }
}
