package io.modelmonitor.detectors.bench;

import io.modelmonitor.detectors.linalg.FlatMatrix;
import io.modelmonitor.detectors.mmd.MmdDetector;
import io.modelmonitor.detectors.mmd.RffHotelling;
import java.lang.management.ManagementFactory;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Power of the two one-shot tests at equal cost: the exact permutation MMD on n_exact rows a side
 * against the random-feature Hotelling test ({@link RffHotelling}) on as many rows a side as it
 * handles in the same process CPU time (measured first, warm), on standard normal samples in {@code
 * dim} dimensions with input 0 of the current sample shifted by δ; rejections at α = 0.05 over
 * {@code reps} seeded pairs per δ (δ = 0 gives the false positive rate).
 *
 * <p>Run: {@code java -cp detectors/target/classes
 * io.modelmonitor.detectors.bench.BatchDriftPowerBench [nExact] [permutations] [reps] [dim]}
 */
public final class BatchDriftPowerBench {
    private static final double ALPHA = 0.05;
    private static final double[] SHIFTS = {0.0, 0.05, 0.1, 0.2};

    private BatchDriftPowerBench() {}

    public static void main(String[] args) {
        int nExact = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
        int perms = args.length > 1 ? Integer.parseInt(args[1]) : 200;
        int reps = args.length > 2 ? Integer.parseInt(args[2]) : 20;
        int dim = args.length > 3 ? Integer.parseInt(args[3]) : 32;
        // cost of one exact test, then of the random-feature test per row, both warm
        double exactCpu = 0;
        for (int r = 0; r < 3; r++) {
            long t = cpu();
            exact(sample(1, nExact, dim, 0), sample(2, nExact, dim, 0), perms, r);
            exactCpu = (cpu() - t) / 1e9;
        }
        int probe = 200_000;
        double perRow = 0;
        for (int r = 0; r < 2; r++) {
            long t = cpu();
            rff(sample(3, probe, dim, 0), sample(4, probe, dim, 0), r);
            perRow = (cpu() - t) / 1e9 / (2.0 * probe);
        }
        int nRff = (int) Math.max(nExact, exactCpu / perRow / 2);
        for (double shift : SHIFTS) {
            int exactHits = 0;
            int rffHits = 0;
            int rffSameRowsHits = 0;
            long exactTime = 0;
            long rffTime = 0;
            for (int rep = 0; rep < reps; rep++) {
                long seed = 1000L * rep + Math.round(shift * 1000);
                long t0 = cpu();
                if (exact(
                                sample(seed, nExact, dim, 0),
                                sample(seed + 1, nExact, dim, shift),
                                perms,
                                rep)
                        < ALPHA) {
                    exactHits++;
                }
                long t1 = cpu();
                if (rff(sample(seed + 2, nRff, dim, 0), sample(seed + 3, nRff, dim, shift), rep)
                        < ALPHA) {
                    rffHits++;
                }
                long t2 = cpu();
                if (rff(sample(seed + 2, nExact, dim, 0), sample(seed + 3, nExact, dim, shift), rep)
                        < ALPHA) {
                    rffSameRowsHits++;
                }
                exactTime += t1 - t0;
                rffTime += t2 - t1;
            }
            Map<String, Object> f = new LinkedHashMap<>();
            f.put("figure", "drift.power_at_equal_cost");
            f.put("dim", dim);
            f.put("shift", shift);
            f.put("reps", reps);
            f.put("exact_rows_a_side", nExact);
            f.put("exact_permutations", perms);
            f.put("exact_rejection_rate", (double) exactHits / reps);
            f.put("exact_cpu_seconds_per_test", exactTime / 1e9 / reps);
            f.put("rff_rows_a_side", nRff);
            f.put("rff_rejection_rate", (double) rffHits / reps);
            f.put("rff_cpu_seconds_per_test", rffTime / 1e9 / reps);
            f.put("rff_on_exact_rows_rejection_rate", (double) rffSameRowsHits / reps);
            System.out.println(MmdBench.toJson(f));
        }
    }

    private static double exact(FlatMatrix ref, FlatMatrix cur, int perms, long seed) {
        return MmdDetector.builder()
                .setReference(ref.toRows())
                .optPermutations(perms)
                .optSeed(seed)
                .build()
                .test(cur.toRows())
                .pValue();
    }

    private static double rff(FlatMatrix ref, FlatMatrix cur, long seed) {
        return RffHotelling.builder().setReference(ref).optSeed(seed).build().test(cur).pValue();
    }

    private static FlatMatrix sample(long seed, int n, int d, double shift) {
        SplittableRandom rng = new SplittableRandom(seed);
        double[] x = new double[n * d];
        for (int i = 0; i < x.length; i++) {
            x[i] = rng.nextGaussian() + (i % d == 0 ? shift : 0);
        }
        return new FlatMatrix(n, d, x);
    }

    private static long cpu() {
        return ((com.sun.management.OperatingSystemMXBean)
                        ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }
}
