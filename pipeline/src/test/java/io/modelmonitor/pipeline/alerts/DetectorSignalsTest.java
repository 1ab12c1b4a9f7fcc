package io.modelmonitor.pipeline.alerts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.modelmonitor.pipeline.results.ReportRecord;
import org.junit.jupiter.api.Test;

/** The prediction-drift detector corrects for its two tests, so its false-alarm rate stays at alpha. */
class DetectorSignalsTest {
    private final DetectorSignals signals = new DetectorSignals(0.05, 30, 0.1);

    private DetectorSignal prediction(double classesP, double scoresP) {
        ReportRecord r = new ReportRecord();
        r.model = "m";
        r.performance = new ReportRecord.PerformanceSection();
        r.prediction = new ReportRecord.TestSection("chi2", 1.0, classesP, classesP < 0.05);
        r.scores = new ReportRecord.TestSection("ks", 0.2, scoresP, scoresP < 0.05);
        return signals.signals(r).stream().filter(s -> s.detector.equals("drift.prediction")).findFirst().orElseThrow();
    }

    @Test
    void deadLettersCountTowardsDataQuality() {
        ReportRecord r = new ReportRecord();
        r.model = "m";
        r.count = 80;
        r.deadLetters = 20;
        r.performance = new ReportRecord.PerformanceSection();
        r.dataQuality = new ReportRecord.DataQualitySection();
        r.dataQuality.outOfRangeRate = Double.NaN;
        DetectorSignal q = signals.signals(r).stream().filter(s -> s.detector.equals("data.quality")).findFirst().orElseThrow();
        assertTrue(q.condition, "20 of 100 records rejected is above the 10 % limit");
        assertEquals(0.2, q.statistic, 1e-12);
        r.deadLetters = 5;
        assertFalse(signals.signals(r).stream().filter(s -> s.detector.equals("data.quality")).findFirst().orElseThrow().condition);
    }

    @Test
    void estimatedAccuracyBelowTheReferenceIsAWarning() {
        ReportRecord r = new ReportRecord();
        r.model = "m";
        r.performance = new ReportRecord.PerformanceSection();
        r.performance.referenceAccuracy = 0.80; // realised, of the reported predictions: not what the estimate is compared with
        r.performance.estimatedReferenceAccuracy = 0.92;
        r.performance.estimatedAccuracy = 0.80;
        r.performance.estimatedAccuracyLower = 0.75;
        r.performance.estimatedAccuracyUpper = 0.85;
        DetectorSignal e = signals.signals(r).stream().filter(s -> s.detector.equals("performance.estimated")).findFirst().orElseThrow();
        assertTrue(e.condition);
        assertEquals("warning", e.severity);
        r.performance.estimatedAccuracyUpper = 0.95;
        assertFalse(signals.signals(r).stream().filter(s -> s.detector.equals("performance.estimated")).findFirst().orElseThrow().condition,
                "the band still reaches the reference's estimated accuracy");
        r.performance.estimatedReferenceAccuracy = Double.NaN;
        assertTrue(signals.signals(r).stream().noneMatch(s -> s.detector.equals("performance.estimated")),
                "without the reference's estimate there is nothing like-for-like to compare with");
    }

    @Test
    void twoTestsAreBonferroniCorrected() {
        DetectorSignal borderline = prediction(0.5, 0.03);
        assertFalse(borderline.condition, "0.03 × 2 tests = 0.06 is not below 0.05");
        assertEquals(0.06, borderline.pValue, 1e-12);
        DetectorSignal clear = prediction(0.01, 0.9);
        assertTrue(clear.condition);
        assertEquals(0.02, clear.pValue, 1e-12);
        assertTrue(clear.message.contains("Bonferroni-adjusted p=0.02"), clear.message);
    }
}
