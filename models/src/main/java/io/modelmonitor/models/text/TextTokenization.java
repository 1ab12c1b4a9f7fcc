package io.modelmonitor.models.text;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import io.modelmonitor.models.runtime.NativeRuntimes;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The pre-processing half of a sentence encoder: DJL's HuggingFace tokenizer with an explicit
 * maximum length and truncation, and no padding (batches are padded by {@link TokenBatch#pad} to
 * their own longest row). The maximum length is always set here because the tokenizer.json that
 * ships with MiniLM pads and truncates to a fixed 128.
 *
 * <pre>{@code
 * try (TextTokenization tokenization = TextTokenization.open(TextModelSource.miniLm(), 256)) {
 *   List<TokenBatch.Tokens> tokens = tokenization.tokenize(List.of("hello world"));
 * }
 * }</pre>
 */
public final class TextTokenization implements AutoCloseable {

    private final HuggingFaceTokenizer tokenizer;
    private final int maxLength;

    private TextTokenization(HuggingFaceTokenizer tokenizer, int maxLength) {
        this.tokenizer = tokenizer;
        this.maxLength = maxLength;
    }

    /**
     * Opens the source's tokenizer with truncation to {@code maxLength} tokens (specials included).
     */
    public static TextTokenization open(TextModelSource source, int maxLength) throws IOException {
        if (maxLength < 2) {
            throw new IllegalArgumentException("max length must be at least 2: " + maxLength);
        }
        NativeRuntimes.ensureDjlOffline();
        Map<String, String> options =
                Map.of(
                        "maxLength", Integer.toString(maxLength),
                        "truncation", "true",
                        "padding", "false",
                        "addSpecialTokens", "true");
        try (InputStream in = source.openTokenizer()) {
            return new TextTokenization(HuggingFaceTokenizer.newInstance(in, options), maxLength);
        }
    }

    /** Maximum tokens per text, special tokens included. */
    public int maxLength() {
        return maxLength;
    }

    /** Tokenizes each text (truncated, unpadded). */
    public List<TokenBatch.Tokens> tokenize(List<String> texts) {
        Encoding[] encodings = tokenizer.batchEncode(texts);
        List<TokenBatch.Tokens> tokens = new ArrayList<>(encodings.length);
        for (Encoding encoding : encodings) {
            tokens.add(new TokenBatch.Tokens(encoding.getIds(), encoding.getTypeIds()));
        }
        return tokens;
    }

    @Override
    public void close() {
        tokenizer.close();
    }
}
