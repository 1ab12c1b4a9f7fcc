package io.modelmonitor.detectors.sequential;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.modelmonitor.detectors.testutil.Json;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The p-value CUSUM's run lengths: the Markov-chain ARL against numpy Monte Carlo run lengths
 * (fixtures/stats/cusum_arl.json), thresholds that hit their target, the false-alarm count of a
 * simulated clean year, and how fast it reacts to small p-values.
 */
class CusumCalibrationTest {

    @Test
    void markovChainRunLengthsMatchMonteCarlo() {
        List<Map<String, Object>> cases =
                Json.objects(Json.objectResource("fixtures/stats/cusum_arl.json").get("cases"));
        for (Map<String, Object> c : cases) {
            double kappa = Json.number(c.get("kappa"));
            double h = Json.number(c.get("h"));
            double mean = Json.number(c.get("mean"));
            double se = Json.number(c.get("se"));
            double arl = CusumCalibration.averageRunLength(kappa, h);
            assertEquals(mean, arl, 3.5 * se + 0.005 * mean, "kappa=" + kappa + " h=" + h);
        }
    }

    @Test
    void thresholdHitsTheTargetRunLength() {
        for (double target : new double[] {50, 720, 5040, 100_000}) {
            double h = CusumCalibration.thresholdFor(FalseAlarmBudget.KAPPA, target);
            assertEquals(
                    target,
                    CusumCalibration.averageRunLength(FalseAlarmBudget.KAPPA, h),
                    0.002 * target);
            // the e-detector bound: ARL >= e^h, so the exact threshold never exceeds log(target)
            assertTrue(h <= Math.log(target), "h=" + h);
        }
    }

    @Test
    void aCleanStreamAlarmsAtTheBudgetedRateNotPerWindow() {
        FalseAlarmBudget budget = new FalseAlarmBudget(1.0, 3_600_000L, 7);
        assertEquals(720, budget.windowsPerPeriod(), 1e-9);
        assertEquals(5040, budget.targetRunLength(), 1e-9);
        PValueCusum cusum = budget.cusum();
        SplittableRandom random = new SplittableRandom(11);
        int months = 300;
        int alarms = 0;
        double s = 0;
        for (long t = 0; t < 720L * months; t++) {
            s = cusum.next(s, random.nextDouble());
            if (cusum.alarm(s)) {
                alarms++;
                s = 0;
            }
        }
        double expected =
                months * budget.perDetector(); // 42.9 alarms of this detector in 300 months
        assertEquals(
                expected, alarms, 4 * Math.sqrt(expected), "alarms in " + months + " clean months");
    }

    @Test
    void strongEvidenceAlarmsInOneWindowAndModerateEvidenceAccumulates() {
        PValueCusum cusum = new FalseAlarmBudget(1.0, 3_600_000L, 7).cusum();
        assertTrue(cusum.alarm(cusum.next(0, 1e-5)));
        assertTrue(!cusum.alarm(cusum.next(0, 1e-3)));
        assertEquals(5.8e-5, cusum.singleWindowLevel(), 0.3e-5);
        double s = 0;
        int windows = 0;
        while (!cusum.alarm(s)) {
            s = cusum.next(s, 0.01);
            windows++;
        }
        assertEquals(3, windows, "windows of p=0.01 before the alarm");
        // a clean window after evidence lowers it again, and the statistic never goes below 0
        assertEquals(0, cusum.next(0, 0.9));
        assertTrue(cusum.next(3, 0.9) < 3);
    }
}
