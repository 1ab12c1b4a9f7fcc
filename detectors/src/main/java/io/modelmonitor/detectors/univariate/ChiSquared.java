package io.modelmonitor.detectors.univariate;

import io.modelmonitor.detectors.stats.SpecialFunctions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Pearson's chi-squared test of homogeneity on the 2 × k table of category counts (reference
 * row, current row), as {@code scipy.stats.chi2_contingency(table, correction=False)}.
 *
 * <p>Choice: <b>no Yates continuity correction</b>, for any k. scipy applies Yates only when
 * the table has one degree of freedom, which would make the statistic's definition jump between
 * k = 2 and k = 3 categories; without it the statistic is the plain Pearson Σ(O − E)²/E with
 * E = row total × column total / grand total and k − 1 degrees of freedom. Categories are the
 * union of both maps; a category absent from both (count 0 in both) does not exist in the table.
 * With a single category the test has no degrees of freedom and returns statistic 0, p = 1
 * (scipy's convention).
 *
 * <pre>{@code
 * TestResult r = ChiSquared.test(Map.of("pos", 900L, "neg", 100L), Map.of("pos", 60L, "neg", 40L));
 * }</pre>
 */
public final class ChiSquared {
  /** Name of the test in results. */
  public static final String NAME = "chi2";

  private ChiSquared() {}

  /** Test of homogeneity over the union of the categories of both maps. */
  public static TestResult test(Map<String, Long> reference, Map<String, Long> current) {
    TreeSet<String> categories = new TreeSet<>(reference.keySet());
    categories.addAll(current.keySet());
    List<long[]> columns = new ArrayList<>();
    for (String c : categories) {
      columns.add(
          new long[] {reference.getOrDefault(c, 0L), current.getOrDefault(c, 0L)});
    }
    long[] ref = new long[columns.size()];
    long[] cur = new long[columns.size()];
    for (int i = 0; i < ref.length; i++) {
      ref[i] = columns.get(i)[0];
      cur[i] = columns.get(i)[1];
    }
    return test(ref, cur);
  }

  /** Test of homogeneity on aligned count vectors (column i is the same category in both). */
  public static TestResult test(long[] reference, long[] current) {
    if (reference.length != current.length) {
      throw new IllegalArgumentException("count vectors differ in length");
    }
    double refTotal = 0;
    double curTotal = 0;
    int columns = 0;
    for (int i = 0; i < reference.length; i++) {
      if (reference[i] < 0 || current[i] < 0) {
        throw new IllegalArgumentException("negative count");
      }
      refTotal += reference[i];
      curTotal += current[i];
      if (reference[i] + current[i] > 0) {
        columns++;
      }
    }
    if (refTotal == 0 || curTotal == 0) {
      throw new IllegalArgumentException("chi-squared needs counts in both samples");
    }
    if (columns <= 1) {
      return new TestResult(NAME, 0, 1);
    }
    double total = refTotal + curTotal;
    double statistic = 0;
    for (int i = 0; i < reference.length; i++) {
      double columnTotal = reference[i] + current[i];
      if (columnTotal == 0) {
        continue;
      }
      statistic += cell(reference[i], refTotal * columnTotal / total);
      statistic += cell(current[i], curTotal * columnTotal / total);
    }
    return new TestResult(NAME, statistic, SpecialFunctions.chiSquaredSf(statistic, columns - 1));
  }

  private static double cell(double observed, double expected) {
    double diff = observed - expected;
    return diff * diff / expected;
  }
}
