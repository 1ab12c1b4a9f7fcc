package io.modelmonitor.pipeline.cli;

import java.util.List;
import java.util.Set;
import org.apache.flink.configuration.ConfigOption;

/**
 * One {@code ./monitor} sub-command: the options it accepts (all from MonitorOptions) and what it
 * does.
 */
public interface Command {
    String name();

    /** One line for the command list. */
    String summary();

    /**
     * What the command does beyond its summary, for {@code --help}; empty when the summary says it
     * all.
     */
    default String details() {
        return "";
    }

    /** Every option the command accepts; {@code --help} lists them with their defaults. */
    List<ConfigOption<?>> options();

    /** Options that must be given. */
    default Set<ConfigOption<?>> required() {
        return Set.of();
    }

    /**
     * Whether the command runs a Flink job, whose runtime logs through log4j's configuration; the
     * others log through log4j's light-weight simple logger ({@link OneShotLogging}).
     */
    default boolean runsFlinkJob() {
        return false;
    }

    /** Whether {@code --kafka.<property> value} pass-through flags are accepted. */
    default boolean acceptsKafkaProperties() {
        return false;
    }

    /**
     * Runs the command.
     *
     * @return the process exit status
     * @throws io.modelmonitor.pipeline.options.ConfigurationException for a configuration it cannot
     *     work with (exit 2)
     */
    int run(CommandLine line) throws Exception;
}
