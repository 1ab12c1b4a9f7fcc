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
    /** Mahalanobis distance in the reduced (PCA) space, Ledoit–Wolf shrunk covariance. */
    MAHALANOBIS("mahalanobis"),
    /** Mean distance to the k nearest reference rows in the reduced space. */
    KNN("knn"),
    /**
     * Images with the trained convolutional autoencoder encoder: that autoencoder's own pixel
     * reconstruction error.
     */
    CONV_RECONSTRUCTION("conv-reconstruction");

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
     * The default of a modality, the best per-event ROC AUC over the known outliers of {@code
     * ./monitor bench --suites outliers} (README): Mahalanobis for text, images and numeric
     * features alike.
     */
    public static OutlierMethod defaultFor(Modality modality) {
        return switch (modality) {
            case TEXT, IMAGE, NUMERIC -> MAHALANOBIS;
        };
    }
}
