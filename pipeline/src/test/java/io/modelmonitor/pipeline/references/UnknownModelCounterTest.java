package io.modelmonitor.pipeline.references;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;
import org.junit.jupiter.api.Test;

/** Events of unmonitored models are counted per name, with a bounded number of names. */
class UnknownModelCounterTest {
    /** Records the counters registered under {@code unknown_model.<name>}. */
    static final class Recording extends UnregisteredMetricsGroup {
        final Map<String, Counter> counters = new TreeMap<>();

        @Override
        public MetricGroup addGroup(String key, String value) {
            Recording root = this;
            return new UnregisteredMetricsGroup() {
                @Override
                public Counter counter(String counter) {
                    Counter c = super.counter(counter);
                    root.counters.put(key + "." + value + "." + counter, c);
                    return c;
                }
            };
        }
    }

    @Test
    void countsEachNameAndFoldsNamesBeyondTheCapIntoOther() {
        Recording group = new Recording();
        UnknownModelCounter counter = new UnknownModelCounter(group);
        counter.count("x");
        counter.count("x");
        counter.count("y");
        assertEquals(2, group.counters.get("unknown_model.x.events").getCount());
        assertEquals(1, group.counters.get("unknown_model.y.events").getCount());
        for (int i = 0; i < UnknownModelCounter.MAX_NAMES + 10; i++) {
            counter.count("made-up-" + i);
        }
        counter.count("x");
        assertEquals(3, group.counters.get("unknown_model.x.events").getCount());
        assertEquals(UnknownModelCounter.MAX_NAMES + 1, group.counters.size());
        assertEquals(
                12,
                group.counters
                        .get("unknown_model." + UnknownModelCounter.OTHER + ".events")
                        .getCount(),
                "the names past the first 100");
    }
}
