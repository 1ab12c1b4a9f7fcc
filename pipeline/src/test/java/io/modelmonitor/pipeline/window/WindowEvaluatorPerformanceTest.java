package io.modelmonitor.pipeline.window;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.modelmonitor.detectors.performance.ConfidenceCalibrator;
import io.modelmonitor.detectors.performance.PerformanceEstimator;
import io.modelmonitor.models.Modality;
import io.modelmonitor.models.bundle.ModelReference;
import io.modelmonitor.pipeline.options.JobSettings;
import io.modelmonitor.pipeline.results.ReportRecord;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The performance section a window starts with: the reference's labelled counts (for the realised
 * test) and the reference's label-free estimate by the same estimator as the window's (so the two
 * estimates are compared like with like).
 */
class WindowEvaluatorPerformanceTest {
    @Test
    void carriesTheReferenceCountsAndTheReferencesOwnEstimate() {
        double[] referenceTop = {0.6, 0.7, 0.8, 0.9, 1.0};
        ModelReference ref =
                ModelReference.builder("m", Modality.NUMERIC, 2)
                        .optClasses(List.of("a", "b"), Map.of("a", 3L, "b", 2L))
                        .optReferenceTopScores(referenceTop)
                        .optConfidenceCalibrator(ConfidenceCalibrator.identity())
                        .optReferenceAccuracy(0.93, 1234)
                        .build();
        WindowEvaluator evaluator =
                new WindowEvaluator(ref, JobSettings.of("min-window-count", "2"));
        WindowAccumulator acc = new WindowAccumulator();
        acc.count = 3;
        PerformanceEstimator est = new PerformanceEstimator(ConfidenceCalibrator.identity(), 2);
        acc.estimate = est.createAccumulator();
        for (double top : new double[] {0.55, 0.65, 0.75}) {
            est.add(acc.estimate, new double[] {top, 1 - top});
        }
        ReportRecord.PerformanceSection p = evaluator.evaluate(0, 3_600_000L, acc).performance;
        assertEquals(0.65, p.estimatedAccuracy, 1e-12);
        assertEquals(
                0.8,
                p.estimatedReferenceAccuracy,
                1e-12,
                "mean calibrated top score of the reference");
        assertEquals(0.93, p.referenceAccuracy);
        assertEquals(1234, p.referenceLabelled);
        assertEquals(Math.round(0.93 * 1234), p.referenceCorrect);
    }
}
