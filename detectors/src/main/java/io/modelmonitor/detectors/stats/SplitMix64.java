package io.modelmonitor.detectors.stats;

/**
 * The SplitMix64 finaliser (Stafford's variant 13, Steele, Lea and Flood 2014): a bijection on
 * 64-bit values whose outputs for nearby inputs look independent. Used to derive seeds for separate
 * random streams from one user seed, and to hash event ids into sample keys, where the same input
 * must give the same value on every JVM.
 */
public final class SplitMix64 {
    private SplitMix64() {}

    public static long mix64(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }
}
