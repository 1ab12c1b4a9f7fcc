package io.modelmonitor.detectors.bench;

import io.modelmonitor.detectors.linalg.PointMatrix;
import io.modelmonitor.detectors.linalg.SquaredDistances;
import io.modelmonitor.detectors.mmd.GaussianKernel;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The Gaussian kernel block on one thread, timed in thread CPU time (so that other processes on a
 * shared machine disturb it less than wall time): the 4-row register-blocked distances with the
 * vectorised exp ({@link GaussianKernel#rows}) against the single-row AXPY distances ({@link
 * SquaredDistances#rowBlock}) with {@link Math#exp} per value, the form used before, on the same
 * points. Rounds alternate between the two; each figure is the median over rounds.
 *
 * <p>Run: {@code java -cp detectors/target/classes io.modelmonitor.detectors.bench.KernelBlockBench
 * [nRef] [nWindow] [dim] [rounds]}
 */
public final class KernelBlockBench {
    private KernelBlockBench() {}

    public static void main(String[] args) {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 5000;
        int m = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
        int d = args.length > 2 ? Integer.parseInt(args[2]) : 32;
        int rounds = args.length > 3 ? Integer.parseInt(args[3]) : 7;
        System.out.println(MmdBench.toJson(run(n, m, d, rounds)));
    }

    /** Median thread-CPU seconds of the n × m cross block, blocked and single-row, and rates. */
    public static Map<String, Object> run(int n, int m, int d, int rounds) {
        SplittableRandom rng = new SplittableRandom(7);
        PointMatrix ref = PointMatrix.of(gaussian(rng, n, d));
        PointMatrix win = PointMatrix.of(gaussian(rng, m, d));
        GaussianKernel kernel = new GaussianKernel(Math.sqrt(d));
        double negHalfInvSigma2 = -0.5 / d;
        float[] out = new float[n * m];
        double[] sums = new double[n];
        double[] scratch = new double[4 * m];
        ThreadMXBean bean = ManagementFactory.getThreadMXBean();
        double[] blocked = new double[rounds];
        double[] single = new double[rounds];
        double check = 0;
        for (int r = -2; r < rounds; r++) {
            long t0 = bean.getCurrentThreadCpuTime();
            kernel.rows(ref, 0, n, win, 0, m, false, scratch, out, i -> i * m, sums);
            long t1 = bean.getCurrentThreadCpuTime();
            double total = 0;
            for (int i = 0; i < n; i++) {
                SquaredDistances.rowBlock(ref, i, win, 0, m, scratch, 0);
                double s = 0;
                for (int j = 0; j < m; j++) {
                    double v = Math.exp(scratch[j] * negHalfInvSigma2);
                    out[i * m + j] = (float) v;
                    s += v;
                }
                total += s;
            }
            long t2 = bean.getCurrentThreadCpuTime();
            double blockedTotal = 0;
            for (double s : sums) {
                blockedTotal += s;
            }
            check = Math.max(check, Math.abs(blockedTotal - total) / total);
            if (r >= 0) {
                blocked[r] = (t1 - t0) / 1e9;
                single[r] = (t2 - t1) / 1e9;
            }
        }
        double pairs = (double) n * m;
        double b = median(blocked);
        double s = median(single);
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("figure", "mmd.kernel_block.one_thread");
        f.put("n_ref", n);
        f.put("n_window", m);
        f.put("dim", d);
        f.put("rounds", rounds);
        f.put("blocked_cpu_seconds", b);
        f.put("single_row_math_exp_cpu_seconds", s);
        f.put("speedup", s / b);
        f.put("blocked_pairs_per_cpu_second", pairs / b);
        f.put("blocked_distance_gflops", pairs * 2 * d / b / 1e9);
        f.put("single_row_distance_gflops", pairs * 2 * d / s / 1e9);
        f.put("relative_difference_of_sums", check);
        return f;
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        java.util.Arrays.sort(s);
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
}
