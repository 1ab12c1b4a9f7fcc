package io.modelmonitor.pipeline.bench;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.modelmonitor.pipeline.cli.Main;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The alert policy on the real job at default settings ({@code ./monitor fit} and {@code run}): the
 * short version of {@code ./monitor bench --suites alerts}. Four clean model-months must stay near
 * the false-alarm budget of one alert per model-month (a per-window test at α = 0.05 opened about
 * 170 per model-month on such streams), and the known changes must still alert in time.
 */
class AlertBudgetSoakTest {
    @TempDir Path dir;

    @Test
    void fourCleanModelMonthsOpenFewAlerts() throws Exception {
        AlertSoak.Result clean = AlertSoak.clean(Main::execute, dir.resolve("clean"), 4, 30, 42);
        System.out.println(
                "alert soak: "
                        + clean.opened().size()
                        + " false alerts in "
                        + clean.modelMonths()
                        + " model-months "
                        + clean.byDetector()
                        + "; 95% interval per model-month "
                        + clean.interval95()[0]
                        + "-"
                        + clean.interval95()[1]);
        // Poisson with the budget's mean of 4: 10 or more has probability 0.8 %.
        assertTrue(
                clean.opened().size() <= 9,
                clean.opened().size() + " false alerts: " + clean.opened());
        // The same windows decided one by one at 0.05, as alerts used to be: the policy is what
        // keeps it quiet.
        double perWindow = clean.perWindowRuleAlertsPerModelMonth(0.05);
        System.out.println(
                "alert soak: the per-window rule at 0.05 would open "
                        + perWindow
                        + " per model-month");
        assertTrue(perWindow > 50, "the per-window rule on the same reports: " + perWindow);
    }

    @Test
    void halfAStandardDeviationOfShiftAlertsWithinThreeWindows() throws Exception {
        List<Integer> delays =
                AlertSoak.meanShift(Main::execute, dir.resolve("shift"), 4, 4, 43)
                        .delays(List.of("drift.mmd", "drift.feature"));
        System.out.println("alert soak: mean-shift delays " + delays);
        assertTrue(
                delays.stream().allMatch(d -> d <= 3),
                "windows to the first drift alert per model: " + delays);
    }

    @Test
    void anEightPointAccuracyDropAlertsWithinEightWindows() throws Exception {
        List<Integer> delays =
                AlertSoak.accuracyDrop(Main::execute, dir.resolve("accuracy"), 4, 5, 44)
                        .delays(List.of("performance"));
        System.out.println("alert soak: accuracy-drop delays " + delays);
        assertTrue(
                delays.stream().allMatch(d -> d <= 8),
                "windows to the first performance alert per model: " + delays);
    }
}
