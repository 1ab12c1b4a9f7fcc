package io.modelmonitor.pipeline.alerts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AlertLifecycleTest {
    private static final long HOUR = 3_600_000L;
    private static final long RETENTION = 24 * HOUR;
    private KeyedOneInputStreamOperatorTestHarness<String, DetectorSignal, AlertRecord> harness;

    @BeforeEach
    void open() throws Exception {
        harness = ProcessFunctionTestHarnesses.forKeyedProcessFunction(new AlertLifecycle(RETENTION),
                DetectorSignal::lifecycleKey, Types.STRING);
        harness.open();
    }

    @AfterEach
    void close() throws Exception {
        harness.close();
    }

    private void signal(String detector, int window, int revision, boolean condition) throws Exception {
        DetectorSignal s = new DetectorSignal();
        s.model = "m";
        s.detector = detector;
        s.windowStart = window * HOUR;
        s.windowEnd = (window + 1) * HOUR;
        s.revision = revision;
        s.condition = condition;
        s.pValue = condition ? 0.001 : 0.5;
        s.threshold = 0.05;
        s.severity = condition ? "critical" : "warning";
        s.message = condition ? "bad" : "fine";
        harness.processElement(s, s.windowEnd - 1);
    }

    @Test
    void opensOnceResolvesOnceAndLeavesNothing() throws Exception {
        signal("drift.mmd", 0, 0, false);
        signal("drift.mmd", 1, 0, false);
        signal("drift.mmd", 2, 0, true);
        signal("drift.mmd", 3, 0, true);
        signal("drift.mmd", 4, 0, true);
        signal("drift.mmd", 5, 0, false);
        signal("drift.mmd", 6, 0, false);
        List<AlertRecord> out = harness.extractOutputValues();
        assertEquals(2, out.size());
        AlertRecord open = out.get(0);
        assertEquals("open", open.status);
        assertEquals("m/drift.mmd/1970-01-01T02:00:00Z", open.alertId);
        assertEquals(2 * HOUR, open.windowStart);
        assertEquals("critical", open.severity);
        AlertRecord resolved = out.get(1);
        assertEquals("resolved", resolved.status);
        assertEquals(open.alertId, resolved.alertId);
        assertEquals(5 * HOUR, resolved.windowStart);
        assertEquals(1, harness.numEventTimeTimers(), "one clean-up timer for the ordering guard");
        harness.processWatermark(new Watermark(Long.MAX_VALUE));
        assertEquals(0, harness.numKeyedStateEntries(), "keyed state left");
        assertEquals(0, harness.numEventTimeTimers(), "timers left");
    }

    @Test
    void staleRevisionOfAnOlderWindowDoesNotFlipTheAlert() throws Exception {
        signal("performance", 3, 1, true);
        signal("performance", 2, 2, false); // older window, decided later: ignored
        signal("performance", 4, 1, true);
        List<AlertRecord> out = harness.extractOutputValues();
        assertEquals(1, out.size());
        assertEquals("open", out.get(0).status);
    }

    @Test
    void revisionOfTheSameWindowCanResolve() throws Exception {
        signal("performance", 3, 1, true);
        signal("performance", 3, 2, false);
        List<AlertRecord> out = harness.extractOutputValues();
        assertEquals(2, out.size());
        assertEquals("resolved", out.get(1).status);
    }

    @Test
    void detectorsHaveSeparateLifecycles() throws Exception {
        signal("drift.mmd", 0, 0, true);
        signal("outlier.rate", 0, 0, true);
        signal("drift.mmd", 1, 0, false);
        List<AlertRecord> out = harness.extractOutputValues();
        assertEquals(3, out.size());
        assertTrue(out.stream().anyMatch(a -> a.detector.equals("outlier.rate") && a.status.equals("open")));
        assertEquals("resolved", out.get(2).status);
        assertEquals("drift.mmd", out.get(2).detector);
    }

    @Test
    void anOpenAlertOfASilentModelExpiresOneRetentionAfterItsLastDecidingWindow() throws Exception {
        signal("drift.mmd", 1, 0, true);
        signal("drift.mmd", 2, 0, true); // decides it again: the retention counts from this window's end
        long expiry = 3 * HOUR + RETENTION;
        // The model sends nothing more; other models' traffic moves the watermark on.
        harness.processWatermark(new Watermark(expiry - 1));
        assertEquals(1, harness.extractOutputValues().size(), "still open within the retention");
        assertEquals(2, harness.numKeyedStateEntries(), "the open alert and its guard");

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
        assertTrue(expired.message.startsWith(AlertLifecycle.EXPIRED) && expired.message.contains("1 d"), expired.message);
        assertEquals(0, harness.numKeyedStateEntries(), "keyed state left after expiry");
        assertEquals(0, harness.numEventTimeTimers(), "timers left after expiry");

        // The model comes back still drifting: a new alert, not the expired one.
        signal("drift.mmd", 40, 0, true);
        out = harness.extractOutputValues();
        assertEquals(3, out.size());
        assertEquals("open", out.get(2).status);
        assertEquals("m/drift.mmd/1970-01-02T16:00:00Z", out.get(2).alertId);
    }

    @Test
    void anAlertDecidedEveryWindowNeverExpires() throws Exception {
        for (int w = 0; w < 3 * RETENTION / HOUR; w++) {
            signal("outlier.rate", w, 0, true);
            harness.processWatermark(new Watermark((w + 1) * HOUR - 1));
        }
        assertEquals(1, harness.extractOutputValues().size(), "opened once, never expired: " + harness.extractOutputValues());
        assertEquals(1, harness.numEventTimeTimers(), "one timer, moved along with the deciding window");
    }

    @Test
    void theEndOfTheInputDoesNotExpireAnOpenAlert() throws Exception {
        signal("performance", 1, 0, true);
        harness.processWatermark(new Watermark(Long.MAX_VALUE));
        List<AlertRecord> out = harness.extractOutputValues();
        assertEquals(1, out.size(), "a bounded input ended: the alert stays open as the data left it: " + out);
    }

    @Test
    void jsonHasTheSpecFields() throws Exception {
        signal("drift.mmd", 0, 0, true);
        String json = harness.extractOutputValues().get(0).toJson();
        for (String field : List.of("alert_id", "model", "detector", "status", "severity", "window_start", "window_end",
                "statistic", "threshold", "p_value", "message")) {
            assertTrue(json.contains("\"" + field + "\""), field + " in " + json);
        }
    }
}
