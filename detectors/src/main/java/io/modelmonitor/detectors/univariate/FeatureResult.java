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
 */
public record FeatureResult(
    int index, String test, double statistic, double pValue, double adjustedPValue, boolean drift)
    implements Serializable {}
