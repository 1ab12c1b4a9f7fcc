package io.modelmonitor.pipeline.options;

import static io.modelmonitor.pipeline.options.MonitorOptions.declare;
import static io.modelmonitor.pipeline.options.OptionValidators.atLeast;
import static io.modelmonitor.pipeline.options.OptionValidators.between;
import static io.modelmonitor.pipeline.options.OptionValidators.oneOf;

import io.modelmonitor.models.image.ConvAutoencoderTrainer;
import io.modelmonitor.models.outlier.OutlierMethod;
import java.util.List;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;

/**
 * The options of {@code ./monitor fit} alone: the reduction, the reference sample and the image
 * preprocessing.
 *
 * <p>Each declaration is the whole definition of a flag: its key (the flag without {@code --}),
 * type, default, description (the {@code --help} text and the README's flag table) and check.
 */
public final class FitOptions {
    private FitOptions() {}

    public static final ConfigOption<Integer> PCA_COMPONENTS =
            declare(
                    ConfigOptions.key("pca-components")
                            .intType()
                            .defaultValue(32)
                            .withDescription(
                                    "fit: dimensions kept by PCA of the embeddings (text and images)."),
                    atLeast(1));

    public static final ConfigOption<Integer> MAX_REFERENCE =
            declare(
                    ConfigOptions.key("max-reference")
                            .intType()
                            .defaultValue(2000)
                            .withDescription(
                                    "fit: size of the seeded reference subsample kept for the MMD test."),
                    atLeast(10));

    public static final ConfigOption<String> TASK =
            declare(
                    ConfigOptions.key("task")
                            .stringType()
                            .noDefaultValue()
                            .withDescription(
                                    "fit: 'classification' or 'regression' (also forecasting); absent = inferred from the reference: "
                                            + "regression when every prediction (and label) is a JSON number, without class scores, and the values "
                                            + "are not all integers or take more than 20 distinct values; otherwise classification."),
                    (task, conf) ->
                            task.equals("classification") || task.equals("regression")
                                    ? null
                                    : "must be 'classification' or 'regression', got '"
                                            + task
                                            + "'");

    public static final ConfigOption<String> SCHEMA =
            declare(
                    ConfigOptions.key("schema")
                            .stringType()
                            .noDefaultValue()
                            .withDescription(
                                    "fit: named features only: a JSON file {\"columns\": {\"NAME\": \"numeric|categorical|boolean\", ...}} "
                                            + "that sets the type of the columns it names (e.g. an integer code that is a category); "
                                            + "absent = inferred: categorical when a column holds a string, boolean when only booleans, "
                                            + "numeric when only numbers."),
                    (file, conf) -> file.isBlank() ? "must name a file" : null);

    public static final ConfigOption<String> OUTLIER =
            declare(
                    ConfigOptions.key("outlier")
                            .stringType()
                            .defaultValue(OutlierMethod.AUTO)
                            .withDescription(
                                    "fit: the per-event outlier detector: 'autoencoder' (MLP reconstruction error of the embedding), "
                                            + "'mahalanobis' (Ledoit-Wolf shrunk covariance), 'knn' (mean distance to the 10 nearest reference rows), "
                                            + "'input-complexity' (images: how far the compressed length lies from the reference's, either side), "
                                            + "'conv-reconstruction' (images with --encoder conv-autoencoder: that autoencoder's own pixel "
                                            + "reconstruction error) or 'auto': autoencoder for text, mahalanobis for numeric features, "
                                            + "input-complexity for images (README, outlier table). All are calibrated on held-out reference scores."),
                    (method, conf) -> {
                        if (!OutlierMethod.labels().contains(method)) {
                            return "must be one of "
                                    + OutlierMethod.labels()
                                    + ", got '"
                                    + method
                                    + "'";
                        }
                        boolean conv = method.equals(OutlierMethod.CONV_RECONSTRUCTION.label());
                        return conv
                                        && !conf.getOptional(SharedOptions.ENCODER)
                                                .map(ConvAutoencoderTrainer.NAME::equals)
                                                .orElse(false)
                                ? "conv-reconstruction needs --encoder "
                                        + ConvAutoencoderTrainer.NAME
                                        + " (images)"
                                : null;
                    });

    public static final ConfigOption<Integer> IMAGE_EPOCHS =
            declare(
                    ConfigOptions.key("image-epochs")
                            .intType()
                            .defaultValue(15)
                            .withDescription(
                                    "fit (images, --encoder conv-autoencoder): training epochs of the convolutional "
                                            + "autoencoder over the reference images."),
                    atLeast(1));

    public static final ConfigOption<Integer> IMAGE_SIZE =
            declare(
                    ConfigOptions.key("image-size")
                            .intType()
                            .defaultValue(224)
                            .withDescription(
                                    "fit with --encoder MODEL.onnx (images): side in pixels of the square input the model expects."),
                    between(8, 4096));

    public static final ConfigOption<Integer> IMAGE_CHANNELS =
            declare(
                    ConfigOptions.key("image-channels")
                            .intType()
                            .defaultValue(3)
                            .withDescription(
                                    "fit with --encoder MODEL.onnx (images): 3 (RGB) or 1 (grey)."),
                    oneOf(1, 3));

    public static final ConfigOption<List<Double>> IMAGE_MEAN =
            declare(
                    ConfigOptions.key("image-mean")
                            .doubleType()
                            .asList()
                            .defaultValues(0.485, 0.456, 0.406)
                            .withDescription(
                                    "fit with --encoder MODEL.onnx (images): per-channel mean subtracted from pixels scaled to [0, 1] "
                                            + "(one value per channel, repeat the flag or separate with ';'); default ImageNet's."),
                    (mean, conf) ->
                            mean.size() == conf.get(IMAGE_CHANNELS)
                                    ? null
                                    : "needs one value per channel ("
                                            + conf.get(IMAGE_CHANNELS)
                                            + "), got "
                                            + mean);

    public static final ConfigOption<List<Double>> IMAGE_STD =
            declare(
                    ConfigOptions.key("image-std")
                            .doubleType()
                            .asList()
                            .defaultValues(0.229, 0.224, 0.225)
                            .withDescription(
                                    "fit with --encoder MODEL.onnx (images): per-channel standard deviation the pixels are divided by; default ImageNet's."),
                    (std, conf) ->
                            std.size() != conf.get(IMAGE_CHANNELS)
                                    ? "needs one value per channel ("
                                            + conf.get(IMAGE_CHANNELS)
                                            + "), got "
                                            + std
                                    : std.stream().allMatch(v -> v > 0 && Double.isFinite(v))
                                            ? null
                                            : "values must be positive");

    public static final ConfigOption<String> IMAGE_INPUT =
            declare(
                    ConfigOptions.key("image-input")
                            .stringType()
                            .noDefaultValue()
                            .withDescription(
                                    "fit with --encoder MODEL.onnx (images): name of the model's NCHW float input; absent = its first input."));

    public static final ConfigOption<String> IMAGE_OUTPUT =
            declare(
                    ConfigOptions.key("image-output")
                            .stringType()
                            .noDefaultValue()
                            .withDescription(
                                    "fit with --encoder MODEL.onnx (images): name of the output used as the embedding (flattened per image); "
                                            + "absent = its first output."));
}
