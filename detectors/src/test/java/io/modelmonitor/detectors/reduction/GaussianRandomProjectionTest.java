package io.modelmonitor.detectors.reduction;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class GaussianRandomProjectionTest {
  private static GaussianRandomProjection projection(long seed) {
    return GaussianRandomProjection.builder()
        .setInputDimension(384).setOutputDimension(32).optSeed(seed).build();
  }

  @Test
  void sameSeedSameMatrixOtherSeedOtherMatrix() {
    assertArrayEquals(projection(7).matrix(), projection(7).matrix());
    assertFalse(Arrays.deepEquals(projection(7).matrix(), projection(8).matrix()));
    // The first entry is fixed by java.util.Random's specified algorithm.
    assertEquals(new Random(7).nextGaussian() / Math.sqrt(32), projection(7).matrix()[0][0], 0);
  }

  @Test
  void entriesHaveVarianceOneOverK() {
    double[][] m = projection(1).matrix();
    double sum = 0;
    double sumSq = 0;
    int count = 0;
    for (double[] row : m) {
      for (double v : row) {
        sum += v;
        sumSq += v * v;
        count++;
      }
    }
    double variance = sumSq / count - (sum / count) * (sum / count);
    // 12288 draws: the sample variance's relative standard error is sqrt(2/12288) ≈ 1.3%.
    assertEquals(1.0 / 32, variance, 0.05 / 32);
    assertEquals(0, sum / count, 4 * Math.sqrt(1.0 / 32 / count));
  }

  @Test
  void preservesSquaredNormsOnAverage() {
    GaussianRandomProjection p = projection(3);
    Random rng = new Random(11);
    double ratioSum = 0;
    int vectors = 200;
    for (int i = 0; i < vectors; i++) {
      double[] x = new double[384];
      for (int j = 0; j < x.length; j++) {
        x[j] = rng.nextGaussian();
      }
      ratioSum += squaredNorm(p.transform(x)) / squaredNorm(x);
    }
    // For a fixed matrix, E‖Px‖²/‖x‖² = trace(PᵀP)/d ≈ 1 within a few percent.
    assertEquals(1.0, ratioSum / vectors, 0.06);
    assertArrayEquals(p.transform(new double[384]), new double[32]);
  }

  private static double squaredNorm(double[] x) {
    double s = 0;
    for (double v : x) {
      s += v * v;
    }
    return s;
  }
}
