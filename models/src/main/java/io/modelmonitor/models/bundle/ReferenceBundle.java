package io.modelmonitor.models.bundle;

import io.modelmonitor.detectors.outlier.OutlierCalibration;
import io.modelmonitor.detectors.performance.ConfidenceCalibrator;
import io.modelmonitor.detectors.reduction.Pca;
import io.modelmonitor.models.Encoder;
import io.modelmonitor.models.EncoderIdentity;
import io.modelmonitor.models.Modality;
import io.modelmonitor.models.numeric.Standardizer;
import io.modelmonitor.models.outlier.OutlierAutoencoder;
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
 * bandwidth, thresholds, reference metrics, options, a SHA-256 of every other file) and the
 * arrays as NumPy {@code .npy} files (see {@link BundleFiles} for the names), so that numpy reads
 * them directly.
 *
 * <p>Per event the job calls {@link #prepare} (standardisation of numeric features; identity for
 * text and image embeddings), then {@link #reduce} for the MMD window and {@link #outlierScore}
 * for the outlier rate; per window it tests against {@link #reference()} with bandwidth {@link
 * #sigma()}, and compares outlier counts with {@link #outlierCalibration()}.
 *
 * <pre>{@code
 * ReferenceBundle bundle = ReferenceBundle.load(dir, encoder.identity());   // checks everything
 * double[] z = bundle.reduce(embedding);
 * boolean outlier = bundle.outlierCalibration().isOutlier(bundle.outlierScore(embedding));
 * MmdDetector mmd = MmdDetector.builder().setReference(bundle.reference()).optSigma(bundle.sigma()).build();
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

  // ------------------------------------------------------------------ per event

  /** The vector PCA and the autoencoder take: standardised features (numeric) or the embedding. */
  public double[] prepare(float[] embedding) {
    requireDimension(embedding.length);
    if (c.standardizer != null) {
      return c.standardizer.transform(embedding);
    }
    double[] x = new double[embedding.length];
    for (int j = 0; j < x.length; j++) {
      x[j] = embedding[j];
    }
    return x;
  }

  /** {@link #prepare(float[])} of numeric features without a round trip through float. */
  public double[] prepare(double[] features) {
    requireDimension(features.length);
    return c.standardizer != null ? c.standardizer.transform(features) : features.clone();
  }

  /** The reduced vector of the MMD test: PCA of the prepared embedding. */
  public double[] reduce(float[] embedding) {
    return c.pca.transform(prepare(embedding));
  }

  /** The reduced vector of numeric features. */
  public double[] reduce(double[] features) {
    return c.pca.transform(prepare(features));
  }

  /** Autoencoder reconstruction error of the embedding (higher = more unusual). */
  public double outlierScore(float[] embedding) {
    return c.autoencoder.score(prepare(embedding));
  }

  /** Autoencoder reconstruction error of numeric features. */
  public double outlierScore(double[] features) {
    return c.autoencoder.score(prepare(features));
  }

  private void requireDimension(int length) {
    if (length != c.encoder.dimension()) {
      throw new IllegalArgumentException("expected an embedding of " + c.encoder.dimension() + " values, got " + length);
    }
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

  /** The outlier autoencoder. */
  public OutlierAutoencoder autoencoder() {
    return c.autoencoder;
  }

  /** Threshold, expected rate and rate test, calibrated on held-out reference scores. */
  public OutlierCalibration outlierCalibration() {
    if (outlierCalibration == null) {
      outlierCalibration = OutlierCalibration.builder().setReferenceScores(c.referenceOutlierScores)
          .optQuantile(c.outlierQuantile).build();
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

  /** Autoencoder scores of the held-out calibration part (copy). */
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

  /** Class order (empty when the reference had no predictions, scores or labels). */
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

  /** Metrics of the model on the labelled reference (accuracy, macro_f1, ...); empty without labels. */
  public Map<String, Double> referenceMetrics() {
    return Collections.unmodifiableMap(c.referenceMetrics);
  }

  /** Summary of the label-free calibration (method, calibration errors); empty without labels and scores. */
  public Map<String, Object> labelFreeCalibration() {
    return Collections.unmodifiableMap(c.labelFreeCalibration);
  }

  /**
   * Maps top-class probability to probability of being correct: refitted (deterministically) from
   * the stored labelled reference scores, or the identity without them.
   */
  public ConfidenceCalibrator confidenceCalibrator() {
    if (confidenceCalibrator == null) {
      confidenceCalibrator = BundleFitter.fitConfidenceCalibrator(c.referenceScores, c.referenceLabelIndices);
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
