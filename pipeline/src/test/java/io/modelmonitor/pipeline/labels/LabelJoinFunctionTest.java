package io.modelmonitor.pipeline.labels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.modelmonitor.pipeline.record.LabelEvent;
import io.modelmonitor.pipeline.record.LabelOutcome;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class LabelJoinFunctionTest {
    private static final long TIMEOUT = 1_000;
    private KeyedTwoInputStreamOperatorTestHarness<String, PredictionSummary, LabelEvent, LabelOutcome> harness;

    @BeforeEach
    void open() throws Exception {
        harness = ProcessFunctionTestHarnesses.forKeyedCoProcessFunction(new LabelJoinFunction(TIMEOUT),
                p -> p.id, l -> l.id, Types.STRING);
        harness.open();
    }

    @AfterEach
    void close() throws Exception {
        harness.close();
    }

    private static PredictionSummary prediction(String id, long ts, String predicted) {
        PredictionSummary p = new PredictionSummary();
        p.id = id;
        p.ts = ts;
        p.model = "m";
        p.prediction = predicted;
        return p;
    }

    private void predict(String id, long ts, String predicted) throws Exception {
        harness.processElement1(prediction(id, ts, predicted), ts);
    }

    private void label(String id, long ts, String label) throws Exception {
        harness.processElement2(new LabelEvent(id, ts, label), ts);
    }

    private void watermark(long t) throws Exception {
        harness.processWatermark1(new Watermark(t));
        harness.processWatermark2(new Watermark(t));
    }

    private void assertNothingLeft() {
        assertEquals(0, harness.numKeyedStateEntries(), "keyed state left");
        assertEquals(0, harness.numEventTimeTimers(), "event-time timers left");
    }

    @Test
    void labelAfterPredictionIsEmittedAtTheLaterTimeAndLeavesNothing() throws Exception {
        predict("a", 100, "cat");
        label("a", 400, "dog");
        watermark(399);
        assertTrue(harness.extractOutputValues().isEmpty(), "not before the watermark passes the label time");
        watermark(400);
        List<StreamRecord<? extends LabelOutcome>> out = harness.extractOutputStreamRecords();
        assertEquals(1, out.size());
        assertEquals(400, out.get(0).getTimestamp());
        LabelOutcome o = out.get(0).getValue();
        assertEquals("a", o.id);
        assertEquals(100, o.predictionTs);
        assertEquals(400, o.labelTs);
        assertEquals("cat", o.predicted);
        assertEquals("dog", o.actual);
        assertNothingLeft();
    }

    @Test
    void labelBeforeItsPredictionIsKeptAndMatched() throws Exception {
        label("b", 300, "cat");
        assertEquals(1, harness.numEventTimeTimers());
        predict("b", 250, "cat");
        watermark(300);
        List<LabelOutcome> out = harness.extractOutputValues();
        assertEquals(1, out.size());
        assertTrue(out.get(0).correct());
        assertNothingLeft();
    }

    @Test
    void duplicateLabelsAreIgnored() throws Exception {
        predict("c", 100, "cat");
        label("c", 200, "cat");
        label("c", 210, "dog");
        watermark(1_000);
        List<LabelOutcome> out = harness.extractOutputValues();
        assertEquals(1, out.size());
        assertEquals("cat", out.get(0).actual);
        assertNothingLeft();
    }

    @Test
    void predictionWithoutLabelTimesOutAndLaterLabelIsNotMatched() throws Exception {
        predict("d", 100, "cat");
        watermark(100 + TIMEOUT - 1);
        assertEquals(1, harness.numEventTimeTimers());
        label("d", 100 + TIMEOUT + 1, "cat"); // after the timeout in event time: unlabelled
        watermark(100 + TIMEOUT);
        assertTrue(harness.extractOutputValues().isEmpty());
        assertNothingLeft();
    }

    @Test
    void labelWithoutPredictionExpiresWhenTheWatermarkPassesIt() throws Exception {
        label("e", 500, "cat");
        watermark(500);
        assertTrue(harness.extractOutputValues().isEmpty());
        assertNothingLeft();
        predict("e", 600, "cat"); // too late for the dropped label: waits for another
        watermark(600 + TIMEOUT);
        assertTrue(harness.extractOutputValues().isEmpty());
        assertNothingLeft();
    }

    @Test
    void manyKeysAllResolveOrExpire() throws Exception {
        for (int i = 0; i < 50; i++) {
            predict("k" + i, i * 10L, i % 2 == 0 ? "cat" : "dog");
            if (i % 3 != 0) {
                label("k" + i, i * 10L + 500, "cat");
            }
        }
        label("orphan", 20, "cat");
        watermark(Long.MAX_VALUE);
        List<LabelOutcome> out = harness.extractOutputValues();
        assertEquals(50 - 17, out.size());
        assertEquals(out.stream().filter(LabelOutcome::correct).count(),
                java.util.stream.IntStream.range(0, 50).filter(i -> i % 3 != 0 && i % 2 == 0).count());
        assertNothingLeft();
    }
}
