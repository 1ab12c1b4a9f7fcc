package io.modelmonitor.models.text;

import java.util.List;

/**
 * Token ids of a batch of texts, right-padded to the longest text of the batch, flattened row by
 * row as ONNX Runtime takes them ({@code batch × length}).
 *
 * @param batch number of texts
 * @param length tokens per row after padding
 * @param inputIds token ids (0 in padding)
 * @param attentionMask 1 for real tokens, 0 for padding
 * @param typeIds segment ids (0 for single texts)
 */
public record TokenBatch(
        int batch, int length, long[] inputIds, long[] attentionMask, long[] typeIds) {

    /** Number of real (unpadded) tokens in the batch. */
    public long realTokens() {
        long n = 0;
        for (long m : attentionMask) {
            n += m;
        }
        return n;
    }

    /** Right-pads the rows to the longest; padding ids and type ids are 0, mask 0. */
    public static TokenBatch pad(List<Tokens> rows) {
        int length = 0;
        for (Tokens row : rows) {
            length = Math.max(length, row.ids().length);
        }
        int batch = rows.size();
        long[] ids = new long[batch * length];
        long[] mask = new long[batch * length];
        long[] types = new long[batch * length];
        for (int r = 0; r < batch; r++) {
            Tokens row = rows.get(r);
            int offset = r * length;
            System.arraycopy(row.ids(), 0, ids, offset, row.ids().length);
            System.arraycopy(row.typeIds(), 0, types, offset, row.typeIds().length);
            java.util.Arrays.fill(mask, offset, offset + row.ids().length, 1L);
        }
        return new TokenBatch(batch, length, ids, mask, types);
    }

    /**
     * The unpadded tokens of one text.
     *
     * @param ids token ids including the special tokens
     * @param typeIds segment ids, same length
     */
    public record Tokens(long[] ids, long[] typeIds) {
        /** Number of tokens. */
        public int length() {
            return ids.length;
        }
    }
}
