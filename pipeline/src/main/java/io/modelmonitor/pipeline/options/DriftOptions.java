package io.modelmonitor.pipeline.options;

import static io.modelmonitor.pipeline.options.MonitorOptions.declare;
import static io.modelmonitor.pipeline.options.OptionValidators.positiveNumber;

import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;

/**
 * The options of {@code ./monitor drift} alone.
 *
 * <p>Each declaration is the whole definition of a flag: its key (the flag without {@code --}),
 * type, default, description (the {@code --help} text and the README's flag table) and check.
 */
public final class DriftOptions {
    private DriftOptions() {}

    public static final ConfigOption<String> CURRENT =
            declare(
                    ConfigOptions.key("current")
                            .stringType()
                            .noDefaultValue()
                            .withDescription(
                                    "drift: the current sample: JSON lines, or numeric .npy (2-D, as numpy writes it) or .csv (header row, numeric columns), by extension."));

    public static final ConfigOption<DriftTest> TEST =
            declare(
                    ConfigOptions.key("test")
                            .enumType(DriftTest.class)
                            .defaultValue(DriftTest.AUTO)
                            .withDescription(
                                    "drift: the multivariate test: auto (mmd where the exact test is cheap, rff_hotelling above), mmd (exact kernel MMD, permutation p-value), rff (random Fourier feature MMD, permutation p-value) or rff_hotelling (random Fourier features, Hotelling's T² p-value: linear time, for millions of rows)."));

    public static final ConfigOption<Double> SIGMA =
            declare(
                    ConfigOptions.key("sigma")
                            .doubleType()
                            .noDefaultValue()
                            .withDescription(
                                    "Gaussian kernel bandwidth of the MMD; absent = median heuristic on the reference."),
                    positiveNumber());

    /** Multivariate test of {@code ./monitor drift}. */
    public enum DriftTest {
        AUTO,
        MMD,
        RFF,
        RFF_HOTELLING
    }
}
