package io.modelmonitor.pipeline.embed;

import io.modelmonitor.models.Device;
import io.modelmonitor.models.Encoder;
import io.modelmonitor.models.EncoderIdentity;
import io.modelmonitor.models.Modality;
import io.modelmonitor.models.bundle.BundleEncoders;
import io.modelmonitor.models.bundle.BundleException;
import io.modelmonitor.models.runtime.SharedModels;
import io.modelmonitor.models.text.TextModelSource;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The job's device and thread settings for opening encoders through the models module's {@link
 * BundleEncoders} (text models at {@code classpath:all-minilm-l6-v2.onnx}, a model file with {@code
 * tokenizer.json} beside it or a directory holding both; {@code random-conv} or an ONNX file for
 * images), shared per JVM.
 */
public final class EncoderLoader implements Serializable {
    private static final long serialVersionUID = 1L;
    static final String CLASSPATH = "classpath:";

    /** The default text encoder: all-MiniLM-L6-v2 from its Maven Central carrier jar. */
    public static final String DEFAULT_TEXT_LOCATION =
            CLASSPATH + TextModelSource.MINILM_MODEL_RESOURCE;

    private final int threads;
    private final Device device;

    public EncoderLoader(int threads, Device device) {
        this.threads = threads;
        this.device = device;
    }

    /**
     * A new encoder (the caller closes it), refused unless it is the one {@code expected}
     * describes.
     */
    public Encoder<?> open(Modality modality, EncoderIdentity expected, String location)
            throws BundleException {
        return BundleEncoders.open(modality, expected, location, device, threads);
    }

    /** The JVM-wide shared encoder: one instance per encoder, location, device and thread count. */
    public SharedModels.Lease<Encoder<?>> acquire(
            Modality modality, EncoderIdentity expected, String location) throws BundleException {
        return BundleEncoders.acquire(modality, expected, location, device, threads);
    }

    /**
     * The text model at {@code location} (resolved by {@link TextModelSource#at}); throws
     * IllegalArgumentException with a one-line reason when a file it names is missing.
     */
    public static TextModelSource textSource(String location) {
        if (!location.startsWith(CLASSPATH)) {
            Path p = Path.of(location);
            if (!Files.exists(p)) {
                throw new IllegalArgumentException("encoder " + location + " does not exist");
            }
            Path tokenizer =
                    Files.isDirectory(p)
                            ? p.resolve("tokenizer.json")
                            : p.toAbsolutePath().resolveSibling("tokenizer.json");
            if (!Files.isRegularFile(tokenizer)) {
                throw new IllegalArgumentException(
                        "encoder " + location + " has no tokenizer.json beside it");
            }
        }
        return TextModelSource.at(location);
    }
}
