package io.modelmonitor.models.bundle;

import io.modelmonitor.detectors.mmd.MmdDetector;
import io.modelmonitor.detectors.mmd.NullMode;
import io.modelmonitor.detectors.outlier.OutlierCalibration;
import io.modelmonitor.detectors.outlier.OutlierScorer;
import io.modelmonitor.detectors.performance.ConfidenceCalibrator;
import io.modelmonitor.detectors.performance.PerformanceEstimator;
import io.modelmonitor.detectors.reduction.Pca;
import io.modelmonitor.models.EncoderIdentity;
import io.modelmonitor.models.Modality;
import io.modelmonitor.models.numeric.Standardizer;
import io.modelmonitor.models.tabular.TableSchema;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Everything one model's traffic is compared with, and the one transform path from an encoder's
 * output to the space of the tests: the serializable part of a {@link ReferenceBundle} ({@link
 * ReferenceBundle#toModelReference}), shipped with the job graph so that every task manager has it
 * without reading the bundle directory, and used as it is by the one-shot {@code drift --bundle},
 * so that the command and the job cannot transform or test differently. Built directly in tests.
 *
 * <p>Per event: {@link #prepare} (standardisation of numeric features; the embedding itself
 * otherwise; refuses a vector of the wrong length), {@link #reduce} (PCA, the space of the MMD
 * test; the prepared vector itself without PCA) and {@link #outlierScore} (NaN without an outlier
 * model). Per window: {@link #mmdDetector} and {@link #performanceEstimator}. Every optional part
 * may be null: the window report then leaves out the section that needs it.
 *
 * <pre>{@code
 * ModelReference ref = ModelReference.builder("default", Modality.NUMERIC, 4)
 *     .setReference(referenceRows).optReferenceFeatures(rawRows).build();
 * }</pre>
 */
public final class ModelReference implements Serializable {
    private static final long serialVersionUID = 1L;

    private final String model;
    private final Modality modality;
    private final int inputDimension;
    private final String encoderLocation;
    private final EncoderIdentity encoderIdentity;
    private final Standardizer standardizer;
    private final Pca pca;
    private final double[][] reference;
    private final double sigma;
    private final OutlierScorer outlierScorer;
    private final EncoderIdentity outlierModel;
    private final String outlierModelLocation;
    private final OutlierCalibration outlierCalibration;
    private final List<String> classes;
    private final Map<String, Long> predictionCounts;
    private final double[] referenceTopScores;
    private final double referenceAccuracy;
    private final long referenceLabelled;
    private final ConfidenceCalibrator confidenceCalibrator;
    private final double[][] referenceFeatures;
    private final double[] featureMin;
    private final double[] featureMax;
    private final boolean regression;
    private final double[] referenceAbsErrors;
    private final double[] referencePredictedValues;
    private final double referenceMae;
    private final TableSchema schema;

    /** {@code other} serving {@code model}: every part shared, none copied. */
    private ModelReference(ModelReference other, String model) {
        this.model = model;
        this.regression = other.regression;
        this.referenceAbsErrors = other.referenceAbsErrors;
        this.referencePredictedValues = other.referencePredictedValues;
        this.referenceMae = other.referenceMae;
        this.modality = other.modality;
        this.inputDimension = other.inputDimension;
        this.encoderLocation = other.encoderLocation;
        this.encoderIdentity = other.encoderIdentity;
        this.standardizer = other.standardizer;
        this.pca = other.pca;
        this.reference = other.reference;
        this.sigma = other.sigma;
        this.outlierScorer = other.outlierScorer;
        this.outlierModel = other.outlierModel;
        this.outlierModelLocation = other.outlierModelLocation;
        this.outlierCalibration = other.outlierCalibration;
        this.classes = other.classes;
        this.predictionCounts = other.predictionCounts;
        this.referenceTopScores = other.referenceTopScores;
        this.referenceAccuracy = other.referenceAccuracy;
        this.referenceLabelled = other.referenceLabelled;
        this.confidenceCalibrator = other.confidenceCalibrator;
        this.referenceFeatures = other.referenceFeatures;
        this.featureMin = other.featureMin;
        this.featureMax = other.featureMax;
        this.schema = other.schema;
    }

    /**
     * This reference serving another model, sharing every array and model: many models fitted on
     * one bundle (one per tenant or region) then hold its content once, not once per model.
     */
    public ModelReference forModel(String otherModel) {
        return otherModel.equals(model) ? this : new ModelReference(this, otherModel);
    }

    private ModelReference(Builder b) {
        this.regression = b.regression;
        this.referenceAbsErrors = b.referenceAbsErrors;
        this.referencePredictedValues = b.referencePredictedValues;
        this.referenceMae = b.referenceMae;
        this.model = b.model;
        this.modality = b.modality;
        this.inputDimension = b.inputDimension;
        this.encoderLocation = b.encoderLocation;
        this.encoderIdentity = b.encoderIdentity;
        this.standardizer = b.standardizer;
        this.pca = b.pca;
        this.reference = b.reference;
        this.sigma = b.sigma;
        this.outlierScorer = b.outlierScorer;
        this.outlierModel = b.outlierModel;
        this.outlierModelLocation = b.outlierModelLocation;
        this.outlierCalibration = b.outlierCalibration;
        this.classes = Collections.unmodifiableList(new ArrayList<>(b.classes));
        this.predictionCounts =
                Collections.unmodifiableMap(new LinkedHashMap<>(b.predictionCounts));
        this.referenceTopScores = b.referenceTopScores;
        this.referenceAccuracy = b.referenceAccuracy;
        this.referenceLabelled = b.referenceLabelled;
        this.confidenceCalibrator = b.confidenceCalibrator;
        this.referenceFeatures = b.referenceFeatures;
        this.featureMin = b.featureMin;
        this.featureMax = b.featureMax;
        this.schema = b.schema;
    }

    public static Builder builder(String model, Modality modality, int inputDimension) {
        return new Builder(model, modality, inputDimension);
    }

    // ---- per event -----------------------------------------------------------------------------

    /**
     * Standardized features (numeric) or the embedding as doubles.
     *
     * @throws IllegalArgumentException unless the vector has {@link #inputDimension()} values: a
     *     PCA or autoencoder fed another length would fail obscurely or, worse, not at all
     */
    public double[] prepare(float[] embedding) {
        requireDimension(embedding.length);
        double[] x = new double[embedding.length];
        for (int j = 0; j < x.length; j++) {
            x[j] = embedding[j];
        }
        return standardizer != null ? standardizer.transform(x) : x;
    }

    /** Standardized numeric features. */
    public double[] prepare(double[] features) {
        requireDimension(features.length);
        return standardizer != null ? standardizer.transform(features) : features.clone();
    }

    /**
     * The vector of the MMD test: PCA of the prepared vector, or the prepared vector without PCA.
     */
    public double[] reduce(double[] prepared) {
        return pca != null ? pca.transform(prepared) : prepared;
    }

    /**
     * The image model whose single output is the outlier score (conv-reconstruction), or null when
     * {@link #outlierScore} scores the prepared vector: the caller runs it on the raw inputs.
     */
    public EncoderIdentity outlierModel() {
        return outlierModel;
    }

    /** Where {@link #outlierModel()} is loaded from, or null. */
    public String outlierModelLocation() {
        return outlierModelLocation;
    }

    /**
     * Outlier score of the prepared vector, or NaN without an outlier scorer of vectors (none, or
     * an {@link #outlierModel()} of the raw input).
     */
    public double outlierScore(double[] prepared) {
        return outlierScorer != null ? outlierScorer.score(prepared) : Double.NaN;
    }

    private void requireDimension(int length) {
        if (length != inputDimension) {
            throw new IllegalArgumentException(
                    "model '"
                            + model
                            + "' expects "
                            + inputDimension
                            + (modality == Modality.NUMERIC ? " features" : " embedding values")
                            + ", got "
                            + length);
        }
    }

    // ---- per window ----------------------------------------------------------------------------

    /**
     * The MMD test of windows against {@link #reference()}: the bundle's bandwidth (median
     * heuristic when NaN), {@code permutations} permutations or calibration draws, {@code seed}.
     * The job and {@code drift --bundle} both build theirs here, so the same flags give the same
     * p-value for the same window. Null without a reference sample.
     */
    public MmdDetector mmdDetector(int permutations, long seed, NullMode nullMode) {
        if (reference == null) {
            return null;
        }
        MmdDetector.Builder b =
                MmdDetector.builder()
                        .setReference(reference)
                        .optPermutations(permutations)
                        .optSeed(seed)
                        .optNullMode(nullMode);
        if (Double.isFinite(sigma)) {
            b.optSigma(sigma);
        }
        return b.build();
    }

    /**
     * The label-free performance estimator of windows: null when the reference had no scores to
     * calibrate on or fewer than two classes, so there is no estimate to report. The window
     * aggregate and the evaluator both ask here, so they cannot disagree on whether one exists.
     */
    public PerformanceEstimator performanceEstimator() {
        if (confidenceCalibrator == null || classes.size() < 2) {
            return null;
        }
        return new PerformanceEstimator(confidenceCalibrator, classes.size());
    }

    // ---- parts ---------------------------------------------------------------------------------

    public String model() {
        return model;
    }

    public Modality modality() {
        return modality;
    }

    /** Feature count (numeric) or embedding length the encoder must produce. */
    public int inputDimension() {
        return inputDimension;
    }

    /** Where the encoder is loaded from (text, image); null for numeric inputs. */
    public String encoderLocation() {
        return encoderLocation;
    }

    /** Identity of the encoder the reference was embedded with, for messages. */
    public String encoderId() {
        return encoderIdentity != null ? encoderIdentity.id() : "";
    }

    /** The encoder the reference was embedded with; null for references built without one. */
    public EncoderIdentity encoderIdentity() {
        return encoderIdentity;
    }

    /** The reduced reference sample of the MMD test, or null. Not copied: do not modify. */
    public double[][] reference() {
        return reference;
    }

    /** Kernel bandwidth; NaN = median heuristic on the reference. */
    public double sigma() {
        return sigma;
    }

    public OutlierCalibration outlierCalibration() {
        return outlierScorer != null || outlierModel != null ? outlierCalibration : null;
    }

    /**
     * Whether the model is a regressor (its bundle's task): its predictions and labels are numbers,
     * scored by error metrics, however a value is written in JSON (a forecast of 17 units is a
     * number, not the class "17").
     */
    public boolean regression() {
        return regression;
    }

    /**
     * Regression: the reference's absolute errors (a sample), or null without labelled reference.
     */
    public double[] referenceAbsErrors() {
        return referenceAbsErrors;
    }

    /** Regression: the reference's predicted values (a sample), or null. */
    public double[] referencePredictedValues() {
        return referencePredictedValues;
    }

    /**
     * Regression: the reference's mean absolute error over all its labelled rows; NaN when unknown.
     */
    public double referenceMae() {
        return referenceMae;
    }

    /** Class order; empty when the reference had no classes. */
    public List<String> classes() {
        return classes;
    }

    /** Reference predicted-class counts; empty when the reference had no predictions. */
    public Map<String, Long> predictionCounts() {
        return predictionCounts;
    }

    /** Reference top-class probabilities, or null. */
    public double[] referenceTopScores() {
        return referenceTopScores;
    }

    /** Accuracy of the model on the labelled reference; NaN when unknown. */
    public double referenceAccuracy() {
        return referenceAccuracy;
    }

    /**
     * Number of labelled reference predictions behind {@link #referenceAccuracy()}; 0 when unknown.
     */
    public long referenceLabelled() {
        return referenceLabelled;
    }

    /**
     * Correct labelled reference predictions: round(accuracy × labelled), as the bundle stores the
     * accuracy and the count; 0 when unknown.
     */
    public long referenceCorrect() {
        return referenceLabelled > 0 && Double.isFinite(referenceAccuracy)
                ? Math.round(referenceAccuracy * referenceLabelled)
                : 0;
    }

    /** Calibrator of the label-free estimate; null when the reference had no scores. */
    public ConfidenceCalibrator confidenceCalibrator() {
        return confidenceCalibrator;
    }

    /** Raw reference features (numeric inputs), or null. */
    public double[][] referenceFeatures() {
        return referenceFeatures;
    }

    /**
     * Tabular inputs (named, typed features): the schema that codes their cells ({@link
     * #referenceFeatures()} holds the reference's) and builds the multivariate test's input; else
     * null.
     */
    public TableSchema schema() {
        return schema;
    }

    /**
     * The vector {@link #prepare} takes for a tabular record's coded cells ({@link
     * TableSchema#vector}).
     */
    public double[] tableVector(double[] cells) {
        return schema.vector(cells);
    }

    public double[] featureMin() {
        return featureMin;
    }

    public double[] featureMax() {
        return featureMax;
    }

    /** Builder: model, modality and input dimension are required, every part optional. */
    public static final class Builder {
        private final String model;
        private final Modality modality;
        private final int inputDimension;
        private String encoderLocation;
        private EncoderIdentity encoderIdentity;
        private Standardizer standardizer;
        private Pca pca;
        private double[][] reference;
        private double sigma = Double.NaN;
        private TableSchema schema;
        private OutlierScorer outlierScorer;
        private EncoderIdentity outlierModel;
        private String outlierModelLocation;
        private OutlierCalibration outlierCalibration;
        private List<String> classes = List.of();
        private Map<String, Long> predictionCounts = Map.of();
        private double[] referenceTopScores;
        private double referenceAccuracy = Double.NaN;
        private long referenceLabelled;
        private ConfidenceCalibrator confidenceCalibrator;
        private double[][] referenceFeatures;
        private double[] featureMin;
        private double[] featureMax;
        private boolean regression;
        private double[] referenceAbsErrors;
        private double[] referencePredictedValues;
        private double referenceMae = Double.NaN;

        private Builder(String model, Modality modality, int inputDimension) {
            this.model = Objects.requireNonNull(model, "model");
            this.modality = Objects.requireNonNull(modality, "modality");
            if (inputDimension < 1) {
                throw new IllegalArgumentException("input dimension must be positive");
            }
            this.inputDimension = inputDimension;
        }

        public Builder optEncoder(String location, EncoderIdentity identity) {
            this.encoderLocation = location;
            this.encoderIdentity = identity;
            return this;
        }

        public Builder optStandardizer(Standardizer standardizer) {
            this.standardizer = standardizer;
            return this;
        }

        public Builder optPca(Pca pca) {
            this.pca = pca;
            return this;
        }

        /**
         * The reduced reference sample of the MMD test (rows in the space of {@link
         * ModelReference#reduce}).
         */
        public Builder setReference(double[][] reference) {
            this.reference = reference;
            return this;
        }

        public Builder optSigma(double sigma) {
            this.sigma = sigma;
            return this;
        }

        /**
         * An image model (at {@code location}) whose single output is the outlier score, and its
         * calibration on held-out scores.
         */
        public Builder optOutlierModel(
                EncoderIdentity model, String location, OutlierCalibration calibration) {
            this.outlierModel = model;
            this.outlierModelLocation = location;
            this.outlierCalibration = calibration;
            return this;
        }

        /** The outlier scorer of prepared vectors and its calibration on held-out scores. */
        public Builder optOutlierModel(OutlierScorer scorer, OutlierCalibration calibration) {
            this.outlierScorer = scorer;
            this.outlierCalibration = calibration;
            return this;
        }

        public Builder optClasses(List<String> classes, Map<String, Long> predictionCounts) {
            this.classes = classes;
            this.predictionCounts = predictionCounts;
            return this;
        }

        public Builder optReferenceTopScores(double[] topScores) {
            this.referenceTopScores = topScores;
            return this;
        }

        /**
         * The reference accuracy and the number of labelled reference predictions it was measured
         * on: the realised-performance test compares a window's errors with the reference's counts,
         * since the reference accuracy is itself an estimate.
         */
        public Builder optReferenceAccuracy(double accuracy, long labelled) {
            if (labelled < 0) {
                throw new IllegalArgumentException("labelled reference count must not be negative");
            }
            this.referenceAccuracy = accuracy;
            this.referenceLabelled = Double.isFinite(accuracy) ? labelled : 0;
            return this;
        }

        /**
         * Marks the model a regressor, with its reference's absolute errors (null without labels),
         * its predicted values (null without predictions) and its mean absolute error (NaN when
         * unknown).
         */
        public Builder optRegression(double[] absErrors, double[] predictedValues, double mae) {
            this.regression = true;
            this.referenceAbsErrors =
                    absErrors == null || absErrors.length == 0 ? null : absErrors.clone();
            this.referencePredictedValues =
                    predictedValues == null || predictedValues.length == 0
                            ? null
                            : predictedValues.clone();
            this.referenceMae = mae;
            return this;
        }

        public Builder optConfidenceCalibrator(ConfidenceCalibrator calibrator) {
            this.confidenceCalibrator = calibrator;
            return this;
        }

        /**
         * Raw reference features; the data-quality range defaults to their per-feature min and max.
         */
        public Builder optReferenceFeatures(double[][] features) {
            this.referenceFeatures = features;
            if (features != null && features.length > 0 && featureMin == null) {
                int d = features[0].length;
                featureMin = new double[d];
                featureMax = new double[d];
                java.util.Arrays.fill(featureMin, Double.POSITIVE_INFINITY);
                java.util.Arrays.fill(featureMax, Double.NEGATIVE_INFINITY);
                for (double[] row : features) {
                    for (int j = 0; j < d; j++) {
                        featureMin[j] = Math.min(featureMin[j], row[j]);
                        featureMax[j] = Math.max(featureMax[j], row[j]);
                    }
                }
            }
            return this;
        }

        /** Tabular inputs: the column schema (null: none). */
        public Builder optSchema(TableSchema schema) {
            this.schema = schema;
            return this;
        }

        public Builder optFeatureRange(double[] min, double[] max) {
            this.featureMin = min;
            this.featureMax = max;
            return this;
        }

        public ModelReference build() {
            if (modality != Modality.NUMERIC && encoderLocation == null) {
                throw new IllegalArgumentException(
                        modality.label() + " model '" + model + "' needs an encoder location");
            }
            if (reference != null && reference.length < 2) {
                throw new IllegalArgumentException(
                        "reference sample of model '" + model + "' needs at least 2 rows");
            }
            if ((outlierScorer != null || outlierModel != null) && outlierCalibration == null) {
                throw new IllegalArgumentException(
                        "outlier model of '" + model + "' needs its calibration");
            }
            return new ModelReference(this);
        }
    }
}
