package io.modelmonitor.models.tabular;

import java.util.Locale;

/** The type of a table column: how its values are read, tested and encoded. */
public enum ColumnType {
    /** Numbers; tested by their distribution, standardised for the multivariate test. */
    NUMERIC,
    /** Strings (numbers read as their text); tested by category counts, one-hot encoded. */
    CATEGORICAL,
    /** true / false, as a categorical column with those two categories. */
    BOOLEAN;

    /**
     * The name in schema files and reports: {@code numeric}, {@code categorical}, {@code boolean}.
     */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The type named {@code label} (case-insensitive). */
    public static ColumnType parse(String label) {
        for (ColumnType t : values()) {
            if (t.label().equalsIgnoreCase(label)) {
                return t;
            }
        }
        throw new IllegalArgumentException(
                "unknown column type '" + label + "': numeric, categorical or boolean");
    }
}
