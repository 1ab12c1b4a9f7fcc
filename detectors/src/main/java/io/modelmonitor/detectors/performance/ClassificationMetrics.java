package io.modelmonitor.detectors.performance;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Classification metrics of one window, accumulated event by event and mergeable (e.g. a Flink
 * window's accumulator). Labels are strings.
 *
 * <ul>
 *   <li>confusion counts, accuracy, per-class precision / recall / F1 and their macro (unweighted
 *       mean over the union of actual and predicted labels) and weighted (by actual support)
 *       averages; a ratio with a zero denominator counts 0 (scikit-learn's {@code
 *       zero_division=0});
 *   <li>log loss −mean log p(actual), probabilities clipped to [1e-15, 1 − 1e-15]; needs scores and
 *       the class order ({@link Builder#optClasses}); events without scores are left out of it (and
 *       an actual label outside the class order counts as probability 0);
 *   <li>binary ROC AUC, exact with ties: the Mann–Whitney U of the positive-class scores of
 *       positives versus negatives divided by n₊n₋ (Hanley &amp; McNeil 1982). The positive class
 *       is the second class of the class order. Exact AUC is not a function of merged counts, so
 *       the positive-class score of every scored event is kept (memory O(window size), 16 bytes an
 *       event; a window bounds it).
 * </ul>
 *
 * <pre>{@code
 * ClassificationMetrics m = ClassificationMetrics.builder().optClasses(List.of("neg", "pos")).build();
 * m.add("pos", "pos", new double[] {0.2, 0.8});
 * m.add("neg", "pos", null);
 * m.merge(otherPartition);
 * double f1 = m.macroF1();
 * }</pre>
 */
public final class ClassificationMetrics implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final double CLIP = 1e-15;

    private final List<String> classes; // score order; empty when unknown
    private final TreeMap<String, TreeMap<String, Long>> confusion = new TreeMap<>();
    private long count;
    private double logLossSum;
    private long logLossCount;
    private double[] positiveScores = new double[16];
    private int positives;
    private double[] negativeScores = new double[16];
    private int negatives;

    private ClassificationMetrics(List<String> classes) {
        this.classes = List.copyOf(classes);
    }

    /** A builder; the class order is optional (needed for log loss and ROC AUC). */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Adds one labelled prediction.
     *
     * @param scores class probabilities in the class order, or {@code null}
     */
    public ClassificationMetrics add(String actual, String predicted, double[] scores) {
        confusion.computeIfAbsent(actual, k -> new TreeMap<>()).merge(predicted, 1L, Long::sum);
        count++;
        if (scores != null && !classes.isEmpty()) {
            if (scores.length != classes.size()) {
                throw new IllegalArgumentException(
                        "expected " + classes.size() + " scores, got " + scores.length);
            }
            int actualIndex = classes.indexOf(actual);
            double p = actualIndex >= 0 ? scores[actualIndex] : 0;
            logLossSum -= Math.log(Math.min(1 - CLIP, Math.max(CLIP, p)));
            logLossCount++;
            if (classes.size() == 2 && actualIndex >= 0) {
                addBinaryScore(actualIndex == 1, scores[1]);
            }
        }
        return this;
    }

    /** Adds another window part's metrics (same class order) into this one; returns this. */
    public ClassificationMetrics merge(ClassificationMetrics other) {
        if (!classes.equals(other.classes)) {
            throw new IllegalArgumentException(
                    "class orders differ: " + classes + " vs " + other.classes);
        }
        other.confusion.forEach(
                (actual, row) ->
                        row.forEach(
                                (predicted, n) ->
                                        confusion
                                                .computeIfAbsent(actual, k -> new TreeMap<>())
                                                .merge(predicted, n, Long::sum)));
        count += other.count;
        logLossSum += other.logLossSum;
        logLossCount += other.logLossCount;
        for (int i = 0; i < other.positives; i++) {
            addBinaryScore(true, other.positiveScores[i]);
        }
        for (int i = 0; i < other.negatives; i++) {
            addBinaryScore(false, other.negativeScores[i]);
        }
        return this;
    }

    /** Number of labelled predictions. */
    public long count() {
        return count;
    }

    /** The class order given to the builder. */
    public List<String> classes() {
        return classes;
    }

    /** Union of actual and predicted labels, sorted. */
    public List<String> labels() {
        TreeSet<String> labels = new TreeSet<>(confusion.keySet());
        confusion.values().forEach(row -> labels.addAll(row.keySet()));
        return new ArrayList<>(labels);
    }

    /** Count of (actual, predicted). */
    public long count(String actual, String predicted) {
        Map<String, Long> row = confusion.get(actual);
        return row == null ? 0 : row.getOrDefault(predicted, 0L);
    }

    /** Confusion matrix over {@code labels} (rows actual, columns predicted). */
    public long[][] confusionMatrix(List<String> labels) {
        long[][] m = new long[labels.size()][labels.size()];
        for (int i = 0; i < labels.size(); i++) {
            for (int j = 0; j < labels.size(); j++) {
                m[i][j] = count(labels.get(i), labels.get(j));
            }
        }
        return m;
    }

    /** Fraction of correct predictions (NaN when empty). */
    public double accuracy() {
        long correct = 0;
        for (Map.Entry<String, TreeMap<String, Long>> row : confusion.entrySet()) {
            correct += row.getValue().getOrDefault(row.getKey(), 0L);
        }
        return count == 0 ? Double.NaN : (double) correct / count;
    }

    /** TP / (TP + FP) of a label. */
    public double precision(String label) {
        return ratio(count(label, label), predictedCount(label));
    }

    /** TP / (TP + FN) of a label. */
    public double recall(String label) {
        return ratio(count(label, label), support(label));
    }

    /** 2TP / (2TP + FP + FN) of a label. */
    public double f1(String label) {
        long tp = count(label, label);
        return ratio(2 * tp, predictedCount(label) + support(label));
    }

    /** Number of events whose actual label is {@code label}. */
    public long support(String label) {
        Map<String, Long> row = confusion.get(label);
        return row == null ? 0 : row.values().stream().mapToLong(Long::longValue).sum();
    }

    public double macroPrecision() {
        return macro(this::precision);
    }

    public double macroRecall() {
        return macro(this::recall);
    }

    public double macroF1() {
        return macro(this::f1);
    }

    public double weightedPrecision() {
        return weighted(this::precision);
    }

    public double weightedRecall() {
        return weighted(this::recall);
    }

    public double weightedF1() {
        return weighted(this::f1);
    }

    /** Mean log loss over scored events (NaN when none). */
    public double logLoss() {
        return logLossCount == 0 ? Double.NaN : logLossSum / logLossCount;
    }

    /** Exact binary ROC AUC (NaN unless both classes have scored events). */
    public double rocAuc() {
        if (positives == 0 || negatives == 0) {
            return Double.NaN;
        }
        return mannWhitneyU(
                        Arrays.copyOf(positiveScores, positives),
                        Arrays.copyOf(negativeScores, negatives))
                / ((double) positives * negatives);
    }

    /** U statistic of x versus y: Σ ranks of x in the pooled sample (mid-ranks) − n(n+1)/2. */
    static double mannWhitneyU(double[] x, double[] y) {
        double[] sx = x.clone();
        double[] sy = y.clone();
        Arrays.sort(sx);
        Arrays.sort(sy);
        double rankSum = 0;
        int i = 0;
        int j = 0;
        int ranked = 0;
        while (i < sx.length || j < sy.length) {
            double v = (j >= sy.length || (i < sx.length && sx[i] <= sy[j])) ? sx[i] : sy[j];
            int tx = 0;
            while (i + tx < sx.length && sx[i + tx] == v) {
                tx++;
            }
            int ty = 0;
            while (j + ty < sy.length && sy[j + ty] == v) {
                ty++;
            }
            double midRank = ranked + (tx + ty + 1) / 2.0;
            rankSum += tx * midRank;
            ranked += tx + ty;
            i += tx;
            j += ty;
        }
        return rankSum - (double) sx.length * (sx.length + 1) / 2;
    }

    private long predictedCount(String label) {
        long n = 0;
        for (TreeMap<String, Long> row : confusion.values()) {
            n += row.getOrDefault(label, 0L);
        }
        return n;
    }

    private double macro(java.util.function.ToDoubleFunction<String> metric) {
        List<String> labels = labels();
        return labels.isEmpty()
                ? Double.NaN
                : labels.stream().mapToDouble(metric).sum() / labels.size();
    }

    private double weighted(java.util.function.ToDoubleFunction<String> metric) {
        if (count == 0) {
            return Double.NaN;
        }
        double sum = 0;
        for (String label : labels()) {
            sum += support(label) * metric.applyAsDouble(label);
        }
        return sum / count;
    }

    private static double ratio(long numerator, long denominator) {
        return denominator == 0 ? 0 : (double) numerator / denominator;
    }

    private void addBinaryScore(boolean positive, double score) {
        if (positive) {
            if (positives == positiveScores.length) {
                positiveScores = Arrays.copyOf(positiveScores, 2 * positives);
            }
            positiveScores[positives++] = score;
        } else {
            if (negatives == negativeScores.length) {
                negativeScores = Arrays.copyOf(negativeScores, 2 * negatives);
            }
            negativeScores[negatives++] = score;
        }
    }

    /** Builder; everything optional. */
    public static final class Builder {
        private List<String> classes = List.of();

        private Builder() {}

        /** The class order of score vectors (the positive class of ROC AUC is the second). */
        public Builder optClasses(List<String> classes) {
            this.classes = classes;
            return this;
        }

        public ClassificationMetrics build() {
            return new ClassificationMetrics(classes);
        }
    }
}
