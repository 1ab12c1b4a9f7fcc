package io.modelmonitor.detectors.univariate;

import java.io.Serializable;

/**
 * A two-sample test already fitted on one reference feature column: the Flink job keeps one per
 * feature and calls {@link #test(double[])} on each window's column.
 *
 * <pre>{@code
 * FeatureTest t = FeatureTestSelector.builder().build().select(referenceColumn);
 * TestResult r = t.test(windowColumn);
 * }</pre>
 */
public interface FeatureTest extends Serializable {

    /** Tests a window's values of this feature against the fitted reference. */
    TestResult test(double[] window);

    /** Short name of the test ({@code "ks"}, {@code "chi2"}, ...). */
    String name();

    /** Window values the reference never showed, for categorical tests; 0 otherwise. */
    default long unseen(double[] window) {
        return 0;
    }

    /** Kolmogorov–Smirnov against a sorted copy of the reference column. */
    static FeatureTest kolmogorovSmirnov(double[] reference, KolmogorovSmirnov.Method method) {
        double[] sorted = KolmogorovSmirnov.sorted(reference);
        return new FeatureTest() {
            private static final long serialVersionUID = 1L;

            @Override
            public TestResult test(double[] window) {
                return KolmogorovSmirnov.testSorted(
                        sorted, KolmogorovSmirnov.sorted(window), method);
            }

            @Override
            public String name() {
                return KolmogorovSmirnov.NAME;
            }
        };
    }

    /** Cramér–von Mises (asymptotic) against a sorted copy of the reference column. */
    static FeatureTest cramerVonMises(double[] reference) {
        double[] sorted = KolmogorovSmirnov.sorted(reference);
        return new FeatureTest() {
            private static final long serialVersionUID = 1L;

            @Override
            public TestResult test(double[] window) {
                return CramerVonMises.testSorted(sorted, KolmogorovSmirnov.sorted(window));
            }

            @Override
            public String name() {
                return CramerVonMises.NAME;
            }
        };
    }

    /**
     * Categorical drift test ({@link ChiSquared#test}) treating each distinct value as a category
     * (values are keyed by {@link Double#toString(double)}); window values unseen in the reference
     * are counted by {@link #unseen} and left out of the test.
     */
    static FeatureTest chiSquared(double[] reference) {
        java.util.Map<String, Long> referenceCounts = ValueCounts.of(reference);
        return new FeatureTest() {
            private static final long serialVersionUID = 1L;

            @Override
            public TestResult test(double[] window) {
                return ChiSquared.test(referenceCounts, ValueCounts.of(window));
            }

            @Override
            public long unseen(double[] window) {
                return ChiSquared.unseen(referenceCounts, ValueCounts.of(window));
            }

            @Override
            public String name() {
                return ChiSquared.NAME;
            }
        };
    }
}
