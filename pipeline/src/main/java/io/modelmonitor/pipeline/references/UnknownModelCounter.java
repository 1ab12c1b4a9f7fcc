package io.modelmonitor.pipeline.references;

import java.util.HashMap;
import java.util.Map;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;

/**
 * Counts events of models the job does not monitor, per model name: metric {@code
 * modelmonitor.unknown_model.<name>.events} (Prometheus {@code
 * modelmonitor_unknown_model_events{unknown_model="name"}}). At most {@link #MAX_NAMES} names get
 * their own counter, the rest are counted under {@link #OTHER}, so a stream of made-up names cannot
 * grow the metric registry without bound.
 */
public final class UnknownModelCounter {
    public static final int MAX_NAMES = 100;
    public static final String OTHER = "_other";

    private final MetricGroup group;
    private final Map<String, Counter> counters = new HashMap<>();
    private Counter other;

    public UnknownModelCounter(MetricGroup modelmonitor) {
        this.group = modelmonitor;
    }

    /** How the dead letter of an event of an unmonitored model starts. */
    public static String reason(String model) {
        return "unknown model '" + model + "'";
    }

    public void count(String model) {
        Counter c = counters.get(model);
        if (c == null) {
            if (counters.size() < MAX_NAMES) {
                c = group.addGroup("unknown_model", model).counter("events");
                counters.put(model, c);
            } else {
                if (other == null) {
                    other = group.addGroup("unknown_model", OTHER).counter("events");
                }
                c = other;
            }
        }
        c.inc();
    }
}
