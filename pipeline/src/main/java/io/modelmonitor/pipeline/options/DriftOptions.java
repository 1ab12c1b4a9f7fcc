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
                            .withDescription("drift: the current sample, JSON lines."));

    public static final ConfigOption<DriftTest> TEST =
            declare(
                    ConfigOptions.key("test")
                            .enumType(DriftTest.class)
                            .defaultValue(DriftTest.MMD)
                            .withDescription(
                                    "drift: the multivariate test: mmd (exact kernel MMD) or rff (random Fourier feature approximation)."));

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
        MMD,
        RFF
    }
}
