package io.modelmonitor.detectors.testutil;

import static org.junit.jupiter.api.Assertions.fail;

/** Tolerance assertions for comparing with reference values. */
public final class Close {
    private Close() {}

    /** |actual − expected| ≤ max(rel·|expected|, abs); equal infinities and NaNs also pass. */
    public static void assertClose(
            double expected, double actual, double rel, double abs, String what) {
        if (Double.isNaN(expected) && Double.isNaN(actual)) {
            return;
        }
        if (expected == actual) {
            return;
        }
        double diff = Math.abs(actual - expected);
        if (!(diff <= Math.max(rel * Math.abs(expected), abs))) {
            fail(what + ": expected " + expected + " but was " + actual + " (diff " + diff + ")");
        }
    }

    /** Relative tolerance only. */
    public static void assertRel(double expected, double actual, double rel, String what) {
        assertClose(expected, actual, rel, 0, what);
    }

    /** Element-wise {@link #assertClose}. */
    public static void assertAllClose(
            double[] expected, double[] actual, double rel, double abs, String what) {
        if (expected.length != actual.length) {
            fail(what + ": length " + actual.length + ", expected " + expected.length);
        }
        for (int i = 0; i < expected.length; i++) {
            assertClose(expected[i], actual[i], rel, abs, what + "[" + i + "]");
        }
    }
}
