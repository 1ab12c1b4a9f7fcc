package io.modelmonitor.pipeline.job;

/**
 * Stable operator ids of the job: savepoints map state by these, so never change one that shipped.
 */
public final class Uids {
    public static final String SPLIT_EVENTS = "split-events";
    public static final String SPLIT_LABELS = "split-labels";
    public static final String EMBED = "embed";
    public static final String REFERENCES_SOURCE = "references-source";
    public static final String PARSE_REFERENCES = "parse-references";
    public static final String REFERENCES_WATERMARKS = "references-watermarks";
    public static final String WINDOWS = "windows";
    public static final String LABEL_JOIN = "label-join";
    public static final String REPORTS = "reports";
    public static final String ALERTS = "alert-lifecycle";
    public static final String ALERTS_SINK = "alerts-sink";
    public static final String REPORTS_SINK = "reports-sink";
    public static final String DEAD_LETTERS_SINK = "dead-letters-sink";

    private Uids() {}
}
