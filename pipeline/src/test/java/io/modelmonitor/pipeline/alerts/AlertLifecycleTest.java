package io.modelmonitor.pipeline.alerts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.modelmonitor.detectors.sequential.FalseAlarmBudget;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The alert policy on the operator harness: accumulation, hysteresis, one decision per window,
 * expiry, no state left.
 */
class AlertLifecycleTest {
    private static final long HOUR = 3_600_000L;
    private static final long LABEL_TIMEOUT = 6 * HOUR;
    private static final long RETENTION = 24 * HOUR;
    private static final AlertPolicy POLICY =
            AlertPolicy.of(new FalseAlarmBudget(1, HOUR, 7), 0.05, 3)
                    .withTiming(HOUR, 0, LABEL_TIMEOUT, RETENTION);
    private KeyedOneInputStreamOperatorTestHarness<String, DetectorSignal, AlertRecord> harness;

    @BeforeEach
    void open() throws Exception {
        harness =
                ProcessFunctionTestHarnesses.forKeyedProcessFunction(
                        new AlertLifecycle(POLICY), DetectorSignal::lifecycleKey, Types.STRING);
        harness.open();
    }

    @AfterEach
    void close() throws Exception {
        harness.close();
    }

    private void signal(String detector, int window, int revision, double p) throws Exception {
        signal(detector, window, revision, p, true);
    }

    private void signal(String detector, int window, int revision, double p, boolean complete)
            throws Exception {
        signal(detector, window, revision, p, complete, "m@old");
    }

    private void signal(
            String detector, int window, int revision, double p, boolean complete, String bundle)
            throws Exception {
        DetectorSignal s = new DetectorSignal();
        s.bundle = bundle;
        s.model = "m";
        s.detector = detector;
        s.windowStart = window * HOUR;
        s.windowEnd = (window + 1) * HOUR;
        s.revision = revision;
        s.pValue = p;
        s.statistic = 1;
        s.complete = complete;
        s.summary = "bad";
        s.evidence = "p=" + p;
        harness.processElement(s, s.windowEnd - 1);
    }

    /** The watermark after window w fired (as the window operator's own watermark would be). */
    private void after(int window) throws Exception {
        harness.processWatermark(new Watermark((window + 1) * HOUR));
    }

    @Test
    void oneStrongWindowOpensResolvesAfterThreeCleanOnesAndLeavesNothing() throws Exception {
        double[] p = {0.5, 0.3, 1e-7, 1e-6, 0.01, 0.2, 0.5, 0.7, 0.4};
        for (int w = 0; w < p.length; w++) {
            signal("drift.mmd", w, 0, p[w]);
            after(w);
        }
        List<AlertRecord> out = harness.extractOutputValues();
        assertEquals(2, out.size(), out.toString());
        AlertRecord open = out.get(0);
        assertEquals("open", open.status);
        assertEquals("m/drift.mmd/1970-01-01T02:00:00Z", open.alertId);
        assertEquals(2 * HOUR, open.windowStart);
        assertEquals("critical", open.severity, "p=1e-7 is far beyond the threshold");
        assertTrue(open.evidence >= open.evidenceThreshold);
        AlertRecord resolved = out.get(1);
        assertEquals("resolved", resolved.status);
        assertEquals(open.alertId, resolved.alertId);
        assertEquals(
                7 * HOUR,
                resolved.windowStart,
                "windows 5, 6, 7 clean (window 4 at p=0.01 is not)");
        harness.processWatermark(new Watermark(Long.MAX_VALUE));
        assertEquals(0, harness.numKeyedStateEntries(), "keyed state left");
        assertEquals(0, harness.numEventTimeTimers(), "timers left");
    }

    @Test
    void aNewReferenceRestartsTheEvidence() throws Exception {
        for (int w = 0; w < 4; w++) {
            signal("drift.feature", w, 0, 0.02);
            after(w);
        }
        // The fifth window at p=0.02 opens an alert under the same reference (next test); under a
        // new one it is the first piece of evidence.
        signal("drift.feature", 4, 0, 0.02, true, "m@new");
        after(4);
        assertEquals(0, harness.extractOutputValues().size());
        // A late revision of an old window under the old reference does not switch back.
        signal("performance", 3, 1, 0.9, true, "m@old");
        for (int w = 5; w < 9; w++) {
            signal("drift.feature", w, 0, 0.02, true, "m@new");
            after(w);
        }
        List<AlertRecord> out = harness.extractOutputValues();
        assertEquals(1, out.size(), "five windows under the new reference: " + out);
        assertEquals(8 * HOUR, out.get(0).windowStart);
        assertEquals("m@new", out.get(0).bundle);
        assertFalse(out.get(0).referenceChanged);
    }

    @Test
    void anOpenAlertIsResolvedByWindowsUnderTheNewReference() throws Exception {
        signal("drift.mmd", 0, 0, 1e-9);
        after(0);
        signal("drift.mmd", 1, 0, 0.9);
        after(1);
        signal("drift.mmd", 2, 0, 0.9);
        after(2);
        // Two clean windows under the old reference, then the reference changes: the run of
        // clean windows restarts, and three clean windows under the new one resolve the alert.
        for (int w = 3; w < 5; w++) {
            signal("drift.mmd", w, 0, 0.9, true, "m@new");
            after(w);
        }
        assertEquals(1, harness.extractOutputValues().size(), "still open after window 4");
        signal("drift.mmd", 5, 0, 0.9, true, "m@new");
        List<AlertRecord> out = harness.extractOutputValues();
        assertEquals(2, out.size(), out.toString());
        AlertRecord resolved = out.get(1);
        assertEquals("resolved", resolved.status);
        assertEquals(5 * HOUR, resolved.windowStart);
        assertTrue(resolved.referenceChanged);
        assertTrue(resolved.message.contains("m@new"), resolved.message);
        assertTrue(resolved.toJson().contains("\"reference_changed\":true"), resolved.toJson());
        assertFalse(out.get(0).referenceChanged);
    }

    @Test
    void moderateEvidenceAccumulatesWhereNoSingleWindowWouldAlert() throws Exception {
        for (int w = 0; w < 4; w++) {
            signal("drift.feature", w, 0, 0.02);
            after(w);
        }
        assertEquals(
                0,
                harness.extractOutputValues().size(),
                "four windows at p=0.02 are not yet enough");
        signal("drift.feature", 4, 0, 0.02);
        List<AlertRecord> out = harness.extractOutputValues();
        assertEquals(1, out.size());
        assertEquals(4 * HOUR, out.get(0).windowStart);
        assertEquals("warning", out.get(0).severity);
    }

    @Test
    void aSingleWindowAtTheOldPerWindowLevelOpensNothing() throws Exception {
        for (int w = 0; w < 48; w++) {
            signal("outlier.rate", w, 0, w % 6 == 0 ? 0.03 : 0.6);
            after(w);
        }
        assertEquals(
                0,
                harness.extractOutputValues().size(),
                "isolated p=0.03 windows are what a clean stream looks like");
    }

    @Test
    void revisionsOfAWindowDecideItOnceAtFullCoverage() throws Exception {
        signal("performance", 3, 1, 1e-7, false); // the fastest-labelled subset: not decided
        signal("performance", 3, 2, 0.4, true); // all labels in: this decides the window
        signal("performance", 3, 3, 1e-9, true); // a later revision: the window was decided
        assertEquals(0, harness.extractOutputValues().size());
        assertEquals(
                1,
                harness.numEventTimeTimers() - 1,
                "the window's own timer besides the expiry timer");
    }

    @Test
    void theLabelTimeoutDecidesAWindowWithItsLastRevision() throws Exception {
        signal("performance", 3, 1, 0.5, false);
        signal("performance", 3, 2, 1e-8, false);
        assertEquals(0, harness.extractOutputValues().size());
        harness.processWatermark(new Watermark(4 * HOUR + LABEL_TIMEOUT));
        List<AlertRecord> out = harness.extractOutputValues();
        assertEquals(1, out.size());
        assertEquals(1e-8, out.get(0).pValue);
        assertEquals(3 * HOUR, out.get(0).windowStart);
        signal("performance", 3, 3, 0.9, true); // after the window was final: ignored
        assertEquals(1, harness.extractOutputValues().size());
    }

    @Test
    void aRevisionReplayedAfterARestoreDoesNotCountTwice() throws Exception {
        signal("drift.mmd", 0, 0, 1e-3);
        after(0);
        signal("drift.mmd", 1, 0, 0.9);
        after(1);
        var snapshot = harness.snapshot(1, 1);
        harness.close();
        // A restored job starts without a watermark; revisions of window 0 (late labels) still come
        // through.
        harness =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        new KeyedProcessOperator<>(new AlertLifecycle(POLICY)),
                        DetectorSignal::lifecycleKey,
                        Types.STRING);
        harness.initializeState(snapshot);
        harness.open();
        signal("drift.mmd", 0, 1, 1e-3);
        signal("drift.mmd", 2, 0, 5e-3);
        // Evidence 3.92 (window 0) − 1.53 (window 1) + 2.63 (window 2) = 5.0 < h = 6.18; window 0
        // counted twice: 8.9.
        assertEquals(
                0,
                harness.extractOutputValues().size(),
                "window 0 fed the policy once: " + harness.extractOutputValues());
    }

    @Test
    void detectorsHaveSeparateLifecycles() throws Exception {
        signal("drift.mmd", 0, 0, 1e-9);
        signal("outlier.rate", 0, 0, 1e-9);
        after(0);
        for (int w = 1; w <= 3; w++) {
            signal("drift.mmd", w, 0, 0.9);
            after(w);
        }
        List<AlertRecord> out = harness.extractOutputValues();
        assertEquals(3, out.size());
        assertTrue(
                out.stream()
                        .anyMatch(
                                a -> a.detector.equals("outlier.rate") && a.status.equals("open")));
        assertEquals("resolved", out.get(2).status);
        assertEquals("drift.mmd", out.get(2).detector);
    }

    @Test
    void anOpenAlertOfASilentModelExpiresOneRetentionAfterItsLastDecidingWindow() throws Exception {
        signal("drift.mmd", 1, 0, 1e-9);
        signal(
                "drift.mmd",
                2,
                0,
                1e-9); // decides it again: the retention counts from this window's end
        long expiry = 3 * HOUR + RETENTION;
        harness.processWatermark(
                new Watermark(expiry - 1)); // other models' traffic moves the watermark on
        assertEquals(1, harness.extractOutputValues().size(), "still open within the retention");
        assertEquals(2, harness.numKeyedStateEntries(), "the open alert and the evidence");

        harness.processWatermark(new Watermark(expiry));
        List<AlertRecord> out = harness.extractOutputValues();
        assertEquals(2, out.size());
        AlertRecord expired = out.get(1);
        assertEquals("resolved", expired.status);
        assertEquals(out.get(0).alertId, expired.alertId);
        assertEquals("critical", expired.severity, "the severity it was open with");
        assertEquals(2 * HOUR, expired.windowStart, "the last window that decided it");
        assertEquals(3 * HOUR, expired.windowEnd);
        assertTrue(Double.isNaN(expired.pValue), "no test decided it");
        assertTrue(
                expired.message.startsWith(AlertLifecycle.EXPIRED)
                        && expired.message.contains("1 d"),
                expired.message);
        assertEquals(0, harness.numKeyedStateEntries(), "keyed state left after expiry");
        assertEquals(0, harness.numEventTimeTimers(), "timers left after expiry");

        signal("drift.mmd", 40, 0, 1e-9); // back, still drifting: a new alert
        out = harness.extractOutputValues();
        assertEquals(3, out.size());
        assertEquals("open", out.get(2).status);
        assertEquals("m/drift.mmd/1970-01-02T16:00:00Z", out.get(2).alertId);
    }

    @Test
    void anAlertDecidedEveryWindowNeverExpires() throws Exception {
        for (int w = 0; w < 3 * RETENTION / HOUR; w++) {
            signal("outlier.rate", w, 0, 1e-6);
            after(w);
        }
        assertEquals(
                1,
                harness.extractOutputValues().size(),
                "opened once, never expired: " + harness.extractOutputValues());
        assertEquals(
                1,
                harness.numEventTimeTimers(),
                "the expiry timer, moved along with the deciding window");
    }

    @Test
    void theEndOfTheInputDoesNotExpireAnOpenAlert() throws Exception {
        signal("drift.mmd", 1, 0, 1e-9);
        harness.processWatermark(new Watermark(Long.MAX_VALUE));
        assertEquals(
                1,
                harness.extractOutputValues().size(),
                "a bounded input ended: the alert stays open as the data left it");
    }

    @Test
    void aCleanStreamOpensAboutTheBudgetedNumberOfAlerts() throws Exception {
        SplittableRandom random = new SplittableRandom(3);
        int months = 40;
        for (int w = 0; w < 720 * months; w++) {
            signal("drift.mmd", w, 0, random.nextDouble());
            after(w);
        }
        long opened =
                harness.extractOutputValues().stream().filter(a -> a.status.equals("open")).count();
        double expected = months / 7.0; // this detector's share of 1 false alert per 30 days
        assertTrue(
                opened <= expected + 4 * Math.sqrt(expected),
                opened + " alerts in " + months + " clean months");
    }

    @Test
    void slidingWindowsFeedOnlyTheNonOverlappingOnes() throws Exception {
        AlertPolicy sliding =
                AlertPolicy.of(new FalseAlarmBudget(1, 2 * HOUR, 7), 0.05, 3)
                        .withTiming(2 * HOUR, 0, LABEL_TIMEOUT, RETENTION);
        var h =
                ProcessFunctionTestHarnesses.forKeyedProcessFunction(
                        new AlertLifecycle(sliding), DetectorSignal::lifecycleKey, Types.STRING);
        h.open();
        DetectorSignal s = new DetectorSignal();
        s.model = "m";
        s.detector = "drift.mmd";
        s.windowStart = HOUR; // overlaps the windows at 0 and 2h
        s.windowEnd = 3 * HOUR;
        s.pValue = 1e-12;
        s.summary = "bad";
        s.evidence = "";
        h.processElement(s, s.windowEnd - 1);
        assertEquals(0, h.extractOutputValues().size());
        s.windowStart = 2 * HOUR;
        s.windowEnd = 4 * HOUR;
        h.processElement(s, s.windowEnd - 1);
        assertEquals(1, h.extractOutputValues().size());
        h.close();
    }

    @Test
    void jsonHasTheDocumentedFields() throws Exception {
        signal("drift.mmd", 0, 0, 1e-9);
        String json = harness.extractOutputValues().get(0).toJson();
        for (String field :
                List.of(
                        "alert_id",
                        "model",
                        "detector",
                        "status",
                        "severity",
                        "window_start",
                        "window_end",
                        "statistic",
                        "threshold",
                        "p_value",
                        "evidence",
                        "evidence_threshold",
                        "message")) {
            assertTrue(json.contains("\"" + field + "\""), field + " in " + json);
        }
    }
}
