package io.modelmonitor.pipeline.references;

import io.modelmonitor.models.bundle.ModelReference;
import java.io.Serializable;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * A model's reference by bundle id, for the operators downstream of the embedding: the start-up
 * bundles travel with the job; a bundle activated later by {@code --references} is read from its
 * directory the first time this JVM needs it ({@link Bundles}).
 */
public final class BundleResolver implements Serializable {
    private static final long serialVersionUID = 1L;

    private final Map<String, ModelReference> startupByModel;
    private final Map<String, String> startupIds;
    private final Map<String, ModelReference> startupById = new HashMap<>();
    private final BundleLoader loader;

    /**
     * @param startup the {@code --bundle} references by model
     * @param ids their bundle ids by model; a model without one gets {@link Bundles#inlineId}
     */
    public BundleResolver(
            Map<String, ModelReference> startup, Map<String, String> ids, BundleLoader loader) {
        this.startupByModel = Map.copyOf(startup);
        Map<String, String> all = new HashMap<>();
        for (String model : startup.keySet()) {
            String id = ids.getOrDefault(model, Bundles.inlineId(model));
            all.put(model, id);
            startupById.put(id, startup.get(model));
        }
        this.startupIds = Map.copyOf(all);
        this.loader = loader;
    }

    /** Only start-up bundles (no reference updates). */
    public static BundleResolver of(Map<String, ModelReference> startup) {
        return new BundleResolver(startup, Map.of(), null);
    }

    /**
     * The reference of bundle {@code id} (at {@code path}) serving {@code model}; a null id means
     * the model's start-up bundle; null when there is none.
     *
     * @throws io.modelmonitor.pipeline.options.ConfigurationException when the bundle cannot be
     *     read
     */
    public ModelReference reference(String model, String id, String path) {
        if (id == null) {
            return startupByModel.get(model);
        }
        ModelReference ref = startupById.get(id);
        if (ref == null) {
            ref = Bundles.loaded(id);
        }
        if (ref == null) {
            if (path == null) {
                return startupByModel.get(model); // a start-up bundle this resolver was not given
            }
            if (loader == null) {
                throw new IllegalStateException("no loader for bundle " + id);
            }
            ref = Bundles.reference(id, model, Path.of(path), loader);
        }
        return ref;
    }

    /** The start-up bundles by model. */
    public Map<String, ModelReference> startup() {
        return startupByModel;
    }

    /** The id of a model's start-up bundle, or null. */
    public String startupId(String model) {
        return startupIds.get(model);
    }

    public BundleLoader loader() {
        return loader;
    }
}
