package io.modelmonitor.pipeline.options;

import static io.modelmonitor.pipeline.options.MonitorOptions.declare;
import static io.modelmonitor.pipeline.options.OptionValidators.each;

import java.util.List;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;

/**
 * The options of {@code ./monitor bench} alone.
 *
 * <p>Each declaration is the whole definition of a flag: its key (the flag without {@code --}),
 * type, default, description (the {@code --help} text and the README's flag table) and check.
 */
public final class BenchOptions {
    private BenchOptions() {}

    /** The measurements {@code --suites} can name. */
    public static final List<String> SUITES =
            List.of("mmd", "encoder", "pipeline", "alerts", "outliers");

    public static final ConfigOption<List<String>> BENCH_SUITES =
            declare(
                    ConfigOptions.key("suites")
                            .stringType()
                            .asList()
                            .defaultValues("mmd", "encoder", "pipeline")
                            .withDescription(
                                    "bench: which measurements to run: mmd, encoder, pipeline (repeatable); alerts (not by default: "
                                            + "false alerts per model-month on 24 clean model-months and detection delays through the real job, minutes); "
                                            + "outliers (not by default: per-event ROC AUC and cost per event of each outlier detector on text, images "
                                            + "and numeric features with generated outliers, a few minutes)."),
                    each(BenchOptions.SUITES));
}
