package io.modelmonitor.detectors.performance;

import java.io.Serializable;

/**
 * Maps a classifier's top-class probability to the probability that its prediction is correct,
 * fitted on labelled reference data — the calibration step of confidence-based performance
 * estimation (CBPE idea: estimate accuracy without labels from calibrated confidences; see Guo et
 * al. 2017, "On Calibration of Modern Neural Networks", for ECE and isotonic calibration, Zadrozny
 * &amp; Elkan 2002 for isotonic calibration).
 *
 * <p>Rule: the reference is split deterministically into two halves, even positions for fitting and
 * odd positions for evaluation. An isotonic regression of correct(0/1) on the top-class probability
 * is fitted on the first half; it is adopted <b>only if</b> it lowers the expected calibration
 * error (10 equal-width bins) on the second half compared with the raw probabilities. If adopted,
 * the isotonic map is refitted on the whole reference. Otherwise the raw top-class probability is
 * used unchanged.
 *
 * <pre>{@code
 * ConfidenceCalibrator cal = ConfidenceCalibrator.fit(referenceScores, referenceLabelIndices);
 * double pCorrect = cal.calibrate(0.93);
 * }</pre>
 */
public final class ConfidenceCalibrator implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Number of equal-width bins of the expected calibration error. */
    public static final int ECE_BINS = 10;

    private final IsotonicRegression isotonic; // null: identity
    private final double rawError;
    private final double calibratedError;

    private ConfidenceCalibrator(IsotonicRegression isotonic, double rawError, double calError) {
        this.isotonic = isotonic;
        this.rawError = rawError;
        this.calibratedError = calError;
    }

    /** The identity calibrator: confidences are taken at face value. */
    public static ConfidenceCalibrator identity() {
        return new ConfidenceCalibrator(null, Double.NaN, Double.NaN);
    }

    /**
     * Fits on reference scores (n × classes, rows are class probabilities in class order) and the
     * index of each row's true class.
     */
    public static ConfidenceCalibrator fit(double[][] scores, int[] labels) {
        int n = scores.length;
        if (n < 4 || labels.length != n) {
            throw new IllegalArgumentException("need at least 4 labelled reference rows");
        }
        double[] confidence = new double[n];
        double[] correct = new double[n];
        for (int i = 0; i < n; i++) {
            int predicted = argMax(scores[i]);
            confidence[i] = scores[i][predicted];
            correct[i] = predicted == labels[i] ? 1 : 0;
        }
        double[][] fitHalf = half(confidence, correct, 0);
        double[][] evalHalf = half(confidence, correct, 1);
        IsotonicRegression candidate = IsotonicRegression.fit(fitHalf[0], fitHalf[1], null);
        double raw = expectedCalibrationError(evalHalf[0], evalHalf[1], ECE_BINS);
        double calibrated =
                expectedCalibrationError(candidate.predict(evalHalf[0]), evalHalf[1], ECE_BINS);
        IsotonicRegression chosen =
                calibrated < raw ? IsotonicRegression.fit(confidence, correct, null) : null;
        return new ConfidenceCalibrator(chosen, raw, calibrated);
    }

    /** Probability that a prediction with this top-class probability is correct. */
    public double calibrate(double topClassProbability) {
        return isotonic == null ? topClassProbability : isotonic.predict(topClassProbability);
    }

    /** Whether the isotonic map was adopted. */
    public boolean isIsotonic() {
        return isotonic != null;
    }

    /** ECE of the raw confidences on the evaluation half (NaN for {@link #identity()}). */
    public double rawCalibrationError() {
        return rawError;
    }

    /** ECE of the isotonic candidate on the evaluation half (NaN for {@link #identity()}). */
    public double isotonicCalibrationError() {
        return calibratedError;
    }

    /**
     * Expected calibration error Σ_b (n_b/n)·|mean(correct)_b − mean(confidence)_b| over {@code
     * bins} equal-width bins of [0, 1]; bin b holds confidences in (b/B, (b+1)/B], the first bin
     * also 0.
     */
    public static double expectedCalibrationError(double[] confidence, double[] correct, int bins) {
        double[] sumConfidence = new double[bins];
        double[] sumCorrect = new double[bins];
        long[] count = new long[bins];
        for (int i = 0; i < confidence.length; i++) {
            int b = (int) Math.ceil(confidence[i] * bins) - 1;
            b = Math.max(0, Math.min(bins - 1, b));
            sumConfidence[b] += confidence[i];
            sumCorrect[b] += correct[i];
            count[b]++;
        }
        double ece = 0;
        for (int b = 0; b < bins; b++) {
            if (count[b] > 0) {
                ece += Math.abs(sumCorrect[b] - sumConfidence[b]) / confidence.length;
            }
        }
        return ece;
    }

    static int argMax(double[] v) {
        int arg = 0;
        for (int i = 1; i < v.length; i++) {
            if (v[i] > v[arg]) {
                arg = i;
            }
        }
        return arg;
    }

    /** Rows at positions ≡ parity (mod 2): {x, y}. */
    private static double[][] half(double[] x, double[] y, int parity) {
        int size = (x.length - parity + 1) / 2;
        double[][] out = new double[2][size];
        for (int i = parity, j = 0; i < x.length; i += 2, j++) {
            out[0][j] = x[i];
            out[1][j] = y[i];
        }
        return out;
    }
}
