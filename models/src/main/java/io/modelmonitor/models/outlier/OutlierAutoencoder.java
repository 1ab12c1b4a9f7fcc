package io.modelmonitor.models.outlier;

import io.modelmonitor.detectors.outlier.OutlierScorer;
import io.modelmonitor.models.Progress;
import io.modelmonitor.models.numeric.Standardizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * An MLP autoencoder d → h → k → h → d whose reconstruction error scores how unusual an embedding
 * is (Hawkins et al. 2002, "Outlier detection using replicator neural networks"): inputs unlike the
 * training data reconstruct badly. ReLU after the two h-unit layers, a linear k-unit bottleneck and
 * a linear output; inputs are standardised per feature on the training data first, so one
 * architecture serves text, image and numeric embeddings alike. The score is the mean squared error
 * between the standardised input and its reconstruction.
 *
 * <p><b>Training is plain Java</b> ({@code AutoencoderTrainer}: Adam, seeded, bit-identical weights
 * on every machine), not DJL: DJL's PyTorch engine would add a 200 MB native download, per-thread
 * gradient state that Flink task threads trip over, and nothing the network needs at this size.
 * Scoring is plain Java too, allocation-light and thread-safe.
 *
 * <p>Fit it on one part of the reference and calibrate its threshold on another part it never saw
 * (e.g. with {@code io.modelmonitor.detectors.outlier.OutlierCalibration}); scores of training data
 * are optimistically low.
 *
 * <pre>{@code
 * OutlierAutoencoder ae = OutlierAutoencoder.builder().optEpochs(40).optSeed(7).fit(trainPart);
 * double[] heldOut = ae.score(calibrationPart);
 * double s = ae.score(embedding);
 * OutlierAutoencoder restored = OutlierAutoencoder.of(ae.inputScaler(), ae.weights(), ae.biases());
 * }</pre>
 */
public final class OutlierAutoencoder implements OutlierScorer {
    private static final long serialVersionUID = 1L;

    /**
     * Input scales are at least this fraction of the median scale ({@link
     * Standardizer#withScaleFloor}).
     */
    static final double SCALE_FLOOR = 0.5;

    private final Standardizer inputScaler;
    private final int[] sizes;

    /** Per layer: weights out × in, row-major (PyTorch's {@code Linear.weight} layout). */
    private final double[][] weights;

    private final double[][] biases;
    private final double[] epochLosses;

    OutlierAutoencoder(
            Standardizer inputScaler,
            int[] sizes,
            double[][] weights,
            double[][] biases,
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
    public static OutlierAutoencoder of(
            Standardizer inputScaler, List<double[][]> weights, List<double[]> biases) {
        if (weights.size() != 4 || biases.size() != 4) {
            throw new IllegalArgumentException(
                    "an autoencoder has 4 layers, got "
                            + weights.size()
                            + " weight and "
                            + biases.size()
                            + " bias arrays");
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
                throw new IllegalArgumentException(
                        "layer "
                                + l
                                + " is "
                                + out
                                + " × "
                                + in
                                + " with "
                                + biases.get(l).length
                                + " biases; expected inputs "
                                + sizes[l]);
            }
            sizes[l + 1] = out;
            w[l] = flatten(layer, in);
            b[l] = biases.get(l).clone();
        }
        if (sizes[4] != sizes[0]) {
            throw new IllegalArgumentException(
                    "output size " + sizes[4] + " differs from input size " + sizes[0]);
        }
        return new OutlierAutoencoder(inputScaler, sizes, w, b, new double[0]);
    }

    /** Layer sizes {d, h, k, h, d}; not copied, for the trainer. */
    int[] sizes() {
        return sizes;
    }

    /** Per-layer weights (out × in, row-major) and biases; not copied, for the trainer. */
    double[][] rawWeights() {
        return weights;
    }

    double[][] rawBiases() {
        return biases;
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

    /** Name of the method. */
    public static final String NAME = "autoencoder";

    @Override
    public String name() {
        return NAME;
    }

    /** Reconstruction MSE of one vector (standardised space). */
    @Override
    public double score(double[] x) {
        return reconstructionError(inputScaler.transform(x));
    }

    /** Scores each row. */
    @Override
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

    /**
     * ReLU after the two wide hidden layers; the bottleneck (layer 1) and output (3) are linear.
     */
    static boolean hasRelu(int layer) {
        return layer == 0 || layer == 2;
    }

    static void relu(double[] v) {
        for (int i = 0; i < v.length; i++) {
            if (v[i] < 0) {
                v[i] = 0;
            }
        }
    }

    static double[] flatten(double[][] rows, int cols) {
        double[] flat = new double[rows.length * cols];
        for (int o = 0; o < rows.length; o++) {
            if (rows[o].length != cols) {
                throw new IllegalArgumentException("ragged weight matrix");
            }
            System.arraycopy(rows[o], 0, flat, o * cols, cols);
        }
        return flat;
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
                throw new IllegalArgumentException(
                        "learning rate must be positive: " + learningRate);
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
                throw new IllegalArgumentException(
                        "an autoencoder needs at least 2 rows of at least 2 features");
            }
            return AutoencoderTrainer.fit(
                    rows, hidden, bottleneck, epochs, batchSize, learningRate, seed, progress);
        }

        private static int positive(int value, String what) {
            if (value < 1) {
                throw new IllegalArgumentException(what + " must be at least 1: " + value);
            }
            return value;
        }
    }
}
