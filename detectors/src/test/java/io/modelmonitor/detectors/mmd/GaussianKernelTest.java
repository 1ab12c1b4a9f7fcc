package io.modelmonitor.detectors.mmd;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.modelmonitor.detectors.linalg.PointMatrix;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The blocked kernel rows ({@link GaussianKernel#rows}, four rows at a time plus single rows)
 * against exp(−||x − y||²/(2σ²)) from explicit differences and {@link Math#exp}, within the fast
 * exp's bounds (values below exp(−64) ≈ 1.6·10⁻²⁸ come out as that).
 */
class GaussianKernelTest {

    private static PointMatrix points(long seed, int n, int d) {
        SplittableRandom rng = new SplittableRandom(seed);
        double[][] x = new double[n][d];
        for (double[] row : x) {
            for (int k = 0; k < d; k++) {
                row[k] = rng.nextGaussian() * (k + 1);
            }
        }
        return PointMatrix.of(x);
    }

    private static double exact(PointMatrix a, int i, PointMatrix b, int j, double sigma) {
        double s = 0;
        for (int k = 0; k < a.dim(); k++) {
            double diff = a.get(i, k) - b.get(j, k);
            s += diff * diff;
        }
        return Math.exp(-s / (2 * sigma * sigma));
    }

    @Test
    void rectangularBlockMatchesTheDefinition() {
        // 13 rows (three blocks of four and one single), 7 dimensions (a 4-wide step and 3 more),
        // columns [5, 1100) across the 512-column tiles
        PointMatrix a = points(1, 13, 7);
        PointMatrix b = points(2, 1100, 7);
        double sigma = 3.0;
        GaussianKernel k = new GaussianKernel(sigma);
        int from = 5;
        int to = 1100;
        int len = to - from;
        float[] out = new float[13 * len];
        double[] sums = new double[13];
        k.rows(a, 0, 13, b, from, to, false, new double[4 * len], out, r -> r * len, sums);
        for (int i = 0; i < 13; i++) {
            double sum = 0;
            for (int j = from; j < to; j++) {
                double v = exact(a, i, b, j, sigma);
                sum += v;
                assertEquals(v, out[i * len + j - from], 1e-7 * v + 2e-28, i + "," + j);
            }
            assertEquals(sum, sums[i], 1e-12 * sum, "row " + i);
        }
    }

    @Test
    void upperTriangleMatchesTheDefinition() {
        int n = 11;
        PointMatrix a = points(3, n, 5);
        double sigma = 2.0;
        GaussianKernel k = new GaussianKernel(sigma);
        // packed strict upper triangle, row i at i·n − i(i+1)/2
        float[] packed = new float[n * (n - 1) / 2];
        double[] sums = new double[n];
        k.rows(
                a,
                0,
                n,
                a,
                0,
                n,
                true,
                new double[4 * n],
                packed,
                i -> i * n - i * (i + 1) / 2,
                sums);
        int p = 0;
        for (int i = 0; i < n; i++) {
            double sum = 0;
            for (int j = i + 1; j < n; j++) {
                double v = exact(a, i, a, j, sigma);
                sum += v;
                assertEquals(v, packed[p++], 1e-7 * v + 2e-28, i + "," + j);
            }
            assertEquals(sum, sums[i], 1e-12 * Math.max(sum, 1e-300), "row " + i);
        }
    }
}
