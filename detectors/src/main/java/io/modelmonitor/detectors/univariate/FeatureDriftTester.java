package io.modelmonitor.detectors.univariate;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * Per-feature drift tests of a numeric input, fitted once on a reference matrix (n × d): each
 * column gets the test {@link FeatureTestSelector} picks for it; each window matrix is tested
 * column by column and the p-values are corrected for the d tests (Bonferroni by default).
 *
 * <pre>{@code
 * FeatureDriftTester tester = FeatureDriftTester.builder()
 *     .setReference(referenceRows)                  // double[n][d]
 *     .optAlpha(0.05)
 *     .optCorrection(MultipleTesting.Correction.BENJAMINI_HOCHBERG)
 *     .build();
 * List<FeatureResult> results = tester.test(windowRows);
 * boolean drift = FeatureDriftTester.anyDrift(results);
 * }</pre>
 */
public final class FeatureDriftTester implements Serializable {
    private static final long serialVersionUID = 1L;

    private final FeatureTest[] tests;
    private final double alpha;
    private final MultipleTesting.Correction correction;

    private FeatureDriftTester(FeatureTest[] tests, double alpha, MultipleTesting.Correction c) {
        this.tests = tests;
        this.alpha = alpha;
        this.correction = c;
    }

    /** A builder; {@link Builder#setReference} is required. */
    public static Builder builder() {
        return new Builder();
    }

    /** Number of features. */
    public int dimension() {
        return tests.length;
    }

    /** The name of the test used for feature {@code index}. */
    public String testName(int index) {
        return tests[index].name();
    }

    /** Tests every feature of the window (rows × d) and applies the correction. */
    public List<FeatureResult> test(double[][] window) {
        if (window.length == 0) {
            throw new IllegalArgumentException("empty window");
        }
        int d = tests.length;
        TestResult[] raw = new TestResult[d];
        double[] pValues = new double[d];
        long[] unseen = new long[d];
        for (int j = 0; j < d; j++) {
            double[] col = column(window, j, d);
            raw[j] = tests[j].test(col);
            unseen[j] = tests[j].unseen(col);
            pValues[j] = raw[j].pValue();
        }
        double[] adjusted = correction.adjust(pValues);
        List<FeatureResult> results = new ArrayList<>(d);
        for (int j = 0; j < d; j++) {
            results.add(
                    new FeatureResult(
                            j,
                            raw[j].test(),
                            raw[j].statistic(),
                            pValues[j],
                            adjusted[j],
                            adjusted[j] < alpha,
                            unseen[j]));
        }
        return results;
    }

    /** True when any feature drifted after the correction. */
    public static boolean anyDrift(List<FeatureResult> results) {
        return results.stream().anyMatch(FeatureResult::drift);
    }

    static double[] column(double[][] rows, int j, int d) {
        double[] col = new double[rows.length];
        for (int i = 0; i < rows.length; i++) {
            if (rows[i].length != d) {
                throw new IllegalArgumentException(
                        "row " + i + " has " + rows[i].length + " features, expected " + d);
            }
            col[i] = rows[i][j];
        }
        return col;
    }

    /** Builder: required {@code setReference}, optional alpha, correction and selector. */
    public static final class Builder {
        private double[][] reference;
        private double alpha = 0.05;
        private MultipleTesting.Correction correction = MultipleTesting.Correction.BONFERRONI;
        private FeatureTestSelector selector = FeatureTestSelector.builder().build();

        private Builder() {}

        /** Reference rows (n × d), required. */
        public Builder setReference(double[][] reference) {
            this.reference = reference;
            return this;
        }

        /** Significance level applied to the adjusted p-values (default 0.05). */
        public Builder optAlpha(double alpha) {
            this.alpha = alpha;
            return this;
        }

        /** Multiple-testing correction (default Bonferroni). */
        public Builder optCorrection(MultipleTesting.Correction correction) {
            this.correction = correction;
            return this;
        }

        /** Rule choosing each feature's test (default {@link FeatureTestSelector} defaults). */
        public Builder optSelector(FeatureTestSelector selector) {
            this.selector = selector;
            return this;
        }

        public FeatureDriftTester build() {
            if (reference == null || reference.length == 0) {
                throw new IllegalArgumentException(
                        "setReference: a non-empty reference is required");
            }
            int d = reference[0].length;
            FeatureTest[] tests = new FeatureTest[d];
            for (int j = 0; j < d; j++) {
                tests[j] = selector.select(column(reference, j, d));
            }
            return new FeatureDriftTester(tests, alpha, correction);
        }
    }
}
