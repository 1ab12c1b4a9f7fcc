package io.modelmonitor.models.bundle;

import io.modelmonitor.detectors.outlier.OutlierScorer;
import io.modelmonitor.detectors.reduction.Pca;
import io.modelmonitor.models.EncoderIdentity;
import io.modelmonitor.models.Modality;
import io.modelmonitor.models.numeric.Standardizer;
import io.modelmonitor.models.tabular.TableSchema;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything a {@link ReferenceBundle} holds, as the fitter and the reader assemble it (mutable,
 * package-private; the bundle exposes it read-only). Optional parts are {@code null}.
 */
final class BundleContents {
    int formatVersion = ReferenceBundle.FORMAT_VERSION;
    Modality modality;
    EncoderIdentity encoder;
    String encoderLocation;

    /** Numeric modality: per-feature standardisation before PCA and the autoencoder. */
    Standardizer standardizer;

    Pca pca;
    double[] explainedVarianceRatio;

    /**
     * Scores prepared vectors; its method (autoencoder, Mahalanobis, kNN) is chosen at fit and
     * recorded in the manifest.
     */
    OutlierScorer outlierScorer;

    /**
     * conv-reconstruction: the image model whose single output is the outlier score (instead of a
     * scorer of vectors), and where it lives.
     */
    EncoderIdentity outlierModel;

    String outlierModelLocation;

    double outlierQuantile;
    double outlierThreshold;
    double outlierExpectedRate;

    /** Outlier scores of the held-out calibration part. */
    double[] referenceOutlierScores;

    /** Reduced reference sample of the MMD test, n_ref × k. */
    double[][] reference;

    double sigma;

    /** "classification" or "regression": decided at fit (inferred or --task), never per event. */
    String task = ReferenceData.CLASSIFICATION;

    /**
     * Regression: |prediction − label| of labelled reference rows (a seeded sample of at most
     * 2,000).
     */
    double[] referenceAbsErrors;

    /** Regression: the reference's predicted values (a seeded sample of at most 2,000). */
    double[] referencePredictedValues;

    List<String> classes = List.of();
    Map<String, Long> predictionCounts = new LinkedHashMap<>();
    double[][] referenceScores;
    double[] referenceTopScores;
    long[] referenceLabelIndices;
    Map<String, Double> referenceMetrics = new LinkedHashMap<>();
    Map<String, Object> labelFreeCalibration = new LinkedHashMap<>();

    /** Sorted input fingerprints of the fit part; null in bundles that predate them. */
    long[] fitFingerprints;

    double[][] referenceFeatures;
    double[] featureMin;
    double[] featureMax;
    List<String> featureNames;

    /** Tabular inputs: the column schema; reference features are then its coded cells. */
    TableSchema schema;

    Map<String, Double> outlierScoreStats = new LinkedHashMap<>();
    Map<String, Double> topScoreStats = new LinkedHashMap<>();
    Map<String, Object> split = new LinkedHashMap<>();
    Map<String, Object> options = new LinkedHashMap<>();
}
