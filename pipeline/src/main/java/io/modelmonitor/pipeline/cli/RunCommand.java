package io.modelmonitor.pipeline.cli;

import static io.modelmonitor.pipeline.options.MonitorOptions.*;

import java.util.List;
import org.apache.flink.configuration.ConfigOption;

/** {@code ./monitor run}: run the monitoring job (embedded Flink by default, or on a cluster). */
public final class RunCommand implements Command {
    @Override
    public String name() {
        return "run";
    }

    @Override
    public String summary() {
        return "run the monitoring job (embedded Flink by default, or on a cluster)";
    }

    @Override
    public List<ConfigOption<?>> options() {
        return CommandLine.ordered(BUNDLE, EVENTS, LABELS, ALERTS, REPORTS, DEAD_LETTERS, MAX_RECORD_BYTES,
                WINDOW_SIZE, WINDOW_SLIDE, MAX_OUT_OF_ORDERNESS, SOURCE_IDLENESS, ALLOWED_LATENESS, MIN_WINDOW_COUNT,
                MAX_WINDOW_SAMPLE, P_VALUE, PERMUTATIONS, MMD_NULL, SEED, LABEL_TIMEOUT, STARTING_OFFSETS, GROUP_ID,
                ENCODER, DEVICE, ENCODER_THREADS, BATCH_SIZE, BATCH_TIMEOUT, PARALLELISM, CHECKPOINT_INTERVAL,
                CHECKPOINT_DIR, SAVEPOINT, STATE_BACKEND, CLUSTER, WEB_UI, WEB_PORT, METRICS_PORT);
    }

    @Override
    public java.util.Set<ConfigOption<?>> required() {
        return java.util.Set.of(BUNDLE, EVENTS);
    }

    @Override
    public boolean acceptsKafkaProperties() {
        return true;
    }

    @Override
    public int run(CommandLine line) {
        throw new UnsupportedOperationException("'run' is not implemented yet");
    }
}
