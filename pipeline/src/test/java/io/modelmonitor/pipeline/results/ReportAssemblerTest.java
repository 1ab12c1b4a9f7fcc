package io.modelmonitor.pipeline.results;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.modelmonitor.pipeline.options.JobSettings;
import io.modelmonitor.pipeline.record.DeadLetter;
import io.modelmonitor.pipeline.record.EmbeddedEvent;
import io.modelmonitor.pipeline.record.LabelOutcome;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.Test;

class ReportAssemblerTest {
    private static final long H = 3_600_000L;

    private static ReportRecord window(long start, long count) {
        ReportRecord r = new ReportRecord();
        r.model = "m";
        r.windowStart = start;
        r.windowEnd = start + H;
        r.count = count;
        r.performance = new ReportRecord.PerformanceSection();
        r.performance.referenceAccuracy = 0.9;
        r.performance.referenceLabelled = 1000;
        r.performance.referenceCorrect = 900;
        return r;
    }

    private static LabelOutcome outcome(
            String id, long predictionTs, long labelTs, boolean correct) {
        LabelOutcome o = new LabelOutcome();
        o.id = id;
        o.model = "m";
        o.predictionTs = predictionTs;
        o.labelTs = labelTs;
        o.predicted = "a";
        o.actual = correct ? "a" : "b";
        return o;
    }

    @Test
    void revisionsFollowEventTimeAndNothingIsLeftAtTheEnd() throws Exception {
        JobSettings settings = JobSettings.of("window-size", "1h", "label-timeout", "3h");
        try (KeyedOneInputStreamOperatorTestHarness<String, ReportUpdate, ReportRecord> h =
                ProcessFunctionTestHarnesses.forKeyedProcessFunction(
                        new ReportAssembler(settings), u -> u.model, Types.STRING)) {
            h.open();
            // An outcome known at 1.5h arrives before window 0 has even fired: held until its slot
            // ends.
            h.processElement(ReportUpdate.outcome(outcome("a", 10, H + H / 2, true)), H + H / 2);
            DeadLetter d = new DeadLetter("bad", "events", "x", "m");
            d.ts = 20;
            h.processElement(ReportUpdate.deadLetter(d), 20);
            h.processElement(ReportUpdate.window(window(0, 4)), H - 1);
            h.processWatermark(new Watermark(H - 1));
            List<ReportRecord> out = h.extractOutputValues();
            assertEquals(1, out.size());
            assertEquals(0, out.get(0).revision);
            assertEquals(
                    0,
                    out.get(0).performance.labelled,
                    "the label is not known yet at the window's end");
            assertEquals(1, out.get(0).deadLetters);

            h.processElement(ReportUpdate.outcome(outcome("b", 20, H + 10, false)), H + 10);
            EmbeddedEvent late = new EmbeddedEvent();
            late.model = "m";
            late.ts = 30;
            h.processElement(ReportUpdate.lateEvent(late), 30);
            h.processWatermark(new Watermark(2 * H - 1));
            out = h.extractOutputValues();
            assertEquals(2, out.size(), "one revision for everything of the slot");
            ReportRecord r1 = out.get(1);
            assertEquals(1, r1.revision);
            assertEquals(2, r1.performance.labelled);
            assertEquals(0.5, r1.performance.accuracy, 1e-12);
            assertEquals(0.5, r1.performance.coverage, 1e-12);
            assertEquals(1, r1.lateEvents);
            // one error in two labels against 100 in the reference's 1000: Fisher's test on the
            // counts
            assertEquals(
                    io.modelmonitor.detectors.performance.ErrorRateComparison.pValueWorse(
                            1, 2, 100, 1000),
                    r1.performance.pValue,
                    1e-15);
            assertEquals(0.19, r1.performance.pValue, 0.005);

            h.processWatermark(new Watermark(Long.MAX_VALUE));
            assertEquals(2, h.extractOutputValues().size());
            assertEquals(0, h.numKeyedStateEntries(), "keyed state left");
            assertEquals(0, h.numEventTimeTimers(), "timers left");
        }
    }

    private static LabelOutcome labelOnly(LabelOutcome.Kind kind, long predictionTs, long labelTs) {
        LabelOutcome o = new LabelOutcome();
        o.kind = kind;
        o.id = "x";
        o.model = "m";
        o.predictionTs = predictionTs;
        o.labelTs = labelTs;
        return o;
    }

    /**
     * Labels that joined nothing are counted in the window of the label's time, and never change
     * the realised accuracy nor revise the window of their prediction.
     */
    @Test
    void duplicateLateAndOrphanLabelsAreCountedAtTheLabelsTime() throws Exception {
        JobSettings settings = JobSettings.of("window-size", "1h", "label-timeout", "1h");
        try (KeyedOneInputStreamOperatorTestHarness<String, ReportUpdate, ReportRecord> h =
                ProcessFunctionTestHarnesses.forKeyedProcessFunction(
                        new ReportAssembler(settings), u -> u.model, Types.STRING)) {
            h.open();
            h.processElement(ReportUpdate.outcome(outcome("a", 10, 40, false)), 40);
            h.processElement(
                    ReportUpdate.outcome(labelOnly(LabelOutcome.Kind.DUPLICATE_LABEL, 10, 50)), 50);
            h.processElement(
                    ReportUpdate.outcome(labelOnly(LabelOutcome.Kind.ORPHAN_LABEL, 60, 60)), 60);
            h.processElement(ReportUpdate.window(window(0, 4)), H - 1);
            h.processWatermark(new Watermark(H - 1));
            // a label for the prediction at 20, past its 1 h timeout: counted in the second window
            h.processElement(
                    ReportUpdate.outcome(labelOnly(LabelOutcome.Kind.LATE_LABEL, 20, H + 30)),
                    H + 30);
            h.processElement(ReportUpdate.window(window(H, 2)), 2 * H - 1);
            h.processWatermark(new Watermark(Long.MAX_VALUE));
            List<ReportRecord> out = h.extractOutputValues();
            assertEquals(2, out.size(), "no revision of the first window: " + out);
            ReportRecord.PerformanceSection p0 = out.get(0).performance;
            assertEquals(1, p0.labelled);
            assertEquals(0.0, p0.accuracy);
            assertEquals(1, p0.duplicateLabels);
            assertEquals(1, p0.orphanLabels);
            assertEquals(0, p0.lateLabels);
            ReportRecord.PerformanceSection p1 = out.get(1).performance;
            assertEquals(0, p1.labelled);
            assertTrue(Double.isNaN(p1.pValue));
            assertEquals(1, p1.lateLabels);
            String json = ReportJson.toJson(out.get(1));
            assertTrue(
                    json.contains("\"late_labels\":1")
                            && json.contains("\"orphan_labels\":0")
                            && json.contains("\"duplicate_labels\":0")
                            && json.contains("\"reference_labelled\":1000"),
                    json);
            assertEquals(0, h.numKeyedStateEntries(), "keyed state left");
            assertEquals(0, h.numEventTimeTimers(), "timers left");
        }
    }

    private static ReportUpdate unattributedDeadLetter(String model) {
        return ReportUpdate.deadLetter(
                new DeadLetter("bad", "events", "x", model)); // ts: before any valid record
    }

    /**
     * A model that reports two windows, gets labels and a late event, then goes silent while other
     * models move the watermark on: everything it left (windows, held updates, dead letters that
     * had no event time) is kept exactly one retention after its last window's end (late labels may
     * still revise it until then), and nothing after.
     */
    @Test
    void aSilentModelLeavesNoStateOrTimersOneRetentionAfterItsLastWindow() throws Exception {
        JobSettings settings =
                JobSettings.of("window-size", "1h", "label-timeout", "2h", "state-retention", "5h");
        try (KeyedOneInputStreamOperatorTestHarness<String, ReportUpdate, ReportRecord> h =
                ProcessFunctionTestHarnesses.forKeyedProcessFunction(
                        new ReportAssembler(settings), u -> u.model, Types.STRING)) {
            h.open();
            h.processElement(unattributedDeadLetter("m"), 0);
            h.processElement(ReportUpdate.window(window(0, 40)), H - 1);
            h.processElement(ReportUpdate.outcome(outcome("a", 10, H / 2, true)), H / 2);
            h.processWatermark(new Watermark(H - 1));
            h.processElement(ReportUpdate.window(window(H, 40)), 2 * H - 1);
            h.processElement(
                    ReportUpdate.outcome(outcome("b", H + 10, 2 * H + 10, false)), 2 * H + 10);
            h.processWatermark(new Watermark(2 * H - 1));
            EmbeddedEvent late = new EmbeddedEvent();
            late.model = "m";
            late.ts = H + 5;
            h.processElement(ReportUpdate.lateEvent(late), H + 5);
            h.processWatermark(new Watermark(3 * H - 1));
            List<ReportRecord> out = h.extractOutputValues();
            assertEquals(
                    1,
                    out.get(0).deadLetters,
                    "the dead letter before any valid record counts in the first report");
            assertEquals(1, out.get(out.size() - 1).lateEvents);
            assertEquals(1, out.get(out.size() - 1).performance.labelled);

            long lastWindowGone = 2 * H + 5 * H;
            h.processWatermark(new Watermark(lastWindowGone - 1));
            assertTrue(h.numKeyedStateEntries() > 0, "the last window may still be revised: kept");
            h.processWatermark(new Watermark(lastWindowGone));
            assertEquals(0, h.numKeyedStateEntries(), "keyed state left by the silent model");
            assertEquals(0, h.numEventTimeTimers(), "timers left by the silent model");
            assertEquals(0, h.numProcessingTimeTimers());
        }
    }

    /**
     * A model whose only records are bad ones, before any watermark: their count waits for a first
     * report for one retention after the first watermark, then goes. A second model's dead letters,
     * arriving once the watermark is known, go one retention after that watermark.
     */
    @Test
    void deadLettersOfAModelThatNeverReportsGoOneRetentionLater() throws Exception {
        JobSettings settings = JobSettings.of("window-size", "1h", "label-timeout", "2h");
        long retention = 3 * H;
        try (KeyedOneInputStreamOperatorTestHarness<String, ReportUpdate, ReportRecord> h =
                ProcessFunctionTestHarnesses.forKeyedProcessFunction(
                        new ReportAssembler(settings), u -> u.model, Types.STRING)) {
            h.open();
            h.processElement(unattributedDeadLetter("only-bad"), 0);
            h.processElement(unattributedDeadLetter("only-bad"), 0);
            assertEquals(1, h.numKeyedStateEntries());
            h.processWatermark(new Watermark(10 * H));
            h.processElement(unattributedDeadLetter("later"), 0);
            assertEquals(2, h.numKeyedStateEntries(), "both counts wait for a first report");

            h.processWatermark(new Watermark(10 * H + retention - 1));
            assertEquals(2, h.numKeyedStateEntries(), "kept for the whole retention");
            h.processWatermark(new Watermark(10 * H + retention));
            assertEquals(0, h.numKeyedStateEntries(), "keyed state left");
            assertEquals(0, h.numEventTimeTimers(), "timers left");
            assertEquals(List.of(), h.extractOutputValues());
        }
    }
}
