package io.modelmonitor.models.bundle;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.List;

/**
 * 64-bit fingerprints of model inputs (the first 8 bytes of a SHA-256 of the text's UTF-8, the
 * image's bytes, or the features as IEEE doubles). A bundle keeps those of the rows its
 * standardisation, PCA and autoencoder were fitted on, so that {@code drift --bundle --reference}
 * can tell when a reference file repeats them: a sample tested against the data its reduction was
 * fitted on looks closer to it than new data of the same kind does. Inputs, not embeddings, are
 * fingerprinted because an encoder's floats may differ in the last bit between batchings.
 */
public final class InputFingerprints {
    private InputFingerprints() {}

    public static long of(String text) {
        return of(text.getBytes(StandardCharsets.UTF_8));
    }

    public static long of(byte[] image) {
        return ByteBuffer.wrap(sha256().digest(image)).getLong();
    }

    public static long of(double[] features) {
        ByteBuffer b = ByteBuffer.allocate(8 * features.length);
        for (double v : features) {
            // +0.0 and -0.0 are the same feature value; NaNs of any payload the same missing one.
            b.putDouble(v == 0 ? 0.0 : v);
        }
        return of(b.array());
    }

    /**
     * Fingerprints of the given rows of the reference data's inputs, sorted (for {@link
     * #contains}).
     */
    static long[] of(ReferenceData data, int[] rows) {
        long[] out = new long[rows.length];
        List<String> texts = data.texts();
        List<byte[]> images = data.images();
        double[][] features = data.features();
        for (int i = 0; i < rows.length; i++) {
            int r = rows[i];
            out[i] =
                    texts != null
                            ? of(texts.get(r))
                            : images != null ? of(images.get(r)) : of(features[r]);
        }
        Arrays.sort(out);
        return out;
    }

    /** Whether the sorted fingerprints contain {@code fingerprint}. */
    public static boolean contains(long[] sorted, long fingerprint) {
        return Arrays.binarySearch(sorted, fingerprint) >= 0;
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
