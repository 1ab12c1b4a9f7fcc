package io.modelmonitor.pipeline.cli;

import io.modelmonitor.pipeline.options.DriftOptions.DriftTest;

/**
 * What {@code --test auto} runs for a reference of n rows and a current sample of m rows: the exact
 * permutation MMD while the pooled kernel is cheap, the linear-time random-feature test above.
 *
 * <p>The exact test's cost and memory grow with (n + m)²: it stores the reference×current and
 * current×current kernel blocks as floats (4·(n·m + m²/2) bytes) and the reference triangle up to
 * its cache bound, and each permutation sums over the smaller sample's pairs. Up to {@value
 * #MAX_EXACT_POOLED_ROWS} pooled rows it finishes in seconds with the default 1000 permutations
 * (measured in detectors/BENCHMARKS.md); above, {@code rff_hotelling} takes a second or two per
 * million rows.
 */
final class DriftTestChoice {
    /** Largest n + m tested exactly by {@code auto}. */
    static final int MAX_EXACT_POOLED_ROWS = 20_000;

    private DriftTestChoice() {}

    static DriftTest choose(DriftTest requested, int nReference, int nCurrent) {
        if (requested != DriftTest.AUTO) {
            return requested;
        }
        return (long) nReference + nCurrent <= MAX_EXACT_POOLED_ROWS
                ? DriftTest.MMD
                : DriftTest.RFF_HOTELLING;
    }
}
