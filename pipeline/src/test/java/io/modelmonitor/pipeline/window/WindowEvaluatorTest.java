package io.modelmonitor.pipeline.window;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.modelmonitor.detectors.performance.ConfidenceCalibrator;
import io.modelmonitor.models.Modality;
import io.modelmonitor.models.bundle.ModelReference;
import io.modelmonitor.pipeline.options.JobSettings;
import io.modelmonitor.pipeline.record.EmbeddedEvent;
import io.modelmonitor.pipeline.results.ReportRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A window's report without Flink: which sections a window gets, and that the tests in them see a
 * shift that is there and none that is not.
 */
class WindowEvaluatorTest {
    private static final long HOUR = 3_600_000L;
    private static final int MIN_COUNT = 20;
    private static final double[][] REFERENCE = gaussian(new Random(1), 300, 0);
    private static final ModelReference REF =
            ModelReference.builder("m", Modality.NUMERIC, 3)
                    .setReference(REFERENCE)
                    .optReferenceFeatures(REFERENCE)
                    .optFeatureRange(new double[] {-4, -4, -4}, new double[] {4, 4, 4})
                    .optClasses(List.of("a", "b"), Map.of("a", 150L, "b", 150L))
                    .optReferenceTopScores(new Random(2).doubles(300, 0.5, 1).toArray())
                    .optConfidenceCalibrator(ConfidenceCalibrator.identity())
                    .build();
    private static final WindowEvaluator EVALUATOR =
            new WindowEvaluator(
                    REF,
                    JobSettings.of(
                            "min-window-count",
                            String.valueOf(MIN_COUNT),
                            "permutations",
                            "300",
                            "seed",
                            "5"));

    @Test
    void aWindowLikeTheReferenceShowsNoDrift() {
        ReportRecord r = evaluate(window(new Random(3), 100, 0, 0.5));
        assertFalse(r.insufficient);
        assertEquals(100, r.count);
        assertEquals(100, r.mmd.nWindow);
        assertTrue(r.mmd.pValue > 0.05, "mmd p " + r.mmd.pValue);
        assertTrue(r.prediction.pValue > 0.05, "prediction p " + r.prediction.pValue);
        assertEquals(3, r.features.size());
        r.features.forEach(f -> assertFalse(f.drift, "feature " + f.index + " p " + f.pValue));
        assertTrue(r.performance.estimatedAccuracy > 0.5 && r.performance.estimatedAccuracy < 1);
    }

    @Test
    void aShiftedWindowDriftsInEveryTestThatSeesIt() {
        ReportRecord r = evaluate(window(new Random(4), 100, 1.0, 0.9));
        assertTrue(r.mmd.drift && r.mmd.pValue < 1e-3, "mmd p " + r.mmd.pValue);
        assertTrue(r.prediction.drift, "prediction p " + r.prediction.pValue);
        r.features.forEach(
                f -> assertTrue(f.drift, "feature " + f.index + " p " + f.adjustedPValue));
    }

    @Test
    void anInsufficientWindowHasDataQualityButNoTests() {
        ReportRecord r = evaluate(window(new Random(5), MIN_COUNT - 1, 1.0, 0.9));
        assertTrue(r.insufficient);
        assertNull(r.mmd);
        assertNull(r.prediction);
        assertNull(r.scores);
        assertNull(r.features);
        assertNotNull(r.dataQuality);
        assertTrue(
                Double.isNaN(r.performance.estimatedAccuracy),
                "no estimate on an insufficient window");
    }

    @Test
    void dataQualityRatesAreSharesOfTheWindowsEvents() {
        List<EmbeddedEvent> events = window(new Random(6), 40, 0, 0.5);
        for (int i = 0; i < 4; i++) {
            events.get(i).prediction = null;
        }
        events.get(10).scores = null;
        events.get(11).prediction = "never-seen";
        events.get(12).features = new double[] {9, 0, 0};
        events.get(12).embedding = events.get(12).features;
        ReportRecord r = evaluate(events);
        assertEquals(4 / 40.0, r.dataQuality.missingPredictionRate, 1e-15);
        assertEquals(1 / 40.0, r.dataQuality.missingScoresRate, 1e-15);
        assertEquals(1 / 40.0, r.dataQuality.outOfRangeRate, 1e-15);
        assertEquals(List.of("never-seen"), r.dataQuality.unseenClasses);
    }

    private static ReportRecord evaluate(List<EmbeddedEvent> events) {
        WindowAggregate agg = new WindowAggregate(Map.of("m", REF), 1000, 5);
        WindowAccumulator acc = agg.createAccumulator();
        for (EmbeddedEvent e : events) {
            acc = agg.add(e, acc);
        }
        ReportRecord r = EVALUATOR.evaluate(0, HOUR, acc);
        assertEquals("m", r.model);
        assertEquals(HOUR, r.windowEnd);
        return r;
    }

    /** Events with features N(shift, 1), predicting "b" with probability {@code shareB}. */
    private static List<EmbeddedEvent> window(Random rnd, int n, double shift, double shareB) {
        double[][] rows = gaussian(rnd, n, shift);
        List<EmbeddedEvent> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            EmbeddedEvent e = new EmbeddedEvent();
            e.id = "w-" + i;
            e.model = "m";
            e.features = rows[i];
            e.embedding = rows[i];
            e.prediction = rnd.nextDouble() < shareB ? "b" : "a";
            double top = 0.5 + 0.5 * rnd.nextDouble();
            e.scores = new double[] {top, 1 - top};
            out.add(e);
        }
        return out;
    }

    private static double[][] gaussian(Random rnd, int n, double shift) {
        double[][] rows = new double[n][3];
        for (double[] row : rows) {
            for (int j = 0; j < 3; j++) {
                row[j] = shift + rnd.nextGaussian();
            }
        }
        return rows;
    }
}
