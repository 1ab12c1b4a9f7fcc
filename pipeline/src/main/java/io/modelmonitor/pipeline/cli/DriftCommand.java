package io.modelmonitor.pipeline.cli;

import static io.modelmonitor.pipeline.options.MonitorOptions.*;

import java.util.List;
import org.apache.flink.configuration.ConfigOption;

/** {@code ./monitor drift}: one-shot test of a current sample against a reference, JSON to stdout. */
public final class DriftCommand implements Command {
    @Override
    public String name() {
        return "drift";
    }

    @Override
    public String summary() {
        return "one-shot test of a current sample against a reference, JSON to stdout";
    }

    @Override
    public List<ConfigOption<?>> options() {
        return CommandLine.ordered(SEED);
    }

    @Override
    public int run(CommandLine line) {
        throw new UnsupportedOperationException("'drift' is not implemented yet");
    }
}
