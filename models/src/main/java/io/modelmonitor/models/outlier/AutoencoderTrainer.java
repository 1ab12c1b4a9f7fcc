package io.modelmonitor.models.outlier;

import io.modelmonitor.models.Progress;
import io.modelmonitor.models.numeric.Standardizer;
import java.util.SplittableRandom;

/**
 * Trains an {@link OutlierAutoencoder}: mini-batch MSE with Adam (Kingma &amp; Ba 2015, with
 * PyTorch's bias correction), He-normal initialisation and a seeded shuffle, single-threaded and
 * with {@code StrictMath}, so the same data and seed give bit-identical weights on every machine.
 * An instance holds the training state (Adam moments over the weights being trained), kept apart
 * from the immutable model so that the trained model carries none of it.
 */
final class AutoencoderTrainer {
    private static final double BETA1 = 0.9;
    private static final double BETA2 = 0.999;
    private static final double EPSILON = 1e-8;

    private final int[] sizes;
    private final double[][] w;
    private final double[][] b;
    private final double[][] mW;
    private final double[][] vW;
    private final double[][] mB;
    private final double[][] vB;
    private final double learningRate;
    private long step;

    AutoencoderTrainer(int[] sizes, double[][] w, double[][] b, double learningRate) {
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
        acts[0] = OutlierAutoencoder.flatten(batch, sizes[0]);
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
            if (OutlierAutoencoder.hasRelu(l)) {
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
        if (OutlierAutoencoder.hasRelu(l)) {
            OutlierAutoencoder.relu(y);
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

    /** A trainer that continues from the weights of {@code ae}, updating them in place. */
    static AutoencoderTrainer continuing(OutlierAutoencoder ae, double learningRate) {
        return new AutoencoderTrainer(ae.sizes(), ae.rawWeights(), ae.rawBiases(), learningRate);
    }

    /**
     * Trains on n ≥ 2 standardisable rows of length d: layer sizes {d, h, k, h, d} with h = {@code
     * hidden} and k = {@code bottleneck} where positive, otherwise from d (see {@link
     * OutlierAutoencoder.Builder}).
     */
    static OutlierAutoencoder fit(
            double[][] rows,
            int hidden,
            int bottleneck,
            int epochs,
            int batchSize,
            double learningRate,
            long seed,
            Progress progress) {
        int d = rows[0].length;
        int h = hidden > 0 ? hidden : Math.max(8, Math.min(128, d / 4));
        int k = Math.min(h, bottleneck > 0 ? bottleneck : Math.max(2, Math.min(32, d / 16)));
        int[] sizes = {d, h, k, h, d};
        Standardizer scaler = Standardizer.fit(rows).withScaleFloor(OutlierAutoencoder.SCALE_FLOOR);
        double[][] z = scaler.transform(rows);
        SplittableRandom random = new SplittableRandom(seed);
        double[][] w = new double[4][];
        double[][] b = new double[4][];
        for (int l = 0; l < 4; l++) {
            w[l] = heNormal(random, sizes[l + 1], sizes[l]);
            b[l] = new double[sizes[l + 1]];
        }
        AutoencoderTrainer trainer = new AutoencoderTrainer(sizes, w, b, learningRate);
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
}
