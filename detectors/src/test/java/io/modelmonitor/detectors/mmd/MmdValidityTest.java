package io.modelmonitor.detectors.mmd;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.modelmonitor.detectors.stats.KolmogorovSmirnovDistribution;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Size and power of the exact permutation test and of the calibrated null, by seeded simulation:
 * 300 repetitions, each with a fresh reference (n_ref = 200, d = 8, standard normal) and a fresh
 * window of 50 points, P = B = 200.
 *
 * <ul>
 *   <li>No shift: rejection rate at α = 0.05 within [2%, 9%] (the binomial 99.9% range around 5%
 *       for 300 trials is about [1.7%, 9.3%]) and the p-values not rejected as U(0, 1) by a
 *       one-sample KS test at level 0.01 (permutation p-values on the grid k/201 are discrete: the
 *       test compares with their continuous analogue, which only makes the check stricter near 0;
 *       calibrated p-values beyond the top 20 draws come from the fitted tail).
 *   <li>Mean shift of {@value #SHIFT} standard deviations in every dimension: power of the exact
 *       test ≥ {@value #MIN_POWER}, and the calibrated null's power at least the exact test's minus
 *       {@value #POWER_TOLERANCE} on the same windows.
 * </ul>
 */
class MmdValidityTest {
    static final int REPS = 300;
    static final int N_REF = 200;
    static final int N_WIN = 50;
    static final int DIM = 8;
    static final int PERMUTATIONS = 200;
    static final double ALPHA = 0.05;
    static final double SHIFT = 0.2;
    static final double MIN_POWER = 0.65;
    static final double POWER_TOLERANCE = 0.05;

    private static double[][] pNull; // [mode][rep]
    private static double[][] pShift;

    @BeforeAll
    static void simulate() {
        pNull = new double[2][REPS];
        pShift = new double[2][REPS];
        for (int rep = 0; rep < REPS; rep++) {
            SplittableRandom rng = new SplittableRandom(1000 + rep);
            double[][] ref = MmdDetectorTest.gaussian(rng, N_REF, DIM, 0);
            double[][] same = MmdDetectorTest.gaussian(rng, N_WIN, DIM, 0);
            double[][] shifted = MmdDetectorTest.gaussian(rng, N_WIN, DIM, SHIFT);
            for (NullMode mode : NullMode.values()) {
                MmdDetector d =
                        MmdDetector.builder()
                                .setReference(ref)
                                .optPermutations(PERMUTATIONS)
                                .optSeed(rep)
                                .optNullMode(mode)
                                .build();
                MmdResult a = d.test(same);
                MmdResult b = d.test(shifted);
                assertTrue(a.nullMode() == mode && b.nullMode() == mode);
                pNull[mode.ordinal()][rep] = a.pValue();
                pShift[mode.ordinal()][rep] = b.pValue();
            }
        }
    }

    @Test
    void exactTestHoldsItsLevel() {
        checkLevel(NullMode.PERMUTATION);
    }

    @Test
    void calibratedNullHoldsItsLevel() {
        checkLevel(NullMode.CALIBRATED);
    }

    @Test
    void powerUnderMeanShift() {
        double exact = rejectionRate(pShift[NullMode.PERMUTATION.ordinal()]);
        double calibrated = rejectionRate(pShift[NullMode.CALIBRATED.ordinal()]);
        System.out.printf(
                "MMD power at shift %.2f: exact %.3f calibrated %.3f%n", SHIFT, exact, calibrated);
        assertTrue(exact >= MIN_POWER, "exact test power " + exact);
        assertTrue(
                calibrated >= exact - POWER_TOLERANCE,
                "calibrated power " + calibrated + " vs exact " + exact);
    }

    private static void checkLevel(NullMode mode) {
        double[] p = pNull[mode.ordinal()];
        double rate = rejectionRate(p);
        double ksP = ksUniformPValue(p);
        System.out.printf("MMD %s: rejection rate %.3f, KS uniformity p %.3f%n", mode, rate, ksP);
        assertTrue(rate >= 0.02 && rate <= 0.09, mode + " rejection rate " + rate);
        assertTrue(ksP > 0.01, mode + " p-values not uniform: KS p = " + ksP);
    }

    static double rejectionRate(double[] p) {
        int k = 0;
        for (double v : p) {
            if (v < ALPHA) {
                k++;
            }
        }
        return (double) k / p.length;
    }

    /** One-sample two-sided KS test of the sample against U(0, 1). */
    static double ksUniformPValue(double[] sample) {
        double[] x = sample.clone();
        Arrays.sort(x);
        int n = x.length;
        double d = 0;
        for (int i = 0; i < n; i++) {
            d = Math.max(d, Math.max((i + 1.0) / n - x[i], x[i] - (double) i / n));
        }
        return KolmogorovSmirnovDistribution.twoSidedSf(n, d);
    }
}
