package io.modelmonitor.pipeline.references;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Which bundle is in force for a model at a window start: per model, its activations sorted by
 * {@code from}; the one in force at {@code s} is the last with {@code from <= s}. Knows nothing of
 * Flink.
 */
public final class ReferenceTimeline {
    private final Map<String, List<BundleActivation>> byModel = new HashMap<>();

    /** Adds (or, for the same model and from, replaces) an activation. */
    public void put(BundleActivation a) {
        List<BundleActivation> list = byModel.computeIfAbsent(a.model, m -> new ArrayList<>());
        list.removeIf(x -> x.from == a.from);
        int i = 0;
        while (i < list.size() && list.get(i).from < a.from) {
            i++;
        }
        list.add(i, a);
    }

    /** The activation in force for {@code model} at window start {@code windowStart}, or null. */
    public BundleActivation inForce(String model, long windowStart) {
        List<BundleActivation> list = byModel.get(model);
        BundleActivation found = null;
        if (list != null) {
            for (BundleActivation a : list) {
                if (a.from > windowStart) {
                    break;
                }
                found = a;
            }
        }
        return found;
    }

    /** The start of the model's next activation after {@code a}, or MAX_VALUE. */
    public long until(BundleActivation a) {
        for (BundleActivation x : byModel.getOrDefault(a.model, List.of())) {
            if (x.from > a.from) {
                return x.from;
            }
        }
        return Long.MAX_VALUE;
    }

    /** The activation of {@code model} in force last (the newest), or null. */
    public BundleActivation latest(String model) {
        List<BundleActivation> list = byModel.get(model);
        return list == null || list.isEmpty() ? null : list.get(list.size() - 1);
    }

    public boolean knows(String model) {
        return byModel.containsKey(model);
    }

    public Collection<String> models() {
        return byModel.keySet();
    }
}
