package io.modelmonitor.pipeline.references;

import java.util.Objects;

/**
 * A bundle in force for a model from window start {@code from} on (until the model's next
 * activation): an entry of the {@link ReferenceTimeline}, and of the checkpointed state it is
 * rebuilt from. A Flink POJO.
 */
public class BundleActivation {
    public String model;

    /** Windows starting at or after this (epoch ms) use the bundle; start-up bundles: MIN_VALUE. */
    public long from;

    /** The bundle's directory, null for a bundle given without one (tests, in-memory bundles). */
    public String path;

    /** The bundle id ({@link Bundles#id}); null while the bundle is still being checked. */
    public String bundle;

    /**
     * The update record, kept while its bundle loads so that a restored job can still dead-letter
     * it; null once the bundle is in force.
     */
    public String raw;

    public BundleActivation() {}

    public BundleActivation(String model, long from, String path, String bundle) {
        this.model = model;
        this.from = from;
        this.path = path;
        this.bundle = bundle;
    }

    /**
     * The key of the activation in state: a later record for the same model and time replaces it.
     */
    public String key() {
        return model + "\n" + from;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BundleActivation a
                && a.from == from
                && Objects.equals(a.model, model)
                && Objects.equals(a.path, path)
                && Objects.equals(a.bundle, bundle);
    }

    @Override
    public int hashCode() {
        return Objects.hash(model, from, path, bundle);
    }

    @Override
    public String toString() {
        return model + "@" + from + "=" + bundle;
    }
}
