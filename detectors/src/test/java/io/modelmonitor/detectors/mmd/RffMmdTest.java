package io.modelmonitor.detectors.mmd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Approximation error of {@link RffMmd} against the exact MMD², and its permutation test. */
class RffMmdTest {
    private static final int[] FEATURES = {256, 1024, 4096};

    /** Bounds on the mean absolute error over 5 feature seeds (measured 2.9e-3, 2.1e-3, 1.3e-3). */
    private static final double[] MAX_MEAN_ABS_ERROR = {8e-3, 4e-3, 2e-3};

    @Test
    void errorShrinksWithFeatures() {
        double[][] ref = MmdDetectorTest.gaussian(new SplittableRandom(1), 500, 8, 0);
        double[][] win = MmdDetectorTest.gaussian(new SplittableRandom(2), 200, 8, 0.3);
        double sigma = MedianHeuristic.sigma(ref);
        double exact = MmdDetector.mmd2Unbiased(ref, win, sigma);
        assertTrue(exact > 0.01, "the case has a clear discrepancy: " + exact);
        double[] meanAbs = new double[FEATURES.length];
        for (int f = 0; f < FEATURES.length; f++) {
            for (int seed = 0; seed < 5; seed++) {
                RffMmd rff =
                        RffMmd.builder()
                                .setReference(ref)
                                .optFeatures(FEATURES[f])
                                .optPermutations(1)
                                .optSeed(seed)
                                .build();
                meanAbs[f] += Math.abs(rff.test(win).statistic() - exact) / 5;
            }
            System.out.printf(
                    "RFF D=%d: mean |error| %.2e (exact MMD2 %.4f)%n",
                    FEATURES[f], meanAbs[f], exact);
            assertTrue(
                    meanAbs[f] < MAX_MEAN_ABS_ERROR[f],
                    "D=" + FEATURES[f] + " error " + meanAbs[f]);
        }
        assertTrue(meanAbs[2] < meanAbs[0], "more features, smaller error");
    }

    @Test
    void permutationTestSeparatesShiftFromNoShift() {
        double[][] ref = MmdDetectorTest.gaussian(new SplittableRandom(3), 400, 6, 0);
        RffMmd rff = RffMmd.builder().setReference(ref).optPermutations(200).optSeed(1).build();
        MmdResult shifted =
                rff.test(MmdDetectorTest.gaussian(new SplittableRandom(4), 100, 6, 0.5));
        assertEquals(1.0 / 201, shifted.pValue(), 1e-15);
        int rejections = 0;
        for (int rep = 0; rep < 40; rep++) {
            MmdResult same =
                    rff.test(MmdDetectorTest.gaussian(new SplittableRandom(100 + rep), 100, 6, 0));
            if (same.drift(0.05)) {
                rejections++;
            }
        }
        assertTrue(rejections <= 8, "no-shift rejections " + rejections + " of 40");
        assertEquals(rff.test(ref).pValue(), rff.test(ref).pValue(), "seeded");
    }
}
