package io.modelmonitor.pipeline.alerts;

import java.util.List;

/**
 * What one report says about one detector in its window: the window's p-value, the input of the
 * alert policy ({@link AlertLifecycle}). A Flink POJO.
 */
public class DetectorSignal {
    public String model;

    /** {@link Detector#id()}. */
    public String detector;

    public long windowStart;
    public long windowEnd;
    public int revision;

    /**
     * Whether this revision is the window's final evidence for the detector: true for tests of the
     * window's events (decided when the window fires); for realised performance, true once the
     * window's label coverage reaches {@code --label-coverage} (else the label timeout decides).
     */
    public boolean complete = true;

    /** The detector's statistic, for the alert record. */
    public double statistic = Double.NaN;

    /**
     * The window's p-value for the detector (adjusted over its sub-tests): what the policy uses.
     */
    public double pValue = Double.NaN;

    /** What an alert of this detector means, e.g. "input distribution differs from reference". */
    public String summary;

    /** The window's evidence in words, e.g. "MMD p=0.004". */
    public String evidence;

    /**
     * Event ids that show what the detector saw, for a person to open: the MMD witness exemplars
     * (drift.mmd) or the highest outlier scores (outlier.rate); null for the other detectors.
     */
    public List<String> exemplars;

    /** The reference bundle the window was tested against (report field {@code bundle}). */
    public String bundle;

    public DetectorSignal() {}

    /** The key of the alert lifecycle: one per model and detector. */
    public String lifecycleKey() {
        return model + "/" + detector;
    }

    @Override
    public String toString() {
        return "DetectorSignal{"
                + lifecycleKey()
                + " @"
                + windowStart
                + " r"
                + revision
                + " p="
                + pValue
                + "}";
    }
}
