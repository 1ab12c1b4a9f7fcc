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
