package io.modelmonitor.detectors.mmd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.modelmonitor.detectors.linalg.PointMatrix;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The calibrated MMD null shared across window counts, and its generalized Pareto tail, by seeded
 * simulation (see {@link CalibratedNull} for the method).
 */
class CalibratedNullTest {

    /**
     * Windows of varying counts (20..140 events, as hourly traffic varies) against 24 references of
     * 300 points (d = 8), 200 windows each, B = 1000 draws: the share of p-values at or below 0.01
     * and 0.05 must be within four standard errors of the level (the standard error counts windows
     * as independent; windows sharing a reference are only weakly dependent). Every window count is
     * served by the grid: at most 14 grid counts are simulated per reference.
     */
    @Test
    void levelHoldsForVaryingWindowCounts() {
        int refs = 24;
        int windows = 200;
        int total = refs * windows;
        int at1 = 0;
        int at5 = 0;
        int at01 = 0;
        for (int r = 0; r < refs; r++) {
            SplittableRandom rng = new SplittableRandom(700 + r);
            MmdDetector d =
                    MmdDetector.builder()
                            .setReference(MmdDetectorTest.gaussian(rng, 300, 8, 0))
                            .optPermutations(1000)
                            .optSeed(r)
                            .optNullMode(NullMode.CALIBRATED)
                            .build();
            for (int w = 0; w < windows; w++) {
                int m = 20 + rng.nextInt(121);
                MmdResult res = d.test(MmdDetectorTest.gaussian(rng, m, 8, 0));
                assertEquals(NullMode.CALIBRATED, res.nullMode());
                at1 += res.pValue() <= 0.01 ? 1 : 0;
                at5 += res.pValue() <= 0.05 ? 1 : 0;
                at01 += res.pValue() <= 0.001 ? 1 : 0;
            }
            assertTrue(
                    d.calibratedNull().simulatedCounts().length <= 14,
                    Arrays.toString(d.calibratedNull().simulatedCounts()));
        }
        double rate1 = (double) at1 / total;
        double rate5 = (double) at5 / total;
        double rate01 = (double) at01 / total;
        System.out.printf(
                "calibrated MMD, varying counts: size %.4f at 1%%, %.4f at 5%%, %.5f at 0.1%%%n",
                rate1, rate5, rate01);
        assertEquals(0.01, rate1, 4 * Math.sqrt(0.01 * 0.99 / total), "size at 1%");
        assertEquals(0.05, rate5, 4 * Math.sqrt(0.05 * 0.95 / total), "size at 5%");
        assertTrue(rate01 < 0.001 + 4 * Math.sqrt(0.001 / total), "size at 0.1% " + rate01);
    }

    /**
     * The tail against brute force: for one reference (400 points, d = 5) and window count 20, the
     * null of B = 1000 draws with its fitted tail, evaluated at the quantiles of 10⁶ independent
     * draws at levels 1e-3, 1e-4 and 1e-5, must be within a factor of 2.5 of those levels. The
     * plain count (1 + #)/(1 + B) could not go below 1/1001.
     */
    @Test
    void tailAgreesWithBruteForce() {
        SplittableRandom rng = new SplittableRandom(99);
        PointMatrix ref = PointMatrix.of(MmdDetectorTest.gaussian(rng, 400, 5, 0));
        ReferenceKernel pool = ReferenceKernel.build(ref, new GaussianKernel(2.0), true);
        int m = 20;
        CalibratedNull cal =
                new CalibratedNull(pool, 400, 1000, g -> new SplittableRandom(g), true);
        int brute = 1_000_000;
        double[] big = new double[brute];
        SplittableRandom bruteRng = new SplittableRandom(12345);
        for (int c = 0; c < brute; c += 100_000) {
            System.arraycopy(cal.simulate(m, 100_000, bruteRng), 0, big, c, 100_000);
        }
        Arrays.sort(big);
        // Draws are standardised; a window statistic of the same z is z·√v(n_ref, m).
        double sd = Math.sqrt(CalibratedNull.variance(400, m));
        for (double level : new double[] {1e-3, 1e-4, 1e-5}) {
            double x = big[brute - (int) Math.round(level * brute)];
            CalibratedNull.Evaluation e = cal.pValue(x * sd, m);
            System.out.printf(
                    "tail at brute-force level %.0e: %.3e (tail %s)%n",
                    level, e.pValue(), e.tail());
            assertTrue(e.tail());
            assertTrue(
                    e.pValue() < 2.5 * level && e.pValue() > level / 2.5,
                    "level " + level + ": tail p " + e.pValue());
        }
    }

    @Test
    void gridServesEveryCountFromFewSimulations() {
        int[] grid = CalibratedNull.grid(1000);
        assertEquals(2, grid[0]);
        assertEquals(1000, grid[grid.length - 1]);
        for (int i = 1; i < grid.length; i++) {
            assertTrue(grid[i] > grid[i - 1]);
            assertTrue(
                    grid[i] <= Math.max(grid[i - 1] + 1, Math.ceil(grid[i - 1] * 1.2)),
                    "ratio at " + grid[i]);
        }
        assertTrue(grid.length <= 15 + 4 * 6 + 1, "grid of " + grid.length);
        assertArrayEquals(new int[] {2, 3, 4, 5}, CalibratedNull.grid(5));
    }
}
