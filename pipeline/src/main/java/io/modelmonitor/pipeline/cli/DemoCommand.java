package io.modelmonitor.pipeline.cli;

import static io.modelmonitor.pipeline.options.MonitorOptions.*;

import java.util.List;
import org.apache.flink.configuration.ConfigOption;

/** {@code ./monitor demo}: self-contained demo: a simulated day with injected incidents. */
public final class DemoCommand implements Command {
    @Override
    public String name() {
        return "demo";
    }

    @Override
    public String summary() {
        return "self-contained demo: a simulated day with injected incidents";
    }

    @Override
    public List<ConfigOption<?>> options() {
        return CommandLine.ordered(SEED);
    }

    @Override
    public int run(CommandLine line) {
        throw new UnsupportedOperationException("'demo' is not implemented yet");
    }
}
