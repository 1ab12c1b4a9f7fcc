package io.modelmonitor.models;

import java.util.Locale;

/**
 * The kind of model input a monitor watches; decides the encoder and what a bundle holds.
 *
 * <pre>{@code
 * Modality m = Modality.parse("text");
 * }</pre>
 */
public enum Modality {
    /** A string, embedded by a sentence encoder. */
    TEXT,
    /** PNG or JPEG bytes, embedded by an image encoder. */
    IMAGE,
    /** A vector of numbers, standardised and used as it is. */
    NUMERIC;

    /** Parses {@code text}, {@code image} or {@code numeric} (any case). */
    public static Modality parse(String text) {
        try {
            return valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new IllegalArgumentException(
                    "modality must be text, image or numeric, not '" + text + "'", e);
        }
    }

    /** The lower-case name used in manifests and on the command line. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
