package io.modelmonitor.models.bundle;

import io.modelmonitor.detectors.outlier.OutlierCalibration;
import io.modelmonitor.detectors.outlier.OutlierScorer;
import io.modelmonitor.detectors.performance.ConfidenceCalibrator;
import io.modelmonitor.detectors.reduction.Pca;
import io.modelmonitor.models.Encoder;
import io.modelmonitor.models.EncoderIdentity;
import io.modelmonitor.models.Modality;
import io.modelmonitor.models.numeric.Standardizer;
import io.modelmonitor.models.outlier.OutlierAutoencoder;
import io.modelmonitor.models.tabular.TableSchema;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A fitted reference: what the monitoring job compares live traffic with. Written by {@link
 * BundleFitter} and {@link #save}, read by {@link #load}; on disk a directory with {@code
 * manifest.json} (format version, modality, encoder identity and checksum, dimensions, kernel
 * bandwidth, thresholds, reference metrics, options, a SHA-256 of every other file) and the arrays
 * as NumPy {@code .npy} files (see {@link BundleFiles} for the names), so that numpy reads them
 * directly.
 *
 * <p>The per-event transform and the window test live in {@link ModelReference} ({@link
 * #toModelReference}), which the job and {@code drift --bundle} share.
 *
 * <pre>{@code
 * ReferenceBundle bundle = ReferenceBundle.load(dir, encoder.identity());   // checks everything
 * ModelReference ref = bundle.toModelReference();
 * double[] prepared = ref.prepare(embedding);
 * double[] z = ref.reduce(prepared);
 * boolean outlier = bundle.outlierCalibration().isOutlier(ref.outlierScore(prepared));
 * MmdDetector mmd = ref.mmdDetector(1000, 42, NullMode.CALIBRATED);
 * }</pre>
 */
public final class ReferenceBundle {

    /** The manifest format this code writes; newer bundles are refused. */
    public static final int FORMAT_VERSION = 1;

    private final BundleContents c;
    private volatile OutlierCalibration outlierCalibration;
    private volatile ConfidenceCalibrator confidenceCalibrator;

    ReferenceBundle(BundleContents contents) {
        this.c = contents;
    }

    /**
     * Reads and checks a bundle directory: manifest syntax and version, presence and SHA-256 of
     * every file, array shapes.
     *
     * @throws BundleException with a one-line reason
     */
    public static ReferenceBundle load(Path dir) throws BundleException {
        return BundleReader.read(dir);
    }

    /**
     * {@link #load(Path)}, then refuses the bundle unless it was fitted with an encoder that
     * computes the same embeddings as {@code encoder}.
     */
    public static ReferenceBundle load(Path dir, EncoderIdentity encoder) throws BundleException {
        ReferenceBundle bundle = load(dir);
        bundle.requireEncoder(encoder);
        return bundle;
    }

    /** Writes the bundle into {@code dir} (created if needed; the manifest is written last). */
    public void save(Path dir) throws IOException {
        BundleWriter.write(this.c, dir);
    }

    /** Throws unless {@code encoder} matches the bundle's encoder. */
    public void requireEncoder(EncoderIdentity encoder) throws BundleException {
        BundleEncoders.requireMatch(c.encoder, encoder);
    }

    /** Throws unless {@code encoder} matches the bundle's encoder. */
    public void requireEncoder(Encoder<?> encoder) throws BundleException {
        requireEncoder(encoder.identity());
    }

    // ------------------------------------------------------------------ the transform

    /**
     * The bundle as the job and {@code drift --bundle} use it: its transform (standardisation, PCA,
     * outlier detector), its held-out MMD reference sample and bandwidth, and the reference
     * statistics of the window tests. There is no other implementation of the per-event path.
     *
     * @param encoderLocation where the text or image encoder is loaded from (the bundle's own
     *     {@link #encoderLocation()} or an override); ignored for numeric inputs
     */
    public ModelReference toModelReference(String model, String encoderLocation) {
        ModelReference.Builder r =
                ModelReference.builder(model, modality(), c.encoder.dimension())
                        .optEncoder(
                                c.modality == Modality.NUMERIC ? null : encoderLocation, c.encoder)
                        .optStandardizer(c.standardizer)
                        .optPca(c.pca)
                        .setReference(deepCopy(c.reference))
                        .optSigma(c.sigma)
                        .optClasses(c.classes, c.predictionCounts)
                        .optReferenceTopScores(c.referenceTopScores)
                        .optReferenceAccuracy(
                                c.referenceMetrics.getOrDefault("accuracy", Double.NaN),
                                Math.round(c.referenceMetrics.getOrDefault("labelled", 0.0)));
        if (regression()) {
            r.optRegression(
                    c.referenceAbsErrors,
                    c.referencePredictedValues,
                    c.referenceMetrics.getOrDefault("mae", Double.NaN));
        }
        if (c.outlierScorer != null) {
            r.optOutlierModel(c.outlierScorer, outlierCalibration());
        } else if (c.outlierModel != null) {
            r.optOutlierModel(c.outlierModel, c.outlierModelLocation, outlierCalibration());
        }
        if (c.referenceTopScores != null && c.classes.size() >= 2) {
            r.optConfidenceCalibrator(confidenceCalibrator());
        }
        if (c.referenceFeatures != null) {
            r.optReferenceFeatures(deepCopy(c.referenceFeatures));
        }
        if (c.featureMin != null && c.featureMax != null) {
            r.optFeatureRange(c.featureMin, c.featureMax);
        }
        r.optSchema(c.schema);
        return r.build();
    }

    /**
     * {@link #toModelReference(String, String)} for model "default" with the bundle's own encoder.
     */
    public ModelReference toModelReference() {
        return toModelReference("default", c.encoderLocation);
    }

    // ------------------------------------------------------------------ parts

    /** Manifest format version of this bundle. */
    public int formatVersion() {
        return c.formatVersion;
    }

    /** Input modality. */
    public Modality modality() {
        return c.modality;
    }

    /** The encoder the reference was embedded with. */
    public EncoderIdentity encoderIdentity() {
        return c.encoder;
    }

    /**
     * Where the encoder was loaded from at fit time ({@code classpath:all-minilm-l6-v2.onnx}, a
     * path, or empty for numeric inputs); {@code --encoder} overrides it at run time.
     */
    public Optional<String> encoderLocation() {
        return Optional.ofNullable(c.encoderLocation);
    }

    /** Numeric features: the reference standardisation. */
    public Optional<Standardizer> standardizer() {
        return Optional.ofNullable(c.standardizer);
    }

    /** The dimension reduction fitted on the fit part of the reference. */
    public Pca pca() {
        return c.pca;
    }

    /** Fraction of the fit part's variance each PCA component explains. */
    public double[] explainedVarianceRatio() {
        return c.explainedVarianceRatio.clone();
    }

    /** The outlier autoencoder, or null when the bundle uses another outlier method. */
    public OutlierAutoencoder autoencoder() {
        return c.outlierScorer instanceof OutlierAutoencoder ae ? ae : null;
    }

    /** The outlier method: the scorer's name, or that of the outlier model of images. */
    public String outlierMethod() {
        return c.outlierScorer != null
                ? c.outlierScorer.name()
                : OutlierModelFormat.modelMethod(c.outlierModel).label();
    }

    /**
     * The outlier scorer of prepared vectors (its {@code name()} is the method), or null for
     * conv-reconstruction.
     */
    public OutlierScorer outlierScorer() {
        return c.outlierScorer;
    }

    /** Threshold, expected rate and rate test, calibrated on held-out reference scores. */
    public OutlierCalibration outlierCalibration() {
        if (outlierCalibration == null) {
            outlierCalibration =
                    OutlierCalibration.builder()
                            .setReferenceScores(c.referenceOutlierScores)
                            .optQuantile(c.outlierQuantile)
                            .build();
        }
        return outlierCalibration;
    }

    /** The outlier score threshold (as recorded in the manifest). */
    public double outlierThreshold() {
        return c.outlierThreshold;
    }

    /** The outlier rate the reference shows at the threshold. */
    public double outlierExpectedRate() {
        return c.outlierExpectedRate;
    }

    /** Quantile level of the threshold. */
    public double outlierQuantile() {
        return c.outlierQuantile;
    }

    /** Outlier scores of the held-out calibration part (copy). */
    public double[] referenceOutlierScores() {
        return c.referenceOutlierScores.clone();
    }

    /** The reduced reference sample of the MMD test, n_ref × k (copy). */
    public double[][] reference() {
        return deepCopy(c.reference);
    }

    /** Gaussian kernel bandwidth σ by the median heuristic on {@link #reference()}. */
    public double sigma() {
        return c.sigma;
    }

    /** {@link ReferenceData#CLASSIFICATION} or {@link ReferenceData#REGRESSION}. */
    public String task() {
        return c.task;
    }

    /** Whether the bundle's model is a regressor ({@link ReferenceData#REGRESSION}). */
    public boolean regression() {
        return ReferenceData.REGRESSION.equals(c.task);
    }

    /** Regression: the reference's absolute errors (sample), or null. */
    public double[] referenceAbsErrors() {
        return c.referenceAbsErrors == null ? null : c.referenceAbsErrors.clone();
    }

    /**
     * Class order (empty when the reference had no predictions, scores or labels, and for a
     * regressor).
     */
    public List<String> classes() {
        return c.classes;
    }

    /** Reference predicted-class counts, in class order. */
    public Map<String, Long> predictionCounts() {
        return Collections.unmodifiableMap(c.predictionCounts);
    }

    /** Reference class probabilities (n × classes), if the reference had scores. */
    public Optional<double[][]> referenceScores() {
        return Optional.ofNullable(c.referenceScores).map(ReferenceBundle::deepCopy);
    }

    /** Reference top-class probabilities, if the reference had scores. */
    public Optional<double[]> referenceTopScores() {
        return Optional.ofNullable(c.referenceTopScores).map(double[]::clone);
    }

    /**
     * Metrics of the model on the labelled reference (accuracy, macro_f1, ...); empty without
     * labels.
     */
    public Map<String, Double> referenceMetrics() {
        return Collections.unmodifiableMap(c.referenceMetrics);
    }

    /**
     * Summary of the label-free calibration (method, calibration errors); empty without labels and
     * scores.
     */
    public Map<String, Object> labelFreeCalibration() {
        return Collections.unmodifiableMap(c.labelFreeCalibration);
    }

    /**
     * Maps top-class probability to probability of being correct: refitted (deterministically) from
     * the stored labelled reference scores, or the identity without them.
     */
    public ConfidenceCalibrator confidenceCalibrator() {
        if (confidenceCalibrator == null) {
            confidenceCalibrator =
                    BundleFitter.fitConfidenceCalibrator(
                            c.referenceScores, c.referenceLabelIndices);
        }
        return confidenceCalibrator;
    }

    /** Numeric inputs: the raw reference features for per-feature tests (copy). */
    public Optional<double[][]> referenceFeatures() {
        return Optional.ofNullable(c.referenceFeatures).map(ReferenceBundle::deepCopy);
    }

    /** Numeric inputs: per-feature reference minimum (data-quality range). */
    public Optional<double[]> featureMin() {
        return Optional.ofNullable(c.featureMin).map(double[]::clone);
    }

    /** Numeric inputs: per-feature reference maximum (data-quality range). */
    public Optional<double[]> featureMax() {
        return Optional.ofNullable(c.featureMax).map(double[]::clone);
    }

    /** Numeric inputs: feature names. */
    public Optional<TableSchema> schema() {
        return Optional.ofNullable(c.schema);
    }

    /** Names of the numeric features, or the columns of a tabular reference. */
    public List<String> featureNames() {
        return c.featureNames == null ? List.of() : c.featureNames;
    }

    /** Statistics of the held-out outlier scores (mean, std, min, max, p50, p90, p99). */
    public Map<String, Double> outlierScoreStats() {
        return Collections.unmodifiableMap(c.outlierScoreStats);
    }

    /** Statistics of the reference top-class probabilities; empty without scores. */
    public Map<String, Double> topScoreStats() {
        return Collections.unmodifiableMap(c.topScoreStats);
    }

    /**
     * Sorted {@link InputFingerprints} of the inputs the standardisation, PCA and outlier detector
     * were fitted on; empty for bundles written before they were recorded.
     */
    public Optional<long[]> fitFingerprints() {
        return Optional.ofNullable(c.fitFingerprints).map(long[]::clone);
    }

    /** How the reference was split between fitting and calibration. */
    public Map<String, Object> split() {
        return Collections.unmodifiableMap(c.split);
    }

    /** The fitting options used. */
    public Map<String, Object> options() {
        return Collections.unmodifiableMap(c.options);
    }

    static double[][] deepCopy(double[][] a) {
        double[][] out = new double[a.length][];
        for (int i = 0; i < a.length; i++) {
            out[i] = a[i].clone();
        }
        return out;
    }
}
