package io.modelmonitor.detectors.sequential;

import java.io.Serializable;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Turns a false-alarm budget (expected false alerts per model per 30 days of event time, all
 * detectors together) into one calibrated {@link PValueCusum} per detector.
 *
 * <p>The split: the budget is shared equally by the {@code detectors} detectors a model can have,
 * whether or not a given model uses all of them. Expected counts add up whatever the dependence
 * between detectors (linearity of expectation), so budgets of B/D each sum to B even though the
 * detectors read the same windows. A detector that alerts on average once per ARL windows under no
 * change, with W windows in 30 days, spends W / ARL; so each gets ARL = W · D / B windows.
 *
 * <pre>{@code
 * FalseAlarmBudget budget = new FalseAlarmBudget(1.0, Duration.ofHours(1).toMillis(), 6);
 * PValueCusum cusum = budget.cusum(); // ARL 4320 hourly windows: 1/6 false alert a month
 * }</pre>
 */
public final class FalseAlarmBudget implements Serializable {
    private static final long serialVersionUID = 1L;

    /** The 30 days the budget is counted over. */
    public static final long PERIOD_MS = 30L * 24 * 3_600_000L;

    /**
     * The calibrator exponent: a balance of single-window sensitivity and accumulation ({@link
     * PValueCusum}).
     */
    public static final double KAPPA = 0.2;

    private static final Map<Double, Double> THRESHOLDS = new ConcurrentHashMap<>();

    private final double alertsPerPeriod;
    private final long windowStepMs;
    private final int detectors;

    /**
     * @param alertsPerPeriod expected false alerts per model per 30 days, &gt; 0
     * @param windowStepMs event time between two windows that feed the policy
     * @param detectors how many detectors share the budget
     */
    public FalseAlarmBudget(double alertsPerPeriod, long windowStepMs, int detectors) {
        if (!(alertsPerPeriod > 0) || Double.isInfinite(alertsPerPeriod)) {
            throw new IllegalArgumentException(
                    "false-alarm budget must be positive: " + alertsPerPeriod);
        }
        if (windowStepMs <= 0 || detectors <= 0) {
            throw new IllegalArgumentException("window step and detector count must be positive");
        }
        this.alertsPerPeriod = alertsPerPeriod;
        this.windowStepMs = windowStepMs;
        this.detectors = detectors;
    }

    /** The budget: expected false alerts per model per 30 days, all detectors together. */
    public double alertsPerPeriod() {
        return alertsPerPeriod;
    }

    /** Windows in 30 days of event time. */
    public double windowsPerPeriod() {
        return (double) PERIOD_MS / windowStepMs;
    }

    /** Each detector's share of the budget, in expected false alerts per 30 days. */
    public double perDetector() {
        return alertsPerPeriod / detectors;
    }

    /** Each detector's average run length to a false alarm, in windows. */
    public double targetRunLength() {
        return windowsPerPeriod() / perDetector();
    }

    /** The calibrated CUSUM every detector uses (thresholds are cached per run length). */
    public PValueCusum cusum() {
        double arl = Math.max(2, targetRunLength());
        double h = THRESHOLDS.computeIfAbsent(arl, t -> CusumCalibration.thresholdFor(KAPPA, t));
        return new PValueCusum(KAPPA, h);
    }
}
