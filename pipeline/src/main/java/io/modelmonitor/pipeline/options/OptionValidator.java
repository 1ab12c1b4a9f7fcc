package io.modelmonitor.pipeline.options;

import org.apache.flink.configuration.ReadableConfig;

/**
 * The check of one option's value, declared with the option (as flink-ml's {@code ParamValidator}
 * is with its {@code Param}), so that an option's type, default, meaning and accepted values are
 * read in one place. Common checks are in {@link OptionValidators}.
 *
 * @param <T> the option's type
 */
@FunctionalInterface
public interface OptionValidator<T> {
    /**
     * What is wrong with {@code value}, as the rest of a sentence that starts with the flag ("must
     * be at least 1"), or null when the value is fine. {@code conf} is there for the few options
     * whose accepted values depend on another option.
     */
    String problem(T value, ReadableConfig conf);
}
