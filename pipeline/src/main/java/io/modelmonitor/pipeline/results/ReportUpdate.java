package io.modelmonitor.pipeline.results;

import io.modelmonitor.pipeline.record.DeadLetter;
import io.modelmonitor.pipeline.record.EmbeddedEvent;
import io.modelmonitor.pipeline.record.LabelOutcome;

/**
 * Everything that changes a model's reports, on one stream keyed by model: a fired window, a late
 * event, a dead letter, a labelled outcome. A Flink POJO; exactly one payload is set.
 */
public class ReportUpdate {
    /** What this update carries. */
    public enum Kind {
        WINDOW,
        LATE_EVENT,
        DEAD_LETTER,
        OUTCOME
    }

    public Kind kind;
    public String model;

    /**
     * Event time the update belongs to: the late event's or the dead letter's (attributed) time.
     */
    public long ts;

    public ReportRecord window;
    public LabelOutcome outcome;

    public ReportUpdate() {}

    public static ReportUpdate window(ReportRecord r) {
        ReportUpdate u = new ReportUpdate();
        u.kind = Kind.WINDOW;
        u.model = r.model;
        u.ts = r.windowEnd - 1;
        u.window = r;
        return u;
    }

    public static ReportUpdate lateEvent(EmbeddedEvent e) {
        ReportUpdate u = new ReportUpdate();
        u.kind = Kind.LATE_EVENT;
        u.model = e.model;
        u.ts = e.ts;
        return u;
    }

    public static ReportUpdate deadLetter(DeadLetter d) {
        ReportUpdate u = new ReportUpdate();
        u.kind = Kind.DEAD_LETTER;
        u.model = d.model;
        u.ts = d.ts;
        return u;
    }

    public static ReportUpdate outcome(LabelOutcome o) {
        ReportUpdate u = new ReportUpdate();
        u.kind = Kind.OUTCOME;
        u.model = o.model;
        u.ts = o.attributedTs();
        u.outcome = o;
        return u;
    }
}
