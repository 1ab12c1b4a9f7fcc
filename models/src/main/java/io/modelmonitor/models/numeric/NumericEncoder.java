package io.modelmonitor.models.numeric;

import io.modelmonitor.models.Encoder;
import io.modelmonitor.models.EncoderIdentity;
import io.modelmonitor.models.Modality;
import io.modelmonitor.models.runtime.Checksums;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * The identity "encoder" of numeric features: a feature vector is its own embedding (as floats).
 * Standardisation is fitted on the reference and kept in the bundle, not here, so this encoder has
 * no parameters; its identity is the feature count (the checksum is that of a canonical
 * description, so two numeric encoders of the same width match).
 *
 * <pre>{@code
 * NumericEncoder encoder = new NumericEncoder(12);
 * float[][] v = encoder.embed(List.of(features));
 * }</pre>
 */
public final class NumericEncoder implements Encoder<double[]> {

    /** Name in encoder identities. */
    public static final String NAME = "numeric-identity";

    private final EncoderIdentity identity;

    /** An identity encoder of {@code features} numbers per input. */
    public NumericEncoder(int features) {
        String description = NAME + ":" + features;
        this.identity =
                new EncoderIdentity(
                        NAME,
                        Checksums.sha256(description.getBytes(StandardCharsets.UTF_8)),
                        features,
                        Map.of());
    }

    @Override
    public EncoderIdentity identity() {
        return identity;
    }

    @Override
    public Modality modality() {
        return Modality.NUMERIC;
    }

    /**
     * Each vector as floats.
     *
     * @throws IllegalArgumentException when a vector has the wrong length or a non-finite value
     */
    @Override
    public float[][] embed(List<double[]> inputs) {
        int d = identity.dimension();
        float[][] out = new float[inputs.size()][d];
        for (int i = 0; i < out.length; i++) {
            double[] x = inputs.get(i);
            if (x.length != d) {
                throw new IllegalArgumentException("expected " + d + " features, got " + x.length);
            }
            for (int j = 0; j < d; j++) {
                if (!Double.isFinite(x[j])) {
                    throw new IllegalArgumentException("feature " + j + " is not finite: " + x[j]);
                }
                out[i][j] = (float) x[j];
            }
        }
        return out;
    }

    @Override
    public void close() {
        // nothing native
    }
}
