package io.modelmonitor.detectors.univariate;

import io.modelmonitor.detectors.performance.ErrorRateComparison;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Per-column tests of a table whose cells may be missing: each column gets the test that suits its
 * type, on the values present, and the window's missing values, type mismatches, unseen categories
 * and out-of-range numbers are counted per column.
 *
 * <p>Rows are coded cells (one double per column): a numeric column holds its value; a categorical
 * column the index of its category in the reference ({@link #UNSEEN} for a category the reference
 * never showed); {@link #MISSING} (NaN) is a missing cell and {@link #TYPE_MISMATCH} (+∞) a value
 * of a type the column cannot take. Numeric columns are tested as {@link FeatureTestSelector} says
 * for a numeric feature (Kolmogorov–Smirnov for continuous values); categorical ones by {@link
 * ChiSquared#test(long[], long[])} over the category codes (sparse cells pooled, unseen categories
 * counted apart). The drift p-values are Bonferroni-corrected over the columns. A column's missing
 * rate is compared with the reference's by Fisher's exact one-sided test ({@link
 * ErrorRateComparison}): the reference's rate is itself an estimate.
 *
 * <pre>{@code
 * ColumnDriftTester tester = ColumnDriftTester.builder()
 *     .setReference(referenceRows)                 // double[n][d], coded cells
 *     .setCategorical(new boolean[] {false, true})
 *     .optAlpha(0.05)
 *     .build();
 * List<ColumnResult> results = tester.test(windowRows);
 * }</pre>
 */
public final class ColumnDriftTester implements Serializable {
    private static final long serialVersionUID = 1L;

    /** A missing cell. */
    public static final double MISSING = Double.NaN;

    /** A cell whose value has a type the column cannot take (a string in a numeric column). */
    public static final double TYPE_MISMATCH = Double.POSITIVE_INFINITY;

    /** The code of a category the reference never showed. */
    public static final double UNSEEN = -1;

    private final FeatureTest[] tests;
    private final boolean[] categorical;
    private final double[] min;
    private final double[] max;
    private final long referenceRows;
    private final long[] referenceMissing;
    private final double alpha;

    private ColumnDriftTester(Builder b) {
        int d = b.categorical.length;
        this.categorical = b.categorical.clone();
        this.tests = new FeatureTest[d];
        this.min = new double[d];
        this.max = new double[d];
        this.referenceMissing = new long[d];
        this.referenceRows = b.reference.length;
        this.alpha = b.alpha;
        FeatureTestSelector selector = FeatureTestSelector.builder().build();
        for (int j = 0; j < d; j++) {
            double[] column = FeatureDriftTester.column(b.reference, j, d);
            double[] present = present(column);
            referenceMissing[j] = Arrays.stream(column).filter(Double::isNaN).count();
            min[j] = Arrays.stream(present).min().orElse(Double.NaN);
            max[j] = Arrays.stream(present).max().orElse(Double.NaN);
            if (present.length == 0) {
                tests[j] = null;
            } else if (categorical[j]) {
                tests[j] = FeatureTest.chiSquared(present);
            } else {
                tests[j] = selector.select(present);
            }
        }
    }

    /** A builder: reference rows and column types are required. */
    public static Builder builder() {
        return new Builder();
    }

    /** Number of columns. */
    public int dimension() {
        return tests.length;
    }

    /** Tests every column of the window (rows × d, coded cells). */
    public List<ColumnResult> test(double[][] window) {
        int d = tests.length;
        TestResult[] raw = new TestResult[d];
        double[] pValues = new double[d];
        long[][] counts = new long[d][];
        for (int j = 0; j < d; j++) {
            double[] column = FeatureDriftTester.column(window, j, d);
            double[] present = present(column);
            long missing = 0;
            long mismatched = 0;
            for (double v : column) {
                if (Double.isNaN(v)) {
                    missing++;
                } else if (v == TYPE_MISMATCH) {
                    mismatched++;
                }
            }
            long unseen = 0;
            long outOfRange = 0;
            if (categorical[j]) {
                unseen = Arrays.stream(present).filter(v -> v == UNSEEN).count();
            } else {
                double lo = min[j];
                double hi = max[j];
                outOfRange = Arrays.stream(present).filter(v -> v < lo || v > hi).count();
            }
            raw[j] =
                    tests[j] == null || present.length == 0
                            ? new TestResult(
                                    categorical[j] ? ChiSquared.NAME : KolmogorovSmirnov.NAME, 0, 1)
                            : tests[j].test(present);
            pValues[j] = raw[j].pValue();
            counts[j] = new long[] {window.length, missing, mismatched, unseen, outOfRange};
        }
        double[] adjusted = MultipleTesting.bonferroni(pValues);
        List<ColumnResult> out = new ArrayList<>(d);
        for (int j = 0; j < d; j++) {
            long[] c = counts[j];
            out.add(
                    new ColumnResult(
                            j,
                            raw[j].test(),
                            raw[j].statistic(),
                            pValues[j],
                            adjusted[j],
                            adjusted[j] < alpha,
                            c[0],
                            c[1],
                            c[2],
                            c[3],
                            c[4],
                            referenceRows == 0
                                    ? Double.NaN
                                    : (double) referenceMissing[j] / referenceRows,
                            ErrorRateComparison.pValueWorse(
                                    c[1], c[0], referenceMissing[j], referenceRows)));
        }
        return out;
    }

    /** The finite cells of a column: the values present with a type the column takes. */
    static double[] present(double[] column) {
        return Arrays.stream(column).filter(Double::isFinite).toArray();
    }

    /** Builder of a {@link ColumnDriftTester}. */
    public static final class Builder {
        private double[][] reference;
        private boolean[] categorical;
        private double alpha = 0.05;

        private Builder() {}

        /** Reference rows (n × d, coded cells), required. */
        public Builder setReference(double[][] reference) {
            this.reference = reference;
            return this;
        }

        /** Which columns are categorical (booleans included), required. */
        public Builder setCategorical(boolean[] categorical) {
            this.categorical = categorical;
            return this;
        }

        /** Significance level of the adjusted p-values (default 0.05). */
        public Builder optAlpha(double alpha) {
            this.alpha = alpha;
            return this;
        }

        public ColumnDriftTester build() {
            if (reference == null || reference.length == 0 || categorical == null) {
                throw new IllegalArgumentException(
                        "a non-empty reference and the column types are required");
            }
            if (reference[0].length != categorical.length) {
                throw new IllegalArgumentException(
                        categorical.length
                                + " column types for "
                                + reference[0].length
                                + " columns");
            }
            return new ColumnDriftTester(this);
        }
    }
}
