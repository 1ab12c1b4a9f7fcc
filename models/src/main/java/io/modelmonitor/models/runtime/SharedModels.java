package io.modelmonitor.models.runtime;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A per-JVM, reference-counted registry of heavy native models (ONNX sessions, tokenizers), so that
 * the parallel subtasks of a Flink job running in one task manager share one instance instead of
 * loading one each (a MiniLM session holds about 130 MB of native memory).
 *
 * <p>{@link #acquire} returns the instance registered under the key, loading it on first use; each
 * {@link Lease} is closed once, and the instance is closed when the last lease is. Operators
 * acquire in {@code open()} and close the lease in {@code close()}. Loading happens under the
 * registry's lock: concurrent subtasks asking for the same key wait for the one load rather than
 * loading twice, and a load never races a close of the same key.
 *
 * <pre>{@code
 * SharedModels.Lease<TextEncoder> lease =
 *     SharedModels.acquire("text:" + modelPath, () -> TextEncoder.builder().optModelPath(modelPath).build());
 * float[][] v = lease.get().embed(texts);
 * lease.close();
 * }</pre>
 */
public final class SharedModels {

    /** Loads a model; may throw. */
    @FunctionalInterface
    public interface Loader<T extends AutoCloseable> {
        /** Creates the instance. */
        T load() throws Exception;
    }

    private static final Map<String, Entry> ENTRIES = new HashMap<>();

    private SharedModels() {}

    /**
     * The instance under {@code key}, loaded by {@code loader} if no lease holds it now.
     *
     * @throws IllegalStateException when loading fails (nothing is registered then), or when the
     *     key holds an instance of another type
     */
    public static synchronized <T extends AutoCloseable> Lease<T> acquire(
            String key, Loader<T> loader) {
        Objects.requireNonNull(key, "key");
        Entry entry = ENTRIES.get(key);
        if (entry == null) {
            AutoCloseable instance;
            try {
                instance = Objects.requireNonNull(loader.load(), "loader returned null");
            } catch (Exception e) {
                throw new IllegalStateException(
                        "cannot load shared model '" + key + "': " + e.getMessage(), e);
            }
            entry = new Entry(instance);
            ENTRIES.put(key, entry);
        }
        entry.references++;
        @SuppressWarnings("unchecked")
        T instance = (T) entry.instance;
        return new Lease<>(key, instance);
    }

    /** Number of open leases on {@code key} (0 when nothing is loaded). */
    public static synchronized int referenceCount(String key) {
        Entry entry = ENTRIES.get(key);
        return entry == null ? 0 : entry.references;
    }

    private static synchronized void release(String key) {
        Entry entry = ENTRIES.get(key);
        if (entry == null) {
            return;
        }
        if (--entry.references == 0) {
            ENTRIES.remove(key);
            try {
                entry.instance.close();
            } catch (Exception e) {
                throw new IllegalStateException(
                        "cannot close shared model '" + key + "': " + e.getMessage(), e);
            }
        }
    }

    private static final class Entry {
        final AutoCloseable instance;
        int references;

        Entry(AutoCloseable instance) {
            this.instance = instance;
        }
    }

    /** One holder's claim on a shared instance; closing it more than once has no further effect. */
    public static final class Lease<T extends AutoCloseable> implements AutoCloseable {
        private final String key;
        private final T instance;
        private boolean closed;

        private Lease(String key, T instance) {
            this.key = key;
            this.instance = instance;
        }

        /** The shared instance. */
        public T get() {
            if (closed) {
                throw new IllegalStateException("lease on '" + key + "' is closed");
            }
            return instance;
        }

        /** The registry key. */
        public String key() {
            return key;
        }

        /** Releases this claim; the instance is closed with the last one. */
        @Override
        public void close() {
            synchronized (this) {
                if (closed) {
                    return;
                }
                closed = true;
            }
            release(key);
        }
    }
}
