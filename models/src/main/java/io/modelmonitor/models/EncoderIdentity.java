package io.modelmonitor.models;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * What makes two encoders produce the same embeddings: the model's SHA-256 (of the model file, or
 * of a canonical description for parameter-free encoders), the output dimension, and the
 * preprocessing settings that change the numbers (maximum sequence length, pooling, image size,
 * ...). The name is for people and is not compared: a renamed copy of the same file matches.
 *
 * <pre>{@code
 * EncoderIdentity expected = bundle.encoderIdentity();
 * if (!expected.matches(encoder.identity())) { ... refuse ... }
 * }</pre>
 *
 * @param name a human-readable model name, e.g. {@code all-MiniLM-L6-v2}
 * @param sha256 lower-case hex SHA-256 of the model
 * @param dimension length of an embedding
 * @param preprocessing settings that change the embedding, as strings (sorted by key)
 */
public record EncoderIdentity(
        String name, String sha256, int dimension, Map<String, String> preprocessing)
        implements java.io.Serializable {

    /** Validates and freezes the preprocessing map in key order. */
    public EncoderIdentity {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(sha256, "sha256");
        if (dimension <= 0) {
            throw new IllegalArgumentException("dimension must be positive: " + dimension);
        }
        preprocessing =
                Collections.unmodifiableMap(
                        new TreeMap<>(preprocessing == null ? Map.of() : preprocessing));
    }

    /** A short id for logs and reports: {@code name@sha256:<first 12 hex digits>}. */
    public String id() {
        return name + "@sha256:" + sha256.substring(0, Math.min(12, sha256.length()));
    }

    /** True when the other encoder computes the same embeddings (name ignored). */
    public boolean matches(EncoderIdentity other) {
        return other != null
                && sha256.equalsIgnoreCase(other.sha256)
                && dimension == other.dimension
                && preprocessing.equals(other.preprocessing);
    }

    /**
     * One line naming the first difference with {@code other}, for error messages, or {@code null}
     * when they match.
     */
    public String describeMismatch(EncoderIdentity other) {
        if (other == null) {
            return "no encoder given";
        }
        if (!sha256.equalsIgnoreCase(other.sha256)) {
            return "model checksum differs: expected " + id() + ", got " + other.id();
        }
        if (dimension != other.dimension) {
            return "embedding dimension differs: expected "
                    + dimension
                    + ", got "
                    + other.dimension;
        }
        if (!preprocessing.equals(other.preprocessing)) {
            return "preprocessing differs: expected "
                    + preprocessing
                    + ", got "
                    + other.preprocessing;
        }
        return null;
    }
}
