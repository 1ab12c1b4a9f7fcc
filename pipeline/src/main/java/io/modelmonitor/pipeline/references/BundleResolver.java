package io.modelmonitor.pipeline.references;

import io.modelmonitor.models.bundle.ModelReference;
import java.io.Serializable;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * A model's reference by bundle id, for the job's operators.
 *
 * <p>Start-up bundles read from a directory ({@code --bundle MODEL=DIR}) travel with the job as
 * their id and directory only, and each JVM reads them once, when an operator first needs them
 * ({@link Bundles}): the job graph stays small however many models are monitored (a thousand
 * references of about a megabyte each would otherwise be serialized into every operator's
 * configuration, and exhaust the JobManager's memory on submission), and a TaskManager holds one
 * copy of each bundle, not one per operator instance. A bundle activated later by {@code
 * --references} is read the same way. Only references built in memory, without a directory (tests),
 * travel whole.
 */
public final class BundleResolver implements Serializable {
    private static final long serialVersionUID = 2L;

    /** Every start-up model's bundle id. */
    private final Map<String, String> startupIds;

    /** The directories of the start-up bundles that have one, by model. */
    private final Map<String, String> startupDirs;

    /** The start-up references without a directory, by model. */
    private final Map<String, ModelReference> inline;

    private final BundleLoader loader;

    /**
     * Every start-up model's reference, looked up once per operator instance (the JVM reads each
     * bundle once); asked for on every event, so read without a lock: two threads that race both
     * build the same map from the same cache.
     */
    private transient volatile Map<String, ModelReference> startup;

    /**
     * @param startup the {@code --bundle} references by model (already loaded and checked by the
     *     client; they are not serialized when they have a directory)
     * @param ids their bundle ids by model; a model without one gets {@link Bundles#inlineId}
     * @param dirs their directories by model; a model without one travels whole
     */
    public BundleResolver(
            Map<String, ModelReference> startup,
            Map<String, String> ids,
            Map<String, String> dirs,
            BundleLoader loader) {
        Map<String, String> allIds = new HashMap<>();
        Map<String, String> withDir = new HashMap<>();
        Map<String, ModelReference> whole = new HashMap<>();
        for (Map.Entry<String, ModelReference> m : startup.entrySet()) {
            String model = m.getKey();
            String id = ids.getOrDefault(model, Bundles.inlineId(model));
            allIds.put(model, id);
            String dir = dirs.get(model);
            if (dir != null && loader != null) {
                withDir.put(model, dir);
                // The client's copy serves this JVM (an embedded run) without a second read.
                Bundles.remember(id, Path.of(dir), m.getValue());
            } else {
                whole.put(model, m.getValue());
            }
        }
        this.startupIds = Map.copyOf(allIds);
        this.startupDirs = Map.copyOf(withDir);
        this.inline = Map.copyOf(whole);
        this.loader = loader;
    }

    /** Only start-up bundles built in memory (no reference updates). */
    public static BundleResolver of(Map<String, ModelReference> startup) {
        return new BundleResolver(startup, Map.of(), Map.of(), null);
    }

    /**
     * The reference of bundle {@code id} (at {@code path}) serving {@code model}; a null id means
     * the model's start-up bundle; null when there is none.
     *
     * @throws io.modelmonitor.pipeline.options.ConfigurationException when the bundle cannot be
     *     read
     */
    public ModelReference reference(String model, String id, String path) {
        if (id == null || id.equals(startupIds.get(model))) {
            ModelReference ref = startup().get(model);
            if (ref != null || id == null) {
                return ref;
            }
        }
        ModelReference ref = Bundles.loaded(id);
        if (ref == null) {
            if (path == null) {
                return startup().get(model); // a start-up bundle this resolver was not given
            }
            if (loader == null) {
                throw new IllegalStateException("no loader for bundle " + id);
            }
            ref = Bundles.reference(id, model, Path.of(path), loader);
        }
        return ref;
    }

    /** The start-up models. */
    public Set<String> models() {
        return startupIds.keySet();
    }

    /** The start-up bundles by model, read from their directories on first use in this JVM. */
    public Map<String, ModelReference> startup() {
        Map<String, ModelReference> known = startup;
        if (known == null) {
            Map<String, ModelReference> all = new LinkedHashMap<>(inline);
            for (Map.Entry<String, String> m : startupDirs.entrySet()) {
                all.put(
                        m.getKey(),
                        Bundles.reference(
                                startupIds.get(m.getKey()),
                                m.getKey(),
                                Path.of(m.getValue()),
                                loader));
            }
            known = java.util.Collections.unmodifiableMap(all);
            startup = known;
        }
        return known;
    }

    /** The id of a model's start-up bundle, or null. */
    public String startupId(String model) {
        return startupIds.get(model);
    }

    public BundleLoader loader() {
        return loader;
    }
}
