package io.modelmonitor.pipeline.cli;

import static io.modelmonitor.pipeline.options.MonitorOptions.*;

import java.util.List;
import org.apache.flink.configuration.ConfigOption;

/** {@code ./monitor bench}: measure the hot paths on this machine (one JSON object per figure). */
public final class BenchCommand implements Command {
    @Override
    public String name() {
        return "bench";
    }

    @Override
    public String summary() {
        return "measure the hot paths on this machine (one JSON object per figure)";
    }

    @Override
    public List<ConfigOption<?>> options() {
        return CommandLine.ordered(SEED);
    }

    @Override
    public int run(CommandLine line) {
        throw new UnsupportedOperationException("'bench' is not implemented yet");
    }
}
