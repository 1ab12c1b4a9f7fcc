package io.modelmonitor.models.bundle;

import static io.modelmonitor.models.bundle.BundleFiles.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.modelmonitor.detectors.outlier.KnnScorer;
import io.modelmonitor.detectors.outlier.MahalanobisScorer;
import io.modelmonitor.detectors.outlier.OutlierScorer;
import io.modelmonitor.models.EncoderIdentity;
import io.modelmonitor.models.image.InputComplexity;
import io.modelmonitor.models.numeric.Standardizer;
import io.modelmonitor.models.outlier.OutlierAutoencoder;
import io.modelmonitor.models.outlier.OutlierMethod;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How each outlier scorer is stored in a bundle: its fitted arrays as {@code .npy} files and its
 * parameters in the manifest's {@code outlier} object, whose {@code method} names it. Bundles
 * without a method are autoencoders, the only method before there was a choice.
 */
final class OutlierModelFormat {
    private OutlierModelFormat() {}

    static void writeArrays(BundleContents c, BundleWriter w) throws IOException {
        OutlierScorer scorer = c.outlierScorer;
        if (c.outlierModel != null) {
            return; // an ONNX model file beside the encoder, checked by its SHA-256 when opened
        }
        if (scorer instanceof OutlierAutoencoder ae) {
            w.vector(AUTOENCODER_INPUT_MEAN, ae.inputScaler().mean());
            w.vector(AUTOENCODER_INPUT_SCALE, ae.inputScaler().scale());
            for (int l = 0; l < 4; l++) {
                w.matrix(autoencoderWeight(l), ae.weights().get(l));
                w.vector(autoencoderBias(l), ae.biases().get(l));
            }
        } else if (scorer instanceof MahalanobisScorer m) {
            w.vector(OUTLIER_MAHALANOBIS_MEAN, m.mean());
            w.matrix(OUTLIER_MAHALANOBIS_PRECISION, m.precision());
        } else if (scorer instanceof KnnScorer knn) {
            w.matrix(OUTLIER_KNN_REFERENCE, knn.reference());
        } else {
            throw new IllegalArgumentException("cannot store outlier scorer " + scorer.name());
        }
    }

    static void describe(BundleContents c, ObjectNode outlier) {
        OutlierScorer scorer = c.outlierScorer;
        if (c.outlierModel != null) {
            outlier.put("method", modelMethod(c.outlierModel).label());
            ObjectNode model = outlier.putObject("model");
            model.put("name", c.outlierModel.name());
            model.put("sha256", c.outlierModel.sha256());
            model.put("dimension", c.outlierModel.dimension());
            model.set(
                    "preprocessing", BundleWriter.JSON.valueToTree(c.outlierModel.preprocessing()));
            model.put("location", c.outlierModelLocation);
            outlier.put(
                    "score",
                    modelMethod(c.outlierModel) == OutlierMethod.INPUT_COMPLEXITY
                            ? "|log DEFLATE-9 length of the 32x32 RGB bytes - center| / spread"
                            : "mean squared difference between the preprocessed image and the"
                                    + " trained convolutional autoencoder's reconstruction");
            return;
        }
        outlier.put("method", scorer.name());
        if (scorer instanceof OutlierAutoencoder ae) {
            ArrayNode sizes = outlier.putArray("layer_sizes");
            for (int s : ae.layerSizes()) {
                sizes.add(s);
            }
            outlier.put("activations", "relu,linear,relu,linear");
            outlier.put("score", "mean squared reconstruction error of the standardised input");
        } else if (scorer instanceof MahalanobisScorer m) {
            outlier.put("shrinkage", m.shrinkage());
            outlier.put(
                    "score",
                    "Mahalanobis distance to the fit part's mean, Ledoit-Wolf shrunk covariance");
        } else if (scorer instanceof KnnScorer knn) {
            outlier.put("k", knn.k());
            outlier.put("aggregate", knn.aggregate().label());
            outlier.put("n_reference", knn.reference().length);
            outlier.put(
                    "score",
                    "Euclidean distance to the k nearest fit-part rows ("
                            + knn.aggregate().label()
                            + ")");
        }
    }

    /** Sets the scorer, or the outlier model and its location, of {@code c}. */
    static void read(BundleReader r, JsonNode outlier, BundleContents c) throws BundleException {
        int d = c.encoder.dimension();
        String label =
                outlier.hasNonNull("method")
                        ? outlier.get("method").asText()
                        : OutlierMethod.AUTOENCODER.label();
        OutlierMethod method;
        try {
            method = OutlierMethod.parse(label);
        } catch (IllegalArgumentException e) {
            throw r.malformed("outlier.method: " + e.getMessage());
        }
        if (method.scoresImages()) {
            readModel(r, outlier.path("model"), c);
            return;
        }
        try {
            c.outlierScorer =
                    switch (method) {
                        case AUTOENCODER -> autoencoder(r, d);
                        case MAHALANOBIS ->
                                MahalanobisScorer.of(
                                        r.vector(OUTLIER_MAHALANOBIS_MEAN, d),
                                        r.matrix(OUTLIER_MAHALANOBIS_PRECISION, d, d),
                                        r.number("outlier.shrinkage"));
                        case KNN ->
                                KnnScorer.of(
                                        r.matrix(OUTLIER_KNN_REFERENCE, -1, d),
                                        r.integer("outlier.k"),
                                        KnnScorer.Aggregate.parse(r.text("outlier.aggregate")));
                        case CONV_RECONSTRUCTION, INPUT_COMPLEXITY ->
                                throw new IllegalStateException("read above");
                    };
        } catch (IllegalArgumentException e) {
            throw new BundleException(
                    "bad outlier model (" + label + ") in bundle " + r.dir + ": " + e.getMessage(),
                    e);
        }
    }

    /** The method of an outlier model of images, from its name. */
    static OutlierMethod modelMethod(EncoderIdentity model) {
        return InputComplexity.NAME.equals(model.name())
                ? OutlierMethod.INPUT_COMPLEXITY
                : OutlierMethod.CONV_RECONSTRUCTION;
    }

    private static void readModel(BundleReader r, JsonNode model, BundleContents c)
            throws BundleException {
        if (!model.isObject()
                || !model.hasNonNull("sha256")
                || !model.hasNonNull("location")
                || !model.path("preprocessing").isObject()) {
            throw r.malformed(
                    "outlier.model needs name, sha256, dimension, preprocessing and location");
        }
        Map<String, String> preprocessing = new LinkedHashMap<>();
        model.path("preprocessing")
                .fields()
                .forEachRemaining(e -> preprocessing.put(e.getKey(), e.getValue().asText()));
        try {
            c.outlierModel =
                    new EncoderIdentity(
                            model.path("name").asText(),
                            model.get("sha256").asText(),
                            model.path("dimension").asInt(),
                            preprocessing);
        } catch (IllegalArgumentException e) {
            throw r.malformed("outlier.model: " + e.getMessage());
        }
        c.outlierModelLocation = r.inBundle(model.get("location").asText());
    }

    private static OutlierAutoencoder autoencoder(BundleReader r, int d) throws BundleException {
        Standardizer scaler = r.standardizer(AUTOENCODER_INPUT_MEAN, AUTOENCODER_INPUT_SCALE, d);
        List<double[][]> weights = new ArrayList<>();
        List<double[]> biases = new ArrayList<>();
        int in = d;
        for (int l = 0; l < 4; l++) {
            double[][] w = r.matrix(autoencoderWeight(l), -1, in);
            weights.add(w);
            biases.add(r.vector(autoencoderBias(l), w.length));
            in = w.length;
        }
        return OutlierAutoencoder.of(scaler, weights, biases);
    }
}
