package io.modelmonitor.models.bundle;

import io.modelmonitor.detectors.mmd.MedianHeuristic;
import io.modelmonitor.detectors.outlier.OutlierCalibration;
import io.modelmonitor.detectors.performance.ClassificationMetrics;
import io.modelmonitor.detectors.performance.ConfidenceCalibrator;
import io.modelmonitor.detectors.performance.RegressionMetrics;
import io.modelmonitor.detectors.reduction.Pca;
import io.modelmonitor.detectors.univariate.QuantileBins;
import io.modelmonitor.models.Encoder;
import io.modelmonitor.models.Modality;
import io.modelmonitor.models.Progress;
import io.modelmonitor.models.image.InputComplexity;
import io.modelmonitor.models.numeric.NumericEncoder;
import io.modelmonitor.models.numeric.Standardizer;
import io.modelmonitor.models.outlier.OutlierMethod;
import io.modelmonitor.models.outlier.OutlierScorers;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.TreeSet;

/**
 * Fits a {@link ReferenceBundle} from reference data: embeds the inputs, splits the reference into
 * two disjoint parts, fits the standardisation (numeric inputs), the PCA and the outlier detector
 * ({@link io.modelmonitor.models.outlier.OutlierMethod}) on the <i>fit</i> part, and takes the MMD
 * reference sample, its kernel bandwidth and the outlier threshold from the <i>calibration</i>
 * part. Anything fitted on data and then tested against the same data looks closer to it than new
 * data of the same kind does (PCA fitted on the MMD reference makes same-distribution windows
 * "drift"; an autoencoder's training scores are too low for a threshold), hence the split
 * (docs/statistics.md). Prediction, score and label statistics involve no fitting and use the whole
 * reference.
 *
 * <pre>{@code
 * try (TextEncoder encoder = TextEncoder.builder().build()) {
 *   ReferenceBundle bundle = BundleFitter.builder()
 *       .setModality(Modality.TEXT)
 *       .optEncoder(encoder)
 *       .optPcaComponents(32)
 *       .optSeed(42)
 *       .optProgress((stage, done, total) -> System.err.printf("\r%s %d/%d", stage, done, total))
 *       .build()
 *       .fit(data);
 *   bundle.save(Path.of("bundles/sentiment"));
 * }
 * }</pre>
 */
public final class BundleFitter {

    private final Builder o;

    private BundleFitter(Builder builder) {
        this.o = builder;
    }

    /** A builder: the modality is required, and an encoder for text and images. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Fits the bundle.
     *
     * @throws IllegalArgumentException when the data does not fit the configuration (wrong
     *     modality, too few rows, scores without a class order, ...)
     */
    public ReferenceBundle fit(ReferenceData data) {
        if (data.modality() != o.modality) {
            throw new IllegalArgumentException(
                    "reference data holds "
                            + data.modality().label()
                            + " inputs, the fitter expects "
                            + o.modality.label());
        }
        int n = data.size();
        if (n < Builder.MIN_REFERENCE) {
            throw new IllegalArgumentException(
                    "a reference needs at least " + Builder.MIN_REFERENCE + " events, got " + n);
        }
        Encoder<?> encoder =
                o.modality == Modality.NUMERIC
                        ? new NumericEncoder(
                                data.schema() != null
                                        ? data.schema().vectorDimension()
                                        : data.features()[0].length)
                        : o.encoder;
        double[][] embeddings = embed(encoder, data);

        BundleContents c = new BundleContents();
        c.modality = o.modality;
        c.encoder = encoder.identity();
        c.encoderLocation =
                o.encoderLocation != null ? o.encoderLocation : BundleEncoders.locationOf(encoder);

        // Disjoint parts, in a seeded random order.
        int[] order = permutation(n, new SplittableRandom(o.seed));
        int nFit = fitSize(n, o.fitFraction);
        int[] fitIndex = Arrays.copyOfRange(order, 0, nFit);
        int[] calibrationIndex = Arrays.copyOfRange(order, nFit, n);

        c.fitFingerprints = InputFingerprints.of(data, fitIndex);
        // A tabular reference's vectors come standardised by its schema, with 0/1 indicators that
        // a second standardisation would blow up for rare categories.
        if (o.modality == Modality.NUMERIC && data.schema() == null) {
            c.standardizer = Standardizer.fit(rows(embeddings, fitIndex));
        }
        double[][] prepared =
                c.standardizer == null ? embeddings : c.standardizer.transform(embeddings);
        double[][] fitPart = rows(prepared, fitIndex);
        double[][] calibrationPart = rows(prepared, calibrationIndex);

        o.progress.update("pca", 0, 1);
        int k = Math.min(o.pcaComponents, Math.min(embeddings[0].length, nFit - 1));
        c.pca = Pca.builder().setComponents(k).fit(fitPart);
        c.explainedVarianceRatio = c.pca.explainedVarianceRatio();
        o.progress.update("pca", 1, 1);

        OutlierMethod outlierMethod =
                o.outlierModel != null
                        ? OutlierMethod.CONV_RECONSTRUCTION
                        : o.outlierMethod != null
                                ? o.outlierMethod
                                : OutlierMethod.defaultFor(o.modality);
        if (outlierMethod.scoresImages() && o.modality != Modality.IMAGE) {
            throw new IllegalArgumentException(
                    outlierMethod.label()
                            + " scores images, the reference holds "
                            + o.modality.label());
        }
        if (outlierMethod.scoresImages()) {
            Encoder<?> model =
                    o.outlierModel != null
                            ? o.outlierModel
                            : InputComplexity.fit(images(data, fitIndex));
            c.outlierModel = model.identity();
            c.outlierModelLocation =
                    o.outlierModel != null ? o.outlierModelLocation : InputComplexity.NAME;
            c.referenceOutlierScores = modelScores(model, data, calibrationIndex);
        } else {
            c.outlierScorer =
                    OutlierScorers.fit(
                            outlierMethod, fitPart, o.autoencoderEpochs, o.seed, o.progress);
            c.referenceOutlierScores = c.outlierScorer.score(calibrationPart);
        }
        OutlierCalibration calibration =
                OutlierCalibration.builder()
                        .setReferenceScores(c.referenceOutlierScores)
                        .optQuantile(o.outlierQuantile)
                        .build();
        c.outlierQuantile = o.outlierQuantile;
        c.outlierThreshold = calibration.threshold();
        c.outlierExpectedRate = calibration.expectedRate();
        c.outlierScoreStats = stats(c.referenceOutlierScores);

        int nReference = Math.min(o.maxReference, calibrationPart.length);
        c.reference = c.pca.transform(Arrays.copyOf(calibrationPart, nReference));
        c.sigma = MedianHeuristic.sigma(c.reference);

        c.task = data.task();
        if (ReferenceData.REGRESSION.equals(data.task())) {
            fitRegression(c, data, o.seed);
        } else {
            fitPredictions(c, data);
        }
        if (o.modality == Modality.NUMERIC) {
            fitFeatures(c, data);
        }

        c.split.put("n_reference", n);
        c.split.put("n_fit", nFit);
        c.split.put("n_calibration", n - nFit);
        c.split.put("n_mmd_reference", nReference);
        c.split.put("seed", o.seed);
        c.split.put(
                "rule",
                "standardizer, PCA and outlier scorer fitted on the fit part; MMD reference, sigma and "
                        + "outlier threshold from the disjoint calibration part; prediction and label statistics on all events");
        c.options.put("pca_components", o.pcaComponents);
        c.options.put("max_reference", o.maxReference);
        c.options.put("seed", o.seed);
        c.options.put("fit_fraction", o.fitFraction);
        c.options.put("outlier_quantile", o.outlierQuantile);
        c.options.put("autoencoder_epochs", o.autoencoderEpochs);
        c.options.put("outlier_method", outlierMethod.label());
        // The values as they will read back from the manifest (a long seed of 9 comes back an int).
        c.split = asJson(c.split);
        c.options = asJson(c.options);
        c.labelFreeCalibration = asJson(c.labelFreeCalibration);
        return new ReferenceBundle(c);
    }

    /** The default share of the reference in the fit part. */
    public static final double DEFAULT_FIT_FRACTION = 0.5;

    /**
     * The indices of the fit part of {@code n} reference events, as {@link #fit} splits them with
     * this seed and fraction: for training something on the fit part before the fitter runs (the
     * convolutional image autoencoder, whose reconstruction error is then calibrated on the
     * calibration part it never saw).
     */
    public static int[] fitIndices(int n, long seed, double fitFraction) {
        int[] order = permutation(n, new SplittableRandom(seed));
        return Arrays.copyOfRange(order, 0, fitSize(n, fitFraction));
    }

    private static int fitSize(int n, double fitFraction) {
        return Math.max(2, Math.min(n - 2, (int) Math.round(n * fitFraction)));
    }

    @SuppressWarnings("unchecked")
    private double[][] embed(Encoder<?> encoder, ReferenceData data) {
        if (o.modality == Modality.NUMERIC) {
            return ReferenceBundle.deepCopy(
                    data.schema() != null ? data.tableVectors() : data.features());
        }
        if (encoder.modality() != o.modality) {
            throw new IllegalArgumentException(
                    "the encoder takes "
                            + encoder.modality().label()
                            + " inputs, the reference holds "
                            + o.modality.label());
        }
        List<Object> inputs =
                (List<Object>)
                        (List<?>) (o.modality == Modality.TEXT ? data.texts() : data.images());
        Encoder<Object> typed = (Encoder<Object>) encoder;
        double[][] out = new double[inputs.size()][];
        for (int start = 0; start < inputs.size(); start += o.embedBatchSize) {
            int end = Math.min(inputs.size(), start + o.embedBatchSize);
            float[][] batch = typed.embed(inputs.subList(start, end));
            for (int i = start; i < end; i++) {
                out[i] = toDouble(batch[i - start]);
            }
            o.progress.update("embed", end, inputs.size());
        }
        return out;
    }

    private static List<byte[]> images(ReferenceData data, int[] index) {
        List<byte[]> out = new ArrayList<>(index.length);
        for (int i : index) {
            out.add(data.images().get(i));
        }
        return out;
    }

    /** The outlier model's single output for the images at {@code index}. */
    @SuppressWarnings("unchecked")
    private double[] modelScores(Encoder<?> model, ReferenceData data, int[] index) {
        Encoder<byte[]> images = (Encoder<byte[]>) model;
        double[] out = new double[index.length];
        for (int start = 0; start < index.length; start += o.embedBatchSize) {
            int end = Math.min(index.length, start + o.embedBatchSize);
            List<byte[]> batch = new ArrayList<>(end - start);
            for (int i = start; i < end; i++) {
                batch.add(data.images().get(index[i]));
            }
            float[][] scores = images.embed(batch);
            for (int i = start; i < end; i++) {
                out[i] = scores[i - start][0];
            }
        }
        return out;
    }

    /**
     * Reference samples of a regression model: at most this many absolute errors and predicted
     * values.
     */
    static final int MAX_REGRESSION_SAMPLE = 2000;

    /**
     * A regression model's reference: its predicted values (the prediction-drift test's reference)
     * and, with labels, the reference metrics (MAE, RMSE, bias, MAPE, sMAPE) and the absolute
     * errors that each window's errors are rank-tested against. Both kept as a seeded sample of at
     * most {@value #MAX_REGRESSION_SAMPLE}; the metrics use every labelled row.
     */
    private static void fitRegression(BundleContents c, ReferenceData data, long seed) {
        List<String> predictions = data.predictions();
        List<String> labels = data.labels();
        if (predictions == null) {
            return;
        }
        int n = predictions.size();
        double[] predicted = new double[n];
        for (int i = 0; i < n; i++) {
            predicted[i] = Double.parseDouble(predictions.get(i));
        }
        c.referencePredictedValues = sample(predicted, seed);
        c.topScoreStats = new LinkedHashMap<>();
        if (labels == null) {
            return;
        }
        RegressionMetrics metrics = new RegressionMetrics();
        double[] errors = new double[n];
        int labelled = 0;
        for (int i = 0; i < n; i++) {
            if (labels.get(i) != null) {
                double actual = Double.parseDouble(labels.get(i));
                metrics.add(actual, predicted[i]);
                errors[labelled++] = Math.abs(predicted[i] - actual);
            }
        }
        if (labelled == 0) {
            return;
        }
        c.referenceAbsErrors = sample(Arrays.copyOf(errors, labelled), seed + 1);
        c.referenceMetrics.put("labelled", (double) metrics.count());
        c.referenceMetrics.put("mae", metrics.mae());
        c.referenceMetrics.put("rmse", metrics.rmse());
        c.referenceMetrics.put("bias", metrics.meanError());
        if (Double.isFinite(metrics.mape())) {
            c.referenceMetrics.put("mape", metrics.mape());
        }
        if (Double.isFinite(metrics.smape())) {
            c.referenceMetrics.put("smape", metrics.smape());
        }
    }

    /**
     * All values, or a seeded sample of {@value #MAX_REGRESSION_SAMPLE} of them (in their order).
     */
    private static double[] sample(double[] values, long seed) {
        if (values.length <= MAX_REGRESSION_SAMPLE) {
            return values.clone();
        }
        int[] order = permutation(values.length, new SplittableRandom(seed));
        int[] kept = Arrays.copyOf(order, MAX_REGRESSION_SAMPLE);
        Arrays.sort(kept);
        double[] out = new double[kept.length];
        for (int i = 0; i < kept.length; i++) {
            out[i] = values[kept[i]];
        }
        return out;
    }

    /** Class order, prediction counts, top scores, reference metrics, label-free calibration. */
    private static void fitPredictions(BundleContents c, ReferenceData data) {
        List<String> predictions = data.predictions();
        double[][] scores = data.scores();
        List<String> labels = data.labels();
        if (predictions == null && scores == null && labels == null) {
            return;
        }
        c.classes = classOrder(data);
        if (scores != null) {
            for (double[] row : scores) {
                if (row.length != c.classes.size()) {
                    throw new IllegalArgumentException(
                            "a score row has " + row.length + " values for classes " + c.classes);
                }
            }
            c.referenceScores = ReferenceBundle.deepCopy(scores);
            c.referenceTopScores = new double[scores.length];
            for (int i = 0; i < scores.length; i++) {
                c.referenceTopScores[i] = scores[i][argMax(scores[i])];
            }
            c.topScoreStats = stats(c.referenceTopScores);
            if (predictions == null) {
                List<String> argMaxes = new ArrayList<>(scores.length);
                for (double[] row : scores) {
                    argMaxes.add(c.classes.get(argMax(row)));
                }
                predictions = argMaxes;
            }
        }
        if (predictions != null) {
            for (String cls : c.classes) {
                c.predictionCounts.put(cls, 0L);
            }
            for (String p : predictions) {
                c.predictionCounts.merge(String.valueOf(p), 1L, Long::sum);
            }
        }
        if (labels != null && predictions != null) {
            ClassificationMetrics metrics =
                    ClassificationMetrics.builder().optClasses(c.classes).build();
            for (int i = 0; i < labels.size(); i++) {
                if (labels.get(i) != null) {
                    metrics.add(
                            labels.get(i), predictions.get(i), scores == null ? null : scores[i]);
                }
            }
            c.referenceMetrics.put("labelled", (double) metrics.count());
            c.referenceMetrics.put("accuracy", metrics.accuracy());
            c.referenceMetrics.put("macro_precision", metrics.macroPrecision());
            c.referenceMetrics.put("macro_recall", metrics.macroRecall());
            c.referenceMetrics.put("macro_f1", metrics.macroF1());
            c.referenceMetrics.put("weighted_f1", metrics.weightedF1());
            if (scores != null) {
                c.referenceMetrics.put("log_loss", metrics.logLoss());
                if (c.classes.size() == 2) {
                    c.referenceMetrics.put("roc_auc", metrics.rocAuc());
                }
            }
        }
        if (labels != null && scores != null) {
            c.referenceLabelIndices = new long[scores.length];
            for (int i = 0; i < scores.length; i++) {
                c.referenceLabelIndices[i] =
                        labels.get(i) == null ? -1 : c.classes.indexOf(labels.get(i));
            }
            ConfidenceCalibrator calibrator =
                    fitConfidenceCalibrator(c.referenceScores, c.referenceLabelIndices);
            c.labelFreeCalibration.put("method", calibrator.isIsotonic() ? "isotonic" : "identity");
            c.labelFreeCalibration.put("raw_ece", finiteOrNull(calibrator.rawCalibrationError()));
            c.labelFreeCalibration.put(
                    "isotonic_ece", finiteOrNull(calibrator.isotonicCalibrationError()));
            c.labelFreeCalibration.put(
                    "n_labelled",
                    Arrays.stream(c.referenceLabelIndices).filter(v -> v >= 0).count());
        }
    }

    /**
     * The confidence calibrator of the labelled, scored reference rows (label index ≥ 0), or the
     * identity when fewer than 4 are available.
     */
    static ConfidenceCalibrator fitConfidenceCalibrator(double[][] scores, long[] labelIndices) {
        if (scores == null || labelIndices == null) {
            return ConfidenceCalibrator.identity();
        }
        List<double[]> rows = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        for (int i = 0; i < scores.length; i++) {
            if (labelIndices[i] >= 0) {
                rows.add(scores[i]);
                labels.add((int) labelIndices[i]);
            }
        }
        if (rows.size() < 4) {
            return ConfidenceCalibrator.identity();
        }
        return ConfidenceCalibrator.fit(
                rows.toArray(double[][]::new),
                labels.stream().mapToInt(Integer::intValue).toArray());
    }

    private static List<String> classOrder(ReferenceData data) {
        if (data.classes() != null) {
            return data.classes();
        }
        TreeSet<String> seen = new TreeSet<>();
        if (data.predictions() != null) {
            data.predictions().forEach(p -> seen.add(String.valueOf(p)));
        }
        if (data.labels() != null) {
            data.labels().stream().filter(Objects::nonNull).forEach(seen::add);
        }
        if (data.scores() != null && seen.size() != data.scores()[0].length) {
            throw new IllegalArgumentException(
                    "scores have "
                            + data.scores()[0].length
                            + " columns but the predictions and labels"
                            + " name "
                            + seen.size()
                            + " classes; give the class order explicitly");
        }
        return List.copyOf(seen);
    }

    private static void fitFeatures(BundleContents c, ReferenceData data) {
        double[][] features = data.features();
        int d = features[0].length;
        c.referenceFeatures = ReferenceBundle.deepCopy(features);
        if (data.schema() != null) {
            c.schema = data.schema();
            c.featureMin = c.schema.min();
            c.featureMax = c.schema.max();
            c.featureNames = c.schema.names();
            return;
        }
        c.featureMin = new double[d];
        c.featureMax = new double[d];
        Arrays.fill(c.featureMin, Double.POSITIVE_INFINITY);
        Arrays.fill(c.featureMax, Double.NEGATIVE_INFINITY);
        for (double[] row : features) {
            for (int j = 0; j < d; j++) {
                c.featureMin[j] = Math.min(c.featureMin[j], row[j]);
                c.featureMax[j] = Math.max(c.featureMax[j], row[j]);
            }
        }
        if (data.featureNames() != null) {
            c.featureNames = data.featureNames();
        } else {
            List<String> names = new ArrayList<>(d);
            for (int j = 0; j < d; j++) {
                names.add("f" + j);
            }
            c.featureNames = List.copyOf(names);
        }
    }

    /** count, mean, std (population), min, p50, p90, p99, max; quantiles as numpy's 'linear'. */
    static Map<String, Double> stats(double[] values) {
        Map<String, Double> s = new LinkedHashMap<>();
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        double mean = Arrays.stream(values).sum() / values.length;
        double squares = 0;
        for (double v : values) {
            squares += (v - mean) * (v - mean);
        }
        s.put("count", (double) values.length);
        s.put("mean", mean);
        s.put("std", Math.sqrt(squares / values.length));
        s.put("min", sorted[0]);
        s.put("p50", QuantileBins.quantileSorted(sorted, 0.5));
        s.put("p90", QuantileBins.quantileSorted(sorted, 0.9));
        s.put("p99", QuantileBins.quantileSorted(sorted, 0.99));
        s.put("max", sorted[sorted.length - 1]);
        return s;
    }

    private static Map<String, Object> asJson(Map<String, Object> map) {
        try {
            return BundleWriter.JSON.readValue(
                    BundleWriter.JSON.writeValueAsString(map),
                    new com.fasterxml.jackson.core.type.TypeReference<
                            LinkedHashMap<String, Object>>() {});
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("options are not JSON: " + e.getMessage(), e);
        }
    }

    private static Double finiteOrNull(double v) {
        return Double.isFinite(v) ? v : null;
    }

    private static int argMax(double[] row) {
        int best = 0;
        for (int j = 1; j < row.length; j++) {
            if (row[j] > row[best]) {
                best = j;
            }
        }
        return best;
    }

    private static int[] permutation(int n, SplittableRandom random) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }

    private static double[][] rows(double[][] all, int[] index) {
        double[][] out = new double[index.length][];
        for (int i = 0; i < index.length; i++) {
            out[i] = all[index[i]];
        }
        return out;
    }

    private static double[] toDouble(float[] v) {
        double[] out = new double[v.length];
        for (int j = 0; j < v.length; j++) {
            out[j] = v[j];
        }
        return out;
    }

    /** Builder of a {@link BundleFitter}. */
    public static final class Builder {
        static final int MIN_REFERENCE = 10;

        private Modality modality;
        private Encoder<?> encoder;
        private String encoderLocation;
        private int pcaComponents = 32;
        private int maxReference = 2000;
        private long seed = 42;
        private double fitFraction = DEFAULT_FIT_FRACTION;
        private double outlierQuantile = 0.99;
        private int autoencoderEpochs = 40;
        private OutlierMethod outlierMethod;
        private Encoder<?> outlierModel;
        private String outlierModelLocation;
        private int embedBatchSize = 256;
        private Progress progress = Progress.NONE;

        private Builder() {}

        /** Input modality (required). */
        public Builder setModality(Modality modality) {
            this.modality = Objects.requireNonNull(modality, "modality");
            return this;
        }

        /**
         * The encoder of text or image inputs (required for those; numeric inputs use the
         * identity).
         */
        public Builder optEncoder(Encoder<?> encoder) {
            this.encoder = encoder;
            return this;
        }

        /**
         * Where the encoder lives, recorded in the manifest for {@code run} (e.g. a model path).
         */
        public Builder optEncoderLocation(String location) {
            this.encoderLocation = location;
            return this;
        }

        /** PCA components k (default 32; at most the embedding dimension). */
        public Builder optPcaComponents(int components) {
            this.pcaComponents = atLeast(components, 1, "PCA components");
            return this;
        }

        /** Largest MMD reference sample (default 2000). */
        public Builder optMaxReference(int maxReference) {
            this.maxReference = atLeast(maxReference, 2, "max reference");
            return this;
        }

        /** Seed of the split, the subsamples and the outlier detector (default 42). */
        public Builder optSeed(long seed) {
            this.seed = seed;
            return this;
        }

        /** Share of the reference used to fit PCA and the outlier detector (default 0.5). */
        public Builder optFitFraction(double fraction) {
            if (!(fraction > 0 && fraction < 1)) {
                throw new IllegalArgumentException("fit fraction must be in (0, 1): " + fraction);
            }
            this.fitFraction = fraction;
            return this;
        }

        /** Quantile of the held-out outlier scores taken as the threshold (default 0.99). */
        public Builder optOutlierQuantile(double quantile) {
            if (!(quantile > 0 && quantile <= 1)) {
                throw new IllegalArgumentException(
                        "outlier quantile must be in (0, 1]: " + quantile);
            }
            this.outlierQuantile = quantile;
            return this;
        }

        /** Training epochs of the outlier autoencoder (default 40). */
        public Builder optAutoencoderEpochs(int epochs) {
            this.autoencoderEpochs = atLeast(epochs, 1, "autoencoder epochs");
            return this;
        }

        /**
         * The outlier detector (default {@link OutlierMethod#defaultFor} the modality); {@code
         * conv-reconstruction} is not fitted here but with the image encoder.
         */
        public Builder optOutlierMethod(OutlierMethod method) {
            if (method == OutlierMethod.CONV_RECONSTRUCTION) {
                throw new IllegalArgumentException(
                        "conv-reconstruction is given as the trained autoencoder's model"
                                + " (optOutlierModel)");
            }
            this.outlierMethod = method;
            return this;
        }

        /**
         * conv-reconstruction: an image model (at {@code location}, recorded in the manifest) whose
         * single output per image is its outlier score, used instead of a scorer of embeddings.
         */
        public Builder optOutlierModel(Encoder<?> model, String location) {
            if (model.modality() != Modality.IMAGE || model.dimension() != 1) {
                throw new IllegalArgumentException(
                        "an outlier model takes images and gives one value, not "
                                + model.modality().label()
                                + " and "
                                + model.dimension());
            }
            this.outlierModel = model;
            this.outlierModelLocation = Objects.requireNonNull(location, "location");
            return this;
        }

        /** Inputs per encoder call while embedding the reference (default 256). */
        public Builder optEmbedBatchSize(int size) {
            this.embedBatchSize = atLeast(size, 1, "embed batch size");
            return this;
        }

        /** Receives ("embed" | "pca" | "autoencoder", done, total). */
        public Builder optProgress(Progress progress) {
            this.progress = Objects.requireNonNull(progress, "progress");
            return this;
        }

        /** Checks the configuration. */
        public BundleFitter build() {
            if (modality == null) {
                throw new IllegalStateException("setModality is required");
            }
            if (outlierModel != null && modality != Modality.IMAGE) {
                throw new IllegalStateException("an outlier model scores images only");
            }
            if (modality != Modality.NUMERIC && encoder == null) {
                throw new IllegalStateException(
                        modality.label() + " inputs need an encoder (optEncoder)");
            }
            return new BundleFitter(this);
        }

        private static int atLeast(int value, int min, String what) {
            if (value < min) {
                throw new IllegalArgumentException(
                        what + " must be at least " + min + ": " + value);
            }
            return value;
        }
    }
}
