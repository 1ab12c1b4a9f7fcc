package io.modelmonitor.detectors.univariate;

import java.io.Serializable;

/**
 * Chooses the two-sample test for a numeric feature column from its reference values.
 *
 * <p>Rule (defaults in brackets):
 *
 * <ol>
 *   <li>A column with at most {@code maxCategories} [20] distinct values <em>and</em> at most
 *       {@code maxCategoryFraction} [5%] of the reference size in distinct values (but always when
 *       it has at most 2, e.g. binary flags) is <b>categorical</b>: chi-squared test of homogeneity
 *       over the value counts, values unseen in the reference counted apart and sparse values
 *       pooled ({@link ChiSquared#test(long[], long[])}).
 *   <li>Otherwise it is <b>continuous</b>: two-sample Kolmogorov–Smirnov with {@link
 *       KolmogorovSmirnov.Method#AUTO}, i.e. exact p-values when both samples have at most 10000
 *       values, asymptotic above (scipy's rule); or Cramér–von Mises when {@link
 *       Builder#optContinuousTest} says so.
 * </ol>
 *
 * <p>String-valued features (e.g. predicted classes) are categorical by type: use {@link
 * ChiSquared#test(java.util.Map, java.util.Map)} directly.
 *
 * <pre>{@code
 * FeatureTestSelector selector = FeatureTestSelector.builder().optMaxCategories(10).build();
 * FeatureTest test = selector.select(referenceColumn);
 * }</pre>
 */
public final class FeatureTestSelector implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Test used for continuous columns. */
    public enum ContinuousTest {
        KOLMOGOROV_SMIRNOV,
        CRAMER_VON_MISES
    }

    private final int maxCategories;
    private final double maxCategoryFraction;
    private final ContinuousTest continuousTest;
    private final KolmogorovSmirnov.Method ksMethod;

    private FeatureTestSelector(Builder b) {
        this.maxCategories = b.maxCategories;
        this.maxCategoryFraction = b.maxCategoryFraction;
        this.continuousTest = b.continuousTest;
        this.ksMethod = b.ksMethod;
    }

    /** A builder with the default rule. */
    public static Builder builder() {
        return new Builder();
    }

    /** True when the rule treats the reference column as categorical. */
    public boolean isCategorical(double[] reference) {
        int distinct = ValueCounts.distinct(reference, maxCategories);
        if (distinct <= 2) {
            return true;
        }
        return distinct <= maxCategories && distinct <= maxCategoryFraction * reference.length;
    }

    /** The test for this reference column, fitted on it. */
    public FeatureTest select(double[] reference) {
        if (reference.length == 0) {
            throw new IllegalArgumentException("empty reference column");
        }
        if (isCategorical(reference)) {
            return FeatureTest.chiSquared(reference);
        }
        return continuousTest == ContinuousTest.CRAMER_VON_MISES
                ? FeatureTest.cramerVonMises(reference)
                : FeatureTest.kolmogorovSmirnov(reference, ksMethod);
    }

    /** Builder; every setting is optional. */
    public static final class Builder {
        private int maxCategories = 20;
        private double maxCategoryFraction = 0.05;
        private ContinuousTest continuousTest = ContinuousTest.KOLMOGOROV_SMIRNOV;
        private KolmogorovSmirnov.Method ksMethod = KolmogorovSmirnov.Method.AUTO;

        private Builder() {}

        /** Most distinct values a categorical column may have (default 20). */
        public Builder optMaxCategories(int maxCategories) {
            this.maxCategories = maxCategories;
            return this;
        }

        /** Most distinct values, as a fraction of the reference size, of a categorical column. */
        public Builder optMaxCategoryFraction(double fraction) {
            this.maxCategoryFraction = fraction;
            return this;
        }

        /** Test for continuous columns (default Kolmogorov–Smirnov). */
        public Builder optContinuousTest(ContinuousTest test) {
            this.continuousTest = test;
            return this;
        }

        /** p-value method of the KS test (default AUTO). */
        public Builder optKsMethod(KolmogorovSmirnov.Method method) {
            this.ksMethod = method;
            return this;
        }

        public FeatureTestSelector build() {
            return new FeatureTestSelector(this);
        }
    }
}
