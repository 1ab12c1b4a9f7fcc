package io.modelmonitor.detectors.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The finaliser against the reference SplitMix64 generator's published outputs. */
class SplitMix64Test {
    private static final long GOLDEN_GAMMA = 0x9e3779b97f4a7c15L;

    @Test
    void matchesTheReferenceGeneratorSeededWithZero() {
        // splitmix64.c (Vigna) seeded with 0: the first output is mix64(GOLDEN_GAMMA).
        assertEquals(0xe220a8397b1dcdafL, SplitMix64.mix64(GOLDEN_GAMMA));
        assertEquals(0x6e789e6aa1b965f4L, SplitMix64.mix64(2 * GOLDEN_GAMMA));
    }

    @Test
    void matchesTheJdkSplittableRandomFinaliser() {
        // SplittableRandom.nextLong() returns mix64(seed + gamma) with the same finaliser.
        long seed = 12345;
        assertEquals(new SplittableRandom(seed).nextLong(), SplitMix64.mix64(seed + GOLDEN_GAMMA));
    }
}
