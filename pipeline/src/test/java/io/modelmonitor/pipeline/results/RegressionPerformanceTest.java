package io.modelmonitor.pipeline.results;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.modelmonitor.detectors.univariate.MannWhitneyU;
import io.modelmonitor.pipeline.record.LabelOutcome;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * A regressor's realised performance per window: error metrics from the sums, the bounded bottom-k
 * sample of absolute errors (order-free, mergeable), and the size of the window p-value on clean
 * windows of heavy-tailed errors, through the same code the report assembler runs.
 */
class RegressionPerformanceTest {
    private static LabelOutcome outcome(String id, double predicted, double actual) {
        LabelOutcome o = new LabelOutcome();
        o.id = id;
        o.model = "m";
        o.predictedValue = predicted;
        o.actualValue = actual;
        return o;
    }

    @Test
    void metricsAndPValueOfAWindow() {
        WindowState w = new WindowState(0, 1);
        double[][] pairs = {{12, 10}, {7, 8}, {3, 3}, {0, 2}};
        for (int i = 0; i < pairs.length; i++) {
            w.labelled++;
            ReportAssembler.addError(w, outcome("e" + i, pairs[i][0], pairs[i][1]), 42);
        }
        ReportRecord.PerformanceSection p = new ReportRecord.PerformanceSection();
        double[] reference = {0.5, 1.5, 0.2, 0.1, 0.7, 1.1, 0.3, 0.9, 2.5};
        ReportAssembler.realised(p, w, 8, reference);
        assertEquals((2 + 1 + 0 + 2) / 4.0, p.mae, 1e-15);
        assertEquals(Math.sqrt((4 + 1 + 0 + 4) / 4.0), p.rmse, 1e-15);
        assertEquals((2 - 1 + 0 - 2) / 4.0, p.bias, 1e-15);
        assertEquals((0.2 + 0.125 + 0 + 1) / 4, p.mape, 1e-15);
        assertEquals(0.5, p.coverage, 0);
        assertEquals(
                MannWhitneyU.greater(new double[] {2, 1, 0, 2}, reference).pValue(), p.pValue, 0);
        assertTrue(Double.isNaN(p.accuracy));
    }

    @Test
    void theErrorSampleIsBoundedAndIndependentOfArrivalOrder() {
        SplittableRandom rng = new SplittableRandom(3);
        int n = ReportAssembler.MAX_WINDOW_ERRORS * 3;
        LabelOutcome[] outcomes = new LabelOutcome[n];
        for (int i = 0; i < n; i++) {
            outcomes[i] = outcome("id-" + i, rng.nextDouble() * 10, rng.nextDouble() * 10);
        }
        WindowState forward = new WindowState(0, 1);
        WindowState backward = new WindowState(0, 1);
        for (int i = 0; i < n; i++) {
            ReportAssembler.addError(forward, outcomes[i], 42);
            ReportAssembler.addError(backward, outcomes[n - 1 - i], 42);
        }
        assertEquals(ReportAssembler.MAX_WINDOW_ERRORS, forward.absErrors.length);
        double[] a = forward.absErrors.clone();
        double[] b = backward.absErrors.clone();
        Arrays.sort(a);
        Arrays.sort(b);
        assertTrue(Arrays.equals(a, b));
        assertEquals(n, forward.regression.count());
        assertEquals(forward.regression.mae(), backward.regression.mae(), 1e-12);
    }

    /**
     * Clean windows: window and reference errors from the same heavy-tailed (Student t, 2 degrees
     * of freedom) error distribution, windows of 50 to 3,000 labelled predictions (the large ones
     * subsampled to {@link ReportAssembler#MAX_WINDOW_ERRORS}) against a 2,000-error reference. The
     * share of windows with p ≤ α stays within three standard errors of α at 1 % and 5 %.
     */
    @Test
    void cleanWindowsKeepTheNominalSize() {
        SplittableRandom rng = new SplittableRandom(20261202);
        int reps = 600;
        int[] windowSizes = {50, 3000};
        double[] alphas = {0.01, 0.05};
        for (int size : windowSizes) {
            int[] rejected = new int[alphas.length];
            for (int r = 0; r < reps; r++) {
                double[] reference = new double[2000];
                for (int i = 0; i < reference.length; i++) {
                    reference[i] = Math.abs(t2(rng));
                }
                WindowState w = new WindowState(0, 1);
                for (int i = 0; i < size; i++) {
                    double actual = 100 * rng.nextDouble();
                    w.labelled++;
                    ReportAssembler.addError(w, outcome(r + "-" + i, actual + t2(rng), actual), r);
                }
                ReportRecord.PerformanceSection p = new ReportRecord.PerformanceSection();
                ReportAssembler.realised(p, w, size, reference);
                for (int a = 0; a < alphas.length; a++) {
                    rejected[a] += p.pValue <= alphas[a] ? 1 : 0;
                }
            }
            for (int a = 0; a < alphas.length; a++) {
                double alpha = alphas[a];
                double share = (double) rejected[a] / reps;
                double se = Math.sqrt(alpha * (1 - alpha) / reps);
                assertTrue(
                        share <= alpha + 3 * se && share >= alpha - 3 * se,
                        "window " + size + " alpha " + alpha + ": " + share);
            }
        }
    }

    private static double t2(SplittableRandom rng) {
        double z =
                Math.sqrt(-2 * Math.log(1 - rng.nextDouble()))
                        * Math.cos(2 * Math.PI * rng.nextDouble());
        double w = -Math.log(1 - rng.nextDouble());
        return z / Math.sqrt(w);
    }
}
