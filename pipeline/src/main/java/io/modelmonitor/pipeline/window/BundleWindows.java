package io.modelmonitor.pipeline.window;

import io.modelmonitor.pipeline.record.EmbeddedEvent;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.apache.flink.api.common.ExecutionConfig;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.streaming.api.windowing.assigners.WindowAssigner;
import org.apache.flink.streaming.api.windowing.triggers.Trigger;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;

/**
 * The job's tumbling or sliding event-time windows, restricted for each event to the windows that
 * start while the event's bundle is in force ({@link EmbeddedEvent#bundleFrom}, {@link
 * EmbeddedEvent#bundleUntil}): every window holds events embedded with one bundle, the one in force
 * at its start.
 */
public final class BundleWindows extends WindowAssigner<Object, TimeWindow> {
    private static final long serialVersionUID = 1L;

    private final WindowAssigner<Object, TimeWindow> windows;

    public BundleWindows(WindowAssigner<Object, TimeWindow> windows) {
        this.windows = windows;
    }

    @Override
    public Collection<TimeWindow> assignWindows(
            Object element, long timestamp, WindowAssignerContext context) {
        Collection<TimeWindow> all = windows.assignWindows(element, timestamp, context);
        if (!(element instanceof EmbeddedEvent e)
                || (e.bundleFrom == Long.MIN_VALUE && e.bundleUntil == Long.MAX_VALUE)) {
            return all;
        }
        List<TimeWindow> out = new ArrayList<>(all.size());
        for (TimeWindow w : all) {
            if (w.getStart() >= e.bundleFrom && w.getStart() < e.bundleUntil) {
                out.add(w);
            }
        }
        return out;
    }

    @Override
    public Trigger<Object, TimeWindow> getDefaultTrigger() {
        return windows.getDefaultTrigger();
    }

    @Override
    public TypeSerializer<TimeWindow> getWindowSerializer(ExecutionConfig executionConfig) {
        return windows.getWindowSerializer(executionConfig);
    }

    @Override
    public boolean isEventTime() {
        return windows.isEventTime();
    }

    @Override
    public String toString() {
        return "BundleWindows(" + windows + ")";
    }
}
