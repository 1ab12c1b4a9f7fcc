package io.modelmonitor.pipeline.alerts;

/**
 * What one report says about one detector's condition in its window: the input of the alert
 * lifecycle. A Flink POJO.
 */
public class DetectorSignal {
    public String model;
    /** {@link Detector#id()}. */
    public String detector;
    public long windowStart;
    public long windowEnd;
    public int revision;
    /** Whether the condition holds in this window (windows that cannot tell emit no signal). */
    public boolean condition;
    public double statistic = Double.NaN;
    public double threshold = Double.NaN;
    public double pValue = Double.NaN;
    /** {@code "warning"} or {@code "critical"}. */
    public String severity;
    /** Names the evidence, e.g. "input distribution differs from reference (MMD p=0.004 < 0.05)". */
    public String message;

    public DetectorSignal() {}

    /** The key of the alert lifecycle: one per model and detector. */
    public String lifecycleKey() {
        return model + "/" + detector;
    }

    @Override
    public String toString() {
        return "DetectorSignal{" + lifecycleKey() + " @" + windowStart + " r" + revision + " condition=" + condition + "}";
    }
}
