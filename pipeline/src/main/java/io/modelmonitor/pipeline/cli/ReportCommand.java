package io.modelmonitor.pipeline.cli;

import static io.modelmonitor.pipeline.options.MonitorOptions.*;

import java.util.List;
import org.apache.flink.configuration.ConfigOption;

/** {@code ./monitor report}: turn a report stream into a self-contained HTML page. */
public final class ReportCommand implements Command {
    @Override
    public String name() {
        return "report";
    }

    @Override
    public String summary() {
        return "turn a report stream into a self-contained HTML page";
    }

    @Override
    public List<ConfigOption<?>> options() {
        return CommandLine.ordered(SEED);
    }

    @Override
    public int run(CommandLine line) {
        throw new UnsupportedOperationException("'report' is not implemented yet");
    }
}
