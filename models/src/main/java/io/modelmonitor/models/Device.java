package io.modelmonitor.models;

import java.util.Locale;

/**
 * Where an encoder runs.
 *
 * <pre>{@code
 * Device device = Device.parse("gpu");
 * }</pre>
 */
public enum Device {
    /** ONNX Runtime's default CPU execution provider. */
    CPU,
    /**
     * ONNX Runtime's CUDA execution provider (needs the {@code onnxruntime_gpu} artifact, {@code
     * mvn -Pgpu}).
     */
    GPU;

    /** Parses {@code cpu} or {@code gpu} (any case). */
    public static Device parse(String text) {
        try {
            return valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new IllegalArgumentException("device must be cpu or gpu, not '" + text + "'", e);
        }
    }

    /** The lower-case name used on the command line and in manifests. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
