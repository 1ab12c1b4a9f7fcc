package io.modelmonitor.pipeline.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.modelmonitor.pipeline.options.DriftOptions.DriftTest;
import org.junit.jupiter.api.Test;

/** {@code --test auto}: exact where cheap, the random-feature test above; explicit tests kept. */
class DriftTestChoiceTest {

    @Test
    void autoIsExactOnlyWhereCheap() {
        assertEquals(DriftTest.MMD, DriftTestChoice.choose(DriftTest.AUTO, 5000, 1000, 1000));
        assertEquals(DriftTest.MMD, DriftTestChoice.choose(DriftTest.AUTO, 18_000, 2000, 1000));
        // pooled size over the bound
        assertEquals(
                DriftTest.RFF_HOTELLING, DriftTestChoice.choose(DriftTest.AUTO, 19_000, 1001, 10));
        // permutation look-ups over the bound: 1000 · 2001·2000/2 > 2·10⁹
        assertEquals(
                DriftTest.RFF_HOTELLING, DriftTestChoice.choose(DriftTest.AUTO, 9000, 2001, 1000));
        assertEquals(DriftTest.MMD, DriftTestChoice.choose(DriftTest.AUTO, 9000, 2001, 100));
        assertEquals(
                DriftTest.RFF_HOTELLING,
                DriftTestChoice.choose(DriftTest.AUTO, 1_000_000, 1_000_000, 1000));
        // too few rows for the random-feature covariance: exact, whatever the permutations
        assertEquals(DriftTest.MMD, DriftTestChoice.choose(DriftTest.AUTO, 40, 20, 10_000_000));
    }

    @Test
    void anExplicitTestIsKept() {
        assertEquals(
                DriftTest.MMD, DriftTestChoice.choose(DriftTest.MMD, 1_000_000, 1_000_000, 1000));
        assertEquals(
                DriftTest.RFF_HOTELLING,
                DriftTestChoice.choose(DriftTest.RFF_HOTELLING, 10, 10, 1000));
        assertEquals(DriftTest.RFF, DriftTestChoice.choose(DriftTest.RFF, 10, 10, 1000));
    }
}
