package io.modelmonitor.detectors.mmd;

/**
 * How {@link MmdDetector} obtains the null distribution of the MMD² statistic.
 *
 * <ul>
 *   <li>{@link #PERMUTATION}: the exact permutation test, re-run for every window on the pooled
 *       sample reference ∪ window (docs/statistics.md). Valid at any size; costs O(P·s²) kernel
 *       look-ups per window with s = min(n_ref, n_window) (see {@link MmdDetector}).
 *   <li>{@link #CALIBRATED}: the null is simulated from the reference alone, once for a fixed grid
 *       of window counts shared by all windows (standardised by the exact null variance), with a
 *       generalized Pareto tail beyond the draws ({@link CalibratedNull}); each window then costs
 *       one statistic. The streaming default.
 * </ul>
 */
public enum NullMode {
    PERMUTATION,
    CALIBRATED
}
