package io.modelmonitor.pipeline.options;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/**
 * The checks options share; an option with a check of its own writes it as a lambda at its
 * declaration.
 */
public final class OptionValidators {
    private OptionValidators() {}

    /** An integer no less than {@code min}. */
    public static OptionValidator<Number> atLeast(long min) {
        return (v, conf) -> v.longValue() >= min ? null : "must be at least " + min;
    }

    /** An integer from {@code min} to {@code max}, both included. */
    public static OptionValidator<Number> between(long min, long max) {
        return (v, conf) ->
                v.longValue() >= min && v.longValue() <= max
                        ? null
                        : "must be between " + min + " and " + max;
    }

    /** One of the given integers. */
    public static OptionValidator<Number> oneOf(long... allowed) {
        return (v, conf) ->
                Arrays.stream(allowed).anyMatch(a -> a == v.longValue())
                        ? null
                        : "must be "
                                + String.join(
                                        " or ",
                                        Arrays.stream(allowed).mapToObj(Long::toString).toList());
    }

    /** A number in an interval; {@code (0, 1]} is {@code inInterval(0, false, 1, true)}. */
    public static OptionValidator<Double> inInterval(
            double low, boolean lowIncluded, double high, boolean highIncluded) {
        String interval =
                (lowIncluded ? "[" : "(")
                        + format(low)
                        + ", "
                        + format(high)
                        + (highIncluded ? "]" : ")");
        return (v, conf) ->
                (lowIncluded ? v >= low : v > low) && (highIncluded ? v <= high : v < high)
                        ? null
                        : "must be in " + interval + ", got " + v;
    }

    /** A finite number above zero. */
    public static OptionValidator<Double> positiveNumber() {
        return (v, conf) -> v > 0 && Double.isFinite(v) ? null : "must be a positive number";
    }

    /** A duration above zero. */
    public static OptionValidator<Duration> positive() {
        return (v, conf) -> !v.isNegative() && !v.isZero() ? null : "must be positive";
    }

    /** A duration of zero or more. */
    public static OptionValidator<Duration> notNegative() {
        return (v, conf) -> !v.isNegative() ? null : "must not be negative";
    }

    /** A TCP port a server can listen on. */
    public static OptionValidator<Number> tcpPort() {
        return (v, conf) ->
                v.intValue() > 0 && v.intValue() < 65536 ? null : "must be a TCP port (1-65535)";
    }

    /** A string option with one of the {@code allowed} values. */
    public static OptionValidator<String> oneOfValues(List<String> allowed) {
        return (v, conf) ->
                allowed.contains(v)
                        ? null
                        : "must be one of " + String.join(", ", allowed) + ", got '" + v + "'";
    }

    /** Every value of a list option one of {@code allowed}. */
    public static OptionValidator<List<String>> each(List<String> allowed) {
        return (v, conf) ->
                v.stream()
                        .filter(s -> !allowed.contains(s))
                        .findFirst()
                        .map(
                                s ->
                                        "has unknown value '"
                                                + s
                                                + "' ("
                                                + String.join(", ", allowed)
                                                + ")")
                        .orElse(null);
    }

    private static String format(double d) {
        return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
    }
}
