package io.modelmonitor.models.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelmonitor.models.Device;
import io.modelmonitor.models.runtime.NativeRuntimes;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class TextEncoderTest {

    private static TextEncoder encoder;

    @BeforeAll
    static void load() throws Exception {
        encoder = TextEncoder.builder().optIntraOpThreads(2).build();
    }

    @AfterAll
    static void close() {
        encoder.close();
    }

    @Test
    void reproducesPublishedSentenceTransformersCosines() throws Exception {
        JsonNode fixture;
        try (InputStream in =
                getClass().getResourceAsStream("/fixtures/minilm-published-cosines.json")) {
            fixture = new ObjectMapper().readTree(in);
        }
        List<String> texts = new ArrayList<>();
        for (JsonNode pair : fixture.get("pairs")) {
            texts.add(pair.get("a").asText());
            texts.add(pair.get("b").asText());
        }
        float[][] v = encoder.embed(texts);
        int i = 0;
        for (JsonNode pair : fixture.get("pairs")) {
            double cosine = dot(v[2 * i], v[2 * i + 1]);
            assertEquals(pair.get("cosine").asDouble(), cosine, 1e-4, pair.toString());
            i++;
        }
    }

    @Test
    void embeddingsAreUnitLength384() throws Exception {
        float[][] v = encoder.embed(List.of("hello world", ""));
        assertEquals(384, encoder.dimension());
        for (float[] row : v) {
            assertEquals(384, row.length);
            assertEquals(1.0, dot(row, row), 1e-5);
        }
    }

    @Test
    void embeddingDoesNotDependOnTheBatch() {
        String sentence = "The battery lasts two days and charging is quick.";
        List<String> batch =
                List.of(
                        "ok",
                        "The delivery was late, the box was damaged and the manual was missing several pages entirely.",
                        sentence,
                        "Great value.",
                        "I would not buy this again because the hinge broke after a week of normal careful use at home.");
        float[] alone = encoder.embed(List.of(sentence))[0];
        float[] inBatch = encoder.embed(batch)[2];
        for (int j = 0; j < alone.length; j++) {
            assertEquals(alone[j], inBatch[j], 1e-5, "component " + j);
        }
    }

    @Test
    void longTextsAreTruncatedToMaxLength() {
        String word = "review ";
        String longText = word.repeat(1000);
        List<TokenBatch.Tokens> tokens =
                encoder.tokenization().tokenize(List.of(longText, "short"));
        assertEquals(TextEncoder.DEFAULT_MAX_LENGTH, tokens.get(0).length());
        assertEquals(3, tokens.get(1).length()); // [CLS] short [SEP]
        assertEquals(384, encoder.embed(List.of(longText))[0].length);
    }

    @Test
    void identityNamesModelChecksumAndPreprocessing() {
        var identity = encoder.identity();
        assertEquals(TextModelSource.MINILM_NAME, identity.name());
        assertEquals(64, identity.sha256().length());
        assertEquals("256", identity.preprocessing().get("max_length"));
        assertTrue(identity.id().startsWith("all-MiniLM-L6-v2@sha256:"));
        assertTrue(identity.matches(encoder.identity()));
    }

    @Test
    void gpuOnTheCpuBuildFailsWithAClearMessage() {
        if (NativeRuntimes.cudaAvailable()) {
            return; // a CUDA build: nothing to check here
        }
        IllegalStateException e =
                assertThrows(
                        IllegalStateException.class,
                        () -> TextEncoder.builder().optDevice(Device.GPU).build());
        assertTrue(e.getMessage().contains("-Pgpu"), e.getMessage());
        assertFalse(e.getMessage().contains("\n"));
    }

    static double dot(float[] a, float[] b) {
        double s = 0;
        for (int j = 0; j < a.length; j++) {
            s += (double) a[j] * b[j];
        }
        return s;
    }
}
