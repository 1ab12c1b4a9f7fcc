package io.modelmonitor.detectors.univariate;

import java.util.HashMap;
import java.util.Map;

/** Counts of distinct values, the bridge from a numeric column to categorical tests. */
final class ValueCounts {
    private ValueCounts() {}

    /** Count per distinct value, keyed by {@link Double#toString(double)} (−0.0 folded to 0.0). */
    static Map<String, Long> of(double[] values) {
        Map<String, Long> counts = new HashMap<>();
        for (double v : values) {
            counts.merge(Double.toString(v == 0 ? 0.0 : v), 1L, Long::sum);
        }
        return counts;
    }

    /** Number of distinct values, stopping early once above {@code limit}. */
    static int distinct(double[] values, int limit) {
        java.util.HashSet<Double> seen = new java.util.HashSet<>();
        for (double v : values) {
            seen.add(v == 0 ? 0.0 : v);
            if (seen.size() > limit) {
                break;
            }
        }
        return seen.size();
    }
}
