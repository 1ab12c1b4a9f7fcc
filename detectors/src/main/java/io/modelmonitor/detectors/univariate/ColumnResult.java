package io.modelmonitor.detectors.univariate;

import java.io.Serializable;

/**
 * One column of a table in a window: its drift test on the values present, and the data-quality
 * counts of the window's rows in that column.
 *
 * @param index column index
 * @param test short name of the drift test ({@code "ks"}, {@code "chi2"}, ...)
 * @param statistic the drift test statistic
 * @param pValue the drift test's raw p-value (1 when the window has no value to test)
 * @param adjustedPValue the p-value after the correction over the columns
 * @param drift whether the adjusted p-value is below the significance level
 * @param rows the window's rows
 * @param missing rows without a value in this column
 * @param typeMismatches rows whose value has a type the column cannot take
 * @param unseen rows with a category the reference never showed (categorical columns)
 * @param outOfRange rows with a number outside the reference's range (numeric columns)
 * @param referenceMissingRate the reference's share of rows without a value
 * @param missingPValue one-sided p-value of "the window misses values more often than the
 *     reference" (Fisher's exact test); NaN when either sample is empty
 */
public record ColumnResult(
        int index,
        String test,
        double statistic,
        double pValue,
        double adjustedPValue,
        boolean drift,
        long rows,
        long missing,
        long typeMismatches,
        long unseen,
        long outOfRange,
        double referenceMissingRate,
        double missingPValue)
        implements Serializable {}
