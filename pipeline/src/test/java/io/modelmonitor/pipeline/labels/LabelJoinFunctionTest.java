package io.modelmonitor.pipeline.labels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.modelmonitor.pipeline.record.LabelEvent;
import io.modelmonitor.pipeline.record.LabelOutcome;
import java.util.List;
import java.util.stream.Collectors;
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
    private KeyedTwoInputStreamOperatorTestHarness<
                    String, PredictionSummary, LabelEvent, LabelOutcome>
            harness;

    @BeforeEach
    void open() throws Exception {
        harness =
                ProcessFunctionTestHarnesses.forKeyedCoProcessFunction(
                        new LabelJoinFunction(TIMEOUT),
                        p -> LabelJoinFunction.key(p.model, p.id),
                        l -> LabelJoinFunction.key(l.model, l.id),
                        Types.STRING);
        harness.open();
    }

    @AfterEach
    void close() throws Exception {
        harness.close();
    }

    private static PredictionSummary prediction(
            String model, String id, long ts, String predicted) {
        PredictionSummary p = new PredictionSummary();
        p.id = id;
        p.ts = ts;
        p.model = model;
        p.prediction = predicted;
        return p;
    }

    private void predict(String id, long ts, String predicted) throws Exception {
        predict("m", id, ts, predicted);
    }

    private void predict(String model, String id, long ts, String predicted) throws Exception {
        harness.processElement1(prediction(model, id, ts, predicted), ts);
    }

    private void label(String id, long ts, String label) throws Exception {
        label("m", id, ts, label);
    }

    private void label(String model, String id, long ts, String label) throws Exception {
        harness.processElement2(new LabelEvent(model, id, ts, label), ts);
    }

    private List<LabelOutcome> matched() {
        return harness.extractOutputValues().stream()
                .filter(LabelOutcome::matched)
                .collect(Collectors.toList());
    }

    private long count(LabelOutcome.Kind kind) {
        return harness.extractOutputValues().stream().filter(o -> o.kind == kind).count();
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
        assertTrue(
                harness.extractOutputValues().isEmpty(),
                "not before the watermark passes the label time");
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
    void duplicateLabelsAreIgnoredAndCounted() throws Exception {
        predict("c", 100, "cat");
        label("c", 200, "cat");
        label("c", 210, "dog");
        watermark(1_000);
        List<LabelOutcome> out = matched();
        assertEquals(1, out.size());
        assertEquals("cat", out.get(0).actual);
        assertEquals(1, count(LabelOutcome.Kind.DUPLICATE_LABEL));
        LabelOutcome dup =
                harness.extractOutputValues().stream()
                        .filter(o -> o.kind == LabelOutcome.Kind.DUPLICATE_LABEL)
                        .findFirst()
                        .orElseThrow();
        assertEquals(210, dup.attributedTs(), "a label-only outcome counts at the label's time");
        assertEquals(2, harness.extractOutputValues().size());
        assertNothingLeft();
    }

    @Test
    void predictionWithoutLabelTimesOutAndLaterLabelIsNotMatchedButCountedLate() throws Exception {
        predict("d", 100, "cat");
        watermark(100 + TIMEOUT - 1);
        assertEquals(1, harness.numEventTimeTimers());
        label("d", 100 + TIMEOUT + 1, "cat"); // after the timeout in event time: unlabelled
        watermark(100 + TIMEOUT);
        assertTrue(matched().isEmpty());
        assertEquals(1, count(LabelOutcome.Kind.LATE_LABEL));
        assertEquals(1, harness.extractOutputValues().size());
        assertNothingLeft();
    }

    @Test
    void aWaitingLabelPastThePredictionsTimeoutIsCountedLate() throws Exception {
        label("f", 100 + TIMEOUT + 50, "cat"); // came before its prediction, but past its timeout
        predict("f", 100, "cat");
        watermark(Long.MAX_VALUE);
        assertTrue(matched().isEmpty());
        assertEquals(1, count(LabelOutcome.Kind.LATE_LABEL));
        assertEquals(0, count(LabelOutcome.Kind.ORPHAN_LABEL));
        assertNothingLeft();
    }

    @Test
    void labelWithoutPredictionExpiresAsAnOrphanWhenTheWatermarkPassesIt() throws Exception {
        label("e", 500, "cat");
        watermark(499);
        assertTrue(
                harness.extractOutputValues().isEmpty(),
                "a prediction up to the label's time may still come");
        watermark(500);
        assertEquals(1, count(LabelOutcome.Kind.ORPHAN_LABEL));
        assertEquals(500, harness.extractOutputValues().get(0).attributedTs());
        assertNothingLeft();
        predict("e", 600, "cat"); // too late for the dropped label: waits for another
        watermark(600 + TIMEOUT);
        assertEquals(1, harness.extractOutputValues().size());
        assertNothingLeft();
    }

    /**
     * Two models that reuse request ids: each prediction gets its own model's label, never the
     * other's.
     */
    @Test
    void modelsSharingIdsKeepTheirOwnLabels() throws Exception {
        predict("m1", "r1", 100, "cat");
        predict("m2", "r1", 110, "cat");
        label("m2", "r1", 300, "dog"); // m2's label first: under an id-only key m1 would take it
        label("m1", "r1", 320, "cat");
        label("m3", "r1", 330, "cat"); // a model with no such prediction
        watermark(Long.MAX_VALUE);
        List<LabelOutcome> out = matched();
        assertEquals(2, out.size());
        LabelOutcome m1 = out.stream().filter(o -> o.model.equals("m1")).findFirst().orElseThrow();
        LabelOutcome m2 = out.stream().filter(o -> o.model.equals("m2")).findFirst().orElseThrow();
        assertTrue(m1.correct(), "m1's prediction is joined with m1's label");
        assertEquals("dog", m2.actual);
        assertEquals(1, count(LabelOutcome.Kind.ORPHAN_LABEL));
        assertEquals(0, count(LabelOutcome.Kind.DUPLICATE_LABEL));
        assertNothingLeft();
    }

    @Test
    void joinKeysOfDifferentPairsDiffer() {
        assertTrue(!LabelJoinFunction.key("ab", "c").equals(LabelJoinFunction.key("a", "bc")));
        assertTrue(!LabelJoinFunction.key("1:a", "b").equals(LabelJoinFunction.key("1", ":ab")));
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
        List<LabelOutcome> out = matched();
        assertEquals(50 - 17, out.size());
        assertEquals(1, count(LabelOutcome.Kind.ORPHAN_LABEL));
        assertEquals(
                out.stream().filter(LabelOutcome::correct).count(),
                java.util.stream.IntStream.range(0, 50)
                        .filter(i -> i % 3 != 0 && i % 2 == 0)
                        .count());
        assertNothingLeft();
    }
}
