package io.modelmonitor.pipeline.demo;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * A realistic, seeded text stream for the demo: a sentiment model on electronics product reviews
 * over one simulated day, with three incidents injected at known hours.
 *
 * <ul>
 *   <li>{@link #TOPIC_SHIFT_START}–{@link #TOPIC_SHIFT_END}: the traffic shifts to hotel and
 *       restaurant reviews (input drift: {@code drift.mmd}).
 *   <li>{@link #OUTLIER_HOUR}: a burst of other-language and gibberish inputs ({@code
 *       outlier.rate}).
 *   <li>From {@link #ACCURACY_DROP_START}: the model gets a third of its predictions wrong while
 *       staying confident (concept drift), revealed by labels arriving {@link #LABEL_DELAY} late
 *       ({@code performance}).
 * </ul>
 *
 * <pre>{@code
 * DemoData data = new DemoData(42, 150);
 * List<DemoData.Record> reference = data.reference(2000);
 * List<DemoData.Record> day = data.day(Instant.parse("2026-11-28T00:00:00Z"));
 * }</pre>
 */
public final class DemoData {
    public static final int HOURS = 24;
    public static final int TOPIC_SHIFT_START = 8;
    public static final int TOPIC_SHIFT_END = 12;
    public static final int OUTLIER_HOUR = 15;
    public static final int ACCURACY_DROP_START = 18;
    public static final Duration LABEL_DELAY = Duration.ofHours(3);

    /** The model's accuracy on the reference and in normal hours. */
    public static final double NORMAL_ACCURACY = 0.92;

    public static final double DEGRADED_ACCURACY = 0.6;
    public static final double OUTLIER_SHARE = 0.35;

    private static final String[] PRODUCTS = {
        "phone",
        "laptop",
        "headphones",
        "charger",
        "screen",
        "keyboard",
        "camera",
        "speaker",
        "tablet",
        "smartwatch",
        "mouse",
        "router",
        "monitor",
        "earbuds",
        "power bank"
    };
    private static final String[] DURATIONS = {
        "a week", "two days", "a month", "three weeks", "one day", "an hour", "six months", "a year"
    };
    private static final String[] POSITIVE = {
        "the %s works great and the battery lasts all day",
        "really happy with this %s, I have used it for %s",
        "excellent %s for the price, would buy again",
        "the %s arrived quickly and works perfectly",
        "sound quality of the %s is better than I expected",
        "my new %s is fast, light and well built",
        "great value, the %s has not failed once in %s",
        "the %s was easy to set up and looks beautiful",
        "I love this %s, the display is sharp and bright",
        "solid %s, customer support answered within %s"
    };
    private static final String[] NEGATIVE = {
        "the %s stopped working after %s",
        "the %s cracked after %s and support never replied",
        "terrible %s, the battery died after %s",
        "the %s overheats and the fan is very loud",
        "returned the %s, it kept disconnecting every %s",
        "the %s feels cheap and the buttons are already loose",
        "waste of money, this %s broke within %s",
        "the %s charges slowly and drains in %s",
        "the %s arrived damaged and the box was open",
        "poor %s, the screen flickers constantly"
    };
    private static final String[] VENUES = {
        "hotel",
        "restaurant",
        "room",
        "breakfast",
        "pizza",
        "pasta",
        "waiter",
        "receptionist",
        "pool",
        "dinner",
        "lobby",
        "menu"
    };
    private static final String[] TOPIC_SHIFT = {
        "the %s was clean and the staff were friendly",
        "our %s overlooked the sea, lovely stay for %s",
        "the %s was cold and we waited %s for it",
        "the %s was noisy at night and the bed was hard",
        "fantastic %s, we will come back next summer",
        "the %s smelled of smoke and nobody helped us",
        "delicious %s and a warm welcome from the owner",
        "the %s was overpriced and the portions were tiny"
    };
    private static final String[] FOREIGN = {
        "das Gerät ist nach einer Woche kaputt gegangen",
        "el teléfono funciona muy bien y la batería dura mucho",
        "la livraison était rapide mais le produit est abîmé",
        "il prodotto è arrivato rotto e nessuno risponde",
        "ik ben erg tevreden met deze koptelefoon",
        "произведение искусства, очень доволен покупкой",
        "この商品はとても使いやすいです",
        "het scherm is gebarsten na twee dagen"
    };

    private final long seed;
    private final int eventsPerHour;

    public DemoData(long seed, int eventsPerHour) {
        this.seed = seed;
        this.eventsPerHour = eventsPerHour;
    }

    /** One generated prediction with its true label. */
    public record Record(
            String id,
            Instant ts,
            String text,
            String prediction,
            double[] scores,
            String label,
            Instant labelTs) {}

    /**
     * Reference data: normal traffic with the model at its normal accuracy, timestamps the day
     * before.
     */
    public List<Record> reference(int n) {
        SplittableRandom rnd = new SplittableRandom(seed);
        Instant start = Instant.parse("2026-11-27T00:00:00Z");
        List<Record> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            Instant ts = start.plusMillis((long) i * 86_400_000L / n);
            out.add(record(rnd, "ref-" + i, ts, Kind.REVIEW, NORMAL_ACCURACY));
        }
        return out;
    }

    /** The monitored day, in event-time order, starting at {@code dayStart}. */
    public List<Record> day(Instant dayStart) {
        SplittableRandom rnd = new SplittableRandom(seed + 1);
        List<Record> out = new ArrayList<>(HOURS * eventsPerHour);
        for (int h = 0; h < HOURS; h++) {
            for (int i = 0; i < eventsPerHour; i++) {
                Instant ts = arrival(dayStart, h, i, eventsPerHour, rnd);
                Kind kind = Kind.REVIEW;
                if (h >= TOPIC_SHIFT_START && h < TOPIC_SHIFT_END) {
                    kind = Kind.TOPIC_SHIFT;
                } else if (h == OUTLIER_HOUR && rnd.nextDouble() < OUTLIER_SHARE) {
                    kind = rnd.nextBoolean() ? Kind.FOREIGN : Kind.GIBBERISH;
                }
                double accuracy = h >= ACCURACY_DROP_START ? DEGRADED_ACCURACY : NORMAL_ACCURACY;
                out.add(
                        record(
                                rnd,
                                String.format(Locale.ROOT, "req-%02d-%04d", h, i),
                                ts,
                                kind,
                                accuracy));
            }
        }
        return out;
    }

    /**
     * When the {@code i}-th of {@code eventsPerHour} events of hour {@code h} arrives: evenly
     * spread over the hour, jittered within its slot.
     */
    static Instant arrival(
            Instant dayStart, int h, int i, int eventsPerHour, SplittableRandom rnd) {
        return dayStart.plus(Duration.ofHours(h))
                .plusMillis(
                        (long) i * 3_600_000L / eventsPerHour
                                + rnd.nextInt(3_600_000 / eventsPerHour));
    }

    /** {@code hours} of normal traffic only (no incident), from {@code start}: a clean stream. */
    public List<Record> normal(Instant start, int hours) {
        SplittableRandom rnd = new SplittableRandom(seed + 2);
        List<Record> out = new ArrayList<>(hours * eventsPerHour);
        for (int h = 0; h < hours; h++) {
            for (int i = 0; i < eventsPerHour; i++) {
                Instant ts =
                        start.plus(Duration.ofHours(h))
                                .plusMillis((long) i * 3_600_000L / eventsPerHour);
                out.add(
                        record(
                                rnd,
                                String.format(Locale.ROOT, "n-%05d-%04d", h, i),
                                ts,
                                Kind.REVIEW,
                                NORMAL_ACCURACY));
            }
        }
        return out;
    }

    private enum Kind {
        REVIEW,
        TOPIC_SHIFT,
        FOREIGN,
        GIBBERISH
    }

    private Record record(SplittableRandom rnd, String id, Instant ts, Kind kind, double accuracy) {
        boolean positive = rnd.nextBoolean();
        String text =
                switch (kind) {
                    case REVIEW -> fill(rnd, positive ? POSITIVE : NEGATIVE, PRODUCTS);
                    case TOPIC_SHIFT -> fill(rnd, TOPIC_SHIFT, VENUES);
                    case FOREIGN -> FOREIGN[rnd.nextInt(FOREIGN.length)];
                    case GIBBERISH -> gibberish(rnd);
                };
        String label = positive ? "positive" : "negative";
        boolean correct = rnd.nextDouble() < accuracy;
        String prediction = correct ? label : (positive ? "negative" : "positive");
        // A confident model either way: the label-free estimate cannot see concept drift, labels
        // can.
        double top = 0.7 + 0.29 * rnd.nextDouble();
        double[] scores =
                prediction.equals("positive")
                        ? new double[] {1 - top, top}
                        : new double[] {top, 1 - top};
        scores[0] = Math.round(scores[0] * 1e4) / 1e4;
        scores[1] = Math.round((1 - scores[0]) * 1e4) / 1e4;
        Instant labelTs = ts.plus(LABEL_DELAY).plusSeconds(rnd.nextInt(1800));
        return new Record(id, ts, text, prediction, scores, label, labelTs);
    }

    private static String fill(SplittableRandom rnd, String[] templates, String[] nouns) {
        String t = templates[rnd.nextInt(templates.length)];
        String noun = nouns[rnd.nextInt(nouns.length)];
        String second =
                t.indexOf("%s") != t.lastIndexOf("%s")
                        ? DURATIONS[rnd.nextInt(DURATIONS.length)]
                        : "";
        return String.format(Locale.ROOT, t, noun, second);
    }

    private static String gibberish(SplittableRandom rnd) {
        StringBuilder sb = new StringBuilder();
        int words = 4 + rnd.nextInt(6);
        for (int w = 0; w < words; w++) {
            if (w > 0) {
                sb.append(' ');
            }
            int len = 2 + rnd.nextInt(8);
            for (int i = 0; i < len; i++) {
                sb.append((char) ('a' + rnd.nextInt(26)));
            }
        }
        return sb.toString();
    }
}
