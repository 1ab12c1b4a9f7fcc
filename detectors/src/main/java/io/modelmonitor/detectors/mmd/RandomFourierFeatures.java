package io.modelmonitor.detectors.mmd;

import java.io.Serializable;
import java.util.SplittableRandom;

/**
 * The random Fourier feature map of the Gaussian kernel (Rahimi &amp; Recht 2007, "Random Features
 * for Large-Scale Kernel Machines"): φ(x) = √(2/D)·cos(Ωx + b), the D rows of Ω drawn from N(0,
 * σ⁻²I) and b from U(0, 2π), seeded, so that E[φ(x)·φ(y)] = exp(−||x − y||²/(2σ²)). Shared by the
 * tests built on it ({@link RffMmd}, {@link RffHotelling}).
 *
 * <p>The projection Ωx is accumulated as d AXPY updates over the D features (Ω stored transposed),
 * a loop shape HotSpot's C2 compiles to SIMD, and the cosines come from {@link FastMath#cos}
 * (within 10⁻¹⁴ of Math.cos, about 5× faster); the draw order (Ω row by row, then b) is part of the
 * seeded contract.
 */
final class RandomFourierFeatures implements Serializable {
    private static final long serialVersionUID = 1L;

    private final int dim;
    private final int features;
    private final double scale;
    private final double[] omegaT; // d × D
    private final double[] phase; // D

    RandomFourierFeatures(int dim, int features, double sigma, long seed) {
        if (dim < 1 || features < 1) {
            throw new IllegalArgumentException("dimension and features must be at least 1");
        }
        this.dim = dim;
        this.features = features;
        this.scale = Math.sqrt(2.0 / features);
        SplittableRandom rng = new SplittableRandom(seed);
        this.omegaT = new double[features * dim];
        for (int k = 0; k < features; k++) {
            for (int j = 0; j < dim; j++) {
                omegaT[j * features + k] = rng.nextGaussian() / sigma;
            }
        }
        this.phase = new double[features];
        for (int k = 0; k < features; k++) {
            phase[k] = rng.nextDouble() * 2 * Math.PI;
        }
    }

    int dim() {
        return dim;
    }

    int features() {
        return features;
    }

    /**
     * Writes φ(x − centre) to {@code out[oo .. oo + D)}, x = {@code x[xo .. xo + d)}; {@code
     * centre} may be null (no centring).
     */
    void map(double[] x, int xo, double[] centre, double[] out, int oo) {
        System.arraycopy(phase, 0, out, oo, features);
        int j = 0;
        for (; j + 4 <= dim; j += 4) {
            // four coordinates per pass over the D outputs: a quarter of the loads and stores
            axpy4(
                    out,
                    oo,
                    coordinate(x, xo, centre, j),
                    coordinate(x, xo, centre, j + 1),
                    coordinate(x, xo, centre, j + 2),
                    coordinate(x, xo, centre, j + 3),
                    omegaT,
                    j * features,
                    features);
        }
        for (; j < dim; j++) {
            axpy(out, oo, coordinate(x, xo, centre, j), omegaT, j * features, features);
        }
        FastMath.cos(out, oo, oo + features);
        for (int k = 0; k < features; k++) {
            out[oo + k] *= scale;
        }
    }

    private static double coordinate(double[] x, int xo, double[] centre, int j) {
        return centre == null ? x[xo + j] : x[xo + j] - centre[j];
    }

    /** y[yo + k] += a0·w[wo + k] + a1·w[wo + len + k] + a2·… + a3·… for k in [0, len). */
    private static void axpy4(
            double[] y,
            int yo,
            double a0,
            double a1,
            double a2,
            double a3,
            double[] w,
            int wo,
            int len) {
        int w1 = wo + len;
        int w2 = w1 + len;
        int w3 = w2 + len;
        for (int k = 0; k < len; k++) {
            y[yo + k] += a0 * w[wo + k] + a1 * w[w1 + k] + a2 * w[w2 + k] + a3 * w[w3 + k];
        }
    }

    private static void axpy(double[] y, int yo, double alpha, double[] x, int xo, int len) {
        for (int k = 0; k < len; k++) {
            y[yo + k] += alpha * x[xo + k];
        }
    }
}
