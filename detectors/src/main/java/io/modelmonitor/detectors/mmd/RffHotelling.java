package io.modelmonitor.detectors.mmd;

import io.modelmonitor.detectors.linalg.FlatMatrix;
import io.modelmonitor.detectors.reduction.SymmetricEigen;
import io.modelmonitor.detectors.stats.SpecialFunctions;

/**
 * Linear-time two-sample test for large numeric samples: random Fourier features of the Gaussian
 * kernel ({@link RandomFourierFeatures}, same kernel and σ convention as {@link MmdDetector}) and
 * Hotelling's T² on their means. It makes one streaming pass over each sample and keeps O(D²) state
 * per thread (no per-row features, no kernel matrix), so it runs on millions of rows.
 *
 * <p>Under the null (both samples from one distribution) the mean feature vectors of the two
 * samples differ only by noise, and with the within-sample covariance S of the features pooled over
 * both samples, T² = (nm/(n+m))·(μ̂_cur − μ̂_ref)ᵀ S⁻¹ (μ̂_cur − μ̂_ref) follows Hotelling's
 * distribution: F = T²·(n + m − 1 − r)/(r·(n + m − 2)) ~ F(r, n + m − 1 − r), r = rank(S) (exact
 * for Gaussian features, asymptotically for any features with finite variance, which bounded
 * cosines have). The p-value is that F's upper tail. This is the smooth-characteristic-function
 * test of Chwialkowski, Ramdas, Sejdinovic &amp; Gretton (2015, "Fast Two-Sample Testing with
 * Analytic Representations of Probability Distributions") with Gaussian-distributed frequencies and
 * random phases. Directions in which S vanishes (eigenvalues below 10⁻¹² of the largest) are left
 * out of T² and of r.
 *
 * <p>The reported statistic is the unbiased MMD² of the approximate kernel φ(x)·φ(y) (diagonal
 * terms removed as in {@link RffMmd}), comparable with the exact MMD² up to the feature error of
 * order 1/√D; the p-value comes from T², which whitens the feature differences instead of summing
 * their squares. Both are computed from the same sums.
 *
 * <p>Cost: (n + m)·(D·d + D²) multiply-adds and (n + m)·D cosines, plus O(D³) once.
 *
 * <pre>{@code
 * RffHotelling t = RffHotelling.builder().setReference(ref).optFeatures(64).optSeed(0).build();
 * RffHotelling.Result r = t.test(current);     // r.pValue(), r.statistic(), r.t2()
 * Witness w = t.witness(current, r);           // exemplars, approximate
 * }</pre>
 */
public final class RffHotelling {
    public static final int DEFAULT_FEATURES = 64;

    /** Rows per parallel task: partial sums are combined in task order (thread-independent). */
    private static final int CHUNK = 8192;

    /** Eigenvalues of S below this fraction of the largest are treated as zero. */
    private static final double RANK_TOLERANCE = 1e-12;

    private final double[] centre;
    private final double sigma;
    private final RandomFourierFeatures map;
    private final boolean parallel;
    private final FlatMatrix reference;
    private final Moments referenceMoments;

    /**
     * One test's outcome.
     *
     * @param statistic unbiased MMD² of the random-feature kernel
     * @param t2 Hotelling's T² of the mean feature difference
     * @param pValue upper tail of F(dof, n + m − 1 − dof) at the scaled T²
     * @param dof r, the rank of the pooled feature covariance used
     * @param sigma the kernel bandwidth
     * @param features D
     * @param nReference reference rows
     * @param nCurrent current rows
     * @param meanDifference μ̂_cur − μ̂_ref, the difference of the mean feature vectors (D values)
     */
    public record Result(
            double statistic,
            double t2,
            double pValue,
            int dof,
            double sigma,
            int features,
            int nReference,
            int nCurrent,
            double[] meanDifference) {

        /** True when the p-value is strictly below {@code alpha}. */
        public boolean drift(double alpha) {
            return pValue < alpha;
        }
    }

    private RffHotelling(Builder b) {
        this.reference = b.reference;
        if (reference.rows() < 2) {
            throw new IllegalArgumentException("the reference needs at least 2 rows");
        }
        this.centre = reference.columnMeans();
        this.sigma = b.sigma > 0 ? b.sigma : medianSigma(reference);
        this.map = new RandomFourierFeatures(reference.cols(), b.features, sigma, b.seed);
        this.parallel = b.parallel;
        this.referenceMoments = moments(reference);
    }

    public static Builder builder() {
        return new Builder();
    }

    public double sigma() {
        return sigma;
    }

    public int features() {
        return map.features();
    }

    /**
     * σ by the median heuristic on the same seeded subsample of at most {@value
     * MedianHeuristic#MAX_POINTS} rows that {@link MedianHeuristic#sigma(double[][])} takes, so a
     * flat sample and its rows get the same bandwidth.
     */
    public static double medianSigma(FlatMatrix reference) {
        int n = reference.rows();
        if (n <= MedianHeuristic.MAX_POINTS) {
            return MedianHeuristic.sigma(reference.toRows());
        }
        int[] subset = MedianHeuristic.subsample(n);
        return MedianHeuristic.sigma(reference.rows(subset));
    }

    /** Tests the current sample (same columns as the reference) against the reference. */
    public Result test(FlatMatrix current) {
        requireColumns(current);
        int n = reference.rows();
        int m = current.rows();
        int features = map.features();
        if (m < 2) {
            throw new IllegalArgumentException("the current sample needs at least 2 rows");
        }
        if (n + m - 2 <= features) {
            throw new IllegalArgumentException(
                    "the random-feature test needs more rows than features: "
                            + (n + m)
                            + " rows, "
                            + features
                            + " features");
        }
        Moments x = referenceMoments;
        Moments y = moments(current);
        double sxx = 0;
        double syy = 0;
        double sxy = 0;
        double[] diff = new double[features];
        for (int k = 0; k < features; k++) {
            sxx += x.sum[k] * x.sum[k];
            syy += y.sum[k] * y.sum[k];
            sxy += x.sum[k] * y.sum[k];
            diff[k] = y.sum[k] / m - x.sum[k] / n;
        }
        double statistic =
                (sxx - x.trace()) / ((double) n * (n - 1))
                        + (syy - y.trace()) / ((double) m * (m - 1))
                        - 2 * sxy / ((double) n * m);
        // pooled within-sample covariance
        double[][] s = new double[features][features];
        for (int a = 0; a < features; a++) {
            for (int b = 0; b < features; b++) {
                double within =
                        x.cross[a * features + b]
                                - x.sum[a] * x.sum[b] / n
                                + y.cross[a * features + b]
                                - y.sum[a] * y.sum[b] / m;
                s[a][b] = within / (n + m - 2.0);
            }
        }
        SymmetricEigen eig = SymmetricEigen.of(s);
        double floor = Math.max(eig.values[0], 0) * RANK_TOLERANCE;
        double quad = 0;
        int rank = 0;
        for (int r = 0; r < features; r++) {
            if (eig.values[r] > floor && eig.values[r] > 0) {
                double proj = 0;
                for (int k = 0; k < features; k++) {
                    proj += eig.vectors[r][k] * diff[k];
                }
                quad += proj * proj / eig.values[r];
                rank++;
            }
        }
        double t2 = (double) n * m / (n + m) * quad;
        double pValue = rank == 0 ? 1.0 : fUpperTail(t2, rank, n + m);
        return new Result(statistic, t2, pValue, rank, sigma, features, n, m, diff);
    }

    /**
     * The random-feature approximation of the MMD witness, f(x) = φ(x)·(μ̂_cur − μ̂_ref), at every
     * current and reference row: one more feature pass over both samples, with {@code result} the
     * outcome of {@link #test} on the same current sample.
     */
    public Witness witness(FlatMatrix current, Result result) {
        requireColumns(current);
        if (result.nCurrent() != current.rows() || result.meanDifference().length != features()) {
            throw new IllegalArgumentException("the result is not this test's on this sample");
        }
        double[] diff = result.meanDifference();
        return new Witness(witnessValues(current, diff), witnessValues(reference, diff));
    }

    /** Hotelling's T² scaled to its F(r, N − 1 − r) law; the upper tail. */
    static double fUpperTail(double t2, int r, int pooled) {
        double d2 = pooled - 1.0 - r;
        double f = t2 * d2 / (r * (pooled - 2.0));
        if (!(f > 0)) {
            return 1.0;
        }
        // P(F > f) = I_{d2/(d2 + r f)}(d2/2, r/2)
        return SpecialFunctions.regularizedBeta(d2 / (d2 + r * f), d2 / 2, r / 2.0);
    }

    private void requireColumns(FlatMatrix current) {
        if (current.cols() != reference.cols()) {
            throw new IllegalArgumentException(
                    "the current sample has "
                            + current.cols()
                            + " columns, the reference "
                            + reference.cols());
        }
    }

    private double[] witnessValues(FlatMatrix x, double[] diff) {
        int rows = x.rows();
        int d = x.cols();
        int features = map.features();
        double[] data = x.data();
        double[] out = new double[rows];
        Parallel.forChunks(
                rows,
                CHUNK,
                parallel,
                (i0, i1) -> {
                    double[] f = new double[features];
                    for (int i = i0; i < i1; i++) {
                        map.map(data, i * d, centre, f, 0);
                        double v = 0;
                        for (int k = 0; k < features; k++) {
                            v += f[k] * diff[k];
                        }
                        out[i] = v;
                    }
                });
        return out;
    }

    /** Σφ and Σφφᵀ over a sample's rows. */
    private record Moments(double[] sum, double[] cross) {
        double trace() {
            int features = sum.length;
            double t = 0;
            for (int k = 0; k < features; k++) {
                t += cross[k * features + k];
            }
            return t;
        }
    }

    private Moments moments(FlatMatrix x) {
        int rows = x.rows();
        int d = x.cols();
        int features = map.features();
        double[] data = x.data();
        int chunks = (rows + CHUNK - 1) / CHUNK;
        double[][] sums = new double[chunks][];
        double[][] crosses = new double[chunks][];
        Parallel.forChunks(
                rows,
                CHUNK,
                parallel,
                (i0, i1) -> {
                    double[] f = new double[4 * features];
                    double[] sum = new double[features];
                    double[] cross = new double[features * features];
                    for (int i = i0; i < i1; i += 4) {
                        // four rows at a time: a quarter of the loads and stores of the sums
                        int present = Math.min(4, i1 - i);
                        for (int r = 0; r < 4; r++) {
                            if (r < present) {
                                map.map(data, (i + r) * d, centre, f, r * features);
                            } else {
                                java.util.Arrays.fill(f, r * features, (r + 1) * features, 0.0);
                            }
                        }
                        addOuterProducts(f, features, sum, cross);
                    }
                    sums[i0 / CHUNK] = sum;
                    crosses[i0 / CHUNK] = cross;
                });
        double[] sum = new double[features];
        double[] cross = new double[features * features];
        for (int c = 0; c < chunks; c++) {
            for (int k = 0; k < features; k++) {
                sum[k] += sums[c][k];
            }
            for (int k = 0; k < cross.length; k++) {
                cross[k] += crosses[c][k];
            }
        }
        for (int a = 0; a < features; a++) {
            for (int b = 0; b < a; b++) {
                cross[a * features + b] = cross[b * features + a];
            }
        }
        return new Moments(sum, cross);
    }

    /**
     * Adds the four feature rows in {@code f} (4 × D) to the sums and the upper triangle (b ≥ a) of
     * the cross products; the lower triangle is mirrored once at the end.
     */
    private static void addOuterProducts(double[] f, int features, double[] sum, double[] cross) {
        int r1 = features;
        int r2 = 2 * features;
        int r3 = 3 * features;
        for (int a = 0; a < features; a++) {
            double f0 = f[a];
            double f1 = f[r1 + a];
            double f2 = f[r2 + a];
            double f3 = f[r3 + a];
            sum[a] += (f0 + f1) + (f2 + f3);
            int base = a * features;
            for (int b = a; b < features; b++) {
                cross[base + b] += f0 * f[b] + f1 * f[r1 + b] + f2 * f[r2 + b] + f3 * f[r3 + b];
            }
        }
    }

    /**
     * Builder: {@code setReference} is required; defaults: {@value #DEFAULT_FEATURES} features, σ
     * by the median heuristic, seed 0, parallel.
     */
    public static final class Builder {
        private FlatMatrix reference;
        private int features = DEFAULT_FEATURES;
        private double sigma = -1;
        private long seed;
        private boolean parallel = true;

        private Builder() {}

        public Builder setReference(FlatMatrix reference) {
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

        public Builder optSeed(long seed) {
            this.seed = seed;
            return this;
        }

        public Builder optParallel(boolean parallel) {
            this.parallel = parallel;
            return this;
        }

        public RffHotelling build() {
            if (reference == null) {
                throw new IllegalStateException("setReference is required");
            }
            return new RffHotelling(this);
        }
    }
}
