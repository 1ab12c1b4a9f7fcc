package io.modelmonitor.models.text;

import java.nio.FloatBuffer;

/**
 * The post-processing half of a sentence encoder: mean pooling of the token embeddings over the
 * attention mask, then L2 normalisation — what sentence-transformers does for all-MiniLM-L6-v2
 * (Reimers &amp; Gurevych 2019, "Sentence-BERT").
 */
public final class Pooling {

    private Pooling() {}

    /**
     * Mean of the token vectors whose mask is 1, per row.
     *
     * @param hidden {@code batch × length × dim} token embeddings, row-major
     * @param mask {@code batch × length} attention mask
     */
    public static float[][] meanPool(
            FloatBuffer hidden, long[] mask, int batch, int length, int dim) {
        float[][] pooled = new float[batch][dim];
        double[] sum = new double[dim];
        for (int b = 0; b < batch; b++) {
            java.util.Arrays.fill(sum, 0);
            int count = 0;
            for (int t = 0; t < length; t++) {
                if (mask[b * length + t] == 0) {
                    continue;
                }
                count++;
                int offset = (b * length + t) * dim;
                for (int j = 0; j < dim; j++) {
                    sum[j] += hidden.get(offset + j);
                }
            }
            // sentence-transformers clamps the token count at 1e-9; an all-padding row is all
            // zeros.
            double denominator = Math.max(count, 1e-9);
            for (int j = 0; j < dim; j++) {
                pooled[b][j] = (float) (sum[j] / denominator);
            }
        }
        return pooled;
    }

    /** Scales v in place to unit Euclidean length (a zero vector stays zero); returns v. */
    public static float[] l2Normalize(float[] v) {
        double squares = 0;
        for (float x : v) {
            squares += (double) x * x;
        }
        // torch.nn.functional.normalize divides by max(norm, 1e-12).
        double norm = Math.max(Math.sqrt(squares), 1e-12);
        for (int j = 0; j < v.length; j++) {
            v[j] = (float) (v[j] / norm);
        }
        return v;
    }
}
