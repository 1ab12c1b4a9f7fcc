package io.modelmonitor.models.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.modelmonitor.models.Device;
import io.modelmonitor.models.text.TextModelSource;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The benchmark runs and reports its figures; speed itself is not asserted. */
class EncoderBenchTest {

  @Test
  void reportsShortAndLongFigures() throws Exception {
    List<Map<String, Object>> figures = EncoderBench.run(
        new EncoderBench.Options(TextModelSource.miniLm(), 1, Device.CPU, 8, 16, 4, 1, 1));
    assertEquals(List.of("text_encoder.short", "text_encoder.long"), figures.stream().map(f -> f.get("name")).toList());
    for (Map<String, Object> f : figures) {
      assertTrue(((Number) f.get("value")).doubleValue() > 0, f.toString());
      assertTrue(((Number) f.get("bare_ort")).doubleValue() > 0, f.toString());
    }
    double shortTokens = ((Number) figures.get(0).get("mean_tokens")).doubleValue();
    double longTokens = ((Number) figures.get(1).get("mean_tokens")).doubleValue();
    assertTrue(shortTokens > 8 && shortTokens < 30, "short " + shortTokens);
    assertTrue(longTokens > 100 && longTokens <= 256, "long " + longTokens);
  }
}
