package io.modelmonitor.models.bundle;

import static io.modelmonitor.models.bundle.BundleFiles.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.modelmonitor.models.runtime.Checksums;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Writes {@link BundleContents} as a bundle directory: arrays first, the manifest last. */
final class BundleWriter {

    static final ObjectMapper JSON =
            new ObjectMapper()
                    .enable(SerializationFeature.INDENT_OUTPUT)
                    .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

    private final Path dir;
    private final Map<String, String> files = new TreeMap<>();

    private BundleWriter(Path dir) {
        this.dir = dir;
    }

    static void write(BundleContents c, Path dir) throws IOException {
        Files.createDirectories(dir);
        // A manifest left from an earlier bundle would describe files about to change: remove it
        // first.
        Files.deleteIfExists(dir.resolve(MANIFEST));
        new BundleWriter(dir).writeAll(c);
    }

    private void writeAll(BundleContents c) throws IOException {
        matrix(REFERENCE, c.reference);
        vector(PCA_MEAN, c.pca.mean());
        matrix(PCA_COMPONENTS, c.pca.components());
        if (c.standardizer != null) {
            vector(STANDARDIZER_MEAN, c.standardizer.mean());
            vector(STANDARDIZER_SCALE, c.standardizer.scale());
        }
        OutlierModelFormat.writeArrays(c, this);
        vector(REFERENCE_OUTLIER_SCORES, c.referenceOutlierScores);
        if (c.referenceScores != null) {
            matrix(REFERENCE_SCORES, c.referenceScores);
            vector(REFERENCE_TOP_SCORES, c.referenceTopScores);
        }
        if (c.referenceLabelIndices != null) {
            Npy.write(file(REFERENCE_LABEL_INDICES), c.referenceLabelIndices);
            record(REFERENCE_LABEL_INDICES);
        }
        if (c.referenceAbsErrors != null) {
            vector(REFERENCE_ABS_ERRORS, c.referenceAbsErrors);
        }
        if (c.referencePredictedValues != null) {
            vector(REFERENCE_PREDICTED_VALUES, c.referencePredictedValues);
        }
        if (c.fitFingerprints != null) {
            Npy.write(file(FIT_FINGERPRINTS), c.fitFingerprints);
            record(FIT_FINGERPRINTS);
        }
        if (c.referenceFeatures != null) {
            matrix(REFERENCE_FEATURES, c.referenceFeatures);
            if (c.schema != null) {
                Files.writeString(file(SCHEMA), c.schema.toJson());
                record(SCHEMA);
            }
            vector(FEATURE_MIN, c.featureMin);
            vector(FEATURE_MAX, c.featureMax);
        }
        Files.writeString(file(MANIFEST), JSON.writeValueAsString(manifest(c)) + "\n");
    }

    private ObjectNode manifest(BundleContents c) {
        ObjectNode m = JSON.createObjectNode();
        m.put("format_version", c.formatVersion);
        m.put("generator", "io.modelmonitor.models");
        m.put("modality", c.modality.label());

        ObjectNode encoder = m.putObject("encoder");
        encoder.put("name", c.encoder.name());
        encoder.put("sha256", c.encoder.sha256());
        encoder.put("dimension", c.encoder.dimension());
        encoder.set("preprocessing", JSON.valueToTree(c.encoder.preprocessing()));
        if (c.encoderLocation != null) {
            encoder.put("location", c.encoderLocation);
        }

        m.putObject("preprocessing").put("standardize", c.standardizer != null);

        ObjectNode reduction = m.putObject("reduction");
        reduction.put("method", "pca");
        reduction.put("input_dimension", c.pca.inputDimension());
        reduction.put("components", c.pca.outputDimension());
        reduction.set("explained_variance_ratio", doubles(c.explainedVarianceRatio));

        ObjectNode mmd = m.putObject("mmd");
        mmd.put("kernel", "gaussian");
        mmd.put("sigma_rule", "median_heuristic");
        mmd.put("sigma", c.sigma);
        mmd.put("n_reference", c.reference.length);

        ObjectNode outlier = m.putObject("outlier");
        OutlierModelFormat.describe(c, outlier);
        outlier.put("quantile", c.outlierQuantile);
        outlier.put("threshold", c.outlierThreshold);
        outlier.put("expected_rate", c.outlierExpectedRate);
        outlier.put("n_calibration", c.referenceOutlierScores.length);
        outlier.set("score_stats", numbers(c.outlierScoreStats));

        m.put("task", c.task);
        ObjectNode predictions = m.putObject("predictions");
        ArrayNode classes = predictions.putArray("classes");
        c.classes.forEach(classes::add);
        ObjectNode counts = predictions.putObject("class_counts");
        c.predictionCounts.forEach(counts::put);
        predictions.put("has_scores", c.referenceScores != null);
        predictions.set("top_score_stats", numbers(c.topScoreStats));

        m.set("reference_metrics", numbers(c.referenceMetrics));
        m.set("label_free_calibration", JSON.valueToTree(c.labelFreeCalibration));

        if (c.referenceFeatures != null) {
            ObjectNode features = m.putObject("features");
            features.put("count", c.featureMin.length);
            ArrayNode names = features.putArray("names");
            (c.featureNames == null ? List.<String>of() : c.featureNames).forEach(names::add);
        }
        m.set("split", JSON.valueToTree(c.split));
        m.set("options", JSON.valueToTree(c.options));
        m.set("files", JSON.valueToTree(files));
        return m;
    }

    /** Doubles with NaN and infinities as null (JSON has no such numbers). */
    static JsonNode doubles(double[] values) {
        ArrayNode a = JSON.createArrayNode();
        for (double v : values) {
            if (Double.isFinite(v)) {
                a.add(v);
            } else {
                a.addNull();
            }
        }
        return a;
    }

    static ObjectNode numbers(Map<String, Double> values) {
        ObjectNode o = JSON.createObjectNode();
        values.forEach(
                (k, v) -> {
                    if (v != null && Double.isFinite(v)) {
                        o.put(k, v);
                    } else {
                        o.putNull(k);
                    }
                });
        return o;
    }

    void matrix(String name, double[][] rows) throws IOException {
        Npy.write(file(name), rows);
        record(name);
    }

    void vector(String name, double[] values) throws IOException {
        Npy.write(file(name), values);
        record(name);
    }

    private void record(String name) {
        files.put(name, Checksums.sha256(file(name)));
    }

    private Path file(String name) {
        return dir.resolve(name);
    }
}
