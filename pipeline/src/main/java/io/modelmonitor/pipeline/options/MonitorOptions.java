package io.modelmonitor.pipeline.options;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ReadableConfig;

/**
 * Every tunable of Model Monitor: the register of the options declared in {@link SharedOptions}
 * (accepted by several commands) and in the class of each command ({@link FitOptions}, {@link
 * RunOptions}, {@link DriftOptions}, {@link BenchOptions}, {@link DemoOptions}).
 *
 * <p>The option key is the command-line flag without its leading dashes ({@code window-size} is
 * {@code --window-size}); the CLI, {@code flink run} arguments and the Kubernetes manifests all go
 * through these declarations, and the README's flag table is generated from them. Kafka client
 * settings are not options here: they pass through as {@code --kafka.<property> value}.
 *
 * <pre>{@code
 * Configuration conf = Configuration.fromMap(Map.of("window-size", "5m"));
 * MonitorOptions.validate(conf);
 * Duration size = conf.get(RunOptions.WINDOW_SIZE);
 * }</pre>
 */
public final class MonitorOptions {
    private MonitorOptions() {}

    /** The classes that declare options, in the order of the README's flag table. */
    private static final List<Class<?>> DECLARING =
            List.of(
                    SharedOptions.class,
                    FitOptions.class,
                    RunOptions.class,
                    DriftOptions.class,
                    BenchOptions.class,
                    DemoOptions.class);

    private static final Map<ConfigOption<?>, OptionValidator<?>> VALIDATORS =
            new ConcurrentHashMap<>();

    /** Declares an option whose every value of its type is accepted. */
    static <T> ConfigOption<T> declare(ConfigOption<T> option) {
        return declare(option, (value, conf) -> null);
    }

    /** Declares an option and the check of its values. */
    static <T> ConfigOption<T> declare(
            ConfigOption<T> option, OptionValidator<? super T> validator) {
        VALIDATORS.put(option, validator);
        return option;
    }

    /** Every option, grouped by declaring class, each group in declaration order. */
    public static List<ConfigOption<?>> all() {
        List<ConfigOption<?>> out = new ArrayList<>();
        for (Class<?> holder : DECLARING) {
            out.addAll(declaredIn(holder));
        }
        return Collections.unmodifiableList(out);
    }

    /** The options one class declares, in declaration order. */
    public static List<ConfigOption<?>> declaredIn(Class<?> holder) {
        List<ConfigOption<?>> out = new ArrayList<>();
        for (Field f : holder.getDeclaredFields()) {
            if (Modifier.isStatic(f.getModifiers())
                    && ConfigOption.class.isAssignableFrom(f.getType())) {
                try {
                    out.add((ConfigOption<?>) f.get(null));
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        return out;
    }

    /**
     * Checks every option that has a value (given or default) with the validator declared with it.
     *
     * @throws ConfigurationException with a one-line message naming the flag
     */
    public static void validate(ReadableConfig conf) {
        for (ConfigOption<?> option : all()) {
            check(option, conf);
        }
    }

    private static <T> void check(ConfigOption<T> option, ReadableConfig conf) {
        T value =
                option.hasDefaultValue() ? conf.get(option) : conf.getOptional(option).orElse(null);
        if (value == null) {
            return;
        }
        @SuppressWarnings("unchecked")
        OptionValidator<? super T> validator = (OptionValidator<? super T>) VALIDATORS.get(option);
        String problem = validator.problem(value, conf);
        if (problem != null) {
            throw new ConfigurationException("--" + option.key() + " " + problem);
        }
    }
}
