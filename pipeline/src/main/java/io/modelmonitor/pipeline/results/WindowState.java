package io.modelmonitor.pipeline.results;

import io.modelmonitor.detectors.performance.RegressionMetrics;

/** The report assembler's state of one window of one model. A Flink POJO. */
public class WindowState {
    public long windowStart;
    public long windowEnd;

    /** The latest firing of the window; null until it fires. */
    public ReportRecord report;

    /** Revision last emitted; -1 before the first. */
    public int revision = -1;

    /** Something changed since the last emission. */
    public boolean dirty;

    public long lateEvents;
    public long deadLetters;
    public long labelled;
    public long classified;
    public long correct;
    public double labelDelayMsSum;

    /**
     * Labels attributed to this window (by the label's time) that joined nothing; see {@link
     * io.modelmonitor.pipeline.record.LabelOutcome.Kind}.
     */
    public long duplicateLabels;

    public long lateLabels;
    public long orphanLabels;

    /** Regression models: error sums of the labelled predictions (null until the first). */
    public RegressionMetrics regression;

    /**
     * Regression models: the absolute errors of at most {@code MAX_WINDOW_ERRORS} labelled
     * predictions, the ones with the smallest seeded hash of their id (a bottom-k sample, as the
     * window's input sample: the same labels give the same sample in any arrival order), with their
     * hash keys. What the rank test compares with the reference's absolute errors.
     */
    public long[] errorKeys = new long[0];

    public double[] absErrors = new double[0];

    public WindowState() {}

    public WindowState(long windowStart, long windowEnd) {
        this.windowStart = windowStart;
        this.windowEnd = windowEnd;
    }

    public boolean emitted() {
        return revision >= 0;
    }
}
