package io.modelmonitor.pipeline.cli;

import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The secret values among the {@code --kafka.<property>} pass-through settings, and a way to hide
 * them in any text the CLI prints (error messages may quote a client exception that quotes a
 * value).
 *
 * <p>A setting is secret when its name ends in {@code password}, {@code secret}, {@code token},
 * {@code credential(s)}, {@code jaas.config}, {@code user.info} or {@code .key} (such as {@code
 * ssl.key.password}, {@code sasl.jaas.config}, {@code ssl.keystore.key}); inside a JAAS value,
 * every quoted {@code *password*}, {@code *secret*} or {@code *token*} option is secret on its own
 * too, so that a message quoting only that part is also hidden.
 *
 * <pre>{@code
 * Secrets s = Secrets.of(line.kafkaProperties());
 * err.println(s.redact(message));   // "... password=[hidden] ..."
 * }</pre>
 */
public final class Secrets {
    /** What a secret value is replaced with; the same marker Kafka's own client logging uses. */
    public static final String HIDDEN = "[hidden]";

    /** No secrets: redact returns its input. */
    public static final Secrets NONE = new Secrets(List.of());

    private static final Pattern SECRET_NAME =
            Pattern.compile(
                    "(?i)(password|secret|token|credentials?|jaas\\.config|user\\.info|\\.key)$");
    private static final Pattern JAAS_SECRET_OPTION =
            Pattern.compile("(?i)\\w*(?:password|secret|token)\\w*\\s*=\\s*\"([^\"]*)\"");

    /** Longest first, so that a whole JAAS value is hidden before the password inside it. */
    private final List<String> values;

    private Secrets(List<String> values) {
        this.values = values;
    }

    /** Whether a Kafka client setting of this name holds a secret. */
    public static boolean isSecret(String name) {
        return SECRET_NAME.matcher(name.strip()).find();
    }

    /**
     * The secret values among {@code kafkaProperties} (names without the {@code kafka.} prefix).
     */
    public static Secrets of(Properties kafkaProperties) {
        Set<String> found = new LinkedHashSet<>();
        for (String name : kafkaProperties.stringPropertyNames()) {
            if (!isSecret(name)) {
                continue;
            }
            String value = kafkaProperties.getProperty(name);
            found.add(value);
            Matcher m = JAAS_SECRET_OPTION.matcher(value);
            while (m.find()) {
                found.add(m.group(1));
            }
        }
        found.removeIf(String::isEmpty);
        return new Secrets(
                found.stream().sorted(Comparator.comparingInt(String::length).reversed()).toList());
    }

    /** {@code text} with every occurrence of a secret value replaced by {@link #HIDDEN}. */
    public String redact(String text) {
        if (text == null) {
            return null;
        }
        String out = text;
        for (String v : values) {
            out = out.replace(v, HIDDEN);
        }
        return out;
    }
}
