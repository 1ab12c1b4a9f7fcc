package io.modelmonitor.detectors.mmd;

import static io.modelmonitor.detectors.testutil.Close.assertRel;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.modelmonitor.detectors.testutil.Json;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Statistic, bandwidth and permutation p-value against the numpy reference values of {@code
 * src/test/python/gen_mmd_fixtures.py}, plus determinism and the large-reference path.
 */
class MmdDetectorTest {
    private static final Map<String, Object> FIXTURES =
            Json.objectResource("fixtures/mmd/mmd_cases.json");

    @Test
    void statisticAndSigmaMatchNumpy() {
        List<Map<String, Object>> cases = Json.objects(FIXTURES.get("cases"));
        assertTrue(cases.size() >= 6);
        for (Map<String, Object> c : cases) {
            String name = (String) c.get("name");
            double[][] ref = Json.matrix(c.get("reference"));
            double[][] cur = Json.matrix(c.get("current"));
            double sigmaMedian = Json.number(c.get("sigma_median"));
            double sigmaFixed = Json.number(c.get("sigma_fixed"));
            assertRel(sigmaMedian, MedianHeuristic.sigma(ref), 1e-12, name + " sigma");
            assertRel(
                    Json.number(c.get("mmd2_median")),
                    MmdDetector.mmd2Unbiased(ref, cur, sigmaMedian),
                    1e-9,
                    name + " mmd2 (median sigma)");
            assertRel(
                    Json.number(c.get("mmd2_fixed")),
                    MmdDetector.mmd2Unbiased(ref, cur, sigmaFixed),
                    1e-9,
                    name + " mmd2 (fixed sigma)");
            for (NullMode mode : NullMode.values()) {
                MmdDetector detector =
                        MmdDetector.builder()
                                .setReference(ref)
                                .optPermutations(50)
                                .optNullMode(mode)
                                .build();
                assertRel(sigmaMedian, detector.sigma(), 1e-12, name + " detector sigma");
                MmdResult r = detector.test(cur);
                assertRel(
                        Json.number(c.get("mmd2_median")),
                        r.statistic(),
                        1e-9,
                        name + " " + mode + " stat");
                assertEquals(ref.length, r.nReference());
                assertEquals(cur.length, r.nWindow());
                assertTrue(r.pValue() > 0 && r.pValue() <= 1);
            }
        }
    }

    @Test
    void permutationPValueMatchesFullEnumeration() {
        Map<String, Object> e = Json.objectResource("fixtures/mmd/mmd_cases.json");
        @SuppressWarnings("unchecked")
        Map<String, Object> en = (Map<String, Object>) e.get("enumeration");
        int permutations = 20_000;
        MmdDetector detector =
                MmdDetector.builder()
                        .setReference(Json.matrix(en.get("reference")))
                        .optPermutations(permutations)
                        .optSeed(7)
                        .build();
        MmdResult r = detector.test(Json.matrix(en.get("current")));
        assertRel(Json.number(en.get("mmd2")), r.statistic(), 1e-9, "statistic");
        double exact = Json.number(en.get("p_exact"));
        double tolerance = 4 * Math.sqrt(exact * (1 - exact) / permutations);
        assertEquals(exact, r.pValue(), tolerance, "Monte Carlo p-value vs full enumeration");
    }

    @Test
    void sameSeedSameResultRegardlessOfThreadsAndHistory() {
        double[][] ref = gaussian(new SplittableRandom(1), 300, 6, 0);
        double[][] w1 = gaussian(new SplittableRandom(2), 80, 6, 0.15);
        double[][] w2 = gaussian(new SplittableRandom(3), 80, 6, 0);
        MmdDetector parallel = MmdDetector.builder().setReference(ref).optSeed(11).build();
        MmdDetector sequential =
                MmdDetector.builder().setReference(ref).optSeed(11).optParallel(false).build();
        MmdResult a = parallel.test(w1);
        parallel.test(w2);
        MmdResult b = parallel.test(w1);
        MmdResult c = sequential.test(w1);
        assertEquals(a, b);
        assertEquals(a, c);
        MmdResult other = MmdDetector.builder().setReference(ref).optSeed(12).build().test(w1);
        assertEquals(a.statistic(), other.statistic());
        assertNotEquals(a.pValue(), other.pValue(), "a different seed draws other permutations");
    }

    @Test
    void referenceBeyondTheCacheBoundGivesTheSameTest() {
        double[][] ref = gaussian(new SplittableRandom(4), 400, 5, 0);
        double[][] w = gaussian(new SplittableRandom(5), 60, 5, 0.1);
        MmdDetector cached = MmdDetector.builder().setReference(ref).optPermutations(300).build();
        // 64 KiB holds the triangle of 181 points, not 400: rows are recomputed per window
        MmdDetector streamed =
                MmdDetector.builder()
                        .setReference(ref)
                        .optPermutations(300)
                        .optMaxKernelCacheBytes(64 << 10)
                        .build();
        MmdResult a = cached.test(w);
        MmdResult b = streamed.test(w);
        assertRel(a.statistic(), b.statistic(), 1e-12, "statistic");
        assertEquals(a.pValue(), b.pValue());
    }

    @Test
    void calibratedModeWithSubsampledPoolAndFallback() {
        double[][] ref = gaussian(new SplittableRandom(6), 400, 5, 0);
        MmdDetector detector =
                MmdDetector.builder()
                        .setReference(ref)
                        .optPermutations(200)
                        .optNullMode(NullMode.CALIBRATED)
                        .optMaxKernelCacheBytes(64 << 10)
                        .build();
        MmdResult small = detector.test(gaussian(new SplittableRandom(7), 50, 5, 0));
        assertEquals(NullMode.CALIBRATED, small.nullMode());
        assertFalse(small.tailApproximation());
        MmdResult shifted = detector.test(gaussian(new SplittableRandom(8), 50, 5, 1.0));
        assertTrue(shifted.pValue() < 1e-6, "a 1-sd shift is far in the tail: " + shifted.pValue());
        assertTrue(shifted.pValue() > 0);
        assertTrue(
                shifted.tailApproximation(), "beyond the 200 draws only the fitted tail can tell");
        MmdResult large = detector.test(gaussian(new SplittableRandom(9), 150, 5, 0));
        assertEquals(NullMode.PERMUTATION, large.nullMode(), "150 > half of the 181-point pool");
    }

    @Test
    void serializedDetectorGivesIdenticalResults() throws Exception {
        double[][] ref = gaussian(new SplittableRandom(10), 200, 4, 0);
        double[][] w = gaussian(new SplittableRandom(11), 40, 4, 0.2);
        for (NullMode mode : NullMode.values()) {
            MmdDetector d =
                    MmdDetector.builder()
                            .setReference(ref)
                            .optNullMode(mode)
                            .optPermutations(200)
                            .build();
            MmdResult before = d.test(w);
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
                out.writeObject(d);
            }
            assertTrue(bytes.size() < 200 * 4 * 8 * 2 + 4096, "caches are not serialized");
            MmdDetector copy;
            try (ObjectInputStream in =
                    new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
                copy = (MmdDetector) in.readObject();
            }
            assertEquals(before, copy.test(w));
        }
    }

    @Test
    void rejectsBadInput() {
        double[][] ref = gaussian(new SplittableRandom(12), 20, 3, 0);
        MmdDetector d = MmdDetector.builder().setReference(ref).build();
        assertThrows(IllegalArgumentException.class, () -> d.test(new double[][] {{1, 2, 3}}));
        assertThrows(IllegalArgumentException.class, () -> d.test(new double[][] {{1, 2}, {3, 4}}));
        assertThrows(
                IllegalArgumentException.class,
                () -> d.test(new double[][] {{1, 2, 3}, {Double.NaN, 1, 1}}));
        assertThrows(IllegalStateException.class, () -> MmdDetector.builder().build());
    }

    @Test
    void medianHeuristicOfDuplicatesFallsBack() {
        double[][] ref = {{0, 0}, {0, 0}, {0, 0}, {0, 0}, {3, 4}};
        // 10 pairs: 6 zeros, 4 at 25; median 0, mean 10: sigma = sqrt(5)
        assertRel(Math.sqrt(5), MedianHeuristic.sigma(ref), 1e-15, "fallback sigma");
    }

    static double[][] gaussian(SplittableRandom rng, int n, int d, double shift) {
        double[][] x = new double[n][d];
        for (double[] row : x) {
            for (int k = 0; k < d; k++) {
                row[k] = rng.nextGaussian() + shift;
            }
        }
        return x;
    }
}
