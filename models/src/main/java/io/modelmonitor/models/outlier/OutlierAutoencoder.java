package io.modelmonitor.models.outlier;

import io.modelmonitor.models.Progress;
import io.modelmonitor.models.numeric.Standardizer;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * An MLP autoencoder d → h → k → h → d whose reconstruction error scores how unusual an
 * embedding is (Hawkins et al. 2002, "Outlier detection using replicator neural networks"):
 * inputs unlike the training data reconstruct badly. ReLU after the two h-unit layers, a linear
 * k-unit bottleneck and a linear output; inputs are standardised per feature on the training data
 * first, so one architecture serves text, image and numeric embeddings alike. The score is the
 * mean squared error between the standardised input and its reconstruction.
 *
 * <p><b>Training is plain Java</b>, by design and unlike the suggestion of DJL: mini-batch
 * MSE with Adam (Kingma &amp; Ba 2015, with PyTorch's bias correction), He-normal initialisation
 * and a seeded shuffle, single-threaded and with {@code StrictMath}, so the same data and seed give
 * bit-identical weights on every machine. DJL's PyTorch engine would add a 200 MB native download, per-thread gradient
 * state that Flink task threads trip over, and nothing the network needs at this size. Scoring is
 * plain Java too, allocation-light and thread-safe.
 *
 * <p>Fit it on one part of the reference and calibrate its threshold on another part it never saw
 * (e.g. with {@code io.modelmonitor.detectors.outlier.OutlierCalibration}); scores of training
 * data are optimistically low.
 *
 * <pre>{@code
 * OutlierAutoencoder ae = OutlierAutoencoder.builder().optEpochs(40).optSeed(7).fit(trainPart);
 * double[] heldOut = ae.score(calibrationPart);
 * double s = ae.score(embedding);
 * OutlierAutoencoder restored = OutlierAutoencoder.of(ae.inputScaler(), ae.weights(), ae.biases());
 * }</pre>
 */
public final class OutlierAutoencoder implements Serializable {
  private static final long serialVersionUID = 1L;

  private static final double BETA1 = 0.9;
  private static final double BETA2 = 0.999;
  private static final double EPSILON = 1e-8;

  /** Input scales are at least this fraction of the median scale ({@link Standardizer#withScaleFloor}). */
  static final double SCALE_FLOOR = 0.5;

  private final Standardizer inputScaler;
  private final int[] sizes;
  /** Per layer: weights out × in, row-major (PyTorch's {@code Linear.weight} layout). */
  private final double[][] weights;
  private final double[][] biases;
  private final double[] epochLosses;

  private OutlierAutoencoder(Standardizer inputScaler, int[] sizes, double[][] weights, double[][] biases,
      double[] epochLosses) {
    this.inputScaler = inputScaler;
    this.sizes = sizes;
    this.weights = weights;
    this.biases = biases;
    this.epochLosses = epochLosses;
  }

  /** A builder; the layer sizes default from the input dimension. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Restores a trained autoencoder from its input scaler and four layers (weights out × in,
   * biases), e.g. read from a bundle.
   */
  public static OutlierAutoencoder of(Standardizer inputScaler, List<double[][]> weights, List<double[]> biases) {
    if (weights.size() != 4 || biases.size() != 4) {
      throw new IllegalArgumentException("an autoencoder has 4 layers, got " + weights.size() + " weight and "
          + biases.size() + " bias arrays");
    }
    int[] sizes = new int[5];
    sizes[0] = inputScaler.dimension();
    double[][] w = new double[4][];
    double[][] b = new double[4][];
    for (int l = 0; l < 4; l++) {
      double[][] layer = weights.get(l);
      int out = layer.length;
      int in = out == 0 ? 0 : layer[0].length;
      if (in != sizes[l] || biases.get(l).length != out || out == 0) {
        throw new IllegalArgumentException("layer " + l + " is " + out + " × " + in + " with " + biases.get(l).length
            + " biases; expected inputs " + sizes[l]);
      }
      sizes[l + 1] = out;
      w[l] = flatten(layer, in);
      b[l] = biases.get(l).clone();
    }
    if (sizes[4] != sizes[0]) {
      throw new IllegalArgumentException("output size " + sizes[4] + " differs from input size " + sizes[0]);
    }
    return new OutlierAutoencoder(inputScaler, sizes, w, b, new double[0]);
  }

  /** Input dimension d. */
  public int dimension() {
    return sizes[0];
  }

  /** Layer sizes {d, h, k, h, d}. */
  public int[] layerSizes() {
    return sizes.clone();
  }

  /** The per-feature standardisation fitted on the training data. */
  public Standardizer inputScaler() {
    return inputScaler;
  }

  /** Weights of each layer, out × in (copies). */
  public List<double[][]> weights() {
    List<double[][]> out = new ArrayList<>(4);
    for (int l = 0; l < 4; l++) {
      double[][] rows = new double[sizes[l + 1]][];
      for (int o = 0; o < rows.length; o++) {
        rows[o] = Arrays.copyOfRange(weights[l], o * sizes[l], (o + 1) * sizes[l]);
      }
      out.add(rows);
    }
    return out;
  }

  /** Biases of each layer (copies). */
  public List<double[]> biases() {
    List<double[]> out = new ArrayList<>(4);
    for (double[] b : biases) {
      out.add(b.clone());
    }
    return out;
  }

  /** Mean training loss of each epoch (empty when restored). */
  public double[] epochLosses() {
    return epochLosses.clone();
  }

  /** Reconstruction MSE of one embedding (standardised space). */
  public double score(float[] x) {
    return reconstructionError(inputScaler.transform(x));
  }

  /** Reconstruction MSE of one vector (standardised space). */
  public double score(double[] x) {
    return reconstructionError(inputScaler.transform(x));
  }

  /** Scores each row. */
  public double[] score(double[][] rows) {
    double[] out = new double[rows.length];
    for (int i = 0; i < rows.length; i++) {
      out[i] = score(rows[i]);
    }
    return out;
  }

  /** Scores each row. */
  public double[] score(float[][] rows) {
    double[] out = new double[rows.length];
    for (int i = 0; i < rows.length; i++) {
      out[i] = score(rows[i]);
    }
    return out;
  }

  private double reconstructionError(double[] z) {
    double[] a = z;
    for (int l = 0; l < 4; l++) {
      a = layer(l, a);
    }
    double sum = 0;
    for (int j = 0; j < z.length; j++) {
      double e = a[j] - z[j];
      sum += e * e;
    }
    return sum / z.length;
  }

  /** One layer on one vector: W·a + b, then ReLU where the architecture has it. */
  private double[] layer(int l, double[] in) {
    int nIn = sizes[l];
    int nOut = sizes[l + 1];
    double[] out = biases[l].clone();
    double[] w = weights[l];
    for (int o = 0; o < nOut; o++) {
      double s = 0;
      int row = o * nIn;
      for (int i = 0; i < nIn; i++) {
        s += w[row + i] * in[i];
      }
      out[o] += s;
    }
    if (hasRelu(l)) {
      relu(out);
    }
    return out;
  }

  /** ReLU after the two wide hidden layers; the bottleneck (layer 1) and output (3) are linear. */
  static boolean hasRelu(int layer) {
    return layer == 0 || layer == 2;
  }

  private static void relu(double[] v) {
    for (int i = 0; i < v.length; i++) {
      if (v[i] < 0) {
        v[i] = 0;
      }
    }
  }

  private static double[] flatten(double[][] rows, int cols) {
    double[] flat = new double[rows.length * cols];
    for (int o = 0; o < rows.length; o++) {
      if (rows[o].length != cols) {
        throw new IllegalArgumentException("ragged weight matrix");
      }
      System.arraycopy(rows[o], 0, flat, o * cols, cols);
    }
    return flat;
  }

  // ------------------------------------------------------------------ training

  /**
   * Mini-batch training state: Adam moments and scratch matrices, kept apart from the immutable
   * model so that the trained model carries none of it.
   */
  static final class Trainer {
    private final int[] sizes;
    private final double[][] w;
    private final double[][] b;
    private final double[][] mW;
    private final double[][] vW;
    private final double[][] mB;
    private final double[][] vB;
    private final double learningRate;
    private long step;

    Trainer(int[] sizes, double[][] w, double[][] b, double learningRate) {
      this.sizes = sizes;
      this.w = w;
      this.b = b;
      this.learningRate = learningRate;
      this.mW = zerosLike(w);
      this.vW = zerosLike(w);
      this.mB = zerosLike(b);
      this.vB = zerosLike(b);
    }

    /**
     * One Adam step on the batch (rows already standardised) with loss mean((y − x)²) over all
     * entries; returns the loss before the step.
     */
    double step(double[][] batch) {
      int n = batch.length;
      int layers = 4;
      // acts[l]: input of layer l, n × sizes[l], row-major; acts[4] is the output.
      double[][] acts = new double[layers + 1][];
      acts[0] = flatten(batch, sizes[0]);
      for (int l = 0; l < layers; l++) {
        acts[l + 1] = forward(l, acts[l], n);
      }
      int d = sizes[0];
      double[] output = acts[layers];
      double[] grad = new double[n * d];
      double loss = 0;
      double scale = 2.0 / ((double) n * d);
      for (int i = 0; i < n * d; i++) {
        double e = output[i] - acts[0][i];
        loss += e * e;
        grad[i] = scale * e;
      }
      loss /= (double) n * d;
      step++;
      for (int l = layers - 1; l >= 0; l--) {
        if (hasRelu(l)) {
          // ReLU gradient: zero where the output (= max(pre, 0)) is not positive.
          double[] out = acts[l + 1];
          for (int i = 0; i < grad.length; i++) {
            if (out[i] <= 0) {
              grad[i] = 0;
            }
          }
        }
        double[] gradIn = l > 0 ? backwardInput(l, grad, n) : null;
        updateLayer(l, acts[l], grad, n);
        grad = gradIn;
      }
      return loss;
    }

    /** Y = X·Wᵀ + b for n rows, as row-by-row axpy updates (vectorisable inner loops). */
    private double[] forward(int l, double[] x, int n) {
      int nIn = sizes[l];
      int nOut = sizes[l + 1];
      double[] wt = transpose(w[l], nOut, nIn); // in × out
      double[] y = new double[n * nOut];
      for (int r = 0; r < n; r++) {
        int yRow = r * nOut;
        System.arraycopy(b[l], 0, y, yRow, nOut);
        for (int i = 0; i < nIn; i++) {
          double xi = x[r * nIn + i];
          if (xi == 0) {
            continue;
          }
          int wRow = i * nOut;
          for (int o = 0; o < nOut; o++) {
            y[yRow + o] += xi * wt[wRow + o];
          }
        }
      }
      if (hasRelu(l)) {
        relu(y);
      }
      return y;
    }

    /** dL/dX = G·W, with the weights before this step's update. */
    private double[] backwardInput(int l, double[] g, int n) {
      int nIn = sizes[l];
      int nOut = sizes[l + 1];
      double[] gx = new double[n * nIn];
      for (int r = 0; r < n; r++) {
        for (int o = 0; o < nOut; o++) {
          double go = g[r * nOut + o];
          if (go == 0) {
            continue;
          }
          int wRow = o * nIn;
          int xRow = r * nIn;
          for (int i = 0; i < nIn; i++) {
            gx[xRow + i] += go * w[l][wRow + i];
          }
        }
      }
      return gx;
    }

    /** dL/dW = Gᵀ·X and dL/db = column sums of G, then an Adam update of the layer. */
    private void updateLayer(int l, double[] x, double[] g, int n) {
      int nIn = sizes[l];
      int nOut = sizes[l + 1];
      double[] gw = new double[nOut * nIn];
      double[] gb = new double[nOut];
      for (int r = 0; r < n; r++) {
        for (int o = 0; o < nOut; o++) {
          double go = g[r * nOut + o];
          gb[o] += go;
          if (go == 0) {
            continue;
          }
          int wRow = o * nIn;
          int xRow = r * nIn;
          for (int i = 0; i < nIn; i++) {
            gw[wRow + i] += go * x[xRow + i];
          }
        }
      }
      adam(w[l], gw, mW[l], vW[l]);
      adam(b[l], gb, mB[l], vB[l]);
    }

    /** PyTorch's Adam: p −= lr · m̂ / (√v̂ + ε) with bias-corrected moments. */
    private void adam(double[] p, double[] g, double[] m, double[] v) {
      double correction1 = 1 - StrictMath.pow(BETA1, step);
      double correction2 = 1 - StrictMath.pow(BETA2, step);
      for (int i = 0; i < p.length; i++) {
        m[i] = BETA1 * m[i] + (1 - BETA1) * g[i];
        v[i] = BETA2 * v[i] + (1 - BETA2) * g[i] * g[i];
        double mHat = m[i] / correction1;
        double vHat = v[i] / correction2;
        p[i] -= learningRate * mHat / (Math.sqrt(vHat) + EPSILON);
      }
    }

    private static double[] transpose(double[] a, int rows, int cols) {
      double[] t = new double[a.length];
      for (int r = 0; r < rows; r++) {
        for (int c = 0; c < cols; c++) {
          t[c * rows + r] = a[r * cols + c];
        }
      }
      return t;
    }

    private static double[][] zerosLike(double[][] a) {
      double[][] z = new double[a.length][];
      for (int i = 0; i < a.length; i++) {
        z[i] = new double[a[i].length];
      }
      return z;
    }
  }

  /** Test hook: a trainer over an identity-scaled network restored from weights. */
  static Trainer trainer(OutlierAutoencoder ae, double learningRate) {
    return new Trainer(ae.sizes, ae.weights, ae.biases, learningRate);
  }

  /** Builder of a trained {@link OutlierAutoencoder}. */
  public static final class Builder {
    private int hidden;
    private int bottleneck;
    private int epochs = 40;
    private int batchSize = 32;
    private double learningRate = 1e-3;
    private long seed = 42;
    private Progress progress = Progress.NONE;

    private Builder() {}

    /** Width h of the two hidden layers (default d/4 clamped to [8, 128]). */
    public Builder optHidden(int hidden) {
      this.hidden = positive(hidden, "hidden width");
      return this;
    }

    /** Width k of the bottleneck (default d/16 clamped to [2, 32], at most h). */
    public Builder optBottleneck(int bottleneck) {
      this.bottleneck = positive(bottleneck, "bottleneck width");
      return this;
    }

    /** Passes over the training data (default 40). */
    public Builder optEpochs(int epochs) {
      this.epochs = positive(epochs, "epochs");
      return this;
    }

    /** Rows per Adam step (default 32). */
    public Builder optBatchSize(int batchSize) {
      this.batchSize = positive(batchSize, "batch size");
      return this;
    }

    /** Adam learning rate (default 1e-3). */
    public Builder optLearningRate(double learningRate) {
      if (!(learningRate > 0) || !Double.isFinite(learningRate)) {
        throw new IllegalArgumentException("learning rate must be positive: " + learningRate);
      }
      this.learningRate = learningRate;
      return this;
    }

    /** Seed of the initial weights and the shuffles (default 42). */
    public Builder optSeed(long seed) {
      this.seed = seed;
      return this;
    }

    /** Receives ("autoencoder", epochs done, epochs). */
    public Builder optProgress(Progress progress) {
      this.progress = Objects.requireNonNull(progress, "progress");
      return this;
    }

    /** Trains on float rows (e.g. embeddings). */
    public OutlierAutoencoder fit(float[][] rows) {
      return fit(Standardizer.toDouble(rows));
    }

    /** Trains on n ≥ 2 rows of equal length d ≥ 2. */
    public OutlierAutoencoder fit(double[][] rows) {
      if (rows.length < 2 || rows[0].length < 2) {
        throw new IllegalArgumentException("an autoencoder needs at least 2 rows of at least 2 features");
      }
      int d = rows[0].length;
      int h = hidden > 0 ? hidden : Math.max(8, Math.min(128, d / 4));
      int k = Math.min(h, bottleneck > 0 ? bottleneck : Math.max(2, Math.min(32, d / 16)));
      int[] sizes = {d, h, k, h, d};
      Standardizer scaler = Standardizer.fit(rows).withScaleFloor(SCALE_FLOOR);
      double[][] z = scaler.transform(rows);
      SplittableRandom random = new SplittableRandom(seed);
      double[][] w = new double[4][];
      double[][] b = new double[4][];
      for (int l = 0; l < 4; l++) {
        w[l] = heNormal(random, sizes[l + 1], sizes[l]);
        b[l] = new double[sizes[l + 1]];
      }
      Trainer trainer = new Trainer(sizes, w, b, learningRate);
      int[] order = new int[z.length];
      for (int i = 0; i < order.length; i++) {
        order[i] = i;
      }
      double[] losses = new double[epochs];
      int size = Math.min(batchSize, z.length);
      for (int epoch = 0; epoch < epochs; epoch++) {
        shuffle(order, random);
        double total = 0;
        int batches = 0;
        for (int start = 0; start < order.length; start += size) {
          int end = Math.min(order.length, start + size);
          double[][] batch = new double[end - start][];
          for (int i = start; i < end; i++) {
            batch[i - start] = z[order[i]];
          }
          total += trainer.step(batch) * batch.length;
          batches += batch.length;
        }
        losses[epoch] = total / batches;
        progress.update("autoencoder", epoch + 1, epochs);
      }
      return new OutlierAutoencoder(scaler, sizes, w, b, losses);
    }

    /** He-normal weights N(0, 2/fan_in) (He et al. 2015), suited to ReLU layers. */
    private static double[] heNormal(SplittableRandom random, int out, int in) {
      double std = Math.sqrt(2.0 / in);
      double[] w = new double[out * in];
      for (int i = 0; i < w.length; i++) {
        w[i] = gaussian(random) * std;
      }
      return w;
    }

    /** Box–Muller from two uniforms: SplittableRandom has no nextGaussian on Java 17. */
    private static double gaussian(SplittableRandom random) {
      double u1 = 1.0 - random.nextDouble(); // (0, 1]
      double u2 = random.nextDouble();
      return StrictMath.sqrt(-2 * StrictMath.log(u1)) * StrictMath.cos(2 * Math.PI * u2);
    }

    /** Fisher–Yates. */
    private static void shuffle(int[] a, SplittableRandom random) {
      for (int i = a.length - 1; i > 0; i--) {
        int j = random.nextInt(i + 1);
        int t = a[i];
        a[i] = a[j];
        a[j] = t;
      }
    }

    private static int positive(int value, String what) {
      if (value < 1) {
        throw new IllegalArgumentException(what + " must be at least 1: " + value);
      }
      return value;
    }
  }
}
