package io.modelmonitor.detectors.reduction;

import java.io.Serializable;
import java.util.Random;

/**
 * Gaussian random projection R^d → R^k with i.i.d. N(0, 1/k) entries, which preserves squared
 * norms in expectation and pairwise distances up to 1 ± ε with high probability
 * (Johnson–Lindenstrauss; Achlioptas 2003). Data-independent, so it needs no held-out fit.
 *
 * <p>Determinism: entries are drawn row by row (k rows of d) from {@link java.util.Random} with
 * the given seed, whose algorithm is fixed by the Java specification, so the same seed gives the
 * same matrix on every JVM.
 *
 * <pre>{@code
 * GaussianRandomProjection p = GaussianRandomProjection.builder()
 *     .setInputDimension(384).setOutputDimension(32).optSeed(42).build();
 * double[] z = p.transform(embedding);
 * }</pre>
 */
public final class GaussianRandomProjection implements Serializable {
  private static final long serialVersionUID = 1L;
  private final double[][] matrix;

  private GaussianRandomProjection(double[][] matrix) {
    this.matrix = matrix;
  }

  /** A builder; input and output dimensions are required. */
  public static Builder builder() {
    return new Builder();
  }

  /** A projection with the given k × d matrix (e.g. read from a bundle). */
  public static GaussianRandomProjection of(double[][] matrix) {
    return new GaussianRandomProjection(Pca.deepCopy(matrix));
  }

  /** The k × d projection matrix (copy). */
  public double[][] matrix() {
    return Pca.deepCopy(matrix);
  }

  public int inputDimension() {
    return matrix[0].length;
  }

  public int outputDimension() {
    return matrix.length;
  }

  /** Projects one vector. */
  public double[] transform(double[] x) {
    if (x.length != inputDimension()) {
      throw new IllegalArgumentException(
          "expected dimension " + inputDimension() + ", got " + x.length);
    }
    double[] out = new double[matrix.length];
    for (int r = 0; r < matrix.length; r++) {
      double s = 0;
      for (int j = 0; j < x.length; j++) {
        s += matrix[r][j] * x[j];
      }
      out[r] = s;
    }
    return out;
  }

  /** Projects each row. */
  public double[][] transform(double[][] rows) {
    double[][] out = new double[rows.length][];
    for (int i = 0; i < rows.length; i++) {
      out[i] = transform(rows[i]);
    }
    return out;
  }

  /** Builder: {@code setInputDimension}, {@code setOutputDimension} required; seed optional (0). */
  public static final class Builder {
    private int input = -1;
    private int output = -1;
    private long seed;

    private Builder() {}

    public Builder setInputDimension(int d) {
      this.input = d;
      return this;
    }

    public Builder setOutputDimension(int k) {
      this.output = k;
      return this;
    }

    public Builder optSeed(long seed) {
      this.seed = seed;
      return this;
    }

    public GaussianRandomProjection build() {
      if (input < 1 || output < 1) {
        throw new IllegalStateException("input and output dimensions are required (>= 1)");
      }
      Random random = new Random(seed);
      double scale = 1 / Math.sqrt(output);
      double[][] m = new double[output][input];
      for (int r = 0; r < output; r++) {
        for (int j = 0; j < input; j++) {
          m[r][j] = random.nextGaussian() * scale;
        }
      }
      return new GaussianRandomProjection(m);
    }
  }
}
