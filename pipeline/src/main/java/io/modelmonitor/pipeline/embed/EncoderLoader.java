package io.modelmonitor.pipeline.embed;

import io.modelmonitor.models.Device;
import io.modelmonitor.models.Encoder;
import io.modelmonitor.models.Modality;
import io.modelmonitor.models.text.TextEncoder;
import io.modelmonitor.models.text.TextModelSource;
import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * How to load an encoder from its location ({@code classpath:all-minilm-l6-v2.onnx}, a model
 * file with {@code tokenizer.json} beside it, or a directory holding both), and the key under which
 * one JVM shares it ({@link io.modelmonitor.models.runtime.SharedModels}).
 */
public final class EncoderLoader implements Serializable {
    private static final long serialVersionUID = 1L;
    static final String CLASSPATH = "classpath:";
    /** The default text encoder: all-MiniLM-L6-v2 from its Maven Central carrier jar. */
    public static final String DEFAULT_TEXT_LOCATION = CLASSPATH + TextModelSource.MINILM_MODEL_RESOURCE;

    private final int threads;
    private final Device device;

    public EncoderLoader(int threads, Device device) {
        this.threads = threads;
        this.device = device;
    }

    /** One instance per JVM per location, device and thread count. */
    public String sharedKey(Modality modality, String location) {
        return modality.label() + ":" + location + ":" + device.label() + ":" + threads;
    }

    public Encoder<?> load(Modality modality, String location) throws IOException {
        if (modality != Modality.TEXT) {
            throw new IllegalArgumentException("the job cannot embed " + modality.label() + " inputs yet");
        }
        return TextEncoder.builder()
                .optModel(textSource(location))
                .optIntraOpThreads(threads)
                .optDevice(device)
                .build();
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
            Path tokenizer = Files.isDirectory(p) ? p.resolve("tokenizer.json") : p.toAbsolutePath().resolveSibling("tokenizer.json");
            if (!Files.isRegularFile(tokenizer)) {
                throw new IllegalArgumentException("encoder " + location + " has no tokenizer.json beside it");
            }
        }
        return TextModelSource.at(location);
    }
}
