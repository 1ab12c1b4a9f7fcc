package io.modelmonitor.detectors.outlier;

import static io.modelmonitor.detectors.testutil.Close.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.modelmonitor.detectors.testutil.Json;
import io.modelmonitor.detectors.univariate.TestResult;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Threshold (np.quantile), conformal p-values and scipy.stats.binomtest (outlier.json). */
class OutlierCalibrationTest {
  private static final Map<String, Object> FIXTURE =
      Json.objectResource("fixtures/stats/outlier.json");
  private static final double[] SCORES = Json.doubles(FIXTURE.get("scores"));

  @Test
  void thresholdAndExpectedRateMatchNumpy() {
    for (Map<String, Object> c : Json.objects(FIXTURE.get("cases"))) {
      double q = Json.number(c.get("quantile"));
      OutlierCalibration cal =
          OutlierCalibration.builder().setReferenceScores(SCORES).optQuantile(q).build();
      assertClose(Json.number(c.get("threshold")), cal.threshold(), 1e-14, 0, "threshold " + q);
      assertEquals(Json.number(c.get("expected_rate")), cal.expectedRate(), 1e-15, "rate " + q);
      assertTrue(cal.isOutlier(Math.nextUp(cal.threshold())));
      assertFalse(cal.isOutlier(cal.threshold()));
    }
  }

  @Test
  void conformalPValues() {
    OutlierCalibration cal = OutlierCalibration.builder().setReferenceScores(SCORES).build();
    for (Map<String, Object> c : Json.objects(FIXTURE.get("pvalues"))) {
      double s = Json.number(c.get("score"));
      assertEquals(Json.number(c.get("pvalue")), cal.pValue(s), 1e-15, "score " + s);
    }
  }

  @Test
  void binomialRateTestMatchesScipy() {
    for (Map<String, Object> c : Json.objects(FIXTURE.get("binomial"))) {
      long k = (long) Json.number(c.get("k"));
      long n = (long) Json.number(c.get("n"));
      double p = Json.number(c.get("p"));
      TestResult r = OutlierCalibration.binomialTestGreater(k, n, p);
      assertClose(Json.number(c.get("pvalue")), r.pValue(), 1e-9, 1e-300,
          "binomtest(" + k + ", " + n + ", " + p + ")");
      assertEquals((double) k / n, r.statistic());
    }
    OutlierCalibration cal = OutlierCalibration.builder().setReferenceScores(SCORES).build();
    assertEquals(OutlierCalibration.binomialTestGreater(9, 500, cal.expectedRate()),
        cal.rateTest(9, 500));
  }

  @Test
  void validatesInput() {
    assertThrows(IllegalStateException.class, () -> OutlierCalibration.builder().build());
    OutlierCalibration cal = OutlierCalibration.builder().setReferenceScores(SCORES).build();
    assertThrows(IllegalArgumentException.class, () -> cal.rateTest(5, 3));
  }
}
