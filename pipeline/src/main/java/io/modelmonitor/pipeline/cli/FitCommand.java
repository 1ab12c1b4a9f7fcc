package io.modelmonitor.pipeline.cli;

import static io.modelmonitor.pipeline.options.FitOptions.IMAGE_CHANNELS;
import static io.modelmonitor.pipeline.options.FitOptions.IMAGE_EPOCHS;
import static io.modelmonitor.pipeline.options.FitOptions.IMAGE_INPUT;
import static io.modelmonitor.pipeline.options.FitOptions.IMAGE_MEAN;
import static io.modelmonitor.pipeline.options.FitOptions.IMAGE_OUTPUT;
import static io.modelmonitor.pipeline.options.FitOptions.IMAGE_SIZE;
import static io.modelmonitor.pipeline.options.FitOptions.IMAGE_STD;
import static io.modelmonitor.pipeline.options.FitOptions.MAX_REFERENCE;
import static io.modelmonitor.pipeline.options.FitOptions.OUTLIER;
import static io.modelmonitor.pipeline.options.FitOptions.PCA_COMPONENTS;
import static io.modelmonitor.pipeline.options.FitOptions.SCHEMA;
import static io.modelmonitor.pipeline.options.FitOptions.TASK;
import static io.modelmonitor.pipeline.options.SharedOptions.DEVICE;
import static io.modelmonitor.pipeline.options.SharedOptions.ENCODER;
import static io.modelmonitor.pipeline.options.SharedOptions.ENCODER_THREADS;
import static io.modelmonitor.pipeline.options.SharedOptions.LABELS;
import static io.modelmonitor.pipeline.options.SharedOptions.MAX_RECORD_BYTES;
import static io.modelmonitor.pipeline.options.SharedOptions.OUT;
import static io.modelmonitor.pipeline.options.SharedOptions.REFERENCE;
import static io.modelmonitor.pipeline.options.SharedOptions.SEED;

import io.modelmonitor.models.Encoder;
import io.modelmonitor.models.Modality;
import io.modelmonitor.models.Progress;
import io.modelmonitor.models.bundle.BundleEncoders;
import io.modelmonitor.models.bundle.BundleFitter;
import io.modelmonitor.models.bundle.ReferenceBundle;
import io.modelmonitor.models.bundle.ReferenceData;
import io.modelmonitor.models.image.ConvAutoencoderTrainer;
import io.modelmonitor.models.image.ImagePreprocessing;
import io.modelmonitor.models.image.OnnxImageEncoder;
import io.modelmonitor.models.image.RandomConvEncoder;
import io.modelmonitor.models.outlier.OutlierMethod;
import io.modelmonitor.models.tabular.ColumnType;
import io.modelmonitor.models.tabular.NamedValues;
import io.modelmonitor.models.tabular.TableSchema;
import io.modelmonitor.models.text.TextEncoder;
import io.modelmonitor.models.text.TextModelSource;
import io.modelmonitor.pipeline.embed.EncoderLoader;
import io.modelmonitor.pipeline.io.JsonLinesFile;
import io.modelmonitor.pipeline.options.ConfigurationException;
import io.modelmonitor.pipeline.record.EventParser;
import io.modelmonitor.pipeline.record.LabelEvent;
import io.modelmonitor.pipeline.record.PredictionEvent;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;

/**
 * {@code ./monitor fit} (docs/architecture.md): reads reference events (and optionally their
 * labels), embeds them, fits the reduction and the outlier detector, calibrates every threshold and
 * writes a reference bundle directory.
 */
public final class FitCommand implements Command {
    @Override
    public String name() {
        return "fit";
    }

    @Override
    public String summary() {
        return "build a reference bundle from reference data";
    }

    @Override
    public List<ConfigOption<?>> options() {
        return CommandLine.ordered(
                REFERENCE,
                LABELS,
                OUT,
                TASK,
                SCHEMA,
                PCA_COMPONENTS,
                MAX_REFERENCE,
                OUTLIER,
                SEED,
                ENCODER,
                DEVICE,
                ENCODER_THREADS,
                MAX_RECORD_BYTES,
                IMAGE_EPOCHS,
                IMAGE_SIZE,
                IMAGE_CHANNELS,
                IMAGE_MEAN,
                IMAGE_STD,
                IMAGE_INPUT,
                IMAGE_OUTPUT);
    }

    @Override
    public Set<ConfigOption<?>> required() {
        return Set.of(REFERENCE, OUT);
    }

    @Override
    public int run(CommandLine line) throws Exception {
        Configuration conf = line.config();
        EventParser parser =
                EventParser.builder().optMaxRecordBytes(conf.get(MAX_RECORD_BYTES)).build();
        Path refFile = Path.of(conf.get(REFERENCE));
        Path out = Path.of(conf.get(OUT));
        if (Files.isRegularFile(out)) {
            throw new ConfigurationException(
                    "--out " + out + " is a file; the bundle is a directory");
        }
        List<PredictionEvent> events = JsonLinesFile.readPredictions(refFile, parser);
        Map<String, LabelEvent> labels =
                conf.getOptional(LABELS)
                        .map(l -> labels(Path.of(stripFileScheme(l)), parser))
                        .orElse(null);
        String task = conf.getOptional(TASK).orElseGet(() -> inferTask(events, labels));
        Map<String, ColumnType> columnTypes =
                conf.getOptional(SCHEMA).map(FitCommand::columnTypes).orElse(Map.of());
        if (conf.contains(SCHEMA) && events.get(0).namedFeatures == null) {
            throw new ConfigurationException(
                    "--schema applies to named features (an object per event); "
                            + refFile
                            + " holds "
                            + (events.get(0).features != null
                                    ? "arrays of features"
                                    : events.get(0).modality().name().toLowerCase()));
        }
        ReferenceData data = referenceData(events, labels, refFile, task, columnTypes);
        if (data.schema() != null) {
            System.err.println("fit: columns " + describe(data.schema()));
        }
        long t0 = System.nanoTime();
        ReferenceBundle bundle;
        try (Encoder<?> encoder =
                encoder(data, conf, conf.getOptional(ENCODER).orElse(null), out)) {
            // A trained encoder lives in the bundle: named relative to it, so the bundle can move.
            boolean trained =
                    encoder instanceof OnnxImageEncoder onnx
                            && onnx.modelPath().equals(trainedEncoderFile(out));
            OutlierMethod outlierMethod = outlierMethod(conf, data.modality(), trained);
            BundleFitter.Builder fitter =
                    BundleFitter.builder()
                            .setModality(data.modality())
                            .optEncoder(encoder)
                            .optEncoderLocation(
                                    encoder == null
                                            ? null
                                            : trained
                                                    ? TRAINED_ENCODER_FILE
                                                    : BundleEncoders.locationOf(encoder))
                            .optPcaComponents(conf.get(PCA_COMPONENTS))
                            .optMaxReference(conf.get(MAX_REFERENCE))
                            .optSeed(conf.get(SEED))
                            .optProgress(progressBar(System.err));
            Path reconstruction = out.resolve(RECONSTRUCTION_FILE).toAbsolutePath();
            if (outlierMethod != OutlierMethod.CONV_RECONSTRUCTION) {
                Files.deleteIfExists(reconstruction);
                fitter.optOutlierMethod(outlierMethod);
                try {
                    bundle = fitter.build().fit(data);
                } catch (IllegalArgumentException e) {
                    throw new ConfigurationException(refFile + ": " + e.getMessage());
                }
            } else {
                try (OnnxImageEncoder outlierModel =
                        OnnxImageEncoder.builder()
                                .setModelPath(reconstruction)
                                .optPreprocessing(ConvAutoencoderTrainer.PREPROCESSING)
                                .optOutputName(ConvAutoencoderTrainer.RECONSTRUCTION_ERROR)
                                .optIntraOpThreads(conf.get(ENCODER_THREADS))
                                .optDevice(conf.get(DEVICE))
                                .build()) {
                    bundle =
                            fitter.optOutlierModel(outlierModel, RECONSTRUCTION_FILE)
                                    .build()
                                    .fit(data);
                } catch (IllegalArgumentException e) {
                    throw new ConfigurationException(refFile + ": " + e.getMessage());
                }
            }
        }
        System.err.println();
        bundle.save(out);
        // stderr, like the progress bar: stdout stays free for whatever a caller pipes (bench
        // figures).
        System.err.printf(
                "fit: wrote %s bundle of %d reference events to %s in %.1f s (task: %s%s)%n",
                data.modality().label(),
                data.size(),
                out,
                (System.nanoTime() - t0) / 1e9,
                task,
                conf.getOptional(TASK).isPresent()
                        ? ", from --task"
                        : ", inferred; --task overrides");
        return 0;
    }

    /** The column types of a {@code --schema} file. */
    static Map<String, ColumnType> columnTypes(String location) {
        Path file = Path.of(stripFileScheme(location));
        try {
            return TableSchema.readOverrides(Files.readString(file));
        } catch (java.io.IOException e) {
            throw new ConfigurationException(
                    "--schema " + file + ": cannot read: " + e.getMessage());
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException("--schema " + file + ": " + e.getMessage());
        }
    }

    /** "name (type, 3 % missing), ..." of a schema, for fit's summary line. */
    static String describe(TableSchema schema) {
        List<String> parts = new ArrayList<>();
        for (int j = 0; j < schema.size(); j++) {
            TableSchema.Column c = schema.column(j);
            String detail = c.type.label();
            if (c.categorical()) {
                detail += ", " + c.categories.size() + " categories";
            }
            if (c.missing > 0) {
                detail +=
                        String.format(
                                java.util.Locale.ROOT, ", %.1f %% missing", 100 * c.missingRate());
            }
            parts.add(c.name + " (" + detail + ")");
        }
        return String.join(", ", parts);
    }

    static String stripFileScheme(String location) {
        return location.startsWith("file:") ? location.substring("file:".length()) : location;
    }

    private static Map<String, LabelEvent> labels(Path file, EventParser parser) {
        Map<String, LabelEvent> byId = new HashMap<>();
        for (LabelEvent l : JsonLinesFile.readLabels(file, parser)) {
            byId.putIfAbsent(l.id, l);
        }
        return byId;
    }

    /**
     * Values with at most this many distinct integers are read as classes when the task is
     * inferred.
     */
    static final int MAX_INFERRED_CLASSES = 20;

    /**
     * The task when {@code --task} does not give it: regression when the reference has no class
     * scores, every prediction (and every label of a reference event) is a JSON number, and the
     * values are not all integers or take more than {@value #MAX_INFERRED_CLASSES} distinct values;
     * otherwise classification. So strings, and a few integral values (0/1, star ratings), are
     * classes; a forecast of whole units with many values is a regression. {@code --task} decides
     * where this guess is wrong (a regressor that predicts few whole values).
     */
    static String inferTask(List<PredictionEvent> events, Map<String, LabelEvent> labelsById) {
        java.util.Set<Double> distinct = new java.util.HashSet<>();
        boolean fractional = false;
        boolean anyPrediction = false;
        for (PredictionEvent e : events) {
            if (e.scores != null) {
                return ReferenceData.CLASSIFICATION;
            }
            if (e.prediction == null && !Double.isFinite(e.predictedValue)) {
                continue;
            }
            if (!Double.isFinite(e.predictedValue)) {
                return ReferenceData.CLASSIFICATION; // a string
            }
            anyPrediction = true;
            fractional |= e.predictedValue != Math.rint(e.predictedValue);
            distinct.add(e.predictedValue);
            LabelEvent l = labelsById == null ? null : labelsById.get(e.id);
            if (l != null) {
                if (!Double.isFinite(l.value)) {
                    return ReferenceData.CLASSIFICATION;
                }
                fractional |= l.value != Math.rint(l.value);
                distinct.add(l.value);
            }
        }
        return anyPrediction && (fractional || distinct.size() > MAX_INFERRED_CLASSES)
                ? ReferenceData.REGRESSION
                : ReferenceData.CLASSIFICATION;
    }

    /** {@link #referenceData(List, Map, Path, String)} of a classifier. */
    static ReferenceData referenceData(
            List<PredictionEvent> events, Map<String, LabelEvent> labelsById, Path file) {
        return referenceData(events, labelsById, file, ReferenceData.CLASSIFICATION);
    }

    /**
     * The parsed reference as the fitter wants it; labels joined to events by id (null where
     * missing). A regressor's predictions and labels are the events' numbers, as decimal strings.
     */
    static ReferenceData referenceData(
            List<PredictionEvent> events,
            Map<String, LabelEvent> labelsById,
            Path file,
            String task) {
        return referenceData(events, labelsById, file, task, Map.of());
    }

    /**
     * {@link #referenceData(List, Map, Path, String)}; named features get the schema inferred from
     * the events, with {@code columnTypes} overriding the inferred types.
     */
    static ReferenceData referenceData(
            List<PredictionEvent> events,
            Map<String, LabelEvent> labelsById,
            Path file,
            String task,
            Map<String, ColumnType> columnTypes) {
        boolean regression = ReferenceData.REGRESSION.equals(task);
        if (regression) {
            for (PredictionEvent e : events) {
                if ((e.prediction != null || Double.isFinite(e.predictedValue))
                        && !Double.isFinite(e.predictedValue)) {
                    throw new ConfigurationException(
                            file
                                    + ": a regression model's predictions must be numbers, event "
                                    + e.id
                                    + " has '"
                                    + e.prediction
                                    + "' (see --task)");
                }
                if (e.scores != null) {
                    throw new ConfigurationException(
                            file
                                    + ": a regression model has no class scores, event "
                                    + e.id
                                    + " has some (see --task)");
                }
            }
        }
        ReferenceData.Builder b = ReferenceData.builder().optTask(task);
        PredictionEvent first = events.get(0);
        switch (first.modality()) {
            case TEXT -> b.setTexts(events.stream().map(e -> e.text).toList());
            case IMAGE -> b.setImages(events.stream().map(e -> e.image).toList());
            case NUMERIC -> {
                if (first.namedFeatures != null) {
                    List<NamedValues> named = JsonLinesFile.namedFeatures(events, file);
                    TableSchema schema;
                    try {
                        schema = TableSchema.infer(named, columnTypes);
                    } catch (IllegalArgumentException e) {
                        throw new ConfigurationException("--schema: " + e.getMessage());
                    }
                    b.setTable(schema, named.stream().map(schema::encode).toArray(double[][]::new));
                } else {
                    b.setFeatures(JsonLinesFile.features(events, file));
                }
            }
        }
        if (regression) {
            if (events.stream().allMatch(e -> Double.isFinite(e.predictedValue))) {
                b.optPredictions(
                        events.stream().map(e -> Double.toString(e.predictedValue)).toList());
            }
        } else if (events.stream().allMatch(e -> e.prediction != null)) {
            b.optPredictions(events.stream().map(e -> e.prediction).toList());
        }
        if (events.stream()
                .allMatch(e -> e.scores != null && e.scores.length == first.scores.length)) {
            b.optScores(events.stream().map(e -> e.scores).toArray(double[][]::new));
        }
        if (labelsById != null) {
            List<String> labels = new ArrayList<>(events.size());
            for (PredictionEvent e : events) {
                LabelEvent l = labelsById.get(e.id);
                if (l != null && regression && !Double.isFinite(l.value)) {
                    throw new ConfigurationException(
                            "--labels: a regression model's labels must be numbers, label of "
                                    + e.id
                                    + " is '"
                                    + l.label
                                    + "' (see --task)");
                }
                labels.add(
                        l == null
                                ? null
                                : regression
                                        ? Double.toString(l.value)
                                        : l.label != null ? l.label : Double.toString(l.value));
            }
            if (labels.stream().allMatch(l -> l == null)) {
                throw new ConfigurationException(
                        "--labels: no label matches the id of any reference event");
            }
            b.optLabels(labels);
        }
        try {
            return b.build();
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw new ConfigurationException(file + ": " + e.getMessage());
        }
    }

    /**
     * The encoder for the reference: MiniLM (or the sentence-transformers model at {@code
     * location}) for text; for images the seeded random-convolution encoder (the default), the
     * convolutional autoencoder trained on the reference images (written into the bundle {@code
     * out} as {@value #TRAINED_ENCODER_FILE}), or the pretrained ONNX image model at {@code
     * location} with the {@code --image-*} preprocessing; none for numeric features.
     */
    static Encoder<?> encoder(ReferenceData data, Configuration conf, String location, Path out)
            throws Exception {
        switch (data.modality()) {
            case NUMERIC:
                return null;
            case IMAGE:
                if (location == null || location.equals(RandomConvEncoder.NAME)) {
                    return RandomConvEncoder.builder().optSeed(conf.get(SEED)).build();
                }
                if (location.equals(ConvAutoencoderTrainer.NAME)) {
                    return trainedImageEncoder(data.images(), conf, out);
                }
                return onnxImageEncoder(conf, location);
            default:
                TextModelSource source;
                try {
                    source =
                            EncoderLoader.textSource(
                                    location != null
                                            ? location
                                            : EncoderLoader.DEFAULT_TEXT_LOCATION);
                } catch (IllegalArgumentException e) {
                    throw new ConfigurationException(e.getMessage());
                }
                return TextEncoder.builder()
                        .optModel(source)
                        .optIntraOpThreads(conf.get(ENCODER_THREADS))
                        .optDevice(conf.get(DEVICE))
                        .build();
        }
    }

    /** The chosen outlier method: {@code --outlier}, or for {@code auto} the modality's default. */
    static OutlierMethod outlierMethod(Configuration conf, Modality modality, boolean trained) {
        String method = conf.get(OUTLIER);
        if (method.equals(OutlierMethod.AUTO)) {
            return OutlierMethod.defaultFor(modality);
        }
        OutlierMethod chosen = OutlierMethod.parse(method);
        if (chosen == OutlierMethod.CONV_RECONSTRUCTION && !trained) {
            throw new ConfigurationException(
                    "--outlier conv-reconstruction needs image inputs and --encoder "
                            + ConvAutoencoderTrainer.NAME);
        }
        return chosen;
    }

    /** File name of the trained autoencoder's reconstruction-error model inside the bundle. */
    static final String RECONSTRUCTION_FILE = "outlier-reconstruction.onnx";

    /** File name of the trained image encoder inside the bundle. */
    static final String TRAINED_ENCODER_FILE = "encoder.onnx";

    static Path trainedEncoderFile(Path bundle) {
        return bundle.resolve(TRAINED_ENCODER_FILE).toAbsolutePath();
    }

    /**
     * Trains the convolutional autoencoder on the fit part of the reference images (the fitter's
     * own split), writes its encoder half and its reconstruction-error model into the bundle and
     * opens the encoder.
     */
    static OnnxImageEncoder trainedImageEncoder(List<byte[]> pngs, Configuration conf, Path out)
            throws Exception {
        ImagePreprocessing preprocessing = ConvAutoencoderTrainer.PREPROCESSING;
        // The fit part only: the calibration part must stay unseen, for the MMD reference and for
        // the reconstruction error's threshold (an autoencoder reconstructs its training images
        // too well).
        int[] fitPart =
                BundleFitter.fitIndices(
                        pngs.size(), conf.get(SEED), BundleFitter.DEFAULT_FIT_FRACTION);
        List<float[]> images = new ArrayList<>(fitPart.length);
        for (int i : fitPart) {
            images.add(preprocessing.apply(pngs.get(i)));
        }
        ConvAutoencoderTrainer.Result trained =
                ConvAutoencoderTrainer.builder()
                        .setPreprocessing(preprocessing)
                        .optSeed(conf.get(SEED))
                        .optEpochs(conf.get(IMAGE_EPOCHS))
                        .optProgress(progressBar(System.err))
                        .build()
                        .trainAndEmbed(images, List.of());
        System.err.println();
        Files.createDirectories(out);
        Path file = trainedEncoderFile(out);
        Files.write(file, trained.onnxModel());
        // Kept only when the bundle's outlier method is conv-reconstruction.
        Files.write(out.resolve(RECONSTRUCTION_FILE), trained.reconstructionModel());
        return OnnxImageEncoder.builder()
                .setModelPath(file)
                .optPreprocessing(preprocessing)
                .optOutputName(ConvAutoencoderTrainer.OUTPUT)
                .optIntraOpThreads(conf.get(ENCODER_THREADS))
                .optDevice(conf.get(DEVICE))
                .build();
    }

    /**
     * A user-supplied pretrained ONNX image model, preprocessed as the {@code --image-*} flags say.
     */
    static OnnxImageEncoder onnxImageEncoder(Configuration conf, String location) {
        Path model = Path.of(stripFileScheme(location)).toAbsolutePath();
        if (!Files.isRegularFile(model)) {
            throw new ConfigurationException(
                    "--encoder "
                            + location
                            + ": no such file; images take '"
                            + RandomConvEncoder.NAME
                            + "' or a pretrained ONNX image model file");
        }
        try {
            ImagePreprocessing preprocessing =
                    new ImagePreprocessing(
                            conf.get(IMAGE_SIZE),
                            conf.get(IMAGE_CHANNELS),
                            floats(conf.get(IMAGE_MEAN)),
                            floats(conf.get(IMAGE_STD)));
            OnnxImageEncoder.Builder builder =
                    OnnxImageEncoder.builder()
                            .setModelPath(model)
                            .optPreprocessing(preprocessing)
                            .optIntraOpThreads(conf.get(ENCODER_THREADS))
                            .optDevice(conf.get(DEVICE));
            conf.getOptional(IMAGE_INPUT).ifPresent(builder::optInputName);
            conf.getOptional(IMAGE_OUTPUT).ifPresent(builder::optOutputName);
            return builder.build();
        } catch (Exception e) {
            throw new ConfigurationException(
                    "--encoder "
                            + location
                            + ": "
                            + String.valueOf(e.getMessage()).lines().findFirst().orElse(""));
        }
    }

    private static float[] floats(List<Double> values) {
        float[] out = new float[values.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = values.get(i).floatValue();
        }
        return out;
    }

    /** A one-line progress bar on stderr, redrawn in place. */
    static Progress progressBar(PrintStream err) {
        // Without a terminal, \r redraws become a wall of text in logs: report quarter steps only.
        int step = System.console() != null ? 1 : 25;
        return new Progress() {
            private String lastStage = "";
            private int lastPercent = -1;

            @Override
            public void update(String stage, long done, long total) {
                int percent = total <= 0 ? 100 : (int) (100 * done / total) / step * step;
                if (stage.equals(lastStage) && percent == lastPercent) {
                    return;
                }
                if (!stage.equals(lastStage) && !lastStage.isEmpty()) {
                    err.println();
                }
                lastStage = stage;
                lastPercent = percent;
                int filled = percent / 4;
                err.printf(
                        "\r%-12s [%s%s] %3d%% (%d/%d)",
                        stage, "#".repeat(filled), " ".repeat(25 - filled), percent, done, total);
                err.flush();
            }
        };
    }
}
