package io.modelmonitor.detectors.sequential;

import java.io.Serializable;

/**
 * A CUSUM over per-window p-values: evidence that accumulates across windows, so that a sustained
 * change alerts after a few moderately small p-values and a single window needs overwhelming
 * evidence, while an unchanged stream raises a false alarm only once per {@link
 * CusumCalibration#averageRunLength average run length} of windows.
 *
 * <p>Each window's p-value p becomes the e-value e(p) = κ p^(κ−1), a "p-to-e calibrator" (Vovk and
 * Wang 2021, <i>E-values: calibration, combination and applications</i>, Ann. Statist. 49): under
 * no change p is uniform (or stochastically larger) and E[e(p)] ≤ 1. The statistic is Page's CUSUM
 * (Page 1954) of log e-values, S<sub>t</sub> = max(0, S<sub>t−1</sub> + log e(p<sub>t</sub>)),
 * which is log of the CUSUM e-detector of Shin, Ramdas and Rinaldo (2024, <i>E-detectors: a
 * nonparametric framework for sequential change detection</i>, NEJSDS 2): max over j of the product
 * of the e-values of windows j..t. An alarm is raised when S<sub>t</sub> ≥ h.
 *
 * <p>Under no change −log p is Exp(1) whatever the detector, so one calibration of h (by the exact
 * run-length computation in {@link CusumCalibration}) serves every detector. The e-detector bound
 * guarantees an average run length of at least e<sup>h</sup> for any valid p-values; the calibrated
 * h is smaller than log(target) because it is exact for uniform p-values, the least favourable
 * valid case (stochastically larger p-values only lengthen the runs).
 *
 * <p>κ trades single-window sensitivity for accumulation: with κ = 0.2 and a target of 4,320
 * windows, h ≈ 6.0: one window alarms alone at p ≤ 7e-5, two windows of p = 1e-3, three of p = 1e-2
 * or five of p = 0.03 alarm together. (κ = 0.1 alarms alone at 1.4e-4 but needs seven windows of p
 * = 0.03: too slow for modest sustained changes such as an accuracy drop seen through 100 labels a
 * window.)
 *
 * <pre>{@code
 * PValueCusum cusum = PValueCusum.calibrated(0.2, 4320);   // ARL 4320 windows
 * double s = 0;
 * for (double p : windowPValues) {
 *     s = cusum.next(s, p);
 *     if (cusum.alarm(s)) { ... }
 * }
 * }</pre>
 */
public final class PValueCusum implements Serializable {
    private static final long serialVersionUID = 1L;

    /** The smallest p-value the score takes, so that p = 0 (an underflowed tail) stays finite. */
    public static final double MIN_P = 1e-300;

    private final double kappa;
    private final double threshold;

    /**
     * @param kappa the calibrator's exponent, in (0, 1)
     * @param threshold h, the alarm level of the statistic (natural log scale), &gt; 0
     */
    public PValueCusum(double kappa, double threshold) {
        if (!(kappa > 0 && kappa < 1)) {
            throw new IllegalArgumentException("kappa must be in (0, 1): " + kappa);
        }
        if (!(threshold > 0) || Double.isInfinite(threshold)) {
            throw new IllegalArgumentException(
                    "threshold must be positive and finite: " + threshold);
        }
        this.kappa = kappa;
        this.threshold = threshold;
    }

    /** The CUSUM whose average run length under no change is {@code targetRunLength} windows. */
    public static PValueCusum calibrated(double kappa, double targetRunLength) {
        return new PValueCusum(kappa, CusumCalibration.thresholdFor(kappa, targetRunLength));
    }

    /** log e(p) = log κ + (1 − κ)(−log p): the window's contribution to the statistic. */
    public double score(double p) {
        return logEValue(kappa, p);
    }

    static double logEValue(double kappa, double p) {
        if (Double.isNaN(p)) {
            throw new IllegalArgumentException("p-value is NaN");
        }
        double clamped = Math.min(1, Math.max(MIN_P, p));
        return Math.log(kappa) - (1 - kappa) * Math.log(clamped);
    }

    /** S<sub>t</sub> from S<sub>t−1</sub> and the window's p-value. */
    public double next(double previous, double p) {
        return Math.max(0, previous + score(p));
    }

    public boolean alarm(double statistic) {
        return statistic >= threshold;
    }

    public double kappa() {
        return kappa;
    }

    public double threshold() {
        return threshold;
    }

    /** The largest p-value that alarms in one window from S = 0. */
    public double singleWindowLevel() {
        return Math.exp(-(threshold - Math.log(kappa)) / (1 - kappa));
    }
}
