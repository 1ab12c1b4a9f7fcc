package io.modelmonitor.models.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.modelmonitor.models.Device;
import io.modelmonitor.models.text.TextModelSource;
import java.util.IntSummaryStatistics;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The benchmark runs and reports its figures; speed itself is not asserted. */
class EncoderBenchTest {

    @Test
    void reportsShortLongAndMixedFigures() throws Exception {
        List<Map<String, Object>> figures =
                EncoderBench.run(
                        new EncoderBench.Options(
                                TextModelSource.miniLm(), 1, Device.CPU, 8, 16, 4, 16, 1, 1));
        assertEquals(
                List.of("text_encoder.short", "text_encoder.long", "text_encoder.mixed"),
                figures.stream().map(f -> f.get("name")).toList());
        for (Map<String, Object> f : figures) {
            assertTrue(((Number) f.get("value")).doubleValue() > 0, f.toString());
            assertTrue(((Number) f.get("bare_ort")).doubleValue() > 0, f.toString());
            assertTrue(((Number) f.get("bare_ort_arrival_order")).doubleValue() > 0, f.toString());
        }
        double shortTokens = ((Number) figures.get(0).get("mean_tokens")).doubleValue();
        double longTokens = ((Number) figures.get(1).get("mean_tokens")).doubleValue();
        assertTrue(shortTokens > 8 && shortTokens < 30, "short " + shortTokens);
        assertTrue(longTokens > 100 && longTokens <= 256, "long " + longTokens);
    }

    @Test
    void mixedCorpusSpansTwentyToSixHundredCharacters() {
        List<String> texts = EncoderBench.mixedCorpus(500, 3);
        IntSummaryStatistics lengths = texts.stream().mapToInt(String::length).summaryStatistics();
        assertTrue(lengths.getMin() >= 20 && lengths.getMax() <= 600, lengths.toString());
        // Spread over the whole range, not bunched at one end.
        assertTrue(lengths.getMin() < 60 && lengths.getMax() > 540, lengths.toString());
        assertEquals(texts, EncoderBench.mixedCorpus(500, 3), "seeded");
    }
}
