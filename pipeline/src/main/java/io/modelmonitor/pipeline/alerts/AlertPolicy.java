package io.modelmonitor.pipeline.alerts;

import io.modelmonitor.detectors.sequential.FalseAlarmBudget;
import io.modelmonitor.detectors.sequential.PValueCusum;
import io.modelmonitor.pipeline.time.EventTime;
import java.io.Serializable;

/**
 * When an alert opens and when it resolves, given one p-value per window per detector.
 *
 * <ul>
 *   <li><b>Open</b>: each (model, detector) keeps a {@link PValueCusum} of its windows' p-values,
 *       calibrated so that a model with no change opens {@code --false-alarm-budget} alerts per 30
 *       days of event time on average, all detectors together ({@link FalseAlarmBudget}). The alert
 *       opens on the window where the accumulated evidence reaches the threshold.
 *   <li><b>Resolve</b>: with hysteresis: after {@code --resolve-after} windows in a row whose
 *       p-value is at least {@code --alpha} (windows that look like the reference). The evidence
 *       then restarts from zero, so re-opening needs as much evidence as a first alert.
 *   <li><b>Severity</b>: {@code critical} when the evidence exceeds the threshold by a factor of
 *       100 (log 100 on the statistic's scale) at opening, {@code warning} otherwise.
 *   <li><b>Which windows</b>: each window feeds a detector once. Tests of the window's events use
 *       the report emitted when the window fires; later revisions (late events) change the report,
 *       not the decision. Realised performance waits for the window's labels: it is decided by the
 *       first revision with {@code --label-coverage} of the window labelled, or by the last one
 *       when the label timeout has passed, so neither the fastest-labelled subset nor each revision
 *       counts as a test of its own. With sliding windows only windows that start on a multiple of
 *       the window size feed the policy: overlapping windows share events, and the calibration
 *       assumes windows that do not.
 * </ul>
 *
 * <pre>{@code
 * AlertPolicy policy = AlertPolicy.of(new FalseAlarmBudget(1, HOUR, Detector.alerting()), 0.05, 3)
 *         .withTiming(HOUR, 0, 7 * DAY, 7 * DAY + HOUR);
 * }</pre>
 */
public final class AlertPolicy implements Serializable {
    private static final long serialVersionUID = 1L;

    /**
     * How far above the threshold the evidence is, at opening, for a critical alert: a factor of
     * 100.
     */
    static final double CRITICAL_MARGIN = Math.log(100);

    final PValueCusum cusum;
    final FalseAlarmBudget budget;
    final double cleanLevel;
    final int resolveAfter;
    final long windowSizeMs;
    final long allowedLatenessMs;
    final long labelTimeoutMs;
    final long retentionMs;

    private AlertPolicy(
            PValueCusum cusum,
            FalseAlarmBudget budget,
            double cleanLevel,
            int resolveAfter,
            long windowSizeMs,
            long allowedLatenessMs,
            long labelTimeoutMs,
            long retentionMs) {
        this.cusum = cusum;
        this.budget = budget;
        this.cleanLevel = cleanLevel;
        this.resolveAfter = resolveAfter;
        this.windowSizeMs = windowSizeMs;
        this.allowedLatenessMs = allowedLatenessMs;
        this.labelTimeoutMs = labelTimeoutMs;
        this.retentionMs = retentionMs;
    }

    /**
     * @param budget the false-alarm budget; its window step must be the window size
     * @param cleanLevel a window whose p-value is at least this counts towards resolving
     * @param resolveAfter windows in a row that resolve an open alert
     */
    public static AlertPolicy of(FalseAlarmBudget budget, double cleanLevel, int resolveAfter) {
        if (resolveAfter < 1) {
            throw new IllegalArgumentException("resolveAfter must be at least 1");
        }
        return new AlertPolicy(
                budget.cusum(),
                budget,
                cleanLevel,
                resolveAfter,
                Long.MAX_VALUE,
                0,
                0,
                Long.MAX_VALUE);
    }

    /**
     * @param windowSizeMs windows starting off a multiple of this (sliding windows) are not used
     * @param allowedLatenessMs how long after its end a window's events can still change
     * @param labelTimeoutMs how long after its end a window's labels can still arrive
     * @param retentionMs how long an open alert waits for a window to decide it before it expires
     */
    public AlertPolicy withTiming(
            long windowSizeMs, long allowedLatenessMs, long labelTimeoutMs, long retentionMs) {
        return new AlertPolicy(
                cusum,
                budget,
                cleanLevel,
                resolveAfter,
                windowSizeMs,
                allowedLatenessMs,
                labelTimeoutMs,
                retentionMs);
    }

    /** Whether the window feeds the policy (all tumbling windows; non-overlapping sliding ones). */
    boolean uses(long windowStart) {
        return windowSizeMs == Long.MAX_VALUE || Math.floorMod(windowStart, windowSizeMs) == 0;
    }

    /**
     * Event time after which a detector's window can no longer change: its evidence is final then.
     */
    long finalAt(String detector, long windowEnd) {
        long wait =
                Detector.PERFORMANCE.id().equals(detector)
                        ? EventTime.saturatedAdd(labelTimeoutMs, allowedLatenessMs)
                        : allowedLatenessMs;
        return EventTime.saturatedAdd(windowEnd, wait);
    }

    /** Expected false alerts per model per 30 days, all detectors together. */
    public double falseAlarmBudget() {
        return budget.alertsPerPeriod();
    }

    public PValueCusum cusum() {
        return cusum;
    }
}
