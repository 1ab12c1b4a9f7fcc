package io.modelmonitor.detectors.univariate;

import static io.modelmonitor.detectors.testutil.Close.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.modelmonitor.detectors.testutil.Json;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Against scipy.stats.chi2_contingency(correction=False) (fixtures/stats/chi2.json). */
class ChiSquaredTest {
  private static final Map<String, Object> FIXTURE =
      Json.objectResource("fixtures/stats/chi2.json");

  @Test
  void matchesScipyOnCountMaps() {
    for (Map<String, Object> c : Json.objects(FIXTURE.get("cases"))) {
      List<String> names = Json.strings(c.get("categories"));
      long[] ref = Json.longs(c.get("reference"));
      long[] cur = Json.longs(c.get("current"));
      Map<String, Long> refMap = new HashMap<>();
      Map<String, Long> curMap = new HashMap<>();
      for (int i = 0; i < names.size(); i++) {
        if (ref[i] > 0) {
          refMap.put(names.get(i), ref[i]);
        }
        curMap.put(names.get(i), cur[i]);
      }
      TestResult r = ChiSquared.test(refMap, curMap);
      assertEquals("chi2", r.test());
      assertClose(Json.number(c.get("statistic")), r.statistic(), 1e-12, 0, "statistic");
      assertClose(Json.number(c.get("pvalue")), r.pValue(), 1e-9, 1e-300, "p");
    }
  }

  @Test
  void unionOfCategoriesMatchesScipy() {
    @SuppressWarnings("unchecked")
    Map<String, Object> maps = (Map<String, Object>) FIXTURE.get("maps");
    TestResult r = ChiSquared.test(toLongs(maps.get("reference")), toLongs(maps.get("current")));
    assertClose(Json.number(maps.get("statistic")), r.statistic(), 1e-12, 0, "statistic");
    assertClose(Json.number(maps.get("pvalue")), r.pValue(), 1e-9, 0, "p");
  }

  @Test
  void singleCategoryHasNoEvidence() {
    TestResult r = ChiSquared.test(Map.of("a", 10L), Map.of("a", 3L));
    assertEquals(0.0, r.statistic());
    assertEquals(1.0, r.pValue());
  }

  @Test
  void emptySampleIsAnError() {
    assertThrows(IllegalArgumentException.class, () -> ChiSquared.test(Map.of("a", 10L), Map.of()));
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Long> toLongs(Object json) {
    Map<String, Long> out = new HashMap<>();
    ((Map<String, Object>) json).forEach((k, v) -> out.put(k, Math.round(Json.number(v))));
    return out;
  }
}
