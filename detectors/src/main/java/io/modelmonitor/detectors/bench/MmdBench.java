package io.modelmonitor.detectors.bench;

import io.modelmonitor.detectors.mmd.MmdDetector;
import io.modelmonitor.detectors.mmd.MmdResult;
import io.modelmonitor.detectors.mmd.NullMode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Timing of the MMD test hot paths: the exact permutation test per window, the calibrated null's
 * one-off calibration and its per-window cost, at (n_ref, n_window, d) = (2000, 500, 32) and (5000,
 * 1000, 32) with P = 100 and 1000. Each figure is the median of {@code reps} timed runs after
 * {@code warmup} untimed ones. The numpy counterpart is {@code src/test/python/numpy_mmd_bench.py};
 * results and commands are in {@code detectors/BENCHMARKS.md}.
 *
 * <pre>{@code
 * for (Map<String, Object> figure : MmdBench.run(MmdBench.DEFAULT_CASES, 2, 5)) {
 *   System.out.println(MmdBench.toJson(figure));
 * }
 * }</pre>
 *
 * Run: {@code java -cp detectors/target/classes io.modelmonitor.detectors.bench.MmdBench [warmup]
 * [reps]}
 */
public final class MmdBench {
    /** {n_ref, n_window, dim, permutations}. */
    public static final int[][] DEFAULT_CASES = {
        {2000, 500, 32, 100}, {2000, 500, 32, 1000}, {5000, 1000, 32, 100}, {5000, 1000, 32, 1000}
    };

    private MmdBench() {}

    public static void main(String[] args) {
        int warmup = args.length > 0 ? Integer.parseInt(args[0]) : 2;
        int reps = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        for (Map<String, Object> figure : run(DEFAULT_CASES, warmup, reps)) {
            System.out.println(toJson(figure));
        }
    }

    /** Runs every case and returns one map per figure (name, sizes, seconds, rates). */
    public static List<Map<String, Object>> run(int[][] cases, int warmup, int reps) {
        List<Map<String, Object>> figures = new ArrayList<>();
        for (int[] c : cases) {
            int nRef = c[0];
            int nWin = c[1];
            int dim = c[2];
            int perms = c[3];
            SplittableRandom rng = new SplittableRandom(42);
            double[][] ref = gaussian(rng, nRef, dim);
            double[][][] windows = new double[warmup + reps][][];
            for (int i = 0; i < windows.length; i++) {
                windows[i] = gaussian(rng, nWin, dim);
            }

            long t0 = System.nanoTime();
            MmdDetector exact =
                    MmdDetector.builder()
                            .setReference(ref)
                            .optPermutations(perms)
                            .optSeed(1)
                            .build();
            exact.test(windows[0]); // includes the one-off reference kernel
            double firstExact = seconds(t0);
            double exactSec = median(time(exact, windows, warmup, reps));
            double pairs = (double) nRef * nWin + (double) nWin * (nWin - 1) / 2;
            double s = Math.min(nRef, nWin);
            Map<String, Object> f = figure("mmd.permutation.window", nRef, nWin, dim, perms);
            f.put("seconds", exactSec);
            f.put("first_window_seconds_incl_reference_kernel", firstExact);
            f.put("kernel_lookups_per_second", perms * s * (s - 1) / 2 / exactSec);
            figures.add(f);

            MmdDetector calibrated =
                    MmdDetector.builder()
                            .setReference(ref)
                            .optPermutations(perms)
                            .optSeed(1)
                            .optNullMode(NullMode.CALIBRATED)
                            .build();
            long t1 = System.nanoTime();
            calibrated.calibrate(nWin);
            double calibration = seconds(t1);
            double calSec = median(time(calibrated, windows, warmup, reps));
            Map<String, Object> g = figure("mmd.calibrated.window", nRef, nWin, dim, perms);
            g.put("seconds", calSec);
            // distance block: 2d flops per pair (norm expansion), plus one exp per pair
            g.put("distance_gflops", pairs * 2 * dim / calSec / 1e9);
            g.put("kernel_pairs_per_second", pairs / calSec);
            figures.add(g);
            Map<String, Object> h = figure("mmd.calibrated.calibration", nRef, nWin, dim, perms);
            h.put("seconds", calibration);
            h.put(
                    "note",
                    "once per (reference, grid count serving the window size), includes the reference kernel");
            figures.add(h);
        }
        return figures;
    }

    private static double[] time(MmdDetector d, double[][][] windows, int warmup, int reps) {
        double sink = 0;
        for (int i = 0; i < warmup; i++) {
            sink += d.test(windows[i]).pValue();
        }
        double[] out = new double[reps];
        for (int r = 0; r < reps; r++) {
            long t = System.nanoTime();
            MmdResult res = d.test(windows[warmup + r]);
            out[r] = seconds(t);
            sink += res.pValue();
        }
        if (sink < 0) {
            throw new AssertionError();
        }
        return out;
    }

    private static Map<String, Object> figure(String name, int nRef, int nWin, int dim, int perms) {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("figure", name);
        f.put("implementation", "java");
        f.put("n_ref", nRef);
        f.put("n_window", nWin);
        f.put("dim", dim);
        f.put("permutations", perms);
        f.put("threads", Runtime.getRuntime().availableProcessors());
        return f;
    }

    private static double seconds(long start) {
        return (System.nanoTime() - start) / 1e9;
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        int h = s.length / 2;
        return s.length % 2 == 1 ? s[h] : 0.5 * (s[h - 1] + s[h]);
    }

    private static double[][] gaussian(SplittableRandom rng, int n, int d) {
        double[][] x = new double[n][d];
        for (double[] row : x) {
            for (int k = 0; k < d; k++) {
                row[k] = rng.nextGaussian();
            }
        }
        return x;
    }

    /** One-line JSON of a flat map of strings and numbers. */
    public static String toJson(Map<String, Object> figure) {
        StringBuilder sb = new StringBuilder("{");
        for (Map.Entry<String, Object> e : figure.entrySet()) {
            if (sb.length() > 1) {
                sb.append(", ");
            }
            sb.append('"').append(e.getKey()).append("\": ");
            Object v = e.getValue();
            if (v instanceof String) {
                sb.append('"').append(((String) v).replace("\"", "\\\"")).append('"');
            } else if (v instanceof Double) {
                sb.append(String.format(java.util.Locale.ROOT, "%.6g", (Double) v));
            } else {
                sb.append(v);
            }
        }
        return sb.append('}').toString();
    }
}
