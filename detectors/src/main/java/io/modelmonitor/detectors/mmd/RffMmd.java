package io.modelmonitor.detectors.mmd;

import static io.modelmonitor.detectors.stats.SplitMix64.mix64;

import io.modelmonitor.detectors.linalg.PointMatrix;
import java.io.Serializable;
import java.util.SplittableRandom;

/**
 * Linear-time approximate MMD test with random Fourier features (Rahimi &amp; Recht 2007, "Random
 * Features for Large-Scale Kernel Machines"; for two-sample testing Zhao &amp; Meng 2015, "FastMMD:
 * Ensemble of Circular Discrepancy for Efficient Two-Sample Test"). Opt-in: the exact {@link
 * MmdDetector} is the default.
 *
 * <p>φ is {@link RandomFourierFeatures}' map (E[φ(x)·φ(y)] = exp(−||x − y||²/(2σ²)), the same
 * kernel and σ convention as {@link MmdDetector}). The statistic is the <em>unbiased</em> MMD² of
 * the approximate kernel k̂(x, y) = φ(x)·φ(y): with s_X = Σφ(x_i), (||s_X||² −
 * Σ||φ(x_i)||²)/(n(n−1)) + (||s_Y||² − Σ||φ(y_j)||²)/(m(m−1)) − 2 s_X·s_Y/(nm), i.e. the diagonal
 * terms are removed as in the exact statistic (the biased ||mean φ(X) − mean φ(Y)||² would add
 * about (1/n + 1/m) to every value). Given the features it is unbiased for the exact MMD²_u; the
 * feature draw adds an error of order 1/√D. Measured on 500 vs 200 points in 8 dimensions (mean
 * shift 0.3 per dimension, exact MMD² = 0.040, mean over 5 feature seeds; {@code RffMmdTest}
 * asserts 8·10⁻³, 4·10⁻³, 2·10⁻³): mean absolute error 2.9·10⁻³ at D = 256, 2.1·10⁻³ at D = 1024,
 * 1.3·10⁻³ at D = 4096 (7%, 5%, 3% of the statistic).
 *
 * <p>The permutation p-value ((1 + #{T_perm ≥ T_obs})/(1 + P)) permutes the pooled feature rows:
 * each permutation sums the features of the smaller side, O(min(n, m)·D), against O(s²) kernel
 * look-ups for the exact test; the pooled feature matrix costs O((n + m)·d·D) per window (reference
 * features cached, (n_ref·D) doubles).
 *
 * <pre>{@code
 * RffMmd rff = RffMmd.builder().setReference(ref).optFeatures(1024).optSeed(3).build();
 * MmdResult r = rff.test(window);
 * }</pre>
 */
public final class RffMmd implements Serializable {
    private static final long serialVersionUID = 1L;

    public static final int DEFAULT_FEATURES = 1024;

    private final double[] centre;
    private final int dim;
    private final int features;
    private final double sigma;
    private final RandomFourierFeatures map;
    private final double[] referenceFeatures; // n × D
    private final int nReference;
    private final int permutations;
    private final long seed;
    private final boolean parallel;

    private RffMmd(Builder b) {
        this.centre = PointMatrix.columnMeans(b.reference);
        PointMatrix ref = PointMatrix.of(b.reference, centre);
        this.dim = ref.dim();
        this.nReference = ref.rows();
        if (nReference < 2) {
            throw new IllegalArgumentException("the reference needs at least 2 points");
        }
        this.features = b.features;
        this.sigma = b.sigma > 0 ? b.sigma : MedianHeuristic.sigma(b.reference);
        this.permutations = b.permutations;
        this.seed = b.seed;
        this.parallel = b.parallel;
        this.map = new RandomFourierFeatures(dim, features, sigma, b.seed);
        this.referenceFeatures = featuresOf(ref);
    }

    public static Builder builder() {
        return new Builder();
    }

    public double sigma() {
        return sigma;
    }

    public int features() {
        return features;
    }

    /** The approximate unbiased MMD² and its permutation p-value. */
    public MmdResult test(double[][] window) {
        PointMatrix w = PointMatrix.of(window, centre);
        if (w.dim() != dim) {
            throw new IllegalArgumentException(
                    "window has dimension " + w.dim() + ", expected " + dim);
        }
        int m = w.rows();
        if (m < 2) {
            throw new IllegalArgumentException("the window needs at least 2 points");
        }
        int n = nReference;
        int nPooled = n + m;
        double[] windowFeatures = featuresOf(w);
        double[] pooled = new double[nPooled * features];
        System.arraycopy(referenceFeatures, 0, pooled, 0, referenceFeatures.length);
        System.arraycopy(
                windowFeatures, 0, pooled, referenceFeatures.length, windowFeatures.length);
        double[] norms = new double[nPooled];
        double[] total = new double[features];
        for (int i = 0; i < nPooled; i++) {
            double s = 0;
            for (int k = 0; k < features; k++) {
                double v = pooled[i * features + k];
                s += v * v;
                total[k] += v;
            }
            norms[i] = s;
        }
        double normSum = 0;
        for (double v : norms) {
            normSum += v;
        }
        double allNorms = normSum;
        int s = Math.min(n, m);
        int[][] groups = new int[permutations + 1][];
        groups[0] = new int[s];
        for (int i = 0; i < s; i++) {
            groups[0][i] = (m <= n ? n : 0) + i;
        }
        SplittableRandom rng = new SplittableRandom(mix64(seed ^ mix64(0x5246L * 31 + m)));
        int[][] drawn = RandomSubsets.sample(rng, nPooled, s, permutations);
        System.arraycopy(drawn, 0, groups, 1, permutations);
        double[] stats = new double[groups.length];
        Parallel.forChunks(
                groups.length,
                Parallel.chunkSize(groups.length, 4),
                parallel,
                (p0, p1) -> {
                    double[] sum = new double[features];
                    for (int p = p0; p < p1; p++) {
                        stats[p] =
                                splitStatistic(
                                        groups[p], pooled, norms, allNorms, total, sum, nPooled);
                    }
                });
        int atLeast = 0;
        for (int p = 1; p <= permutations; p++) {
            if (stats[p] >= stats[0]) {
                atLeast++;
            }
        }
        return new MmdResult(
                stats[0],
                (1.0 + atLeast) / (1.0 + permutations),
                sigma,
                permutations,
                n,
                m,
                NullMode.PERMUTATION);
    }

    /** Approximate unbiased MMD² between the group and its complement in the pooled features. */
    private double splitStatistic(
            int[] group,
            double[] pooled,
            double[] norms,
            double allNorms,
            double[] total,
            double[] sum,
            int nPooled) {
        java.util.Arrays.fill(sum, 0.0);
        double groupNorms = 0;
        for (int i : group) {
            int base = i * features;
            for (int k = 0; k < features; k++) {
                sum[k] += pooled[base + k];
            }
            groupNorms += norms[i];
        }
        double aa = 0;
        double ab = 0;
        double bb = 0;
        for (int k = 0; k < features; k++) {
            double a = sum[k];
            double b = total[k] - a;
            aa += a * a;
            ab += a * b;
            bb += b * b;
        }
        int s = group.length;
        int t = nPooled - s;
        return (aa - groupNorms) / ((double) s * (s - 1))
                + (bb - (allNorms - groupNorms)) / ((double) t * (t - 1))
                - 2 * ab / ((double) s * t);
    }

    /** Row-major n × D feature matrix √(2/D)·cos(Ωx + b). */
    private double[] featuresOf(PointMatrix x) {
        int n = x.rows();
        double[] out = new double[n * features];
        double[] data = x.data();
        Parallel.forChunks(
                n,
                64,
                parallel,
                (i0, i1) -> {
                    for (int i = i0; i < i1; i++) {
                        map.map(data, i * dim, null, out, i * features);
                    }
                });
        return out;
    }

    /**
     * Builder: {@code setReference} is required; defaults: {@value #DEFAULT_FEATURES} features, σ
     * by the median heuristic, {@value MmdDetector#DEFAULT_PERMUTATIONS} permutations, seed 0.
     */
    public static final class Builder {
        private double[][] reference;
        private int features = DEFAULT_FEATURES;
        private double sigma = -1;
        private int permutations = MmdDetector.DEFAULT_PERMUTATIONS;
        private long seed;
        private boolean parallel = true;

        private Builder() {}

        public Builder setReference(double[][] reference) {
            this.reference = reference;
            return this;
        }

        /** Number of random features D (≥ 1). */
        public Builder optFeatures(int features) {
            if (features < 1) {
                throw new IllegalArgumentException("features must be at least 1");
            }
            this.features = features;
            return this;
        }

        public Builder optSigma(double sigma) {
            this.sigma = GaussianKernel.requireBandwidth(sigma);
            return this;
        }

        public Builder optPermutations(int permutations) {
            this.permutations = MmdDetector.requirePermutations(permutations);
            return this;
        }

        public Builder optSeed(long seed) {
            this.seed = seed;
            return this;
        }

        public Builder optParallel(boolean parallel) {
            this.parallel = parallel;
            return this;
        }

        public RffMmd build() {
            if (reference == null) {
                throw new IllegalStateException("setReference is required");
            }
            return new RffMmd(this);
        }
    }
}
