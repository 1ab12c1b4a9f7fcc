package io.modelmonitor.pipeline.cli;

import io.modelmonitor.detectors.mmd.RffHotelling;
import io.modelmonitor.pipeline.options.DriftOptions.DriftTest;

/**
 * What {@code --test auto} runs for a reference of n rows and a current sample of m rows with P
 * permutations: the exact permutation MMD while it is cheap, the linear-time random-feature test
 * ({@code rff_hotelling}) above.
 *
 * <p>The exact test costs about (n + m)²/2 kernel evaluations (the reference triangle, the
 * reference×current and current×current blocks, kept as floats: 4·(n²/2 + n·m + m²) bytes) and
 * P·s(s − 1)/2 kernel look-ups for the permutations, s = min(n, m). Both bounds below keep it to a
 * few seconds and under a gigabyte on a two-core machine (measured in detectors/BENCHMARKS.md):
 * e.g. 5000 vs 1000 rows with 1000 permutations is exact, 10,000 vs 10,000 is not.
 */
final class DriftTestChoice {
    /** Largest n + m tested exactly: (n + m)²/2 = 2·10⁸ kernel evaluations. */
    static final int MAX_EXACT_POOLED_ROWS = 20_000;

    /** Largest P·s(s − 1)/2 (permutation look-ups) tested exactly. */
    static final long MAX_EXACT_LOOKUPS = 2_000_000_000L;

    private DriftTestChoice() {}

    static DriftTest choose(DriftTest requested, int nReference, int nCurrent, int permutations) {
        if (requested != DriftTest.AUTO) {
            return requested;
        }
        long s = Math.min(nReference, nCurrent);
        boolean cheap =
                (long) nReference + nCurrent <= MAX_EXACT_POOLED_ROWS
                        && permutations * (s * (s - 1) / 2) <= MAX_EXACT_LOOKUPS;
        // T² needs more rows than random features; so few rows are always cheap to test exactly
        boolean featuresFit = (long) nReference + nCurrent - 2 > RffHotelling.DEFAULT_FEATURES;
        return cheap || !featuresFit ? DriftTest.MMD : DriftTest.RFF_HOTELLING;
    }
}
