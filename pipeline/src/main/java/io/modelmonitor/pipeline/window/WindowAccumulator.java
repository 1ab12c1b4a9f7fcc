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
 * same sample after a restart, at any parallelism, and two accumulators merge exactly. A Flink
 * POJO.
 */
public class WindowAccumulator {
    public String model;

    /** The bundle the window's events were embedded with (null: the start-up bundle). */
    public String bundle;

    public String bundlePath;

    /** The window start from which that bundle is in force. */
    public long bundleFrom = Long.MIN_VALUE;

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

    /** The largest key in the sample ({@link ModelWindows} keeps the rows apart). */
    public long sampleMaxKey = Long.MIN_VALUE;

    public long[] sampleKeys = new long[0];
    public double[][] sampleEmbeddings = new double[0][];

    /** Raw features of the sampled events (numeric inputs), else null rows. */
    public double[][] sampleFeatures = new double[0][];

    /** Top class probability of the sampled events, NaN without scores. */
    public double[] sampleTopScores = new double[0];

    /** Event ids of the sampled events, so the MMD witness can name its exemplars. */
    public String[] sampleIds = new String[0];

    /**
     * The highest outlier scores of the window (all scored events, not the sample) and their event
     * ids, unordered, at most {@code --exemplars}: exact, and merged exactly.
     */
    public String[] topOutlierIds = new String[0];

    public double[] topOutlierScores = new double[0];

    static final int MAX_UNSEEN_CLASSES = 20;

    /**
     * Regression models: the predicted values of a bottom-k sample of the window's events (by the
     * same seeded id hash as the input sample, kept apart so the input sample is untouched), for
     * the two-sample KS test against the reference's predicted values.
     */
    public long[] valueKeys = new long[0];

    public double[] predictedValues = new double[0];

    /**
     * Offers one regression prediction to the bottom-{@code capacity} sample of predicted values.
     */
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

    /**
     * Offers an outlier score to the top-{@code capacity} list: a higher score wins, equal scores
     * go to the smaller id, so the list does not depend on arrival order.
     */
    void offerOutlier(String id, double score, int capacity) {
        if (capacity <= 0 || !Double.isFinite(score)) {
            return;
        }
        if (topOutlierIds == null
                || topOutlierScores
                        == null) { // restored from state written before the list existed
            topOutlierIds = new String[0];
            topOutlierScores = new double[0];
        }
        int size = topOutlierIds.length;
        if (size < capacity) {
            topOutlierIds = Arrays.copyOf(topOutlierIds, size + 1);
            topOutlierScores = Arrays.copyOf(topOutlierScores, size + 1);
            topOutlierIds[size] = id;
            topOutlierScores[size] = score;
            return;
        }
        int worst = 0;
        for (int i = 1; i < size; i++) {
            if (outranks(
                    topOutlierIds[worst],
                    topOutlierScores[worst],
                    topOutlierIds[i],
                    topOutlierScores[i])) {
                worst = i;
            }
        }
        if (outranks(id, score, topOutlierIds[worst], topOutlierScores[worst])) {
            topOutlierIds[worst] = id;
            topOutlierScores[worst] = score;
        }
    }

    /** Whether (a, sa) comes before (b, sb) in the top list: higher score, then smaller id. */
    static boolean outranks(String a, double sa, String b, double sb) {
        return sa > sb || (sa == sb && a.compareTo(b) < 0);
    }

    /** Indices of {@link #topOutlierIds} in list order, highest score first. */
    public Integer[] topOutlierOrder() {
        if (topOutlierIds == null || topOutlierScores == null) {
            return new Integer[0];
        }
        Integer[] order = new Integer[topOutlierIds.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(
                order,
                (a, b) ->
                        outranks(
                                        topOutlierIds[a],
                                        topOutlierScores[a],
                                        topOutlierIds[b],
                                        topOutlierScores[b])
                                ? -1
                                : outranks(
                                                topOutlierIds[b],
                                                topOutlierScores[b],
                                                topOutlierIds[a],
                                                topOutlierScores[a])
                                        ? 1
                                        : 0);
        return order;
    }

    /** Offers one event to the bottom-{@code capacity} sample. */
    void offer(
            long key,
            String id,
            double[] embedding,
            double[] features,
            double topScore,
            int capacity) {
        if (sampleSize < capacity) {
            if (sampleSize == sampleKeys.length) {
                int n = Math.min(capacity, Math.max(16, sampleSize * 2));
                sampleKeys = Arrays.copyOf(sampleKeys, n);
                sampleEmbeddings = Arrays.copyOf(sampleEmbeddings, n);
                sampleFeatures = Arrays.copyOf(sampleFeatures, n);
                sampleTopScores = Arrays.copyOf(sampleTopScores, n);
                sampleIds = Arrays.copyOf(sampleIds, n);
            }
            put(sampleSize++, key, id, embedding, features, topScore);
            return;
        }
        int max = 0;
        for (int i = 1; i < sampleSize; i++) {
            if (sampleKeys[i] > sampleKeys[max]) {
                max = i;
            }
        }
        if (key < sampleKeys[max]) {
            put(max, key, id, embedding, features, topScore);
        }
    }

    private void put(
            int i, long key, String id, double[] embedding, double[] features, double topScore) {
        sampleKeys[i] = key;
        if (sampleIds == null || sampleIds.length < sampleKeys.length) {
            // an accumulator restored from state written before ids were sampled
            sampleIds =
                    Arrays.copyOf(sampleIds == null ? new String[0] : sampleIds, sampleKeys.length);
        }
        sampleIds[i] = id;
        sampleEmbeddings[i] = embedding;
        sampleFeatures[i] = features;
        sampleTopScores[i] = topScore;
    }

    /** The sampled embeddings, in key order (deterministic). */
    public double[][] embeddings() {
        return sorted(sampleEmbeddings);
    }

    /**
     * The ids of the sampled events, in the order of {@link #embeddings()} (null where unknown).
     */
    public String[] ids() {
        String[] ids =
                Arrays.copyOf(sampleIds == null ? new String[0] : sampleIds, sampleKeys.length);
        Integer[] order = keyOrder();
        String[] out = new String[sampleSize];
        for (int i = 0; i < sampleSize; i++) {
            out[i] = ids[order[i]];
        }
        return out;
    }

    /** The sampled raw features (rows without features left out), in key order. */
    public double[][] features() {
        return Arrays.stream(sorted(sampleFeatures))
                .filter(f -> f != null)
                .toArray(double[][]::new);
    }

    /** The sampled top scores (events without scores left out). */
    public double[] topScores() {
        double[] s = Arrays.copyOf(sampleTopScores, sampleSize);
        return Arrays.stream(s).filter(Double::isFinite).toArray();
    }

    private Integer[] keyOrder() {
        Integer[] order = new Integer[sampleSize];
        for (int i = 0; i < sampleSize; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Long.compare(sampleKeys[a], sampleKeys[b]));
        return order;
    }

    private double[][] sorted(double[][] rows) {
        Integer[] order = keyOrder();
        double[][] out = new double[sampleSize][];
        for (int i = 0; i < sampleSize; i++) {
            out[i] = rows[order[i]];
        }
        return out;
    }
}
