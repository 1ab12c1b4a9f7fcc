package io.modelmonitor.detectors.univariate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.modelmonitor.detectors.performance.ErrorRateComparison;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ColumnDriftTesterTest {
    static final double NA = ColumnDriftTester.MISSING;
    static final double BAD = ColumnDriftTester.TYPE_MISMATCH;

    /** Column 0 numeric N(0, 1) with 5 % missing, column 1 categorical codes 0..2. */
    static double[][] rows(int n, double shift, double missing, SplittableRandom r) {
        double[][] out = new double[n][];
        for (int i = 0; i < n; i++) {
            double u = r.nextDouble();
            out[i] =
                    new double[] {
                        r.nextDouble() < missing ? NA : shift + r.nextGaussian(),
                        u < 0.5 ? 0 : u < 0.8 ? 1 : 2
                    };
        }
        return out;
    }

    static ColumnDriftTester tester(double[][] reference) {
        return ColumnDriftTester.builder()
                .setReference(reference)
                .setCategorical(new boolean[] {false, true})
                .build();
    }

    @Test
    void testsEachColumnByItsTypeOnTheValuesPresent() {
        SplittableRandom r = new SplittableRandom(1);
        double[][] reference = rows(500, 0, 0.05, r);
        double[][] window = rows(300, 0, 0.05, r);
        List<ColumnResult> results = tester(reference).test(window);
        ColumnResult numeric = results.get(0);
        ColumnResult categorical = results.get(1);
        assertEquals("ks", numeric.test());
        assertEquals("chi2", categorical.test());
        double[] refPresent = ColumnDriftTester.present(FeatureDriftTester.column(reference, 0, 2));
        double[] winPresent = ColumnDriftTester.present(FeatureDriftTester.column(window, 0, 2));
        TestResult ks = KolmogorovSmirnov.test(refPresent, winPresent);
        assertEquals(ks.pValue(), numeric.pValue(), 1e-12);
        assertEquals(Math.min(1, 2 * ks.pValue()), numeric.adjustedPValue(), 1e-12);
        TestResult chi2 =
                ChiSquared.test(
                        ValueCounts.of(FeatureDriftTester.column(reference, 1, 2)),
                        ValueCounts.of(FeatureDriftTester.column(window, 1, 2)));
        assertEquals(chi2.pValue(), categorical.pValue(), 1e-12);
        assertFalse(numeric.drift() || categorical.drift());
        long refMissing = Arrays.stream(reference).filter(x -> Double.isNaN(x[0])).count();
        long winMissing = Arrays.stream(window).filter(x -> Double.isNaN(x[0])).count();
        assertEquals(winMissing, numeric.missing());
        assertEquals((double) refMissing / 500, numeric.referenceMissingRate(), 1e-12);
        assertEquals(
                ErrorRateComparison.pValueWorse(winMissing, 300, refMissing, 500),
                numeric.missingPValue(),
                1e-15);
    }

    @Test
    void countsUnseenOutOfRangeMismatchedAndMissingCells() {
        double[][] reference = {{1, 0}, {2, 1}, {3, 0}, {NA, 1}};
        double[][] window = {
            {0.5, ColumnDriftTester.UNSEEN},
            {2, 0},
            {BAD, BAD},
            {NA, NA},
            {9, ColumnDriftTester.UNSEEN}
        };
        List<ColumnResult> results = tester(reference).test(window);
        ColumnResult numeric = results.get(0);
        ColumnResult categorical = results.get(1);
        assertEquals(5, numeric.rows());
        assertEquals(1, numeric.missing());
        assertEquals(1, numeric.typeMismatches());
        assertEquals(2, numeric.outOfRange());
        assertEquals(0, numeric.unseen());
        assertEquals(1, categorical.missing());
        assertEquals(1, categorical.typeMismatches());
        assertEquals(2, categorical.unseen());
        assertEquals(0, categorical.outOfRange());
        assertEquals(0.25, numeric.referenceMissingRate());
    }

    @Test
    void aShiftedColumnDriftsAndMoreMissingValuesShowInTheMissingTest() {
        SplittableRandom r = new SplittableRandom(2);
        double[][] reference = rows(500, 0, 0.05, r);
        List<ColumnResult> shifted = tester(reference).test(rows(300, 1, 0.05, r));
        assertTrue(shifted.get(0).drift(), shifted.toString());
        assertFalse(shifted.get(1).drift());
        List<ColumnResult> holes = tester(reference).test(rows(300, 0, 0.4, r));
        assertTrue(holes.get(0).missingPValue() < 1e-20, holes.toString());
        assertTrue(holes.get(1).missingPValue() == 1, "no categorical cell is missing");
    }

    @Test
    void aWindowWithoutValuesInAColumnHasNoEvidence() {
        double[][] reference = {{1, 0}, {2, 1}, {3, 0}};
        ColumnResult r = tester(reference).test(new double[][] {{NA, 0}, {NA, 1}}).get(0);
        assertEquals(1, r.pValue());
        assertEquals(2, r.missing());
        assertThrows(
                IllegalArgumentException.class,
                () ->
                        ColumnDriftTester.builder()
                                .setReference(reference)
                                .setCategorical(new boolean[] {true})
                                .build());
    }
}
