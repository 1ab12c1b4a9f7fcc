package io.modelmonitor.pipeline.references;

import io.modelmonitor.models.bundle.ModelReference;
import java.io.Serializable;
import java.nio.file.Path;

/**
 * Reads, checks and opens the bundle in a directory for a model (the job's {@code
 * ReferenceBundles.load}, with {@code --encoder} and the encoder settings): handed down to the
 * operators, which load bundles activated by reference updates.
 */
@FunctionalInterface
public interface BundleLoader extends Serializable {
    /**
     * @throws io.modelmonitor.pipeline.options.ConfigurationException with a one-line reason
     */
    ModelReference load(String model, Path dir);
}
