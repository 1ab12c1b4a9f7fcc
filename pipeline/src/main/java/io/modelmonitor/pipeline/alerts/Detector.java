package io.modelmonitor.pipeline.alerts;

/** The detectors an alert can come from; {@link #id()} is the name in alert records (docs/data-contracts.md). */
public enum Detector {
    DRIFT_MMD("drift.mmd"),
    DRIFT_PREDICTION("drift.prediction"),
    DRIFT_FEATURE("drift.feature"),
    OUTLIER_RATE("outlier.rate"),
    PERFORMANCE("performance"),
    PERFORMANCE_ESTIMATED("performance.estimated"),
    DATA_QUALITY("data.quality");

    private final String id;

    Detector(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }
}
