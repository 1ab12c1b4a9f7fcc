package io.modelmonitor.pipeline.cli;

import io.modelmonitor.pipeline.options.MonitorOptions;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.FallbackKey;

/**
 * The parsed arguments of one command: a Flink {@link Configuration} keyed by MonitorOptions plus
 * the Kafka pass-through properties.
 *
 * <p>Flags are {@code --name value} or {@code --name=value}; a boolean flag alone means true; a
 * list option (such as {@code --bundle}) may be repeated. Every value is parsed and validated here,
 * so a wrong flag stops the command before any work with a one-line message naming it.
 */
public final class CommandLine {
    public static final String KAFKA_PREFIX = "kafka.";

    private final Configuration config;
    private final Properties kafkaProperties;
    private final boolean help;

    private CommandLine(Configuration config, Properties kafkaProperties, boolean help) {
        this.config = config;
        this.kafkaProperties = kafkaProperties;
        this.help = help;
    }

    public Configuration config() {
        return config;
    }

    /** Kafka client properties given as {@code --kafka.<property> value}, without the prefix. */
    public Properties kafkaProperties() {
        return kafkaProperties;
    }

    public boolean helpRequested() {
        return help;
    }

    /** Parses {@code args} (everything after the command name) for {@code command}. */
    public static CommandLine parse(Command command, List<String> args) {
        Map<String, ConfigOption<?>> accepted = new LinkedHashMap<>();
        for (ConfigOption<?> o : command.options()) {
            accepted.put(o.key(), o);
            // A renamed flag keeps its former name working (--p-value for --alpha).
            for (FallbackKey former : o.fallbackKeys()) {
                accepted.put(former.getKey(), o);
            }
        }
        Map<String, List<String>> values = new LinkedHashMap<>();
        Properties kafka = new Properties();
        boolean help = false;
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (arg.equals("--help") || arg.equals("-h")) {
                help = true;
                continue;
            }
            if (!arg.startsWith("--") || arg.length() == 2) {
                throw new UsageException(
                        "unexpected argument '" + arg + "' (flags look like --name value)");
            }
            String name = arg.substring(2);
            String value = null;
            int eq = name.indexOf('=');
            if (eq >= 0) {
                value = name.substring(eq + 1);
                name = name.substring(0, eq);
            }
            if (name.startsWith(KAFKA_PREFIX) && command.acceptsKafkaProperties()) {
                if (value == null) {
                    value = nextValue(args, ++i, name);
                }
                kafka.setProperty(name.substring(KAFKA_PREFIX.length()), value);
                continue;
            }
            ConfigOption<?> option = accepted.get(name);
            if (option == null) {
                throw new UsageException(
                        "unknown flag --" + name + " for '" + command.name() + "' (see --help)");
            }
            if (value == null) {
                boolean bool = isBoolean(option);
                boolean hasValue = i + 1 < args.size() && !args.get(i + 1).startsWith("--");
                if (bool && (!hasValue || !isBooleanLiteral(args.get(i + 1)))) {
                    value = "true";
                } else {
                    value = nextValue(args, ++i, name);
                }
            }
            List<String> list = values.computeIfAbsent(option.key(), k -> new ArrayList<>());
            if (!list.isEmpty() && !isList(option)) {
                throw new UsageException("flag --" + option.key() + " given more than once");
            }
            list.add(value);
        }
        Configuration conf = new Configuration();
        for (Map.Entry<String, List<String>> e : values.entrySet()) {
            ConfigOption<?> option = accepted.get(e.getKey());
            String joined = isList(option) ? String.join(";", e.getValue()) : e.getValue().get(0);
            conf.setString(e.getKey(), joined);
            try {
                conf.get(option);
            } catch (IllegalArgumentException ex) {
                throw new UsageException(
                        "invalid value '"
                                + joined
                                + "' for --"
                                + e.getKey()
                                + ": "
                                + typeHint(option));
            }
        }
        if (!help) {
            for (ConfigOption<?> r : command.required()) {
                if (!conf.contains(r)) {
                    throw new UsageException(
                            "missing required flag --" + r.key() + " for '" + command.name() + "'");
                }
            }
            MonitorOptions.validate(conf);
        }
        return new CommandLine(conf, kafka, help);
    }

    private static String nextValue(List<String> args, int i, String name) {
        if (i >= args.size()) {
            throw new UsageException("flag --" + name + " needs a value");
        }
        return args.get(i);
    }

    private static boolean isBooleanLiteral(String s) {
        return s.equalsIgnoreCase("true") || s.equalsIgnoreCase("false");
    }

    static boolean isBoolean(ConfigOption<?> o) {
        return typeOf(o) == Boolean.class;
    }

    static boolean isList(ConfigOption<?> o) {
        return Boolean.TRUE.equals(reflect(o, "isList", false));
    }

    static Class<?> typeOf(ConfigOption<?> o) {
        return (Class<?>) reflect(o, "getClazz", String.class);
    }

    /**
     * ConfigOption keeps its type package-private; the CLI needs it to parse and document flags.
     */
    private static Object reflect(ConfigOption<?> o, String method, Object fallback) {
        try {
            var m = ConfigOption.class.getDeclaredMethod(method);
            m.setAccessible(true);
            return m.invoke(o);
        } catch (ReflectiveOperationException e) {
            return fallback;
        }
    }

    /** What a value of this option looks like, for help and error messages. */
    static String typeHint(ConfigOption<?> o) {
        Class<?> c = typeOf(o);
        String base;
        if (c.isEnum()) {
            base =
                    "one of "
                            + java.util.Arrays.stream(c.getEnumConstants())
                                    .map(x -> x.toString().toLowerCase())
                                    .collect(Collectors.joining(", "));
        } else if (c == java.time.Duration.class) {
            base = "a duration such as 30s, 5m, 1h, 7d";
        } else if (c == Integer.class || c == Long.class) {
            base = "an integer";
        } else if (c == Double.class || c == Float.class) {
            base = "a number";
        } else if (c == Boolean.class) {
            base = "true or false";
        } else {
            base = "a string";
        }
        return isList(o) ? base + " (repeatable)" : base;
    }

    /** Help text: one block per accepted option, with its default. */
    public static String help(Command command) {
        StringBuilder sb = new StringBuilder();
        sb.append("usage: monitor ")
                .append(command.name())
                .append(" [flags]\n\n")
                .append(command.summary())
                .append("\n\n");
        if (!command.details().isEmpty()) {
            sb.append(command.details()).append("\n\n");
        }
        sb.append("flags:\n");
        List<ConfigOption<?>> opts = new ArrayList<>(command.options());
        for (ConfigOption<?> o : opts) {
            sb.append("  --").append(o.key());
            if (!isBoolean(o)) {
                sb.append(" <").append(typeHint(o)).append('>');
            }
            if (command.required().contains(o)) {
                sb.append("  (required)");
            } else if (o.hasDefaultValue()) {
                sb.append("  (default: ").append(defaultText(o)).append(')');
            }
            sb.append("\n      ")
                    .append(o.description().toString().isEmpty() ? "" : descriptionText(o))
                    .append('\n');
        }
        if (command.acceptsKafkaProperties()) {
            sb.append(
                    "  --kafka.<property> <value>\n      Any Kafka client setting, passed to every source and sink "
                            + "(security.protocol, sasl.*, ssl.*, ...).\n");
        }
        sb.append("  --help\n      Show this help.\n");
        return sb.toString();
    }

    /** The default of an option as a user would type it. */
    public static String defaultText(ConfigOption<?> o) {
        Object d = o.defaultValue();
        if (d instanceof java.time.Duration) {
            return org.apache.flink.util.TimeUtils.formatWithHighestUnit((java.time.Duration) d);
        }
        if (d instanceof Enum) {
            return d.toString().toLowerCase();
        }
        if (d instanceof List) {
            return ((List<?>) d).stream().map(String::valueOf).collect(Collectors.joining(";"));
        }
        return String.valueOf(d);
    }

    /** The plain-text description of an option. */
    public static String descriptionText(ConfigOption<?> o) {
        return new org.apache.flink.configuration.description.HtmlFormatter()
                .format(o.description())
                .replaceAll("<[^>]+>", "");
    }

    /** The options of {@link MonitorOptions} in declaration order, filtered to those given. */
    public static List<ConfigOption<?>> ordered(ConfigOption<?>... options) {
        List<ConfigOption<?>> wanted = List.of(options);
        List<ConfigOption<?>> out = new ArrayList<>();
        for (ConfigOption<?> o : MonitorOptions.all()) {
            if (wanted.contains(o)) {
                out.add(o);
            }
        }
        return Collections.unmodifiableList(out);
    }
}
