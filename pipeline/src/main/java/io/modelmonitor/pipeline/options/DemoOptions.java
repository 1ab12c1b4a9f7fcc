package io.modelmonitor.pipeline.options;

import static io.modelmonitor.pipeline.options.MonitorOptions.declare;
import static io.modelmonitor.pipeline.options.OptionValidators.oneOfValues;

import java.util.List;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;

/**
 * The options of {@code ./monitor demo} alone.
 *
 * <p>Each declaration is the whole definition of a flag: its key (the flag without {@code --}),
 * type, default, description (the {@code --help} text and the README's flag table) and check.
 */
public final class DemoOptions {
    private DemoOptions() {}

    /** The stories {@code --scenario} can name. */
    public static final List<String> SCENARIOS = List.of("sentiment", "forecast");

    public static final ConfigOption<String> SCENARIO =
            declare(
                    ConfigOptions.key("scenario")
                            .stringType()
                            .defaultValue("sentiment")
                            .withDescription(
                                    "demo: which simulated day to monitor: 'sentiment' (a text classifier: a topic shift, an outlier "
                                            + "burst, an accuracy drop) or 'forecast' (a delivery-time forecaster whose errors grow "
                                            + "from 14:00, seen only through its late labels)."),
                    oneOfValues(SCENARIOS));
}
