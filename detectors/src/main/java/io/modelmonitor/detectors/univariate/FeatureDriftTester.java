package io.modelmonitor.detectors.univariate;

import io.modelmonitor.detectors.linalg.FlatMatrix;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntConsumer;
import java.util.function.IntFunction;
import java.util.stream.IntStream;

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

    /** Flat samples of at least this many values handle their columns in parallel. */
    private static final int PARALLEL_VALUES = 1 << 16;

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
        return test(j -> column(window, j, tests.length), false);
    }

    /**
     * Tests every column of a flat sample (rows × d) and applies the correction; samples of at
     * least {@value #PARALLEL_VALUES} values test their columns in parallel (one-shot use on large
     * files, not inside a job's operators).
     */
    public List<FeatureResult> test(FlatMatrix window) {
        if (window.rows() == 0) {
            throw new IllegalArgumentException("empty window");
        }
        if (window.cols() != tests.length) {
            throw new IllegalArgumentException(
                    "window has " + window.cols() + " features, expected " + tests.length);
        }
        return test(window::column, window.data().length >= PARALLEL_VALUES);
    }

    private List<FeatureResult> test(IntFunction<double[]> columns, boolean parallel) {
        int d = tests.length;
        TestResult[] raw = new TestResult[d];
        double[] pValues = new double[d];
        long[] unseen = new long[d];
        forEachColumn(
                d,
                parallel,
                j -> {
                    double[] col = columns.apply(j);
                    raw[j] = tests[j].test(col);
                    unseen[j] = tests[j].unseen(col);
                    pValues[j] = raw[j].pValue();
                });
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

    /** Runs {@code body} for every column index, on the common fork-join pool when asked. */
    private static void forEachColumn(int d, boolean parallel, IntConsumer body) {
        IntStream columns = IntStream.range(0, d);
        (parallel ? columns.parallel() : columns).forEach(body);
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
        private IntFunction<double[]> referenceColumns;
        private int referenceRows;
        private int referenceCols;
        private boolean parallel;
        private double alpha = 0.05;
        private MultipleTesting.Correction correction = MultipleTesting.Correction.BONFERRONI;
        private FeatureTestSelector selector = FeatureTestSelector.builder().build();

        private Builder() {}

        /** Reference rows (n × d), required. */
        public Builder setReference(double[][] reference) {
            this.referenceRows = reference == null ? 0 : reference.length;
            this.referenceCols = referenceRows == 0 ? 0 : reference[0].length;
            this.referenceColumns = j -> column(reference, j, referenceCols);
            this.parallel = false;
            return this;
        }

        /** Reference sample (n × d) held as one flat matrix; this or the rows form is required. */
        public Builder setReference(FlatMatrix reference) {
            this.referenceRows = reference.rows();
            this.referenceCols = reference.cols();
            this.referenceColumns = reference::column;
            this.parallel = reference.data().length >= PARALLEL_VALUES;
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
            if (referenceRows == 0) {
                throw new IllegalArgumentException(
                        "setReference: a non-empty reference is required");
            }
            FeatureTest[] tests = new FeatureTest[referenceCols];
            forEachColumn(
                    referenceCols,
                    parallel,
                    j -> tests[j] = selector.select(referenceColumns.apply(j)));
            return new FeatureDriftTester(tests, alpha, correction);
        }
    }
}
