package io.modelmonitor.models.tabular;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.modelmonitor.detectors.univariate.ColumnDriftTester;
import io.modelmonitor.detectors.univariate.QuantileBins;
import java.io.IOException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The columns of a tabular model's input, as the reference showed them: per column its type, the
 * categories seen and their counts, the missing rate, and for numbers range, mean, standard
 * deviation and quantiles. Fitted by {@link #infer}; kept in the bundle as {@code schema.json}
 * (docs/data-contracts.md).
 *
 * <p>It turns a record's {@link NamedValues} into two vectors (docs/statistics.md):
 *
 * <ul>
 *   <li>{@link #encode}: one coded cell per column, the form the per-column tests take ({@link
 *       ColumnDriftTester}): a number, a category's index in {@link Column#categories} ({@link
 *       ColumnDriftTester#UNSEEN} for a new one), NaN when missing, +∞ for a type mismatch.
 *   <li>{@link #vector}: the input of the multivariate (MMD) test: per numeric column its value
 *       standardised by the reference's mean and standard deviation (0 when missing) and a missing
 *       indicator; per categorical column a one-hot of its {@value #ONE_HOT_LIMIT} most frequent
 *       reference categories, {@value #HASH_BUCKETS} hashed buckets for the rest of the reference's
 *       categories (only when there are more), an "unseen" indicator and a missing indicator.
 * </ul>
 *
 * <pre>{@code
 * TableSchema schema = TableSchema.infer(referenceRecords, Map.of("zip", ColumnType.CATEGORICAL));
 * double[] cells = schema.encode(record);
 * double[] mmdInput = schema.vector(cells);
 * }</pre>
 */
public final class TableSchema implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Categories one-hot encoded per column, most frequent first. */
    public static final int ONE_HOT_LIMIT = 20;

    /** Hashed buckets for a column's categories beyond {@link #ONE_HOT_LIMIT}. */
    public static final int HASH_BUCKETS = 8;

    /** Quantile levels kept per numeric column. */
    public static final double[] QUANTILES = {0.01, 0.05, 0.25, 0.5, 0.75, 0.95, 0.99};

    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<Column> columns;
    private final int[] offsets;
    private final int dimension;
    private final HashMap<String, Integer> index = new HashMap<>();

    private TableSchema(List<Column> columns) {
        this.columns = List.copyOf(columns);
        this.offsets = new int[columns.size()];
        int d = 0;
        for (int j = 0; j < columns.size(); j++) {
            offsets[j] = d;
            d += columns.get(j).width();
        }
        this.dimension = d;
        for (int j = 0; j < columns.size(); j++) {
            index.put(columns.get(j).name, j);
        }
    }

    /** One column of the schema. */
    public static final class Column implements Serializable {
        private static final long serialVersionUID = 1L;

        public final String name;
        public final ColumnType type;

        /** Reference rows, and those without a value or with a value of another type. */
        public final long rows;

        public final long missing;
        public final long typeMismatches;

        /** Categorical and boolean columns: categories, most frequent first, and their counts. */
        public final List<String> categories;

        public final long[] counts;

        /** Numeric columns: range, mean, standard deviation, {@link #QUANTILES}; NaN otherwise. */
        public final double min;

        public final double max;
        public final double mean;
        public final double sd;
        public final double[] quantiles;

        private final HashMap<String, Integer> codes = new HashMap<>();

        Column(
                String name,
                ColumnType type,
                long rows,
                long missing,
                long typeMismatches,
                List<String> categories,
                long[] counts,
                double[] moments,
                double[] quantiles) {
            this.name = name;
            this.type = type;
            this.rows = rows;
            this.missing = missing;
            this.typeMismatches = typeMismatches;
            this.categories = List.copyOf(categories);
            this.counts = counts.clone();
            this.min = moments[0];
            this.max = moments[1];
            this.mean = moments[2];
            this.sd = moments[3];
            this.quantiles = quantiles.clone();
            for (int k = 0; k < this.categories.size(); k++) {
                codes.put(this.categories.get(k), k);
            }
        }

        public boolean categorical() {
            return type != ColumnType.NUMERIC;
        }

        /** The reference's share of rows without a value. */
        public double missingRate() {
            return rows == 0 ? 0 : (double) missing / rows;
        }

        /** Width of this column in {@link TableSchema#vector}. */
        int width() {
            if (!categorical()) {
                return 2;
            }
            int k = categories.size();
            return Math.min(k, ONE_HOT_LIMIT) + (k > ONE_HOT_LIMIT ? HASH_BUCKETS : 0) + 2;
        }
    }

    /** The column names, in column order. */
    public List<String> names() {
        return columns.stream().map(c -> c.name).toList();
    }

    public int size() {
        return columns.size();
    }

    public Column column(int j) {
        return columns.get(j);
    }

    /** Which columns are categorical (booleans included). */
    public boolean[] categorical() {
        boolean[] out = new boolean[columns.size()];
        for (int j = 0; j < out.length; j++) {
            out[j] = columns.get(j).categorical();
        }
        return out;
    }

    /** Width of {@link #vector}. */
    public int vectorDimension() {
        return dimension;
    }

    /** The index of the column named {@code name}, or -1. */
    public int indexOf(String name) {
        return index.getOrDefault(name, -1);
    }

    /** How many of the record's names are columns of this schema. */
    public int knownColumns(NamedValues v) {
        int known = 0;
        for (String name : v.names) {
            if (indexOf(name) >= 0) {
                known++;
            }
        }
        return known;
    }

    /**
     * Infers the schema of reference records. A column's type: categorical when any of its values
     * is a string (or it mixes numbers and booleans, or has no value at all), boolean when all its
     * values are booleans, numeric when all are numbers; {@code overrides} replace the inferred
     * type by name (e.g. an integer code that is really a category).
     *
     * @throws IllegalArgumentException without records, or when an override names no column
     */
    public static TableSchema infer(List<NamedValues> records, Map<String, ColumnType> overrides) {
        if (records.isEmpty()) {
            throw new IllegalArgumentException("no records to infer a schema from");
        }
        Map<String, int[]> kinds = new LinkedHashMap<>(); // numbers, strings, booleans
        for (NamedValues v : records) {
            for (int i = 0; i < v.size(); i++) {
                int[] k = kinds.computeIfAbsent(v.names[i], n -> new int[3]);
                switch (v.kinds[i]) {
                    case NamedValues.NUMBER -> k[0]++;
                    case NamedValues.STRING -> k[1]++;
                    case NamedValues.BOOLEAN -> k[2]++;
                    default -> {}
                }
            }
        }
        for (String name : overrides.keySet()) {
            if (!kinds.containsKey(name)) {
                throw new IllegalArgumentException(
                        "the schema override names column '"
                                + name
                                + "', which no reference record has (columns: "
                                + String.join(", ", kinds.keySet())
                                + ")");
            }
        }
        List<String> names = new ArrayList<>(kinds.keySet());
        Map<String, Integer> position = new HashMap<>();
        ColumnType[] types = new ColumnType[names.size()];
        for (int j = 0; j < types.length; j++) {
            position.put(names.get(j), j);
            int[] k = kinds.get(names.get(j));
            ColumnType type = overrides.get(names.get(j));
            types[j] =
                    type != null
                            ? type
                            : k[1] == 0 && k[2] == 0 && k[0] > 0
                                    ? ColumnType.NUMERIC
                                    : k[0] == 0 && k[1] == 0 && k[2] > 0
                                            ? ColumnType.BOOLEAN
                                            : ColumnType.CATEGORICAL;
        }
        ColumnFit[] fits = new ColumnFit[types.length];
        for (int j = 0; j < fits.length; j++) {
            fits[j] = new ColumnFit(types[j], records.size());
        }
        for (NamedValues v : records) {
            for (int i = 0; i < v.size(); i++) {
                fits[position.get(v.names[i])].add(v.kinds[i], v.numbers[i], v.strings[i]);
            }
        }
        List<Column> columns = new ArrayList<>();
        for (int j = 0; j < fits.length; j++) {
            columns.add(fits[j].column(names.get(j), records.size()));
        }
        return new TableSchema(columns);
    }

    /** One column's figures, gathered in one pass over the records. */
    private static final class ColumnFit {
        final ColumnType type;
        long present;
        long mismatched;
        final Map<String, Long> counts = new HashMap<>();
        final double[] values;
        int n;

        ColumnFit(ColumnType type, int rows) {
            this.type = type;
            this.values = new double[type == ColumnType.NUMERIC ? rows : 0];
        }

        void add(byte kind, double number, String string) {
            if (kind == NamedValues.NULL) {
                return;
            }
            present++;
            if (type == ColumnType.NUMERIC) {
                if (kind == NamedValues.NUMBER) {
                    values[n++] = number;
                } else {
                    mismatched++;
                }
                return;
            }
            String category = category(type, kind, number, string);
            if (category == null) {
                mismatched++;
            } else {
                counts.merge(category, 1L, Long::sum);
            }
        }

        /** The column, a record without a value (null or absent) counting as missing. */
        Column column(String name, long rows) {
            List<String> categories = new ArrayList<>(counts.keySet());
            categories.sort(
                    Comparator.comparing((String c) -> -counts.get(c))
                            .thenComparing(Comparator.naturalOrder()));
            long[] categoryCounts = categories.stream().mapToLong(counts::get).toArray();
            double[] moments = {Double.NaN, Double.NaN, Double.NaN, Double.NaN};
            double[] quantiles = new double[0];
            if (type == ColumnType.NUMERIC && n > 0) {
                double[] sorted = Arrays.copyOf(values, n);
                Arrays.sort(sorted);
                double mean = Arrays.stream(sorted).sum() / n;
                double squares = 0;
                for (double x : sorted) {
                    squares += (x - mean) * (x - mean);
                }
                moments =
                        new double[] {
                            sorted[0], sorted[n - 1], mean, n > 1 ? Math.sqrt(squares / (n - 1)) : 0
                        };
                quantiles = new double[QUANTILES.length];
                for (int q = 0; q < QUANTILES.length; q++) {
                    quantiles[q] = QuantileBins.quantileSorted(sorted, QUANTILES[q]);
                }
            }
            return new Column(
                    name,
                    type,
                    rows,
                    rows - present,
                    mismatched,
                    categories,
                    categoryCounts,
                    moments,
                    quantiles);
        }
    }

    /**
     * The category a value stands for in a categorical or boolean column, or null when the column
     * cannot take it: categorical columns read numbers and booleans as their text (an integral
     * number without a decimal point), boolean columns take booleans only.
     */
    static String category(ColumnType type, byte kind, double number, String string) {
        if (type == ColumnType.BOOLEAN) {
            return kind == NamedValues.BOOLEAN ? (number != 0 ? "true" : "false") : null;
        }
        return switch (kind) {
            case NamedValues.STRING -> string;
            case NamedValues.BOOLEAN -> number != 0 ? "true" : "false";
            case NamedValues.NUMBER -> numberText(number);
            default -> null;
        };
    }

    static String numberText(double x) {
        if (x == Math.rint(x) && Math.abs(x) < 1e15) {
            return Long.toString((long) x);
        }
        return Double.toString(x);
    }

    /**
     * The record as coded cells, one per column ({@link ColumnDriftTester}): values of names that
     * are no column are ignored; a column the record lacks is missing.
     */
    public double[] encode(NamedValues v) {
        double[] row = new double[columns.size()];
        Arrays.fill(row, ColumnDriftTester.MISSING);
        for (int i = 0; i < v.size(); i++) {
            int j = indexOf(v.names[i]);
            if (j < 0 || v.kinds[i] == NamedValues.NULL) {
                continue;
            }
            Column c = columns.get(j);
            if (c.type == ColumnType.NUMERIC) {
                row[j] =
                        v.kinds[i] == NamedValues.NUMBER
                                ? v.numbers[i]
                                : ColumnDriftTester.TYPE_MISMATCH;
            } else {
                String category = category(c.type, v.kinds[i], v.numbers[i], v.strings[i]);
                row[j] = category == null ? ColumnDriftTester.TYPE_MISMATCH : code(c, category);
            }
        }
        return row;
    }

    private static double code(Column c, String category) {
        Integer k = c.codes.get(category);
        return k == null ? ColumnDriftTester.UNSEEN : k;
    }

    /** The input of the multivariate test for coded cells (see the class comment). */
    public double[] vector(double[] cells) {
        double[] out = new double[dimension];
        for (int j = 0; j < columns.size(); j++) {
            Column c = columns.get(j);
            int at = offsets[j];
            double x = cells[j];
            boolean absent = !Double.isFinite(x);
            if (!c.categorical()) {
                double sd = c.sd > 0 ? c.sd : 1;
                out[at] = absent || !Double.isFinite(c.mean) ? 0 : (x - c.mean) / sd;
                out[at + 1] = absent ? 1 : 0;
                continue;
            }
            int k = c.categories.size();
            int oneHot = Math.min(k, ONE_HOT_LIMIT);
            int hashed = k > ONE_HOT_LIMIT ? HASH_BUCKETS : 0;
            if (absent) {
                out[at + oneHot + hashed + 1] = 1;
            } else if (x == ColumnDriftTester.UNSEEN) {
                out[at + oneHot + hashed] = 1;
            } else if (x < ONE_HOT_LIMIT) {
                out[at + (int) x] = 1;
            } else {
                String category = c.categories.get((int) x);
                out[at + oneHot + Math.floorMod(category.hashCode(), HASH_BUCKETS)] = 1;
            }
        }
        return out;
    }

    /** {@link #vector} of every row. */
    public double[][] vectors(double[][] cells) {
        double[][] out = new double[cells.length][];
        for (int i = 0; i < cells.length; i++) {
            out[i] = vector(cells[i]);
        }
        return out;
    }

    /**
     * Per column, the coordinate of {@link #vector} with the largest |value| among {@code
     * coordinates} (one value per coordinate, e.g. a witness-weighted mean shift), signed; NaN for
     * a column whose coordinates are all NaN.
     */
    public double[] perColumn(double[] coordinates) {
        double[] out = new double[columns.size()];
        for (int j = 0; j < out.length; j++) {
            double best = Double.NaN;
            for (int at = offsets[j]; at < offsets[j] + columns.get(j).width(); at++) {
                double v = coordinates[at];
                if (Double.isFinite(v) && (Double.isNaN(best) || Math.abs(v) > Math.abs(best))) {
                    best = v;
                }
            }
            out[j] = best;
        }
        return out;
    }

    /** Per column, the reference's smallest number (−∞ for categorical columns). */
    public double[] min() {
        return columns.stream()
                .mapToDouble(c -> c.categorical() ? Double.NEGATIVE_INFINITY : c.min)
                .toArray();
    }

    /** Per column, the reference's largest number (+∞ for categorical columns). */
    public double[] max() {
        return columns.stream()
                .mapToDouble(c -> c.categorical() ? Double.POSITIVE_INFINITY : c.max)
                .toArray();
    }

    /** The schema as {@code schema.json} holds it (docs/data-contracts.md). */
    public String toJson() {
        ObjectNode root = JSON.createObjectNode();
        root.put("format_version", 1);
        ObjectNode encoding = root.putObject("encoding");
        encoding.put("one_hot_limit", ONE_HOT_LIMIT);
        encoding.put("hash_buckets", HASH_BUCKETS);
        encoding.put("vector_dimension", dimension);
        ArrayNode cols = root.putArray("columns");
        for (Column c : columns) {
            ObjectNode o = cols.addObject();
            o.put("name", c.name);
            o.put("type", c.type.label());
            o.put("rows", c.rows);
            o.put("missing", c.missing);
            o.put("missing_rate", c.missingRate());
            o.put("type_mismatches", c.typeMismatches);
            if (c.categorical()) {
                ArrayNode cats = o.putArray("categories");
                for (int k = 0; k < c.categories.size(); k++) {
                    cats.addObject()
                            .put("value", c.categories.get(k))
                            .put("count", c.counts[k])
                            .put(
                                    "frequency",
                                    (double) c.counts[k] / Math.max(1, c.rows - c.missing));
                }
            } else if (Double.isFinite(c.mean)) {
                o.put("min", c.min);
                o.put("max", c.max);
                o.put("mean", c.mean);
                o.put("sd", c.sd);
                ObjectNode q = o.putObject("quantiles");
                for (int k = 0; k < QUANTILES.length; k++) {
                    q.put(quantileName(QUANTILES[k]), c.quantiles[k]);
                }
            }
        }
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String quantileName(double q) {
        return String.format(Locale.ROOT, "p%02d", Math.round(q * 100));
    }

    /**
     * Reads {@link #toJson}'s form.
     *
     * @throws IllegalArgumentException when it is not a schema
     */
    public static TableSchema fromJson(String json) {
        try {
            JsonNode root = JSON.readTree(json);
            List<Column> columns = new ArrayList<>();
            for (JsonNode o : root.path("columns")) {
                ColumnType type = ColumnType.parse(o.path("type").asText());
                List<String> categories = new ArrayList<>();
                List<Long> counts = new ArrayList<>();
                for (JsonNode cat : o.path("categories")) {
                    categories.add(cat.path("value").asText());
                    counts.add(cat.path("count").asLong());
                }
                double[] moments = {Double.NaN, Double.NaN, Double.NaN, Double.NaN};
                double[] quantiles = new double[0];
                if (o.has("mean")) {
                    moments =
                            new double[] {
                                o.path("min").asDouble(),
                                o.path("max").asDouble(),
                                o.path("mean").asDouble(),
                                o.path("sd").asDouble()
                            };
                    quantiles = new double[QUANTILES.length];
                    for (int k = 0; k < QUANTILES.length; k++) {
                        quantiles[k] =
                                o.path("quantiles").path(quantileName(QUANTILES[k])).asDouble();
                    }
                }
                String name = o.path("name").asText(null);
                if (name == null) {
                    throw new IllegalArgumentException("a column without a name");
                }
                columns.add(
                        new Column(
                                name,
                                type,
                                o.path("rows").asLong(),
                                o.path("missing").asLong(),
                                o.path("type_mismatches").asLong(),
                                categories,
                                counts.stream().mapToLong(Long::longValue).toArray(),
                                moments,
                                quantiles));
            }
            if (columns.isEmpty()) {
                throw new IllegalArgumentException("no columns");
            }
            return new TableSchema(columns);
        } catch (IOException e) {
            throw new IllegalArgumentException("not JSON: " + e.getMessage(), e);
        }
    }

    /**
     * Column types given by a small schema file: {@code {"columns": {"zip": "categorical", ...}}}.
     *
     * @throws IllegalArgumentException when it is not of that form
     */
    public static Map<String, ColumnType> readOverrides(String json) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (IOException e) {
            throw new IllegalArgumentException("not JSON: " + e.getMessage(), e);
        }
        JsonNode cols = root == null ? null : root.get("columns");
        if (cols == null || !cols.isObject()) {
            throw new IllegalArgumentException(
                    "expected {\"columns\": {\"NAME\": \"numeric|categorical|boolean\", ...}}");
        }
        Map<String, ColumnType> out = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = cols.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            out.put(e.getKey(), ColumnType.parse(e.getValue().asText()));
        }
        return out;
    }
}
