package io.modelmonitor.models.tabular;

import java.util.Arrays;
import java.util.Objects;

/**
 * The named input values of one tabular record, as read: each value a number, a string, a boolean
 * or null (missing). Parallel arrays, so that Flink serializes it as a POJO (no maps, no Kryo).
 *
 * <pre>{@code
 * NamedValues v = new NamedValues();
 * v.add("age", NamedValues.NUMBER, 41, null);
 * v.add("country", NamedValues.STRING, Double.NaN, "DE");
 * }</pre>
 */
public class NamedValues {
    public static final byte NULL = 0;
    public static final byte NUMBER = 1;
    public static final byte STRING = 2;

    /** A boolean: {@link #numbers} holds 1 for true, 0 for false. */
    public static final byte BOOLEAN = 3;

    public String[] names = new String[0];

    /** {@link #NULL}, {@link #NUMBER}, {@link #STRING} or {@link #BOOLEAN} per value. */
    public byte[] kinds = new byte[0];

    /** Numbers and booleans; NaN otherwise. */
    public double[] numbers = new double[0];

    /** Strings; null otherwise. */
    public String[] strings = new String[0];

    public NamedValues() {}

    /** Room for {@code size} values, all null until {@link #set}. */
    public NamedValues(int size) {
        names = new String[size];
        kinds = new byte[size];
        numbers = new double[size];
        strings = new String[size];
    }

    /** Sets value {@code i} (of a {@link #NamedValues(int)}). */
    public void set(int i, String name, byte kind, double number, String string) {
        names[i] = name;
        kinds[i] = kind;
        numbers[i] = number;
        strings[i] = string;
    }

    /** Appends one value (copies the arrays: for building small records, not for parsing). */
    public NamedValues add(String name, byte kind, double number, String string) {
        int n = names.length;
        names = Arrays.copyOf(names, n + 1);
        kinds = Arrays.copyOf(kinds, n + 1);
        numbers = Arrays.copyOf(numbers, n + 1);
        strings = Arrays.copyOf(strings, n + 1);
        names[n] = name;
        kinds[n] = kind;
        numbers[n] = number;
        strings[n] = string;
        return this;
    }

    public int size() {
        return names.length;
    }

    /** The index of the value named {@code name}, or -1. */
    public int indexOf(String name) {
        for (int i = 0; i < names.length; i++) {
            if (names[i].equals(name)) {
                return i;
            }
        }
        return -1;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof NamedValues)) {
            return false;
        }
        NamedValues v = (NamedValues) o;
        return Arrays.equals(names, v.names)
                && Arrays.equals(kinds, v.kinds)
                && Arrays.equals(numbers, v.numbers)
                && Arrays.equals(strings, v.strings);
    }

    @Override
    public int hashCode() {
        return Objects.hash(Arrays.hashCode(names), Arrays.hashCode(kinds));
    }
}
