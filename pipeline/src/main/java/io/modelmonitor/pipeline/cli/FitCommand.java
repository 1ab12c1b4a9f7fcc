package io.modelmonitor.pipeline.cli;

import static io.modelmonitor.pipeline.options.MonitorOptions.*;

import java.util.List;
import org.apache.flink.configuration.ConfigOption;

/** {@code ./monitor fit}: build a reference bundle from reference data. */
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
        return CommandLine.ordered(SEED);
    }

    @Override
    public int run(CommandLine line) {
        throw new UnsupportedOperationException("'fit' is not implemented yet");
    }
}
