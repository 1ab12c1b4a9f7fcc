package io.modelmonitor.pipeline.demo;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * A seeded stream for the forecasting demo: a model that predicts, for each parcel handed to a
 * courier, how many minutes it will take to deliver (a time-to-event forecast in whole minutes).
 * Its label is the real delivery time, known only when the parcel arrives: labels come late, in the
 * order the future happens.
 *
 * <p>From {@link #CONGESTION_START} a depot is congested: every delivery takes longer than the
 * model forecasts, by {@link #CONGESTION_DELAY_MINUTES} minutes on average and more erratically,
 * while the parcels themselves (the model's inputs) and its forecasts look as they always did. Only
 * the labels reveal it, as growing errors ({@code performance}).
 *
 * <pre>{@code
 * ForecastDemoData data = new ForecastDemoData(42, 150);
 * List<ForecastDemoData.Record> reference = data.reference(2000);
 * List<ForecastDemoData.Record> day = data.day(Instant.parse("2026-11-28T00:00:00Z"));
 * }</pre>
 */
public final class ForecastDemoData {
    public static final int HOURS = 24;
    public static final int CONGESTION_START = 14;
    public static final double CONGESTION_DELAY_MINUTES = 9;

    private static final double NORMAL_ERROR_SD = 6;
    private static final double CONGESTED_ERROR_SD = 10;

    private final long seed;
    private final int eventsPerHour;

    public ForecastDemoData(long seed, int eventsPerHour) {
        this.seed = seed;
        this.eventsPerHour = eventsPerHour;
    }

    /** One parcel: the model's inputs and forecast, and when it really arrived. */
    public record Record(
            String id,
            Instant ts,
            double distanceKm,
            double weightKg,
            int items,
            boolean express,
            long forecastMinutes,
            long actualMinutes,
            Instant labelTs) {}

    /** Reference data: deliveries on normal days, timestamps the day before. */
    public List<Record> reference(int n) {
        SplittableRandom rnd = new SplittableRandom(seed);
        Instant start = Instant.parse("2026-11-27T00:00:00Z");
        List<Record> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            Instant ts = start.plusMillis((long) i * 86_400_000L / n);
            out.add(parcel(rnd, "ref-" + i, ts, false));
        }
        return out;
    }

    /** The monitored day, in event-time order, starting at {@code dayStart}. */
    public List<Record> day(Instant dayStart) {
        SplittableRandom rnd = new SplittableRandom(seed + 1);
        List<Record> out = new ArrayList<>(HOURS * eventsPerHour);
        for (int h = 0; h < HOURS; h++) {
            for (int i = 0; i < eventsPerHour; i++) {
                Instant ts = DemoData.arrival(dayStart, h, i, eventsPerHour, rnd);
                out.add(
                        parcel(
                                rnd,
                                String.format(Locale.ROOT, "parcel-%02d-%04d", h, i),
                                ts,
                                h >= CONGESTION_START));
            }
        }
        return out;
    }

    private static Record parcel(SplittableRandom rnd, String id, Instant ts, boolean congested) {
        double distance = round1(Math.exp(1.5 + 0.6 * rnd.nextGaussian()));
        double weight = round1(0.2 - 3 * Math.log(1 - rnd.nextDouble()));
        int items = 1 + (int) Math.floor(-1.5 * Math.log(1 - rnd.nextDouble()));
        boolean express = rnd.nextDouble() < 0.25;
        long forecast =
                Math.round(25 + 5 * distance + 1.5 * weight + 3 * items - (express ? 12 : 0));
        double error =
                congested
                        ? CONGESTION_DELAY_MINUTES + CONGESTED_ERROR_SD * rnd.nextGaussian()
                        : NORMAL_ERROR_SD * rnd.nextGaussian();
        long actual = Math.max(5, Math.round(forecast + error));
        return new Record(
                id,
                ts,
                distance,
                weight,
                items,
                express,
                forecast,
                actual,
                ts.plus(Duration.ofMinutes(actual)));
    }

    private static double round1(double x) {
        return Math.round(x * 10) / 10.0;
    }
}
