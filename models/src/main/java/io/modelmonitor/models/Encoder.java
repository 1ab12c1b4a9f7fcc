package io.modelmonitor.models;

import java.util.List;

/**
 * Turns model inputs of one modality into fixed-length embeddings, in micro-batches. The common
 * interface of {@link io.modelmonitor.models.text.TextEncoder} ({@code String}), the image encoders
 * {@link io.modelmonitor.models.image.RandomConvEncoder} and {@link
 * io.modelmonitor.models.image.OnnxImageEncoder} ({@code byte[]} PNG/JPEG) and {@link
 * io.modelmonitor.models.numeric.NumericEncoder} ({@code double[]}).
 *
 * <p>Implementations hold native resources: open them once per JVM (see {@link
 * io.modelmonitor.models.runtime.SharedModels}) and close them when done. {@link #embed} is safe to
 * call from several threads at once.
 *
 * <pre>{@code
 * try (Encoder<String> encoder = TextEncoder.builder().build()) {
 *   float[][] vectors = encoder.embed(List.of("the screen cracked", "fast delivery"));
 * }
 * }</pre>
 *
 * @param <I> the input type
 */
public interface Encoder<I> extends AutoCloseable {

    /** What makes this encoder's embeddings comparable with another's. */
    EncoderIdentity identity();

    /** Short id for logs and reports. */
    default String id() {
        return identity().id();
    }

    /** Length of every embedding. */
    default int dimension() {
        return identity().dimension();
    }

    /** The input kind. */
    Modality modality();

    /** One embedding per input, in input order. */
    float[][] embed(List<I> inputs);

    /** Releases native resources; idempotent. */
    @Override
    void close();
}
