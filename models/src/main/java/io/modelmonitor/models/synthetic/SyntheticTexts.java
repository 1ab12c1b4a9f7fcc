package io.modelmonitor.models.synthetic;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Seeded template texts for tests, benchmarks and demos: English product reviews (the reference
 * kind) and three kinds of clear outliers — random character strings, product reviews in German,
 * Spanish and French, and off-topic English (sport, weather, history, cooking).
 */
public final class SyntheticTexts {

    private static final String[] PRODUCTS = {
        "laptop",
        "phone",
        "headset",
        "blender",
        "vacuum cleaner",
        "coffee maker",
        "keyboard",
        "monitor",
        "camera",
        "backpack",
        "kettle",
        "router",
        "smartwatch",
        "desk lamp",
        "speaker",
        "charger",
        "mouse",
        "printer",
        "tablet",
        "toaster"
    };
    private static final String[] ASPECTS = {
        "battery",
        "screen",
        "sound quality",
        "build quality",
        "price",
        "delivery",
        "packaging",
        "customer service",
        "manual",
        "design",
        "cable",
        "buttons",
        "software",
        "noise level",
        "warranty"
    };
    private static final String[] GOOD = {
        "excellent",
        "great",
        "solid",
        "impressive",
        "fantastic",
        "reliable",
        "decent",
        "very good",
        "better than expected",
        "perfect"
    };
    private static final String[] BAD = {
        "terrible",
        "poor",
        "disappointing",
        "awful",
        "flimsy",
        "useless",
        "worse than expected",
        "mediocre",
        "cheap",
        "annoying"
    };
    private static final String[] TIMES = {
        "after a week",
        "after two days",
        "within a month",
        "on the first day",
        "after a few uses",
        "since I bought it",
        "after the update",
        "from day one"
    };
    private static final String[] REVIEW_TEMPLATES = {
        "The %P is %G and the %A is %G.",
        "I returned the %P because the %A was %B.",
        "Great %P, the %A is %G and it arrived quickly.",
        "The %A of this %P stopped working %T.",
        "Honestly the %P is %B, the %A is %B too.",
        "Would buy this %P again, the %A is %G.",
        "My %P broke %T and the %A was %B.",
        "For the price this %P is %G, although the %A could be better.",
        "Five stars: the %A is %G and the %P works %T.",
        "One star, the %P feels %B and the %A is %B."
    };

    private static final String[][] FOREIGN_TEMPLATES = {
        {
            "Der %P ist %G und der Akku hält lange.",
            "Ich habe das Gerät zurückgeschickt, weil es %B war.",
            "Die Lieferung war schnell, aber die Verarbeitung ist %B.",
            "Sehr zufrieden mit dem Kauf, alles %G."
        },
        {
            "El %P es %G y la batería dura mucho.",
            "Devolví el producto porque era %B.",
            "La entrega fue rápida pero la calidad es %B.",
            "Muy contento con la compra, todo %G."
        },
        {
            "Le %P est %G et la batterie tient longtemps.",
            "J'ai renvoyé l'appareil parce qu'il était %B.",
            "La livraison était rapide mais la qualité est %B.",
            "Très satisfait de l'achat, tout est %G."
        }
    };
    private static final String[][] FOREIGN_PRODUCTS = {
        {"Laptop", "Staubsauger", "Kopfhörer", "Wasserkocher", "Drucker"},
        {"portátil", "aspirador", "auricular", "hervidor", "teclado"},
        {"portable", "aspirateur", "casque", "grille-pain", "clavier"}
    };
    private static final String[][] FOREIGN_GOOD = {
        {"ausgezeichnet", "super", "sehr gut", "hervorragend"},
        {"excelente", "genial", "muy bueno", "perfecto"},
        {"excellent", "génial", "très bien", "parfait"}
    };
    private static final String[][] FOREIGN_BAD = {
        {"schlecht", "enttäuschend", "billig", "furchtbar"},
        {"malo", "decepcionante", "barato", "horrible"},
        {"mauvais", "décevant", "bon marché", "horrible"}
    };

    private static final String[] TEAMS = {
        "the home side", "the visitors", "the national team", "the champions", "the young squad"
    };
    private static final String[] CITIES = {
        "Madrid", "Oslo", "Cairo", "Lima", "Osaka", "Toronto", "Nairobi"
    };
    private static final String[] TOPIC_TEMPLATES = {
        "%TEAM scored twice in the second half to win the derby in %C.",
        "Heavy rain and strong winds are expected over %C tomorrow morning.",
        "The treaty was signed in %C in 1648 after decades of war.",
        "Simmer the onions slowly, then add the tomatoes and a pinch of salt.",
        "The museum in %C reopened its collection of ancient maps.",
        "%TEAM lost the final on penalties after extra time.",
        "Temperatures in %C will drop below freezing during the night.",
        "Knead the dough for ten minutes and let it rest for an hour.",
        "The emperor moved the capital to %C in the ninth century.",
        "Migrating birds cross the desert near %C every autumn."
    };

    private SyntheticTexts() {}

    /** English product reviews. */
    public static List<String> reviews(int n, long seed) {
        Random random = new Random(seed);
        List<String> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            String t = pick(random, REVIEW_TEMPLATES);
            StringBuilder s = new StringBuilder();
            for (int c = 0; c < t.length(); c++) {
                if (t.charAt(c) == '%') {
                    char kind = t.charAt(++c);
                    s.append(
                            switch (kind) {
                                case 'P' -> pick(random, PRODUCTS);
                                case 'A' -> pick(random, ASPECTS);
                                case 'G' -> pick(random, GOOD);
                                case 'B' -> pick(random, BAD);
                                case 'T' -> pick(random, TIMES);
                                default -> throw new IllegalStateException("template " + t);
                            });
                } else {
                    s.append(t.charAt(c));
                }
            }
            out.add(s.toString());
        }
        return out;
    }

    /** Paragraphs of consecutive reviews, each at least {@code words} words long. */
    public static List<String> paragraphs(int n, int words, long seed) {
        Random random = new Random(seed);
        List<String> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            StringBuilder s = new StringBuilder();
            while (s.toString().split(" ").length < words) {
                s.append(s.length() == 0 ? "" : " ").append(reviews(1, random.nextLong()).get(0));
            }
            out.add(s.toString());
        }
        return out;
    }

    /**
     * Texts of {@code minChars} to {@code maxChars} characters, lengths uniform in between: runs of
     * consecutive reviews cut at a word boundary. Real traffic mixes a short sentence with a
     * paragraph in one batch, and padding every row to the batch's longest text is then most of an
     * encoder's cost; the benchmarks measure on this corpus so that the cost is visible.
     */
    public static List<String> mixedLengths(int n, int minChars, int maxChars, long seed) {
        if (minChars < 1 || maxChars < minChars) {
            throw new IllegalArgumentException(
                    "need 1 <= minChars <= maxChars: " + minChars + ", " + maxChars);
        }
        Random random = new Random(seed);
        List<String> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            int target = minChars + random.nextInt(maxChars - minChars + 1);
            StringBuilder s = new StringBuilder();
            while (s.length() < target) {
                s.append(s.length() == 0 ? "" : " ").append(reviews(1, random.nextLong()).get(0));
            }
            int cut = s.lastIndexOf(" ", target);
            out.add(cut >= minChars ? s.substring(0, cut) : s.substring(0, target));
        }
        return out;
    }

    /** Strings of 10–60 random letters, digits, punctuation and spaces. */
    public static List<String> randomCharacters(int n, long seed) {
        Random random = new Random(seed);
        String alphabet =
                "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789#$%&*+-/<=>?@^_~   ";
        List<String> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            int length = 10 + random.nextInt(51);
            StringBuilder s = new StringBuilder(length);
            for (int c = 0; c < length; c++) {
                s.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            out.add(s.toString());
        }
        return out;
    }

    /** Product reviews in German, Spanish and French. */
    public static List<String> foreignReviews(int n, long seed) {
        Random random = new Random(seed);
        List<String> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            int language = random.nextInt(FOREIGN_TEMPLATES.length);
            out.add(
                    pick(random, FOREIGN_TEMPLATES[language])
                            .replace("%P", pick(random, FOREIGN_PRODUCTS[language]))
                            .replace("%G", pick(random, FOREIGN_GOOD[language]))
                            .replace("%B", pick(random, FOREIGN_BAD[language])));
        }
        return out;
    }

    /** English sentences about sport, weather, history and cooking. */
    public static List<String> offTopic(int n, long seed) {
        Random random = new Random(seed);
        List<String> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            String s =
                    pick(random, TOPIC_TEMPLATES)
                            .replace("%TEAM", pick(random, TEAMS))
                            .replace("%C", pick(random, CITIES));
            out.add(Character.toUpperCase(s.charAt(0)) + s.substring(1));
        }
        return out;
    }

    private static String pick(Random random, String[] options) {
        return options[random.nextInt(options.length)];
    }
}
