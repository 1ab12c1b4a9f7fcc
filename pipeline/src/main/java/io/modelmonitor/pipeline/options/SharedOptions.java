package io.modelmonitor.pipeline.options;

import static io.modelmonitor.pipeline.options.MonitorOptions.declare;
import static io.modelmonitor.pipeline.options.OptionValidators.atLeast;
import static io.modelmonitor.pipeline.options.OptionValidators.inInterval;

import io.modelmonitor.detectors.mmd.NullMode;
import io.modelmonitor.models.Device;
import java.util.List;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;

/**
 * The options more than one command accepts. The others are declared with their command, in {@link
 * FitOptions}, {@link RunOptions}, {@link DriftOptions}, {@link BenchOptions} and {@link
 * DemoOptions}; report has none of its own.
 *
 * <p>Each declaration is the whole definition of a flag: its key (the flag without {@code --}),
 * type, default, description (the {@code --help} text and the README's flag table) and check.
 */
public final class SharedOptions {
    private SharedOptions() {}

    public static final ConfigOption<String> EVENTS =
            declare(
                    ConfigOptions.key("events")
                            .stringType()
                            .noDefaultValue()
                            .withDescription(
                                    "Prediction events: file:PATH (JSON lines, bounded) or kafka://HOST:PORT/TOPIC. "
                                            + "report: file:PATH of the events the reports came from, to show the texts "
                                            + "and images of the events the page names."));

    public static final ConfigOption<List<String>> BUNDLE =
            declare(
                    ConfigOptions.key("bundle")
                            .stringType()
                            .asList()
                            .noDefaultValue()
                            .withDescription(
                                    "Reference bundle directory written by 'fit', as [MODEL=]DIR; repeat the flag for several models. "
                                            + "Without MODEL= the bundle serves model 'default'."));

    public static final ConfigOption<String> REFERENCE =
            declare(
                    ConfigOptions.key("reference")
                            .stringType()
                            .noDefaultValue()
                            .withDescription(
                                    "Reference events, JSON lines (same schema as the events); drift also reads numeric .npy and .csv files."));

    public static final ConfigOption<String> LABELS =
            declare(
                    ConfigOptions.key("labels")
                            .stringType()
                            .noDefaultValue()
                            .withDescription(
                                    "Ground-truth labels: file:PATH or kafka://HOST:PORT/TOPIC; absent = no realised performance. "
                                            + "fit: the labels of the reference events (a file), for reference performance and score calibration."));

    public static final ConfigOption<String> ALERTS =
            declare(
                    ConfigOptions.key("alerts")
                            .stringType()
                            .defaultValue("stdout")
                            .withDescription(
                                    "Alert sink: file:PATH, kafka://HOST:PORT/TOPIC (exactly-once) or stdout."));

    public static final ConfigOption<String> REPORTS =
            declare(
                    ConfigOptions.key("reports")
                            .stringType()
                            .noDefaultValue()
                            .withDescription(
                                    "Report sink (one record per model per window): file:PATH, kafka://HOST:PORT/TOPIC or stdout."));

    public static final ConfigOption<String> OUT =
            declare(
                    ConfigOptions.key("out")
                            .stringType()
                            .noDefaultValue()
                            .withDescription(
                                    "Output directory (fit: the bundle; demo: all outputs) or file (report: the HTML page)."));

    public static final ConfigOption<Integer> MAX_RECORD_BYTES =
            declare(
                    ConfigOptions.key("max-record-bytes")
                            .intType()
                            .defaultValue(8 * 1024 * 1024)
                            .withDescription(
                                    "Records longer than this many characters go to the dead letters."),
                    atLeast(256));

    // A significance level, not a p-value: hence --alpha. --p-value is a published flag (scripts,
    // manifests, the product's contract), so it stays accepted as a deprecated key.
    public static final ConfigOption<Double> ALPHA =
            declare(
                    ConfigOptions.key("alpha")
                            .doubleType()
                            .defaultValue(0.05)
                            .withDeprecatedKeys("p-value")
                            .withDescription(
                                    "Significance level (α) of each per-window test result written in reports (its 'drift' flags); a "
                                            + "window with every p-value at or above it counts towards resolving an open alert. Alerts open by "
                                            + "--false-alarm-budget, not by this level. Formerly --p-value, which is still accepted."),
                    inInterval(0, false, 1, false));

    public static final ConfigOption<Integer> PERMUTATIONS =
            declare(
                    ConfigOptions.key("permutations")
                            .intType()
                            .defaultValue(1000)
                            .withDescription(
                                    "Permutations of the MMD test (or bootstrap draws of its calibrated null)."),
                    atLeast(1));

    public static final ConfigOption<Integer> EXEMPLARS =
            declare(
                    ConfigOptions.key("exemplars")
                            .intType()
                            .defaultValue(10)
                            .withDescription(
                                    "How many events to name per list: the window's events the MMD witness ranks most unlike the "
                                            + "reference (drift.mmd.exemplars), the reference rows the window lacks most (reference_exemplars) "
                                            + "and, in run, the highest outlier scores (outliers.top); 0 = none."),
                    OptionValidators.between(0, 1000));

    public static final ConfigOption<NullMode> MMD_NULL =
            declare(
                    ConfigOptions.key("mmd-null")
                            .enumType(NullMode.class)
                            .defaultValue(NullMode.CALIBRATED)
                            .withDescription(
                                    "How the MMD p-value is computed: 'calibrated' (null distribution simulated once per reference "
                                            + "on a grid of window counts, with a fitted tail: fast) or 'permutation' (permute every window: exact, slower)."));

    public static final ConfigOption<Long> SEED =
            declare(
                    ConfigOptions.key("seed")
                            .longType()
                            .defaultValue(42L)
                            .withDescription(
                                    "Seed of every randomised step; the same inputs and seed give the same reports."));

    public static final ConfigOption<String> ENCODER =
            declare(
                    ConfigOptions.key("encoder")
                            .stringType()
                            .noDefaultValue()
                            .withDescription(
                                    "run: overrides the bundle's encoder location (an ONNX file; tokenizer.json beside it for text). "
                                            + "fit: the encoder to fit with: for text a sentence-transformers ONNX file (default all-MiniLM-L6-v2); "
                                            + "for images random-conv (default), conv-autoencoder (trained on the reference), or a pretrained ONNX image model file."));

    public static final ConfigOption<Device> DEVICE =
            declare(
                    ConfigOptions.key("device")
                            .enumType(Device.class)
                            .defaultValue(Device.CPU)
                            .withDescription(
                                    "Where the encoder runs: cpu or gpu (gpu needs the -Pgpu build and CUDA 12 + cuDNN 9)."));

    public static final ConfigOption<Integer> ENCODER_THREADS =
            declare(
                    ConfigOptions.key("encoder-threads")
                            .intType()
                            .defaultValue(0)
                            .withDescription(
                                    "ONNX Runtime intra-op threads of the encoder session (one per TaskManager, shared by its subtasks); 0 = one per available processor."),
                    atLeast(0));
}
