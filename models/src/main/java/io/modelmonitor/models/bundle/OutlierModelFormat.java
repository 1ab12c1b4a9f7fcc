package io.modelmonitor.models.bundle;

import static io.modelmonitor.models.bundle.BundleFiles.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.modelmonitor.detectors.outlier.KnnScorer;
import io.modelmonitor.detectors.outlier.MahalanobisScorer;
import io.modelmonitor.detectors.outlier.OutlierScorer;
import io.modelmonitor.detectors.reduction.Pca;
import io.modelmonitor.models.numeric.Standardizer;
import io.modelmonitor.models.outlier.OutlierAutoencoder;
import io.modelmonitor.models.outlier.OutlierMethod;
import io.modelmonitor.models.outlier.ReducedSpaceScorer;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * How each outlier scorer is stored in a bundle: its fitted arrays as {@code .npy} files and its
 * parameters in the manifest's {@code outlier} object, whose {@code method} names it. Bundles
 * without a method are autoencoders, the only method before there was a choice.
 */
final class OutlierModelFormat {
    private OutlierModelFormat() {}

    static void writeArrays(OutlierScorer scorer, BundleWriter w) throws IOException {
        if (scorer instanceof OutlierAutoencoder ae) {
            w.vector(AUTOENCODER_INPUT_MEAN, ae.inputScaler().mean());
            w.vector(AUTOENCODER_INPUT_SCALE, ae.inputScaler().scale());
            for (int l = 0; l < 4; l++) {
                w.matrix(autoencoderWeight(l), ae.weights().get(l));
                w.vector(autoencoderBias(l), ae.biases().get(l));
            }
        } else if (reduced(scorer) instanceof MahalanobisScorer m) {
            w.vector(OUTLIER_MAHALANOBIS_MEAN, m.mean());
            w.matrix(OUTLIER_MAHALANOBIS_PRECISION, m.precision());
        } else if (reduced(scorer) instanceof KnnScorer knn) {
            w.matrix(OUTLIER_KNN_REFERENCE, knn.reference());
        } else {
            throw new IllegalArgumentException("cannot store outlier scorer " + scorer.name());
        }
    }

    static void describe(OutlierScorer scorer, ObjectNode outlier) {
        outlier.put("method", scorer.name());
        if (scorer instanceof OutlierAutoencoder ae) {
            outlier.put("space", "prepared");
            ArrayNode sizes = outlier.putArray("layer_sizes");
            for (int s : ae.layerSizes()) {
                sizes.add(s);
            }
            outlier.put("activations", "relu,linear,relu,linear");
            outlier.put("score", "mean squared reconstruction error of the standardised input");
        } else if (reduced(scorer) instanceof MahalanobisScorer m) {
            outlier.put("space", "reduced");
            outlier.put("shrinkage", m.shrinkage());
            outlier.put(
                    "score",
                    "Mahalanobis distance to the fit part's mean, Ledoit-Wolf shrunk covariance");
        } else if (reduced(scorer) instanceof KnnScorer knn) {
            outlier.put("space", "reduced");
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

    static OutlierScorer read(BundleReader r, JsonNode outlier, int d, Pca pca)
            throws BundleException {
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
        int k = pca.outputDimension();
        try {
            return switch (method) {
                case AUTOENCODER -> autoencoder(r, d);
                case MAHALANOBIS ->
                        new ReducedSpaceScorer(
                                pca,
                                MahalanobisScorer.of(
                                        r.vector(OUTLIER_MAHALANOBIS_MEAN, k),
                                        r.matrix(OUTLIER_MAHALANOBIS_PRECISION, k, k),
                                        r.number("outlier.shrinkage")));
                case KNN ->
                        new ReducedSpaceScorer(
                                pca,
                                KnnScorer.of(
                                        r.matrix(OUTLIER_KNN_REFERENCE, -1, k),
                                        r.integer("outlier.k"),
                                        KnnScorer.Aggregate.parse(r.text("outlier.aggregate"))));
                case CONV_RECONSTRUCTION ->
                        throw r.malformed(
                                "outlier.method conv-reconstruction is not supported by this version");
            };
        } catch (IllegalArgumentException e) {
            throw new BundleException(
                    "bad outlier model (" + label + ") in bundle " + r.dir + ": " + e.getMessage(),
                    e);
        }
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

    private static OutlierScorer reduced(OutlierScorer scorer) {
        return scorer instanceof ReducedSpaceScorer r ? r.inReducedSpace() : scorer;
    }
}
