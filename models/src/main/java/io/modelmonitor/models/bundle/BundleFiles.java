package io.modelmonitor.models.bundle;

/**
 * File names inside a bundle directory. Arrays are {@code .npy} (float64 unless noted), C order.
 */
public final class BundleFiles {
    /** The JSON manifest. */
    public static final String MANIFEST = "manifest.json";

    /** Reduced MMD reference sample, n_ref × k. */
    public static final String REFERENCE = "reference.npy";

    /** PCA mean, d. */
    public static final String PCA_MEAN = "pca_mean.npy";

    /** PCA components, k × d. */
    public static final String PCA_COMPONENTS = "pca_components.npy";

    /** Numeric inputs: standardisation mean, d. */
    public static final String STANDARDIZER_MEAN = "standardizer_mean.npy";

    /** Numeric inputs: standardisation scale, d. */
    public static final String STANDARDIZER_SCALE = "standardizer_scale.npy";

    /** Autoencoder input standardisation mean, d. */
    public static final String AUTOENCODER_INPUT_MEAN = "autoencoder_input_mean.npy";

    /** Autoencoder input standardisation scale, d. */
    public static final String AUTOENCODER_INPUT_SCALE = "autoencoder_input_scale.npy";

    /** Outlier scores of the held-out calibration part, n_cal. */
    public static final String REFERENCE_OUTLIER_SCORES = "reference_outlier_scores.npy";

    /** Reference class probabilities, n × classes. */
    public static final String REFERENCE_SCORES = "reference_scores.npy";

    /** Reference top-class probabilities, n. */
    public static final String REFERENCE_TOP_SCORES = "reference_top_scores.npy";

    /**
     * Class index of each labelled, scored reference row (int64), for the confidence calibrator.
     */
    public static final String REFERENCE_LABEL_INDICES = "reference_label_indices.npy";

    /** Regression: absolute errors of labelled reference rows (sample). */
    public static final String REFERENCE_ABS_ERRORS = "reference_abs_errors.npy";

    /** Regression: predicted values of the reference (sample). */
    public static final String REFERENCE_PREDICTED_VALUES = "reference_predicted_values.npy";

    /** Numeric inputs: raw reference features, n × d. */
    public static final String REFERENCE_FEATURES = "reference_features.npy";

    /**
     * Fingerprints of the fit part's inputs (int64, sorted, {@link InputFingerprints}); absent in
     * bundles written before they were recorded.
     */
    public static final String FIT_FINGERPRINTS = "fit_fingerprints.npy";

    /** Numeric inputs: per-feature minimum, d. */
    public static final String FEATURE_MIN = "feature_min.npy";

    /** Numeric inputs: per-feature maximum, d. */
    public static final String FEATURE_MAX = "feature_max.npy";

    /** Tabular inputs: the column schema (JSON, see {@code TableSchema}). */
    public static final String SCHEMA = "schema.json";

    /** Mahalanobis outlier scorer: mean of the reduced fit part, k. */
    public static final String OUTLIER_MAHALANOBIS_MEAN = "outlier_mahalanobis_mean.npy";

    /** Mahalanobis outlier scorer: inverse of the shrunk covariance, k × k. */
    public static final String OUTLIER_MAHALANOBIS_PRECISION = "outlier_mahalanobis_precision.npy";

    /** kNN outlier scorer: reduced fit-part rows it measures distances to, n × k. */
    public static final String OUTLIER_KNN_REFERENCE = "outlier_knn_reference.npy";

    private BundleFiles() {}

    /** Autoencoder layer l weights, out × in (PyTorch {@code Linear.weight} layout). */
    public static String autoencoderWeight(int layer) {
        return "autoencoder_layer" + layer + "_weight.npy";
    }

    /** Autoencoder layer l biases. */
    public static String autoencoderBias(int layer) {
        return "autoencoder_layer" + layer + "_bias.npy";
    }
}
