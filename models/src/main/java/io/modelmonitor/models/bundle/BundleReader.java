package io.modelmonitor.models.bundle;

import static io.modelmonitor.models.bundle.BundleFiles.*;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import io.modelmonitor.detectors.reduction.Pca;
import io.modelmonitor.models.EncoderIdentity;
import io.modelmonitor.models.Modality;
import io.modelmonitor.models.numeric.Standardizer;
import io.modelmonitor.models.runtime.Checksums;
import io.modelmonitor.models.tabular.TableSchema;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a bundle directory and checks it, failing with a one-line {@link BundleException}: the
 * manifest parses and is not newer than this code; every file it lists exists and has its SHA-256;
 * every array the modality needs is listed and has consistent dimensions.
 */
final class BundleReader {

    final Path dir;
    private final JsonNode manifest;
    private final Map<String, String> files = new LinkedHashMap<>();

    private BundleReader(Path dir, JsonNode manifest) {
        this.dir = dir;
        this.manifest = manifest;
    }

    static ReferenceBundle read(Path dir) throws BundleException {
        if (!Files.isDirectory(dir)) {
            throw new BundleException("bundle directory not found: " + dir);
        }
        Path manifestFile = dir.resolve(MANIFEST);
        if (!Files.isRegularFile(manifestFile)) {
            throw new BundleException("missing file " + MANIFEST + " in bundle " + dir);
        }
        JsonNode manifest;
        try {
            manifest = BundleWriter.JSON.readTree(manifestFile.toFile());
        } catch (JsonProcessingException e) {
            throw new BundleException(
                    "malformed manifest "
                            + manifestFile
                            + ": "
                            + e.getOriginalMessage().replaceAll("\\s+", " "),
                    e);
        } catch (IOException e) {
            throw new BundleException("cannot read " + manifestFile + ": " + e.getMessage(), e);
        }
        if (manifest == null || !manifest.isObject()) {
            throw new BundleException("malformed manifest " + manifestFile + ": not a JSON object");
        }
        return new BundleReader(dir, manifest).read();
    }

    private ReferenceBundle read() throws BundleException {
        BundleContents c = new BundleContents();
        c.formatVersion = integer("format_version");
        if (c.formatVersion > ReferenceBundle.FORMAT_VERSION) {
            throw new BundleException(
                    "bundle "
                            + dir
                            + " has format version "
                            + c.formatVersion
                            + ", newer than the supported "
                            + ReferenceBundle.FORMAT_VERSION
                            + "; upgrade Model Monitor or refit the bundle");
        }
        if (c.formatVersion < 1) {
            throw malformed("format_version must be at least 1, is " + c.formatVersion);
        }
        checkFiles();
        try {
            c.modality = Modality.parse(text("modality"));
        } catch (IllegalArgumentException e) {
            throw malformed(e.getMessage());
        }
        c.encoder = encoder();
        c.encoderLocation =
                manifest.path("encoder").hasNonNull("location")
                        ? inBundle(text("encoder.location"))
                        : null;
        int d = c.encoder.dimension();

        if (bool("preprocessing.standardize")) {
            c.standardizer = standardizer(STANDARDIZER_MEAN, STANDARDIZER_SCALE, d);
        }
        double[][] components = matrix(PCA_COMPONENTS, -1, d);
        double[] mean = vector(PCA_MEAN, d);
        c.pca = Pca.of(mean, components);
        c.explainedVarianceRatio = doubles("reduction.explained_variance_ratio");
        int k = components.length;
        requireEqual("reduction.components", integer("reduction.components"), k);

        c.reference = matrix(REFERENCE, -1, k);
        c.sigma = number("mmd.sigma");
        if (!(c.sigma > 0)) {
            throw malformed("mmd.sigma must be positive, is " + c.sigma);
        }

        OutlierModelFormat.read(this, manifest.path("outlier"), c);
        c.outlierQuantile = number("outlier.quantile");
        c.outlierThreshold = number("outlier.threshold");
        c.outlierExpectedRate = number("outlier.expected_rate");
        c.referenceOutlierScores = vector(REFERENCE_OUTLIER_SCORES, -1);
        c.outlierScoreStats = numberMap("outlier.score_stats");

        c.classes = strings("predictions.classes");
        c.predictionCounts = counts("predictions.class_counts");
        c.topScoreStats = numberMap("predictions.top_score_stats");
        if (bool("predictions.has_scores")) {
            c.referenceScores = matrix(REFERENCE_SCORES, -1, c.classes.size());
            c.referenceTopScores = vector(REFERENCE_TOP_SCORES, c.referenceScores.length);
        }
        if (files.containsKey(REFERENCE_LABEL_INDICES)) {
            c.referenceLabelIndices =
                    longs(
                            REFERENCE_LABEL_INDICES,
                            c.referenceScores == null ? 0 : c.referenceScores.length);
        }
        if (files.containsKey(FIT_FINGERPRINTS)) {
            c.fitFingerprints = longs(FIT_FINGERPRINTS, integer("split.n_fit"));
        }
        c.referenceMetrics = numberMap("reference_metrics");
        // Bundles written before the task was recorded are classifiers: the job scored no
        // regression then.
        c.task =
                manifest.hasNonNull("task")
                        ? manifest.get("task").asText()
                        : ReferenceData.CLASSIFICATION;
        if (!c.task.equals(ReferenceData.CLASSIFICATION)
                && !c.task.equals(ReferenceData.REGRESSION)) {
            throw malformed("task must be classification or regression, is " + c.task);
        }
        if (files.containsKey(REFERENCE_ABS_ERRORS)) {
            c.referenceAbsErrors = vector(REFERENCE_ABS_ERRORS, -1);
        }
        if (files.containsKey(REFERENCE_PREDICTED_VALUES)) {
            c.referencePredictedValues = vector(REFERENCE_PREDICTED_VALUES, -1);
        }
        c.labelFreeCalibration = object("label_free_calibration");

        if (c.modality == Modality.NUMERIC) {
            int columns = d;
            if (files.containsKey(SCHEMA)) {
                c.schema = schema();
                columns = c.schema.size();
                requireEqual("encoder.dimension", d, c.schema.vectorDimension());
            }
            c.referenceFeatures = matrix(REFERENCE_FEATURES, -1, columns);
            c.featureMin = vector(FEATURE_MIN, columns);
            c.featureMax = vector(FEATURE_MAX, columns);
            c.featureNames = strings("features.names");
        }
        c.split = object("split");
        c.options = object("options");
        return new ReferenceBundle(c);
    }

    private EncoderIdentity encoder() throws BundleException {
        Map<String, String> preprocessing = new LinkedHashMap<>();
        JsonNode node = manifest.path("encoder").path("preprocessing");
        if (!node.isObject()) {
            throw malformed("missing object 'encoder.preprocessing'");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            preprocessing.put(e.getKey(), e.getValue().asText());
        }
        int dimension = integer("encoder.dimension");
        if (dimension < 1) {
            throw malformed("encoder.dimension must be positive, is " + dimension);
        }
        return new EncoderIdentity(
                text("encoder.name"), text("encoder.sha256"), dimension, preprocessing);
    }

    Standardizer standardizer(String meanFile, String scaleFile, int d) throws BundleException {
        try {
            return Standardizer.of(vector(meanFile, d), vector(scaleFile, d));
        } catch (IllegalArgumentException e) {
            throw new BundleException(
                    "bad array " + scaleFile + " in bundle " + dir + ": " + e.getMessage(), e);
        }
    }

    // ------------------------------------------------------------------ files

    private void checkFiles() throws BundleException {
        JsonNode node = manifest.get("files");
        if (node == null || !node.isObject()) {
            throw malformed("missing object 'files'");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String name = e.getKey();
            if (name.contains("/") || name.contains("\\") || name.startsWith(".")) {
                throw malformed("file name '" + name + "' leaves the bundle directory");
            }
            Path file = dir.resolve(name);
            if (!Files.isRegularFile(file)) {
                throw new BundleException("missing file " + name + " in bundle " + dir);
            }
            String actual = Checksums.sha256(file);
            if (!actual.equalsIgnoreCase(e.getValue().asText())) {
                throw new BundleException(
                        "checksum mismatch for "
                                + name
                                + " in bundle "
                                + dir
                                + ": manifest says "
                                + e.getValue().asText()
                                + ", file has "
                                + actual);
            }
            files.put(name, actual);
        }
    }

    private TableSchema schema() throws BundleException {
        try {
            return TableSchema.fromJson(Files.readString(dir.resolve(SCHEMA)));
        } catch (IOException | IllegalArgumentException e) {
            throw new BundleException(
                    "bad " + SCHEMA + " in bundle " + dir + ": " + e.getMessage(), e);
        }
    }

    private Npy.Array array(String name) throws BundleException {
        if (!files.containsKey(name)) {
            throw malformed("'files' does not list " + name);
        }
        try {
            return Npy.read(dir.resolve(name));
        } catch (IOException e) {
            throw new BundleException(
                    "bad array " + name + " in bundle " + dir + ": " + e.getMessage(), e);
        }
    }

    /** A 2-D array; a negative expected size is not checked. */
    double[][] matrix(String name, int rows, int cols) throws BundleException {
        Npy.Array a = array(name);
        if (a.shape().length != 2
                || (rows >= 0 && a.shape()[0] != rows)
                || (cols >= 0 && a.shape()[1] != cols)) {
            throw shape(name, a, (rows < 0 ? "n" : rows) + " × " + (cols < 0 ? "m" : cols));
        }
        return a.toMatrix();
    }

    double[] vector(String name, int length) throws BundleException {
        Npy.Array a = array(name);
        if (a.shape().length != 1 || (length >= 0 && a.shape()[0] != length)) {
            throw shape(name, a, length < 0 ? "n" : Integer.toString(length));
        }
        return a.toVector();
    }

    private long[] longs(String name, int length) throws BundleException {
        Npy.Array a = array(name);
        if (a.shape().length != 1 || a.shape()[0] != length || a.longValues() == null) {
            throw shape(name, a, "int64 × " + length);
        }
        return a.toLongVector();
    }

    private BundleException shape(String name, Npy.Array a, String expected) {
        return new BundleException(
                "bad array "
                        + name
                        + " in bundle "
                        + dir
                        + ": shape "
                        + java.util.Arrays.toString(a.shape())
                        + " of "
                        + a.dtype()
                        + ", expected "
                        + expected);
    }

    // ------------------------------------------------------------------ manifest fields

    private JsonNode field(String path) throws BundleException {
        JsonNode node = manifest;
        for (String part : path.split("\\.")) {
            node = node.get(part);
            if (node == null || node.isNull()) {
                throw malformed("missing field '" + path + "'");
            }
        }
        return node;
    }

    String text(String path) throws BundleException {
        JsonNode node = field(path);
        if (!node.isTextual()) {
            throw malformed("field '" + path + "' must be a string");
        }
        return node.asText();
    }

    int integer(String path) throws BundleException {
        JsonNode node = field(path);
        if (!node.isIntegralNumber()) {
            throw malformed("field '" + path + "' must be an integer");
        }
        return node.asInt();
    }

    double number(String path) throws BundleException {
        JsonNode node = field(path);
        if (!node.isNumber()) {
            throw malformed("field '" + path + "' must be a number");
        }
        return node.asDouble();
    }

    private boolean bool(String path) throws BundleException {
        JsonNode node = field(path);
        if (!node.isBoolean()) {
            throw malformed("field '" + path + "' must be true or false");
        }
        return node.asBoolean();
    }

    private double[] doubles(String path) throws BundleException {
        JsonNode node = field(path);
        if (!node.isArray()) {
            throw malformed("field '" + path + "' must be an array");
        }
        double[] v = new double[node.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = node.get(i).isNull() ? Double.NaN : node.get(i).asDouble();
        }
        return v;
    }

    private List<String> strings(String path) throws BundleException {
        JsonNode node = field(path);
        if (!node.isArray()) {
            throw malformed("field '" + path + "' must be an array");
        }
        List<String> out = new ArrayList<>();
        node.forEach(n -> out.add(n.asText()));
        return List.copyOf(out);
    }

    private Map<String, Long> counts(String path) throws BundleException {
        JsonNode node = field(path);
        Map<String, Long> out = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!e.getValue().isIntegralNumber()) {
                throw malformed("field '" + path + "." + e.getKey() + "' must be an integer");
            }
            out.put(e.getKey(), e.getValue().asLong());
        }
        return out;
    }

    private Map<String, Double> numberMap(String path) throws BundleException {
        JsonNode node = field(path);
        if (!node.isObject()) {
            throw malformed("field '" + path + "' must be an object");
        }
        Map<String, Double> out = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            out.put(e.getKey(), e.getValue().isNull() ? Double.NaN : e.getValue().asDouble());
        }
        return out;
    }

    private Map<String, Object> object(String path) throws BundleException {
        JsonNode node = field(path);
        if (!node.isObject()) {
            throw malformed("field '" + path + "' must be an object");
        }
        return BundleWriter.JSON.convertValue(
                node, new TypeReference<LinkedHashMap<String, Object>>() {});
    }

    private static void requireEqual(String what, int a, int b) throws BundleException {
        if (a != b) {
            throw new BundleException(
                    "malformed manifest: " + what + " is " + a + " but the arrays have " + b);
        }
    }

    BundleException malformed(String what) {
        return new BundleException("malformed manifest " + dir.resolve(MANIFEST) + ": " + what);
    }

    /**
     * An encoder location that names a file inside the bundle (as a trained image encoder's {@code
     * encoder.onnx}), as an absolute path, so that a bundle moved elsewhere still finds it; any
     * other location unchanged.
     */
    String inBundle(String location) {
        try {
            Path relative = Path.of(location);
            if (!relative.isAbsolute()
                    && relative.getNameCount() == 1
                    && Files.isRegularFile(dir.resolve(relative))) {
                return dir.resolve(relative).toAbsolutePath().toString();
            }
        } catch (java.nio.file.InvalidPathException e) {
            // Not a file name (e.g. a classpath: location): leave it as it is.
        }
        return location;
    }
}
