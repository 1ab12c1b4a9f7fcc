package io.modelmonitor.detectors.univariate;

import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;

/**
 * Corrections for testing many hypotheses at once (one per feature), as adjusted p-values: reject
 * hypothesis i at level α when {@code adjusted[i] < α}.
 *
 * <ul>
 *   <li>{@link Correction#BONFERRONI}: min(1, m·pᵢ); controls the family-wise error rate.
 *   <li>{@link Correction#BENJAMINI_HOCHBERG}: step-up adjusted p-values min_{j ≥ i} (m·p_(j)/j)
 *       clipped to 1 (Benjamini &amp; Hochberg 1995), as {@code
 *       scipy.stats.false_discovery_control(p, method='bh')}; controls the false discovery rate.
 * </ul>
 *
 * <pre>{@code
 * double[] adjusted = MultipleTesting.Correction.BONFERRONI.adjust(pValues);
 * boolean drift = MultipleTesting.anyRejected(adjusted, 0.05);
 * }</pre>
 */
public final class MultipleTesting {

    /** Which correction to apply. */
    public enum Correction {
        NONE,
        BONFERRONI,
        BENJAMINI_HOCHBERG;

        /** Adjusted p-values, same order as the input. */
        public double[] adjust(double[] pValues) {
            switch (this) {
                case BONFERRONI:
                    return bonferroni(pValues);
                case BENJAMINI_HOCHBERG:
                    return benjaminiHochberg(pValues);
                default:
                    return pValues.clone();
            }
        }
    }

    private MultipleTesting() {}

    /** Bonferroni-adjusted p-values min(1, m·p). */
    public static double[] bonferroni(double[] pValues) {
        int m = pValues.length;
        return Arrays.stream(pValues).map(p -> Math.min(1, p * m)).toArray();
    }

    /** Benjamini–Hochberg adjusted p-values. */
    public static double[] benjaminiHochberg(double[] pValues) {
        int m = pValues.length;
        Integer[] order =
                IntStream.range(0, m)
                        .boxed()
                        .sorted(Comparator.comparingDouble(i -> pValues[i]))
                        .toArray(Integer[]::new);
        double[] adjusted = new double[m];
        double running = 1;
        for (int rank = m; rank >= 1; rank--) {
            int i = order[rank - 1];
            running = Math.min(running, pValues[i] * m / rank);
            adjusted[i] = running;
        }
        return adjusted;
    }

    /** True when any adjusted p-value is below α. */
    public static boolean anyRejected(double[] adjusted, double alpha) {
        return Arrays.stream(adjusted).anyMatch(p -> p < alpha);
    }
}
