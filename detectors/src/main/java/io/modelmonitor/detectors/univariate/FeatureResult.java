package io.modelmonitor.detectors.univariate;

import java.io.Serializable;

/**
 * One feature's drift test in a window.
 *
 * @param index feature index (column of the input matrix)
 * @param test short name of the test ({@code "ks"}, {@code "chi2"}, {@code "cvm"})
 * @param statistic the test statistic
 * @param pValue the raw p-value
 * @param adjustedPValue the p-value after the multiple-testing correction
 * @param drift whether the adjusted p-value is below the significance level
 * @param unseen window values of a categorical feature that the reference never showed (a
 *     data-quality count; they are left out of the drift test), 0 for continuous features
 */
public record FeatureResult(
        int index,
        String test,
        double statistic,
        double pValue,
        double adjustedPValue,
        boolean drift,
        long unseen)
        implements Serializable {

    /** A result without unseen values. */
    public FeatureResult(
            int index,
            String test,
            double statistic,
            double pValue,
            double adjustedPValue,
            boolean drift) {
        this(index, test, statistic, pValue, adjustedPValue, drift, 0);
    }
}
