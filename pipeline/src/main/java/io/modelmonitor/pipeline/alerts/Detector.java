package io.modelmonitor.pipeline.alerts;

/**
 * The detectors of a report; {@link #id()} is the name in alert records (docs/data-contracts.md).
 * {@code performance.estimated} is reported but raises no alerts: the label-free estimate is a
 * function of the top score, whose distribution {@code drift.prediction} already tests, so alerting
 * on both would spend the false-alarm budget twice on one piece of evidence.
 */
public enum Detector {
    DRIFT_MMD("drift.mmd", true),
    DRIFT_PREDICTION("drift.prediction", true),
    DRIFT_FEATURE("drift.feature", true),
    OUTLIER_RATE("outlier.rate", true),
    PERFORMANCE("performance", true),
    PERFORMANCE_ESTIMATED("performance.estimated", false),
    DATA_QUALITY("data.quality", true);

    private final String id;
    private final boolean alerts;

    Detector(String id, boolean alerts) {
        this.id = id;
        this.alerts = alerts;
    }

    public String id() {
        return id;
    }

    /** How many detectors raise alerts: they share the false-alarm budget equally. */
    public static int alerting() {
        int n = 0;
        for (Detector d : values()) {
            n += d.alerts ? 1 : 0;
        }
        return n;
    }
}
