package io.modelmonitor.detectors.performance;

import io.modelmonitor.detectors.stats.SpecialFunctions;
import java.io.Serializable;

/**
 * Label-free estimate of a classifier's accuracy and macro F1 in a window from its predicted
 * probabilities, using a {@link ConfidenceCalibrator} fitted on the reference (confidence-based
 * performance estimation).
 *
 * <p>Per event with probabilities s (predicted class ŷ = argmax s) and calibrated confidence c =
 * P(correct): the expected confusion matrix (rows actual, columns predicted) gains c in cell (ŷ, ŷ)
 * and, for every other class j, (1 − c)·s_j / (1 − s_ŷ) in cell (j, ŷ) — the error mass is spread
 * over the other classes in proportion to their scores (uniformly if they are all 0).
 *
 * <ul>
 *   <li>estimated accuracy = Σc / n;
 *   <li>sampling band: the number of correct predictions is a sum of independent Bernoulli(cᵢ),
 *       with standard deviation sqrt(Σ cᵢ(1 − cᵢ)); the band is accuracy ± z·sqrt(Σcᵢ(1−cᵢ))/n with
 *       z the normal quantile of the confidence level (default 0.95), clipped to [0, 1]. It covers
 *       sampling error only, not calibration error or concept shift;
 *   <li>estimated macro F1 = mean over classes of 2TP/(2TP + FP + FN) from the expected confusion
 *       matrix (a class with no expected mass counts 0).
 * </ul>
 *
 * <p>What it estimates: the accuracy of the argmax-of-scores prediction, whatever class the model
 * reported as its {@code prediction} (the calibrator is fitted on argmax correctness). Compare it
 * with the same estimator applied to the reference ({@link #estimateTopScores}), not with the
 * reference's realised accuracy: that one scores the reported predictions, and any calibration
 * error would show as a difference between the two even with no change at all. Against the
 * reference's own estimate, the calibration error is common to both sides.
 *
 * <p>Flink use: the estimator is the (serializable) function, the {@link Accumulator} is the window
 * state; accumulators of the same estimator merge.
 *
 * <pre>{@code
 * PerformanceEstimator est = new PerformanceEstimator(calibrator, 3);
 * PerformanceEstimator.Accumulator acc = est.createAccumulator();
 * est.add(acc, new double[] {0.7, 0.2, 0.1});
 * PerformanceEstimator.Estimate e = est.estimate(acc);
 * }</pre>
 */
public final class PerformanceEstimator implements Serializable {
    private static final long serialVersionUID = 1L;

    private final ConfidenceCalibrator calibrator;
    private final int classes;
    private final double z;

    /** Estimator with a 95% band. */
    public PerformanceEstimator(ConfidenceCalibrator calibrator, int classes) {
        this(calibrator, classes, 0.95);
    }

    /** Estimator with a band at the given two-sided confidence level. */
    public PerformanceEstimator(ConfidenceCalibrator calibrator, int classes, double level) {
        if (classes < 2) {
            throw new IllegalArgumentException("need at least 2 classes");
        }
        if (!(level > 0 && level < 1)) {
            throw new IllegalArgumentException("level must be in (0, 1)");
        }
        this.calibrator = calibrator;
        this.classes = classes;
        this.z = SpecialFunctions.normalQuantile(0.5 + level / 2);
    }

    /** An empty window accumulator. */
    public Accumulator createAccumulator() {
        return new Accumulator(classes);
    }

    /** Adds one event's class probabilities (in class order); returns the accumulator. */
    public Accumulator add(Accumulator acc, double[] scores) {
        if (scores.length != classes) {
            throw new IllegalArgumentException(
                    "expected " + classes + " scores, got " + scores.length);
        }
        int predicted = ConfidenceCalibrator.argMax(scores);
        double c = Math.max(0, Math.min(1, calibrator.calibrate(scores[predicted])));
        acc.count++;
        acc.sumConfidence += c;
        acc.sumVariance += c * (1 - c);
        acc.expected[predicted][predicted] += c;
        double rest = 1 - scores[predicted];
        for (int j = 0; j < classes; j++) {
            if (j != predicted) {
                double share = rest > 0 ? scores[j] / rest : 1.0 / (classes - 1);
                acc.expected[j][predicted] += (1 - c) * share;
            }
        }
        return acc;
    }

    /**
     * The estimate for a sample given only its top-class probabilities (as the reference bundle
     * stores them): the same accuracy and band as {@link #add} and {@link #estimate} give for the
     * full score rows, since both calibrate the argmax's probability; macro F1 is NaN (it needs the
     * other classes' scores).
     */
    public Estimate estimateTopScores(double[] topScores) {
        if (topScores.length == 0) {
            return new Estimate(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
        }
        double sum = 0;
        double variance = 0;
        for (double s : topScores) {
            double c = Math.max(0, Math.min(1, calibrator.calibrate(s)));
            sum += c;
            variance += c * (1 - c);
        }
        double n = topScores.length;
        double accuracy = sum / n;
        double stdError = Math.sqrt(variance) / n;
        return new Estimate(
                topScores.length,
                accuracy,
                stdError,
                Math.max(0, accuracy - z * stdError),
                Math.min(1, accuracy + z * stdError),
                Double.NaN);
    }

    /** The estimate for the accumulated window. */
    public Estimate estimate(Accumulator acc) {
        if (acc.count == 0) {
            return new Estimate(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
        }
        double n = acc.count;
        double accuracy = acc.sumConfidence / n;
        double stdError = Math.sqrt(acc.sumVariance) / n;
        return new Estimate(
                acc.count,
                accuracy,
                stdError,
                Math.max(0, accuracy - z * stdError),
                Math.min(1, accuracy + z * stdError),
                macroF1(acc.expected));
    }

    /** Mean over classes of 2TP/(2TP+FP+FN) on a (possibly fractional) confusion matrix. */
    static double macroF1(double[][] confusion) {
        int k = confusion.length;
        double sum = 0;
        for (int c = 0; c < k; c++) {
            double tp = confusion[c][c];
            double fp = 0;
            double fn = 0;
            for (int o = 0; o < k; o++) {
                if (o != c) {
                    fp += confusion[o][c];
                    fn += confusion[c][o];
                }
            }
            double denominator = 2 * tp + fp + fn;
            sum += denominator > 0 ? 2 * tp / denominator : 0;
        }
        return sum / k;
    }

    /**
     * Estimated performance of a window.
     *
     * @param count events
     * @param accuracy estimated accuracy
     * @param accuracyStdError sampling standard error of the estimate
     * @param accuracyLower lower end of the band
     * @param accuracyUpper upper end of the band
     * @param macroF1 estimated macro F1
     */
    public record Estimate(
            long count,
            double accuracy,
            double accuracyStdError,
            double accuracyLower,
            double accuracyUpper,
            double macroF1)
            implements Serializable {}

    /**
     * Window state: counts, sums and the expected confusion matrix; mergeable.
     *
     * <p>Shaped as a Flink POJO (public no-argument constructor, a getter and setter per field) so
     * that stream-processing state holding it has a field-by-field serializer instead of a generic
     * one; this module itself does not depend on Flink. The bean accessors are for serializers:
     * callers use {@link #count()}, {@link #expectedConfusion()} and {@link #merge}.
     */
    public static final class Accumulator implements Serializable {
        private static final long serialVersionUID = 1L;
        private long count;
        private double sumConfidence;
        private double sumVariance;
        private double[][] expected;

        /** For serializers; {@link PerformanceEstimator#createAccumulator()} makes an empty one. */
        public Accumulator() {
            this(0);
        }

        Accumulator(int classes) {
            this.expected = new double[classes][classes];
        }

        public long getCount() {
            return count;
        }

        public void setCount(long count) {
            this.count = count;
        }

        public double getSumConfidence() {
            return sumConfidence;
        }

        public void setSumConfidence(double sumConfidence) {
            this.sumConfidence = sumConfidence;
        }

        public double getSumVariance() {
            return sumVariance;
        }

        public void setSumVariance(double sumVariance) {
            this.sumVariance = sumVariance;
        }

        /** The expected confusion matrix itself, not a copy. */
        public double[][] getExpected() {
            return expected;
        }

        public void setExpected(double[][] expected) {
            this.expected = expected;
        }

        /** Events added so far. */
        public long count() {
            return count;
        }

        /** The expected confusion matrix (rows actual, columns predicted), copy. */
        public double[][] expectedConfusion() {
            double[][] copy = new double[expected.length][];
            for (int i = 0; i < copy.length; i++) {
                copy[i] = expected[i].clone();
            }
            return copy;
        }

        /** Adds another accumulator of the same estimator into this one; returns this. */
        public Accumulator merge(Accumulator other) {
            if (other.expected.length != expected.length) {
                throw new IllegalArgumentException("accumulators differ in class count");
            }
            count += other.count;
            sumConfidence += other.sumConfidence;
            sumVariance += other.sumVariance;
            for (int i = 0; i < expected.length; i++) {
                for (int j = 0; j < expected.length; j++) {
                    expected[i][j] += other.expected[i][j];
                }
            }
            return this;
        }
    }
}
