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

    private static ReportRecord.FeatureSection column(
            String name, String type, double adjustedP, long rows) {
        ReportRecord.FeatureSection f = new ReportRecord.FeatureSection();
        f.name = name;
        f.type = type;
        f.test = "numeric".equals(type) ? "ks" : "chi2";
        f.pValue = adjustedP / 2;
        f.adjustedPValue = adjustedP;
        f.drift = adjustedP < 0.05;
        f.rows = rows;
        f.referenceMissingRate = 0.01;
        f.missingPValue = 0.5;
        return f;
    }

    @Test
    void namedFeaturesAreNamedInDriftAndCheckedPerColumnInDataQuality() {
        ReportRecord r = report();
        r.dataQuality = new ReportRecord.DataQualitySection();
        r.dataQuality.missingPredictionRate = Double.NaN;
        r.dataQuality.missingScoresRate = Double.NaN;
        r.dataQuality.outOfRangeRate = 0;
        ReportRecord.FeatureSection income = column("income", "numeric", 1e-6, 100);
        ReportRecord.FeatureSection country = column("country", "categorical", 0.8, 100);
        country.unseen = 3;
        r.features = java.util.List.of(income, country);
        DetectorSignal drift = signal(r, "drift.feature").orElseThrow();
        assertEquals("income drifted", drift.summary);
        assertTrue(drift.evidence.contains("3 % of rows have an unseen country"), drift.evidence);

        // kinds: out-of-range, rejected records, then per column missing, type mismatch, and
        // out-of-range (numeric) or unseen (categorical): 2 + 2 * 3
        DetectorSignal quality = signal(r, "data.quality").orElseThrow();
        double unseenP = SpecialFunctions.binomialUpperTail(3, 100, 0.1);
        assertEquals(Math.min(1, 8 * Math.min(0.5, unseenP)), quality.pValue, 1e-12);
        assertTrue(
                quality.evidence.contains("3 % of rows have an unseen country"), quality.evidence);

        country.unseen = 30;
        DetectorSignal bad = signal(r, "data.quality").orElseThrow();
        assertEquals("unseen category rate of country above the tolerated 0.1", bad.summary);
        assertEquals(8 * SpecialFunctions.binomialUpperTail(30, 100, 0.1), bad.pValue, 1e-12);
        income.missing = 40;
        income.missingPValue = 1e-30;
        DetectorSignal holes = signal(r, "data.quality").orElseThrow();
        assertEquals("missing values in income more often than in the reference", holes.summary);
        assertTrue(
                holes.evidence.contains("40 % of rows miss income (reference 1 %)"),
                holes.evidence);
    }
}
