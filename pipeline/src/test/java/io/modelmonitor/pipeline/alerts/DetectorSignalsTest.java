package io.modelmonitor.pipeline.alerts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.modelmonitor.detectors.stats.SpecialFunctions;
import io.modelmonitor.pipeline.results.ReportRecord;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Each detector's one p-value per window: adjusted over its sub-tests, never NaN, absent when
 * untestable.
 */
class DetectorSignalsTest {
    private final DetectorSignals signals = new DetectorSignals(30, 1.0, 0.1);

    private Optional<DetectorSignal> signal(ReportRecord r, String detector) {
        return signals.signals(r).stream().filter(s -> s.detector.equals(detector)).findFirst();
    }

    private static ReportRecord report() {
        ReportRecord r = new ReportRecord();
        r.model = "m";
        r.count = 100;
        return r;
    }

    @Test
    void deadLettersCountTowardsDataQualityAgainstTheToleratedRate() {
        ReportRecord r = report();
        r.count = 80;
        r.deadLetters = 20;
        r.dataQuality = new ReportRecord.DataQualitySection();
        r.dataQuality.missingPredictionRate = 0;
        r.dataQuality.missingScoresRate =
                Double.NaN; // the reference had no scores: left out, not NaN for all
        r.dataQuality.outOfRangeRate = Double.NaN;
        DetectorSignal q = signal(r, "data.quality").orElseThrow();
        assertEquals(0.2, q.statistic, 1e-12);
        // two kinds tested (missing prediction, rejected records): Bonferroni over 2
        assertEquals(
                Math.min(1, 2 * SpecialFunctions.binomialUpperTail(20, 100, 0.1)), q.pValue, 1e-12);
        assertTrue(q.pValue < 0.01, "20 of 100 rejected is far above 10 %: p=" + q.pValue);
        r.deadLetters = 5;
        assertTrue(signal(r, "data.quality").orElseThrow().pValue > 0.5);
    }

    @Test
    void dataQualityOfARegressionModelWithoutScoresStillTests() {
        ReportRecord r = report();
        r.dataQuality = new ReportRecord.DataQualitySection();
        r.dataQuality.missingPredictionRate = 0.3;
        r.dataQuality.missingScoresRate = Double.NaN;
        r.dataQuality.outOfRangeRate = Double.NaN;
        DetectorSignal q = signal(r, "data.quality").orElseThrow();
        assertTrue(
                Double.isFinite(q.pValue) && q.pValue < 1e-6,
                "30 % missing predictions: p=" + q.pValue);
    }

    @Test
    void performanceIsCompleteOnlyAtTheLabelCoverage() {
        ReportRecord r = report();
        r.performance = new ReportRecord.PerformanceSection();
        r.performance.referenceAccuracy = 0.9;
        r.performance.accuracy = 0.8;
        r.performance.pValue = 0.01;
        r.performance.labelled = 29;
        r.performance.coverage = 0.29;
        assertFalse(signal(r, "performance").isPresent(), "fewer labels than --min-labelled");
        r.performance.labelled = 60;
        r.performance.coverage = 0.6;
        assertFalse(signal(r, "performance").orElseThrow().complete);
        r.performance.labelled = 100;
        r.performance.coverage = 1.0;
        assertTrue(signal(r, "performance").orElseThrow().complete);
    }

    @Test
    void twoOutputTestsAreBonferroniCorrected() {
        ReportRecord r = report();
        r.prediction = new ReportRecord.TestSection("chi2", 1.0, 0.5, false);
        r.scores = new ReportRecord.TestSection("ks", 0.2, 0.03, true);
        DetectorSignal borderline = signal(r, "drift.prediction").orElseThrow();
        assertEquals(0.06, borderline.pValue, 1e-12);
        assertEquals(0.2, borderline.statistic, 1e-12, "the statistic of the strongest test");
        r.prediction = new ReportRecord.TestSection("chi2", 7.0, 0.01, true);
        r.scores = new ReportRecord.TestSection("ks", 0.2, 0.9, false);
        DetectorSignal clear = signal(r, "drift.prediction").orElseThrow();
        assertEquals(0.02, clear.pValue, 1e-12);
        assertTrue(clear.evidence.contains("Bonferroni-adjusted p=0.02"), clear.evidence);
    }

    @Test
    void anInsufficientWindowTestsNothingButPerformance() {
        ReportRecord r = report();
        r.insufficient = true;
        r.mmd = new ReportRecord.MmdSection();
        r.mmd.pValue = 0.001;
        r.performance = new ReportRecord.PerformanceSection();
        r.performance.referenceAccuracy = 0.9;
        r.performance.accuracy = 0.5;
        r.performance.pValue = 0.001;
        r.performance.labelled = 40;
        r.performance.coverage = 1;
        assertEquals(1, signals.signals(r).size());
        assertEquals("performance", signals.signals(r).get(0).detector);
    }

    @Test
    void aRegressorsRankTestIsThePerformanceSignalUnderTheSameCoverageRule() {
        ReportRecord r = report();
        r.performance = new ReportRecord.PerformanceSection();
        r.performance.regression = true;
        r.performance.referenceMae = 1.2;
        r.performance.mae = 3.4;
        r.performance.labelled = 80;
        r.performance.coverage = 0.8;
        r.performance.pValue = 1e-5;
        DetectorSignal s = signal(r, "performance").orElseThrow();
        assertEquals(3.4, s.statistic, 0);
        assertEquals(1e-5, s.pValue, 0);
        assertFalse(s.complete, "80 % labelled is not final at coverage 1.0");
        r.performance.coverage = 1.0;
        assertTrue(signal(r, "performance").orElseThrow().complete);
        r.performance.labelled = 10; // below min-labelled
        assertFalse(signal(r, "performance").isPresent());
        r.performance.labelled = 80;
        r.performance.referenceMae =
                Double.NaN; // a reference without labels: nothing to compare with
        assertFalse(signal(r, "performance").isPresent());
    }
}
