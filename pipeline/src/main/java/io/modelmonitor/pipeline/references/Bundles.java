package io.modelmonitor.pipeline.references;

import io.modelmonitor.models.bundle.BundleFiles;
import io.modelmonitor.models.bundle.ModelReference;
import io.modelmonitor.models.runtime.Checksums;
import io.modelmonitor.pipeline.options.ConfigurationException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Bundle ids, and the bundles this JVM has loaded, shared by the operators that need a model's
 * reference by id (embedding, windows, reports): a bundle is read once per JVM whichever operator
 * asks first.
 *
 * <p>A bundle's id is {@code MODEL@} and the first 12 hex digits of the SHA-256 of its {@code
 * manifest.json}: the manifest lists the SHA-256 of every other file of the bundle, so the id names
 * the bundle's content, and is the same after a restart or on another machine.
 */
public final class Bundles {
    private static final int ID_HEX = 12;

    /**
     * By id and directory: a bundle is read and checked once per directory, so another directory
     * claiming the same manifest (a damaged copy) is still checked when it is named.
     */
    private static final Map<String, ModelReference> LOADED = new ConcurrentHashMap<>();

    /** By id alone, for look-ups that know no directory. */
    private static final Map<String, ModelReference> BY_ID = new ConcurrentHashMap<>();

    /**
     * By content (the id without its model) and directory: other models served by a bundle already
     * read share its content ({@link ModelReference#forModel}) instead of reading it again.
     */
    private static final Map<String, ModelReference> BY_CONTENT = new ConcurrentHashMap<>();

    private Bundles() {}

    /**
     * The id of the bundle in {@code dir} serving {@code model}.
     *
     * @throws ConfigurationException when the directory holds no manifest
     */
    public static String id(String model, Path dir) {
        Path manifest = dir.resolve(BundleFiles.MANIFEST);
        if (!Files.isRegularFile(manifest)) {
            throw new ConfigurationException(
                    "bundle "
                            + dir
                            + ": "
                            + (Files.isDirectory(dir)
                                    ? "no " + BundleFiles.MANIFEST
                                    : "no such directory"));
        }
        return model + "@" + Checksums.sha256(manifest).substring(0, ID_HEX);
    }

    /** The id of a bundle given without a directory (built in memory): the model's name. */
    public static String inlineId(String model) {
        return model + "@inline";
    }

    /**
     * The reference of bundle {@code id} for {@code model}, read from {@code dir} unless this JVM
     * has it already, and refused unless the directory still holds that bundle.
     *
     * @throws ConfigurationException with a one-line reason
     */
    public static ModelReference reference(String id, String model, Path dir, BundleLoader loader) {
        ModelReference ref = LOADED.get(key(id, dir));
        if (ref != null) {
            return ref;
        }
        String found = id(model, dir);
        if (!found.equals(id)) {
            throw new ConfigurationException(
                    "bundle "
                            + dir
                            + " is now "
                            + found
                            + ", not "
                            + id
                            + " as it was when activated");
        }
        ModelReference sameContent = BY_CONTENT.get(contentKey(id, dir));
        return remember(
                id,
                dir,
                sameContent != null ? sameContent.forModel(model) : loader.load(model, dir));
    }

    /**
     * Keeps a bundle this JVM has read from {@code dir} (here, or in the client's start-up check)
     * under its id; returns the one kept when another thread was first.
     */
    static ModelReference remember(String id, Path dir, ModelReference ref) {
        ModelReference raced = LOADED.putIfAbsent(key(id, dir), ref);
        BY_ID.putIfAbsent(id, ref);
        BY_CONTENT.putIfAbsent(contentKey(id, dir), ref);
        return raced != null ? raced : ref;
    }

    private static String key(String id, Path dir) {
        return id + "\n" + dir.toAbsolutePath().normalize();
    }

    private static String contentKey(String id, Path dir) {
        return key(id.substring(id.lastIndexOf('@') + 1), dir);
    }

    /** A bundle loaded in this JVM, or null. */
    static ModelReference loaded(String id) {
        return BY_ID.get(Objects.requireNonNull(id));
    }

    /**
     * Refuses {@code next} as a later bundle of the model that {@code current} serves unless the
     * events that fit one fit the other: same modality, input dimension and task (classification or
     * regression).
     *
     * @throws ConfigurationException with a one-line reason
     */
    public static void requireCompatible(ModelReference current, ModelReference next, Path dir) {
        if (current.modality() != next.modality()) {
            throw new ConfigurationException(
                    "bundle "
                            + dir
                            + " takes "
                            + next.modality().label()
                            + " input, model '"
                            + current.model()
                            + "' takes "
                            + current.modality().label());
        }
        if (current.inputDimension() != next.inputDimension()
                && current.modality() == io.modelmonitor.models.Modality.NUMERIC) {
            throw new ConfigurationException(
                    "bundle "
                            + dir
                            + " takes "
                            + next.inputDimension()
                            + " features, model '"
                            + current.model()
                            + "' takes "
                            + current.inputDimension());
        }
        if (current.regression() != next.regression()) {
            throw new ConfigurationException(
                    "bundle "
                            + dir
                            + " is a "
                            + (next.regression() ? "regression" : "classification")
                            + " reference, model '"
                            + current.model()
                            + "' is not");
        }
    }

    /** A start-up message of the job's bundle loading without its flag name. */
    public static String reason(ConfigurationException e) {
        String m = e.getMessage();
        return m.startsWith("--bundle ") ? "bundle " + m.substring("--bundle ".length()) : m;
    }
}
