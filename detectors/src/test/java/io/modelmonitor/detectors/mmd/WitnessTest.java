package io.modelmonitor.detectors.mmd;

import static io.modelmonitor.detectors.testutil.Close.assertAllClose;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.modelmonitor.detectors.testutil.Json;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The witness function against the numpy values of {@code src/test/python/gen_witness_fixtures.py},
 * on both paths of the detector, plus determinism and the cost the witness adds to a window's test
 * (printed, not asserted: timings vary by machine).
 */
class WitnessTest {
    private static final List<Map<String, Object>> CASES =
            Json.objects(Json.objectResource("fixtures/mmd/witness_cases.json").get("cases"));

    @Test
    void directWitnessMatchesNumpy() {
        for (Map<String, Object> c : CASES) {
            String name = (String) c.get("name");
            Witness w =
                    Witness.of(
                            Json.matrix(c.get("reference")),
                            Json.matrix(c.get("current")),
                            Json.number(c.get("sigma")));
            assertAllClose(Json.doubles(c.get("window_witness")), w.windowValues(), 0, 1e-12, name);
            assertAllClose(
                    Json.doubles(c.get("reference_witness")), w.referenceValues(), 0, 1e-12, name);
            assertArrayEquals(ints(c.get("top_window")), w.topWindow(10, null), name);
            assertArrayEquals(ints(c.get("bottom_reference")), w.bottomReference(10), name);
        }
    }

    @Test
    void detectorWitnessMatchesNumpyOnBothPaths() {
        for (Map<String, Object> c : CASES) {
            String name = (String) c.get("name");
            double[][] ref = Json.matrix(c.get("reference"));
            double[][] cur = Json.matrix(c.get("current"));
            for (NullMode mode : NullMode.values()) {
                for (boolean parallel : new boolean[] {false, true}) {
                    MmdDetector d =
                            MmdDetector.builder()
                                    .setReference(ref)
                                    .optPermutations(50)
                                    .optNullMode(mode)
                                    .optParallel(parallel)
                                    .build();
                    ExplainedMmd e = d.testExplained(cur);
                    MmdResult plain = d.test(cur);
                    String what = name + " " + mode + " parallel=" + parallel;
                    assertEquals(
                            plain, e.result(), what + ": the witness must not change the test");
                    // the permutation path sums float kernel values
                    assertAllClose(
                            Json.doubles(c.get("window_witness")),
                            e.witness().windowValues(),
                            0,
                            1e-6,
                            what);
                    assertAllClose(
                            Json.doubles(c.get("reference_witness")),
                            e.witness().referenceValues(),
                            0,
                            1e-6,
                            what);
                    assertArrayEquals(
                            ints(c.get("top_window")), e.witness().topWindow(10, null), what);
                    assertArrayEquals(
                            ints(c.get("bottom_reference")), e.witness().bottomReference(10), what);
                }
            }
        }
    }

    @Test
    void shiftedPointsLeadTheExemplars() {
        for (Map<String, Object> c : CASES) {
            int[] top = ints(c.get("top_window"));
            double[] s = Json.doubles(c.get("shifted"));
            int hits = 0;
            for (int i : top) {
                for (double x : s) {
                    if ((int) x == i) {
                        hits++;
                    }
                }
            }
            // 20 % of the window is shifted; by chance 2 of 10 exemplars would be
            assertTrue(hits >= 7, c.get("name") + ": " + hits + " shifted among the top 10");
        }
    }

    @Test
    void shiftsMatchNumpyAndRankTheShiftedCoordinateFirst() {
        for (Map<String, Object> c : CASES) {
            String name = (String) c.get("name");
            double[][] ref = Json.matrix(c.get("reference"));
            double[][] cur = Json.matrix(c.get("current"));
            Witness w = Witness.of(ref, cur, Json.number(c.get("sigma")));
            double[][] moments = Witness.moments(ref);
            double[] shifts = w.shifts(cur, moments[0], moments[1]);
            assertAllClose(Json.doubles(c.get("shifts")), shifts, 1e-10, 1e-12, name);
            assertEquals(
                    1,
                    Witness.rankedShifts(shifts, 3)[0],
                    name + ": every case is shifted in coordinate 1");
        }
    }

    @Test
    void tiesAreBrokenByNameThenIndex() {
        double[] v = {0.5, 0.7, 0.5, 0.7, Double.NaN};
        assertArrayEquals(
                new int[] {3, 1, 2, 0, 4},
                Witness.ranked(v, 5, true, new String[] {"b", "z", "a", "c", "d"}));
        assertArrayEquals(new int[] {1, 3, 0, 2}, Witness.ranked(v, 4, true, null));
        assertArrayEquals(new int[] {0, 2}, Witness.ranked(v, 2, false, null));
        assertEquals(0, Witness.ranked(v, 0, true, null).length);
    }

    /**
     * Prints the witness's share of a window test (calibrated null, the job's default) at two
     * sizes: 1000 reference rows × 500 window rows and 2000 × 1000 (the default
     * --max-window-sample), 32-d.
     */
    @Test
    void witnessCostIsSmallNextToTheTest() {
        for (int[] size : new int[][] {{1000, 500}, {2000, 1000}}) {
            SplittableRandom rng = new SplittableRandom(5);
            MmdDetector d =
                    MmdDetector.builder()
                            .setReference(gaussian(rng, size[0], 32, 0))
                            .optPermutations(200)
                            .optNullMode(NullMode.CALIBRATED)
                            .optParallel(false)
                            .build();
            double[][][] windows = new double[4][][];
            for (int i = 0; i < windows.length; i++) {
                windows[i] = gaussian(rng, size[1], 32, 0.1);
            }
            d.test(windows[0]); // builds the caches and the calibrated null
            d.testExplained(windows[0]);
            long plain = 0;
            long explained = 0;
            int runs = 0;
            for (int round = 0; round < 4; round++) {
                for (double[][] w : windows) {
                    // alternate which runs first, so neither gains from the other's warm caches
                    boolean plainFirst = runs % 2 == 0;
                    long t0 = System.nanoTime();
                    if (plainFirst) {
                        d.test(w);
                    } else {
                        d.testExplained(w);
                    }
                    long t1 = System.nanoTime();
                    if (plainFirst) {
                        d.testExplained(w);
                    } else {
                        d.test(w);
                    }
                    long t2 = System.nanoTime();
                    plain += plainFirst ? t1 - t0 : t2 - t1;
                    explained += plainFirst ? t2 - t1 : t1 - t0;
                    runs++;
                }
            }
            System.out.printf(
                    "witness cost (reference %d, window %d, 32-d, one thread): test %.2f ms, with witness %.2f ms, added %.1f %%%n",
                    size[0],
                    size[1],
                    plain / 1e6 / runs,
                    explained / 1e6 / runs,
                    100.0 * (explained - plain) / plain);
        }
    }

    private static double[][] gaussian(SplittableRandom rng, int n, int d, double shift) {
        double[][] x = new double[n][d];
        for (double[] row : x) {
            for (int j = 0; j < d; j++) {
                row[j] = shift + gauss(rng);
            }
        }
        return x;
    }

    private static double gauss(SplittableRandom rng) {
        double u = rng.nextDouble();
        double v = rng.nextDouble();
        return Math.sqrt(-2 * Math.log(1 - u)) * Math.cos(2 * Math.PI * v);
    }

    private static int[] ints(Object array) {
        double[] d = Json.doubles(array);
        int[] out = new int[d.length];
        for (int i = 0; i < d.length; i++) {
            out[i] = (int) d[i];
        }
        return out;
    }
}
