package io.modelmonitor.detectors.sequential;

/**
 * The average run length (ARL) to a false alarm of {@link PValueCusum} when every window's p-value
 * is uniform and independent, and the threshold that gives a target ARL.
 *
 * <p>Under that null, X = −log p is Exp(1) and the CUSUM is a Markov chain on [0, h). Its ARL from
 * S = 0 is computed by the Markov-chain approximation of Brook and Evans (1972, <i>An approach to
 * the probability distribution of CUSUM run length</i>, Biometrika 59): [0, h) is cut into N cells,
 * the transition probabilities between cells come from the exact Exp(1) distribution function, and
 * the ARL solves (I − Q) L = 1. The error of the approximation falls as 1/N; two resolutions are
 * combined by Richardson extrapolation, which agrees with Monte Carlo run lengths to within their
 * sampling error (CusumCalibrationTest).
 */
public final class CusumCalibration {
    private static final int CELLS = 240;

    private CusumCalibration() {}

    /**
     * ARL from S = 0 of the CUSUM with calibrator exponent {@code kappa} and threshold {@code h}.
     */
    public static double averageRunLength(double kappa, double h) {
        double coarse = markovChainArl(kappa, h, CELLS);
        double fine = markovChainArl(kappa, h, 2 * CELLS);
        return 2 * fine - coarse;
    }

    /**
     * The threshold h whose {@link #averageRunLength} is {@code targetRunLength} (within 0.1 %).
     */
    public static double thresholdFor(double kappa, double targetRunLength) {
        if (!(targetRunLength > 1) || Double.isInfinite(targetRunLength)) {
            throw new IllegalArgumentException(
                    "target run length must be finite and > 1 window: " + targetRunLength);
        }
        double target = Math.log(targetRunLength);
        double lo = 1e-6;
        double hi =
                Math.max(
                        1,
                        target); // the e-detector bound: ARL >= e^h, so h = log(target) is enough
        while (Math.log(averageRunLength(kappa, hi)) < target) {
            hi *= 1.5;
        }
        for (int i = 0; i < 60 && hi - lo > 1e-4; i++) {
            double mid = (lo + hi) / 2;
            if (Math.log(averageRunLength(kappa, mid)) < target) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        return hi;
    }

    /**
     * Brook-Evans: cell i holds S in [(i − ½)w, (i + ½)w) (cell 0 also the atom at 0), represented
     * by its midpoint i·w; leaving [0, h) ends the run.
     */
    static double markovChainArl(double kappa, double h, int cells) {
        double a = Math.log(kappa);
        double b = 1 - kappa;
        double w = h / cells;
        double[][] m = new double[cells][cells + 1];
        for (int i = 0; i < cells; i++) {
            double from = i * w;
            double below = 0;
            for (int j = 0; j < cells; j++) {
                double upper = scoreCdf(a, b, (j + 0.5) * w - from);
                m[i][j] = (i == j ? 1 : 0) - (upper - below);
                below = upper;
            }
            m[i][cells] = 1;
        }
        return solve(m, cells)[0];
    }

    /** P(log κ + (1 − κ) X ≤ y) for X ~ Exp(1). */
    private static double scoreCdf(double a, double b, double y) {
        double x = (y - a) / b;
        return x <= 0 ? 0 : -Math.expm1(-x);
    }

    /** Gaussian elimination with partial pivoting on the augmented n × (n+1) matrix. */
    private static double[] solve(double[][] m, int n) {
        for (int c = 0; c < n; c++) {
            int pivot = c;
            for (int r = c + 1; r < n; r++) {
                if (Math.abs(m[r][c]) > Math.abs(m[pivot][c])) {
                    pivot = r;
                }
            }
            double[] t = m[c];
            m[c] = m[pivot];
            m[pivot] = t;
            for (int r = c + 1; r < n; r++) {
                double f = m[r][c] / m[c][c];
                if (f != 0) {
                    for (int k = c; k <= n; k++) {
                        m[r][k] -= f * m[c][k];
                    }
                }
            }
        }
        double[] x = new double[n];
        for (int r = n - 1; r >= 0; r--) {
            double s = m[r][n];
            for (int k = r + 1; k < n; k++) {
                s -= m[r][k] * x[k];
            }
            x[r] = s / m[r][r];
        }
        return x;
    }
}
