package io.modelmonitor.models.outlier;

import io.modelmonitor.models.Modality;
import java.util.Arrays;
import java.util.List;

/**
 * The outlier detectors {@code fit --outlier} chooses from. Each scores one event against the
 * fitted reference without state (so all stream the same way) and all share one calibration: scores
 * of held-out reference rows give the conformal p-values, the threshold and the window rate test
 * (docs/statistics.md).
 */
public enum OutlierMethod {
    /** MLP autoencoder's reconstruction error of the (prepared) embedding. */
    AUTOENCODER("autoencoder"),
    /** Mahalanobis distance of the prepared vector, Ledoit–Wolf shrunk covariance. */
    MAHALANOBIS("mahalanobis"),
    /** Mean distance of the prepared vector to the k nearest reference rows. */
    KNN("knn"),
    /**
     * Images with the trained convolutional autoencoder encoder: that autoencoder's own pixel
     * reconstruction error.
     */
    CONV_RECONSTRUCTION("conv-reconstruction"),
    /**
     * Images, any encoder: how far the image's compressed length lies from the reference's, on
     * either side ({@link io.modelmonitor.models.image.InputComplexity}).
     */
    INPUT_COMPLEXITY("input-complexity");

    /** The value of {@code --outlier} that picks the default of the modality. */
    public static final String AUTO = "auto";

    private final String label;

    OutlierMethod(String label) {
        this.label = label;
    }

    /** The name as {@code --outlier} takes it and the bundle records it. */
    public String label() {
        return label;
    }

    /** Parses {@link #label()}. */
    public static OutlierMethod parse(String label) {
        for (OutlierMethod m : values()) {
            if (m.label.equals(label)) {
                return m;
            }
        }
        throw new IllegalArgumentException(
                "unknown outlier method '" + label + "'; expected one of " + labels());
    }

    /** Every label, {@value #AUTO} first. */
    public static List<String> labels() {
        List<String> out = new java.util.ArrayList<>();
        out.add(AUTO);
        Arrays.stream(values()).map(OutlierMethod::label).forEach(out::add);
        return List.copyOf(out);
    }

    /**
     * The default of a modality, the best per-event ROC AUC over the generated outliers of {@code
     * ./monitor bench --suites outliers} (README), the cheaper on a tie: the autoencoder for text
     * (every detector separates all three kinds, AUC 1.000), Mahalanobis for numeric features (best
     * on every kind), input complexity for images (the only detector that separates mild noise and
     * flat colours, whatever the encoder).
     */
    public static OutlierMethod defaultFor(Modality modality) {
        return switch (modality) {
            case TEXT -> AUTOENCODER;
            case IMAGE -> INPUT_COMPLEXITY;
            case NUMERIC -> MAHALANOBIS;
        };
    }

    /** Whether the method scores the raw images with a model of its own, not the embedding. */
    public boolean scoresImages() {
        return this == CONV_RECONSTRUCTION || this == INPUT_COMPLEXITY;
    }
}
