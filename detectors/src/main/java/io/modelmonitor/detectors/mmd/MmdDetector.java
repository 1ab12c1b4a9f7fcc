package io.modelmonitor.detectors.mmd;

import static io.modelmonitor.detectors.stats.SplitMix64.mix64;

import io.modelmonitor.detectors.linalg.PointMatrix;
import java.io.Serializable;
import java.util.SplittableRandom;

/**
 * Kernel maximum mean discrepancy two-sample test (Gretton, Borgwardt, Rasch, Schölkopf &amp; Smola
 * 2012, "A Kernel Two-Sample Test", JMLR 13) of windows against one fixed reference.
 *
 * <p>Conventions (docs/statistics.md): Gaussian kernel k(x, y) = exp(−||x − y||² / (2σ²)); σ by the
 * median heuristic σ = √(m/2), m the median squared distance between distinct reference points
 * ({@link MedianHeuristic}); the unbiased statistic ({@link #mmd2Unbiased}, diagonals left out of
 * both within-sample sums); permutation p-value (1 + #{null statistics ≥ observed}) / (1 + P).
 *
 * <pre>{@code
 * MmdDetector detector = MmdDetector.builder()
 *     .setReference(reference)              // n_ref x d
 *     .optPermutations(1000)
 *     .optSeed(42)
 *     .optNullMode(NullMode.CALIBRATED)
 *     .build();
 * MmdResult r = detector.test(window);      // n_window x d
 * if (r.drift(0.05)) { ... }
 * }</pre>
 *
 * <h2>Exact permutation test ({@link NullMode#PERMUTATION})</h2>
 *
 * Each test pools Z = reference ∪ window (N = n_ref + n_window points) and draws P uniformly random
 * splits into the original sizes ({@code PermutationTest}). The reference×reference kernel block is
 * computed once per detector and cached; the reference×window and window×window blocks per window
 * (float storage, n_ref·n_window + n_window² floats). Permutations are seeded by (seed, n_window)
 * only: testing the same window twice gives the same p-value, whatever was tested before and on any
 * number of threads.
 *
 * <h2>Calibrated null ({@link NullMode#CALIBRATED})</h2>
 *
 * The null is simulated from the reference alone: B = P random size-g subsets D of the reference
 * (the calibration pool), each giving MMD²_u(D, pool \ D) from the cached reference kernel, i.e.
 * the permutation distribution of the reference alone (a resampling null in the sense of Gretton et
 * al. 2012, section 5, drawn once instead of per window). The draws are standardised by the exact
 * null variance for their sample sizes and simulated once for a fixed grid of counts g, so windows
 * of any count share them, and a generalized Pareto tail fitted to the top draws gives p-values far
 * below 1/(B + 1) ({@link CalibratedNull}; {@link MmdResult#tailApproximation()} says when it was
 * used). The statistic of a window uses the whole reference, as the exact test does, so the two
 * have the same power; each window costs one statistic, O((n_ref·m + m²)·d). Requires m ≤ n_pool /
 * 2; larger windows fall back to the permutation test (reported in {@link MmdResult#nullMode()}).
 *
 * <h2>Memory bound</h2>
 *
 * The cached reference kernel takes n_ref(n_ref−1)/2 floats: 8 MB at n_ref = 2000, 50 MB at 5000,
 * and at most {@link #DEFAULT_MAX_KERNEL_CACHE_BYTES} (n_ref ≈ 11 585) unless changed with {@link
 * Builder#optMaxKernelCacheBytes}. Above the bound the permutation test recomputes the reference
 * rows block by block for every window (bounded memory, n_ref²/2 extra kernel evaluations per
 * window), and calibration uses a seeded subset of the reference of the largest cacheable size as
 * its pool (the variance rescaling above accounts for the pool size). The kernel cache and
 * calibrated nulls are transient: a deserialized detector rebuilds them on first use,
 * deterministically.
 *
 * <p>Thread-safe: {@link #test} may be called concurrently. Uses the common fork-join pool for
 * large blocks unless built with {@code optParallel(false)}.
 */
public final class MmdDetector implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Permutations (or calibration draws) when not set. */
    public static final int DEFAULT_PERMUTATIONS = 1000;

    /** 256 MiB: caches the reference kernel up to n_ref ≈ 11 585. */
    public static final long DEFAULT_MAX_KERNEL_CACHE_BYTES = 256L << 20;

    private static final long SALT_PERMUTATION = 1;
    private static final long SALT_CALIBRATION = 2;
    private static final long SALT_POOL = 3;

    /** Rows per parallel task for kernel blocks. */
    private static final int ROW_CHUNK = 32;

    /** Reference columns per tile in the calibrated statistic (1024 × d doubles, in L2). */
    private static final int COLUMN_TILE = 1024;

    private final PointMatrix reference;
    private final double[] centre;
    private final GaussianKernel kernel;
    private final int permutations;
    private final long seed;
    private final NullMode nullMode;
    private final long maxKernelCacheBytes;
    private final boolean parallel;

    private transient volatile ReferenceKernel referenceKernel;
    private transient volatile ReferenceKernel poolKernel;
    private transient volatile CalibratedNull calibratedNull;

    private MmdDetector(Builder b) {
        this.centre = PointMatrix.columnMeans(b.reference);
        this.reference = PointMatrix.of(b.reference, centre);
        if (reference.rows() < 4) {
            throw new IllegalArgumentException("the reference needs at least 4 points");
        }
        double sigma = b.sigma > 0 ? b.sigma : MedianHeuristic.sigma(b.reference);
        this.kernel = new GaussianKernel(sigma);
        this.permutations = b.permutations;
        this.seed = b.seed;
        this.nullMode = b.nullMode;
        this.maxKernelCacheBytes = b.maxKernelCacheBytes;
        this.parallel = b.parallel;
    }

    /** {@code permutations} when it is at least 1, else IllegalArgumentException. */
    static int requirePermutations(int permutations) {
        if (permutations < 1) {
            throw new IllegalArgumentException("permutations must be at least 1");
        }
        return permutations;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The kernel bandwidth σ. */
    public double sigma() {
        return kernel.sigma();
    }

    public int referenceSize() {
        return reference.rows();
    }

    public int dimension() {
        return reference.dim();
    }

    public int permutations() {
        return permutations;
    }

    public NullMode nullMode() {
        return nullMode;
    }

    /**
     * Tests a window (n_window × d, n_window ≥ 2) against the reference with this detector's null
     * mode.
     */
    public MmdResult test(double[][] window) {
        return run(window, false).result();
    }

    /**
     * {@link #test}, plus the witness function at every window and reference point ({@link
     * Witness}), taken from the kernel sums the test computes anyway: the calibrated path adds only
     * column sums of blocks it already evaluates, the permutation path reads its pooled row sums.
     */
    public ExplainedMmd testExplained(double[][] window) {
        return run(window, true);
    }

    private ExplainedMmd run(double[][] window, boolean witness) {
        PointMatrix w = PointMatrix.of(window, centre);
        if (w.dim() != reference.dim()) {
            throw new IllegalArgumentException(
                    "window has dimension " + w.dim() + ", reference has " + reference.dim());
        }
        if (w.rows() < 2) {
            throw new IllegalArgumentException("the window needs at least 2 points");
        }
        if (nullMode == NullMode.CALIBRATED && canCalibrate(w.rows())) {
            return testCalibrated(w, witness);
        }
        return PermutationTest.test(
                reference,
                w,
                kernel,
                referenceKernel(),
                permutations,
                rng(SALT_PERMUTATION, w.rows()),
                maxKernelCacheBytes,
                parallel,
                witness);
    }

    /**
     * Simulates the calibrated null serving these window sizes now (otherwise it happens on the
     * first test needing it). Sizes that cannot be calibrated are ignored.
     */
    public void calibrate(int... windowSizes) {
        for (int m : windowSizes) {
            if (canCalibrate(m)) {
                calibratedNull().prepare(m);
            }
        }
    }

    /** Whether CALIBRATED mode can serve windows of size m (else the permutation test is used). */
    public boolean canCalibrate(int m) {
        int pool = Math.min(reference.rows(), ReferenceKernel.maxCachedPoints(maxKernelCacheBytes));
        return m >= 2 && 2L * m <= pool;
    }

    // ---------------------------------------------------------------- calibrated mode

    private ExplainedMmd testCalibrated(PointMatrix w, boolean witness) {
        int n = reference.rows();
        int m = w.rows();
        ReferenceKernel rk = referenceKernel();
        double refOffDiagonal = rk.exactOffDiagonalSum;
        double[] crossRows = new double[m];
        double[] windowRows = new double[m];
        // For the witness, each chunk also sums its rows' kernel values by column (window columns
        // of
        // the upper window block, reference columns of the cross block) into arrays of its own,
        // added in chunk order afterwards so the result does not depend on the thread count.
        int chunks = (m + ROW_CHUNK - 1) / ROW_CHUNK;
        double[][] windowColumns = witness ? new double[chunks][] : null;
        double[][] referenceColumns = witness ? new double[chunks][] : null;
        Parallel.forChunks(
                m,
                ROW_CHUNK,
                parallel,
                (c0, c1) -> {
                    double[] scratch = new double[4 * Math.max(COLUMN_TILE, m)];
                    double[] four = new double[4];
                    double[] refCols = witness ? new double[n] : null;
                    double[] winCols = witness ? new double[m] : null;
                    // reference columns in tiles so a tile's transposed data stays in L2 for all
                    // rows; rows four at a time (register-blocked), the last few alone
                    for (int t0 = 0; t0 < n; t0 += COLUMN_TILE) {
                        int t1 = Math.min(n, t0 + COLUMN_TILE);
                        int len = t1 - t0;
                        for (int c = c0; c < c1; ) {
                            int rows = c + 4 <= c1 ? 4 : 1;
                            if (rows == 4) {
                                kernel.rows4(w, c, reference, t0, t1, 0, scratch, null, null, four);
                            } else {
                                four[0] = kernel.row(w, c, reference, t0, t1, scratch, null, 0);
                            }
                            for (int q = 0; q < rows; q++) {
                                crossRows[c + q] += four[q];
                                for (int j = 0; witness && j < len; j++) {
                                    refCols[t0 + j] += scratch[q * len + j];
                                }
                            }
                            c += rows;
                        }
                    }
                    for (int c = c0; c < c1; c++) {
                        windowRows[c] = kernel.row(w, c, w, c + 1, m, scratch, null, 0);
                        if (witness) {
                            for (int e = c + 1; e < m; e++) {
                                winCols[e] += scratch[e - c - 1];
                            }
                        }
                    }
                    if (witness) {
                        windowColumns[c0 / ROW_CHUNK] = winCols;
                        referenceColumns[c0 / ROW_CHUNK] = refCols;
                    }
                });
        double statistic =
                UnbiasedMmd.fromSums(
                        refOffDiagonal,
                        2 * UnbiasedMmd.sum(windowRows),
                        UnbiasedMmd.sum(crossRows),
                        n,
                        m);
        CalibratedNull.Evaluation e = calibratedNull().pValue(statistic, m);
        MmdResult result =
                new MmdResult(
                        statistic,
                        e.pValue(),
                        sigma(),
                        permutations,
                        n,
                        m,
                        NullMode.CALIBRATED,
                        e.tail());
        if (!witness) {
            return new ExplainedMmd(result, null);
        }
        double[] wf = new double[m];
        for (int c = 0; c < m; c++) {
            double full = 1.0 + windowRows[c];
            for (double[] cols : windowColumns) {
                full += cols[c];
            }
            wf[c] = full / m - crossRows[c] / n;
        }
        double[] rf = new double[n];
        for (int i = 0; i < n; i++) {
            double cross = 0;
            for (double[] cols : referenceColumns) {
                cross += cols[i];
            }
            rf[i] = cross / m - rk.rowSums[i] / n;
        }
        return new ExplainedMmd(result, new Witness(wf, rf));
    }

    /** The calibrated null (built on first use; its grid counts are simulated lazily). */
    CalibratedNull calibratedNull() {
        CalibratedNull c = calibratedNull;
        if (c == null) {
            synchronized (this) {
                c = calibratedNull;
                if (c == null) {
                    c =
                            new CalibratedNull(
                                    calibrationPool(),
                                    reference.rows(),
                                    permutations,
                                    g -> rng(SALT_CALIBRATION, g),
                                    parallel);
                    calibratedNull = c;
                }
            }
        }
        return c;
    }

    // ---------------------------------------------------------------- caches

    private ReferenceKernel referenceKernel() {
        ReferenceKernel rk = referenceKernel;
        if (rk == null) {
            synchronized (this) {
                rk = referenceKernel;
                if (rk == null) {
                    rk =
                            ReferenceKernel.packedBytes(reference.rows()) <= maxKernelCacheBytes
                                    ? ReferenceKernel.build(reference, kernel, parallel)
                                    : ReferenceKernel.streamedSums(reference, kernel, parallel);
                    referenceKernel = rk;
                }
            }
        }
        return rk;
    }

    private ReferenceKernel calibrationPool() {
        ReferenceKernel full = referenceKernel();
        if (full.isCached()) {
            return full;
        }
        ReferenceKernel pool = poolKernel;
        if (pool == null) {
            synchronized (this) {
                pool = poolKernel;
                if (pool == null) {
                    int size = ReferenceKernel.maxCachedPoints(maxKernelCacheBytes);
                    int[] subset =
                            RandomSubsets.sample(rng(SALT_POOL, size), reference.rows(), size, 1)[
                                    0];
                    pool = ReferenceKernel.build(reference.select(subset), kernel, parallel);
                    poolKernel = pool;
                }
            }
        }
        return pool;
    }

    private SplittableRandom rng(long salt, int size) {
        return new SplittableRandom(mix64(seed ^ mix64(salt * 0x1000003L + size)));
    }

    // ---------------------------------------------------------------- static reference functions

    /**
     * The unbiased MMD² between samples x (n × d) and y (m × d), n, m ≥ 2, with the Gaussian kernel
     * of bandwidth σ: Σ_{i≠i'} k(x_i, x_i')/(n(n−1)) + Σ_{j≠j'} k(y_j, y_j')/(m(m−1)) − 2 Σ k(x_i,
     * y_j)/(nm). Double precision throughout (both samples centred on x's mean first).
     */
    public static double mmd2Unbiased(double[][] x, double[][] y, double sigma) {
        double[] c = PointMatrix.columnMeans(x);
        PointMatrix a = PointMatrix.of(x, c);
        PointMatrix b = PointMatrix.of(y, c);
        if (a.dim() != b.dim()) {
            throw new IllegalArgumentException("dimensions differ: " + a.dim() + " vs " + b.dim());
        }
        int n = a.rows();
        int m = b.rows();
        if (n < 2 || m < 2) {
            throw new IllegalArgumentException("both samples need at least 2 points");
        }
        GaussianKernel k = new GaussianKernel(sigma);
        double[] scratch = new double[Math.max(n, m)];
        double xx = 0;
        double xy = 0;
        for (int i = 0; i < n; i++) {
            xx += k.row(a, i, a, i + 1, n, scratch, null, 0);
            xy += k.row(a, i, b, 0, m, scratch, null, 0);
        }
        double yy = 0;
        for (int j = 0; j < m; j++) {
            yy += k.row(b, j, b, j + 1, m, scratch, null, 0);
        }
        return UnbiasedMmd.fromSums(2 * xx, 2 * yy, xy, n, m);
    }

    /**
     * Builder: {@code setReference} is required; everything else has a default (σ by the median
     * heuristic, {@value #DEFAULT_PERMUTATIONS} permutations, seed 0, {@link NullMode#PERMUTATION},
     * 256 MiB kernel cache, parallel).
     */
    public static final class Builder {
        private double[][] reference;
        private double sigma = -1;
        private int permutations = DEFAULT_PERMUTATIONS;
        private long seed;
        private NullMode nullMode = NullMode.PERMUTATION;
        private long maxKernelCacheBytes = DEFAULT_MAX_KERNEL_CACHE_BYTES;
        private boolean parallel = true;

        private Builder() {}

        /** The reference sample, n_ref × d (copied). */
        public Builder setReference(double[][] reference) {
            this.reference = reference;
            return this;
        }

        /** A fixed kernel bandwidth instead of the median heuristic. */
        public Builder optSigma(double sigma) {
            this.sigma = GaussianKernel.requireBandwidth(sigma);
            return this;
        }

        /** Permutations per test, or calibration draws in CALIBRATED mode (≥ 1). */
        public Builder optPermutations(int permutations) {
            this.permutations = MmdDetector.requirePermutations(permutations);
            return this;
        }

        public Builder optSeed(long seed) {
            this.seed = seed;
            return this;
        }

        public Builder optNullMode(NullMode nullMode) {
            this.nullMode = java.util.Objects.requireNonNull(nullMode);
            return this;
        }

        /** Upper bound on the cached reference kernel (see the class notes). */
        public Builder optMaxKernelCacheBytes(long bytes) {
            if (bytes < 0) {
                throw new IllegalArgumentException("bytes must be non-negative");
            }
            this.maxKernelCacheBytes = bytes;
            return this;
        }

        /** Whether to use the common fork-join pool; results are identical either way. */
        public Builder optParallel(boolean parallel) {
            this.parallel = parallel;
            return this;
        }

        public MmdDetector build() {
            if (reference == null) {
                throw new IllegalStateException("setReference is required");
            }
            return new MmdDetector(this);
        }
    }
}
