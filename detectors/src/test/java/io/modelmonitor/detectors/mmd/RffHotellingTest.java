package io.modelmonitor.detectors.mmd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.modelmonitor.detectors.linalg.FlatMatrix;
import io.modelmonitor.detectors.stats.SpecialFunctions;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** {@link RffHotelling}: its F tail, its statistic, its level on null pairs and its power. */
class RffHotellingTest {

    /** {T², r, N, scipy's upper tail} from gen_hotelling_tail_values.py. */
    private static final double[][] TAILS = {
        {80.0, 64, 2000, 0.12483920386175612},
        {64.0, 64, 2000, 0.5482114145633021},
        {30.0, 10, 200, 0.00240473187520826},
        {5.0, 3, 50, 0.20295318069336782},
        {100.0, 64, 2000000, 0.002688522831625994},
    };

    /** Rows of N(0, I_d) with {@code shift} added to column 0. */
    static FlatMatrix gaussian(SplittableRandom rng, int n, int d, double shift) {
        double[] data = new double[n * d];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                data[i * d + j] = rng.nextGaussian() + (j == 0 ? shift : 0);
            }
        }
        return new FlatMatrix(n, d, data);
    }

    @Test
    void fTailMatchesScipy() {
        for (double[] c : TAILS) {
            double p = RffHotelling.fUpperTail(c[0], (int) c[1], (int) c[2]);
            assertEquals(c[3], p, 1e-9 * c[3] + 1e-14, "T2=" + c[0] + " r=" + c[1] + " N=" + c[2]);
        }
    }

    @Test
    void statisticIsTheRandomFeatureMmdOfTheSameFeatures() {
        FlatMatrix ref = gaussian(new SplittableRandom(1), 500, 8, 0);
        FlatMatrix cur = gaussian(new SplittableRandom(2), 300, 8, 0.4);
        RffHotelling h =
                RffHotelling.builder().setReference(ref).optFeatures(128).optSeed(5).build();
        RffMmd rff =
                RffMmd.builder()
                        .setReference(ref.toRows())
                        .optFeatures(128)
                        .optPermutations(1)
                        .optSeed(5)
                        .build();
        assertEquals(MedianHeuristic.sigma(ref.toRows()), h.sigma(), 0);
        double expected = rff.test(cur.toRows()).statistic();
        assertEquals(expected, h.test(cur).statistic(), 1e-12);
    }

    @Test
    void largeSampleBandwidthUsesTheMedianHeuristicsSubsample() {
        FlatMatrix ref = gaussian(new SplittableRandom(3), 3000, 4, 0);
        assertEquals(MedianHeuristic.sigma(ref.toRows()), RffHotelling.medianSigma(ref), 0);
    }

    /**
     * 200 seeded null pairs (600 vs 400 rows, 8 inputs): the rejections at α = 0.05 are neither in
     * the upper 0.05 % tail of Binomial(200, 0.05) nor below 2 (P(X ≤ 1) ≈ 4·10⁻⁴), and about half
     * the p-values lie below 0.5 (a conservative test would pile them up near 1).
     */
    @Test
    void falsePositiveRateOnNullPairsIsAlpha() {
        int pairs = 200;
        int rejected = 0;
        int below = 0;
        for (int p = 0; p < pairs; p++) {
            FlatMatrix ref = gaussian(new SplittableRandom(1000 + 2L * p), 600, 8, 0);
            FlatMatrix cur = gaussian(new SplittableRandom(1001 + 2L * p), 400, 8, 0);
            RffHotelling.Result r =
                    RffHotelling.builder()
                            .setReference(ref)
                            .optSeed(p)
                            .optParallel(false)
                            .build()
                            .test(cur);
            if (r.drift(0.05)) {
                rejected++;
            }
            if (r.pValue() < 0.5) {
                below++;
            }
        }
        System.out.printf(
                "RffHotelling null pairs: %d of %d rejected at 0.05, %d below 0.5%n",
                rejected, pairs, below);
        assertTrue(
                SpecialFunctions.binomialUpperTail(rejected, pairs, 0.05) > 5e-4,
                "too many false positives: " + rejected);
        assertTrue(rejected >= 2, "too few rejections for a level-0.05 test: " + rejected);
        assertTrue(below > 70 && below < 130, "p-values not uniform: " + below + " below 0.5");
    }

    @Test
    void findsASmallShiftInOneInput() {
        // 0.05 standard deviations in one of 16 inputs, 40,000 rows a side
        FlatMatrix ref = gaussian(new SplittableRandom(7), 40_000, 16, 0);
        FlatMatrix cur = gaussian(new SplittableRandom(8), 40_000, 16, 0.05);
        FlatMatrix same = gaussian(new SplittableRandom(9), 40_000, 16, 0);
        RffHotelling h = RffHotelling.builder().setReference(ref).optSeed(1).build();
        RffHotelling.Result shifted = h.test(cur);
        RffHotelling.Result unshifted = h.test(same);
        System.out.printf(
                "RffHotelling shift 0.05: p %.3g; no shift: p %.3g%n",
                shifted.pValue(), unshifted.pValue());
        assertTrue(shifted.pValue() < 0.01, "shift missed: p = " + shifted.pValue());
        assertTrue(unshifted.pValue() > 0.01, "no shift flagged: p = " + unshifted.pValue());
        assertEquals(RffHotelling.DEFAULT_FEATURES, shifted.dof());
    }

    @Test
    void witnessRanksShiftedRowsHigh() {
        FlatMatrix ref = gaussian(new SplittableRandom(11), 2000, 4, 0);
        FlatMatrix cur = gaussian(new SplittableRandom(12), 2000, 4, 1.5);
        RffHotelling h = RffHotelling.builder().setReference(ref).build();
        Witness w = h.witness(cur, h.test(cur));
        double[] wv = w.windowValues();
        double[] rv = w.referenceValues();
        double meanCur = 0;
        double meanRef = 0;
        for (int i = 0; i < 2000; i++) {
            meanCur += wv[i] / 2000;
            meanRef += rv[i] / 2000;
        }
        assertTrue(meanCur > 0 && meanRef < 0, meanCur + " " + meanRef);
    }
}
