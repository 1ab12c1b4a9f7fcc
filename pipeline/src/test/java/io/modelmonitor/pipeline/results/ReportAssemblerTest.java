package io.modelmonitor.pipeline.results;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.modelmonitor.pipeline.job.JobSettings;
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
        return r;
    }

    private static LabelOutcome outcome(String id, long predictionTs, long labelTs, boolean correct) {
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
                ProcessFunctionTestHarnesses.forKeyedProcessFunction(new ReportAssembler(settings), u -> u.model, Types.STRING)) {
            h.open();
            // An outcome known at 1.5h arrives before window 0 has even fired: held until its slot ends.
            h.processElement(ReportUpdate.outcome(outcome("a", 10, H + H / 2, true)), H + H / 2);
            DeadLetter d = new DeadLetter("bad", "events", "x", "m");
            d.ts = 20;
            h.processElement(ReportUpdate.deadLetter(d), 20);
            h.processElement(ReportUpdate.window(window(0, 4)), H - 1);
            h.processWatermark(new Watermark(H - 1));
            List<ReportRecord> out = h.extractOutputValues();
            assertEquals(1, out.size());
            assertEquals(0, out.get(0).revision);
            assertEquals(0, out.get(0).performance.labelled, "the label is not known yet at the window's end");
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

            h.processWatermark(new Watermark(Long.MAX_VALUE));
            assertEquals(2, h.extractOutputValues().size());
            assertEquals(0, h.numKeyedStateEntries(), "keyed state left");
            assertEquals(0, h.numEventTimeTimers(), "timers left");
        }
    }
}
