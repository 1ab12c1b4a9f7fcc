package io.modelmonitor.detectors.univariate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Test selection rule and per-feature testing with correction. */
class FeatureDriftTesterTest {

    /** Columns: 0 continuous normal, 1 binary flag, 2 five-level code, 3 continuous uniform. */
    private static double[][] rows(int n, long seed, double shiftFeature0, double flagRate) {
        Random rng = new Random(seed);
        double[][] x = new double[n][4];
        for (int i = 0; i < n; i++) {
            x[i][0] = rng.nextGaussian() + shiftFeature0;
            x[i][1] = rng.nextDouble() < flagRate ? 1 : 0;
            x[i][2] = rng.nextInt(5);
            x[i][3] = rng.nextDouble();
        }
        return x;
    }

    @Test
    void selectionRule() {
        FeatureTestSelector selector = FeatureTestSelector.builder().build();
        double[] binary = new double[50];
        binary[3] = 1;
        assertTrue(selector.isCategorical(binary));
        double[] fiveLevels = new double[200];
        for (int i = 0; i < 200; i++) {
            fiveLevels[i] = i % 5;
        }
        assertTrue(selector.isCategorical(fiveLevels)); // 5 <= 20 and 5 <= 0.05 * 200
        assertFalse(selector.isCategorical(java.util.Arrays.copyOf(fiveLevels, 60))); // 5 > 3
        double[] many = new double[1000];
        for (int i = 0; i < 1000; i++) {
            many[i] = i % 25;
        }
        assertFalse(selector.isCategorical(many)); // 25 > 20
        assertEquals("chi2", selector.select(fiveLevels).name());
        assertEquals("ks", selector.select(many).name());
        assertEquals(
                "cvm",
                FeatureTestSelector.builder()
                        .optContinuousTest(FeatureTestSelector.ContinuousTest.CRAMER_VON_MISES)
                        .build()
                        .select(many)
                        .name());
    }

    @Test
    void flagsOnlyTheShiftedFeatures() throws Exception {
        FeatureDriftTester tester =
                FeatureDriftTester.builder().setReference(rows(2000, 1, 0, 0.1)).build();
        assertEquals(
                List.of("ks", "chi2", "chi2", "ks"),
                List.of(
                        tester.testName(0),
                        tester.testName(1),
                        tester.testName(2),
                        tester.testName(3)));

        List<FeatureResult> same = tester.test(rows(300, 2, 0, 0.1));
        assertFalse(FeatureDriftTester.anyDrift(same));

        List<FeatureResult> shifted = roundTrip(tester).test(rows(300, 3, 0.5, 0.3));
        assertTrue(shifted.get(0).drift());
        assertTrue(shifted.get(1).drift());
        assertFalse(shifted.get(2).drift());
        assertFalse(shifted.get(3).drift());
        FeatureResult r = shifted.get(0);
        assertEquals(Math.min(1, 4 * r.pValue()), r.adjustedPValue(), 0); // Bonferroni over 4
        assertEquals(
                KolmogorovSmirnov.test(
                                column(rows(2000, 1, 0, 0.1), 0), column(rows(300, 3, 0.5, 0.3), 0))
                        .pValue(),
                r.pValue(),
                0);
    }

    @Test
    void rejectsWrongWidth() {
        FeatureDriftTester tester =
                FeatureDriftTester.builder().setReference(rows(100, 1, 0, 0.5)).build();
        assertThrows(IllegalArgumentException.class, () -> tester.test(new double[][] {{1, 2}}));
        assertThrows(IllegalArgumentException.class, () -> FeatureDriftTester.builder().build());
    }

    private static double[] column(double[][] rows, int j) {
        return FeatureDriftTester.column(rows, j, rows[0].length);
    }

    @SuppressWarnings("unchecked")
    static <T> T roundTrip(T object) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(object);
        }
        try (ObjectInputStream in =
                new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            return (T) in.readObject();
        }
    }
}
