package io.modelmonitor.detectors.performance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Calibration choice and label-free estimates on simulated classifiers whose true accuracy is
 * known, plus exact arithmetic of the expected confusion matrix on a hand example.
 */
class PerformanceEstimatorTest {

    /** A 3-class model: true top-class correctness probability = calibrationMap(confidence). */
    private static final class Simulation {
        final double[][] scores;
        final int[] labels;

        Simulation(int n, long seed, boolean overconfident) {
            Random rng = new Random(seed);
            scores = new double[n][];
            labels = new int[n];
            for (int i = 0; i < n; i++) {
                int predicted = rng.nextInt(3);
                double top = 0.4 + 0.6 * rng.nextDouble();
                double[] s = new double[3];
                s[predicted] = top;
                s[(predicted + 1) % 3] = (1 - top) * 0.7;
                s[(predicted + 2) % 3] = (1 - top) * 0.3;
                double pCorrect = overconfident ? top * top : top;
                int label;
                if (rng.nextDouble() < pCorrect) {
                    label = predicted;
                } else {
                    label = (predicted + 1 + (rng.nextDouble() < 0.7 ? 0 : 1)) % 3;
                }
                scores[i] = s;
                labels[i] = label;
            }
        }

        double accuracy() {
            int correct = 0;
            for (int i = 0; i < labels.length; i++) {
                correct += ConfidenceCalibrator.argMax(scores[i]) == labels[i] ? 1 : 0;
            }
            return (double) correct / labels.length;
        }
    }

    @Test
    void overconfidentModelGetsIsotonicCalibrationAndAccurateEstimate() {
        Simulation reference = new Simulation(4000, 1, true);
        ConfidenceCalibrator cal = ConfidenceCalibrator.fit(reference.scores, reference.labels);
        assertTrue(cal.isIsotonic());
        assertTrue(cal.isotonicCalibrationError() < cal.rawCalibrationError());

        Simulation window = new Simulation(2000, 2, true);
        PerformanceEstimator est = new PerformanceEstimator(cal, 3);
        PerformanceEstimator.Accumulator acc = est.createAccumulator();
        for (double[] s : window.scores) {
            est.add(acc, s);
        }
        PerformanceEstimator.Estimate e = est.estimate(acc);
        double truth = window.accuracy();
        // Expected accuracy is E[top²] = 0.52; the raw confidences would say 0.70.
        assertEquals(truth, e.accuracy(), 4 * e.accuracyStdError() + 0.02);
        assertTrue(e.accuracyLower() < e.accuracy() && e.accuracy() < e.accuracyUpper());
        assertEquals(
                1.959963984540054 * e.accuracyStdError(), e.accuracyUpper() - e.accuracy(), 1e-12);
        assertTrue(e.macroF1() > 0.4 && e.macroF1() < 0.65, "macro F1 " + e.macroF1());
    }

    /** The reference's estimate from its top scores is the window estimate's own arithmetic. */
    @Test
    void topScoreEstimateEqualsTheFullRowEstimate() {
        Simulation sample = new Simulation(3000, 5, true);
        ConfidenceCalibrator cal = ConfidenceCalibrator.fit(sample.scores, sample.labels);
        PerformanceEstimator est = new PerformanceEstimator(cal, 3);
        PerformanceEstimator.Accumulator acc = est.createAccumulator();
        double[] top = new double[sample.scores.length];
        for (int i = 0; i < top.length; i++) {
            est.add(acc, sample.scores[i]);
            top[i] = sample.scores[i][ConfidenceCalibrator.argMax(sample.scores[i])];
        }
        PerformanceEstimator.Estimate rows = est.estimate(acc);
        PerformanceEstimator.Estimate tops = est.estimateTopScores(top);
        assertEquals(rows.accuracy(), tops.accuracy(), 1e-12);
        assertEquals(rows.accuracyLower(), tops.accuracyLower(), 1e-12);
        assertEquals(rows.accuracyUpper(), tops.accuracyUpper(), 1e-12);
        assertTrue(Double.isNaN(tops.macroF1()));
    }

    /**
     * Like with like: with an uncorrected calibration error (identity calibrator, a model whose
     * confidences understate its accuracy), clean windows' bands lie below the realised reference
     * accuracy, so comparing the two flags every clean window; against the same estimator on the
     * reference the bands hold it.
     */
    @Test
    void cleanWindowsAgreeWithTheReferencesEstimateNotWithItsRealisedAccuracy() {
        Random rng = new Random(17);
        int m = 4000;
        double[] refTop = new double[m];
        int refCorrect = 0;
        for (int i = 0; i < m; i++) {
            refTop[i] = 0.5 + 0.5 * rng.nextDouble();
            refCorrect += rng.nextDouble() < Math.sqrt(refTop[i]) ? 1 : 0; // underconfident
        }
        PerformanceEstimator est = new PerformanceEstimator(ConfidenceCalibrator.identity(), 2);
        double estimatedReference = est.estimateTopScores(refTop).accuracy();
        double realisedReference = (double) refCorrect / m;
        int flaggedOld = 0;
        int flaggedNew = 0;
        int windows = 200;
        for (int w = 0; w < windows; w++) {
            PerformanceEstimator.Accumulator acc = est.createAccumulator();
            for (int i = 0; i < 200; i++) {
                double top = 0.5 + 0.5 * rng.nextDouble();
                est.add(acc, new double[] {top, 1 - top});
            }
            PerformanceEstimator.Estimate e = est.estimate(acc);
            flaggedOld += e.accuracyUpper() < realisedReference ? 1 : 0;
            flaggedNew += e.accuracyUpper() < estimatedReference ? 1 : 0;
        }
        assertTrue(
                flaggedOld > windows * 0.9,
                "realised reference " + realisedReference + ": " + flaggedOld);
        assertTrue(
                flaggedNew <= windows * 0.05,
                "estimated reference " + estimatedReference + ": " + flaggedNew);
    }

    @Test
    void calibratedModelKeepsRawConfidence() {
        // A perfectly calibrated model on a small reference: isotonic rarely beats it on the
        // held-out half; whichever is chosen, the estimate must be right.
        Simulation reference = new Simulation(4000, 3, false);
        ConfidenceCalibrator cal = ConfidenceCalibrator.fit(reference.scores, reference.labels);
        Simulation window = new Simulation(3000, 4, false);
        PerformanceEstimator est = new PerformanceEstimator(cal, 3);
        PerformanceEstimator.Accumulator acc = est.createAccumulator();
        for (double[] s : window.scores) {
            est.add(acc, s);
        }
        PerformanceEstimator.Estimate e = est.estimate(acc);
        assertEquals(window.accuracy(), e.accuracy(), 4 * e.accuracyStdError() + 0.01);
        assertFalse(ConfidenceCalibrator.identity().isIsotonic());
    }

    @Test
    void expectedConfusionAndMergeOnHandExample() {
        PerformanceEstimator est = new PerformanceEstimator(ConfidenceCalibrator.identity(), 2);
        PerformanceEstimator.Accumulator a = est.createAccumulator();
        est.add(a, new double[] {0.8, 0.2});
        PerformanceEstimator.Accumulator b = est.createAccumulator();
        est.add(b, new double[] {0.4, 0.6});
        a.merge(b);
        double[][] cm = a.expectedConfusion();
        assertEquals(0.8, cm[0][0], 1e-15);
        assertEquals(0.2, cm[1][0], 1e-15);
        assertEquals(0.6, cm[1][1], 1e-15);
        assertEquals(0.4, cm[0][1], 1e-15);
        PerformanceEstimator.Estimate e = est.estimate(a);
        assertEquals(2, e.count());
        assertEquals(0.7, e.accuracy(), 1e-15);
        assertEquals(Math.sqrt(0.8 * 0.2 + 0.6 * 0.4) / 2, e.accuracyStdError(), 1e-15);
        // class 0: TP .8, FP .4, FN .2 -> 1.6/2.2; class 1: TP .6, FP .2, FN .4 -> 1.2/1.8
        assertEquals((1.6 / 2.2 + 1.2 / 1.8) / 2, e.macroF1(), 1e-15);
        assertTrue(Double.isNaN(est.estimate(est.createAccumulator()).accuracy()));
    }
}
