package io.modelmonitor.pipeline.report;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

/**
 * One report record (docs/data-contracts.md) as the HTML report needs it: a model's window with
 * whatever results it carries.
 *
 * <p>Every part of a report is optional here, because real streams have windows with too few events
 * ({@code insufficient}, no tests), models without labels (no {@code performance}), and models
 * without predictions or scores (no prediction drift). A missing number is {@code NaN}, which the
 * charts draw as a gap rather than as zero.
 */
record WindowReport(
        String model,
        Instant windowStart,
        Instant windowEnd,
        long revision,
        long count,
        boolean insufficient,
        double mmdPValue,
        boolean mmdDrift,
        double predictionPValue,
        String predictionTest,
        boolean predictionDrift,
        double outlierRate,
        double outlierExpectedRate,
        double outlierPValue,
        double accuracy,
        double estimatedAccuracy,
        double referenceAccuracy,
        double coverage,
        long labelled,
        long lateEvents,
        long deadLetters,
        double mae,
        double rmse,
        double referenceMae,
        Exemplars exemplars) {

    /**
     * One named event (by id) or reference row (by index) with its witness value or outlier score.
     */
    record Named(String name, double value) {}

    /**
     * What the window's report names for a person to open: its MMD witness exemplars, the reference
     * rows it lacks most, and its highest outlier scores (docs/data-contracts.md); empty lists when
     * the report has none.
     */
    record Exemplars(
            java.util.List<Named> window,
            java.util.List<Named> reference,
            java.util.List<Named> outliers,
            java.util.List<Named> features,
            java.util.List<Named> components,
            java.util.List<Column> columns) {
        static final Exemplars NONE =
                new Exemplars(
                        java.util.List.of(),
                        java.util.List.of(),
                        java.util.List.of(),
                        java.util.List.of(),
                        java.util.List.of(),
                        java.util.List.of());

        boolean isEmpty() {
            return window.isEmpty()
                    && reference.isEmpty()
                    && outliers.isEmpty()
                    && features.isEmpty()
                    && components.isEmpty()
                    && columns.isEmpty();
        }

        static Exemplars fromJson(JsonNode mmd, JsonNode outliers, JsonNode features) {
            return new Exemplars(
                    named(mmd.path("exemplars"), "witness", "reference row "),
                    named(mmd.path("reference_exemplars"), "witness", ""),
                    named(outliers.path("top"), "score", "reference row "),
                    named(mmd.path("feature_shifts"), "shift", "feature "),
                    named(mmd.path("component_shifts"), "shift", "component "),
                    Column.fromJson(features));
        }

        /** Entries named by id, or by {@code indexPrefix} and their index. */
        private static java.util.List<Named> named(
                JsonNode list, String valueField, String indexPrefix) {
            java.util.List<Named> out = new java.util.ArrayList<>();
            if (list.isArray()) {
                for (JsonNode e : list) {
                    String name =
                            e.hasNonNull("name")
                                    ? e.get("name").asText()
                                    : e.hasNonNull("id")
                                            ? e.get("id").asText()
                                            : e.hasNonNull("index")
                                                    ? indexPrefix + e.get("index").asText()
                                                    : null;
                    if (name != null) {
                        out.add(new Named(name, number(e, valueField)));
                    }
                }
            }
            return java.util.List.copyOf(out);
        }
    }

    /**
     * One named feature's results in a window (tabular models): its test, and the data-quality
     * rates against the reference's.
     */
    record Column(
            String name,
            String type,
            String test,
            double adjustedPValue,
            boolean drift,
            double missingRate,
            double referenceMissingRate,
            double unseenRate,
            double outOfRangeRate,
            double typeMismatchRate) {

        /** The named entries of a report's {@code drift.features}. */
        static java.util.List<Column> fromJson(JsonNode features) {
            java.util.List<Column> out = new java.util.ArrayList<>();
            for (JsonNode f : features) {
                if (f.hasNonNull("name")) {
                    out.add(
                            new Column(
                                    f.get("name").asText(),
                                    f.path("type").asText(""),
                                    f.path("test").asText(""),
                                    number(f, "adjusted_p_value"),
                                    f.path("drift").asBoolean(false),
                                    number(f, "missing_rate"),
                                    number(f, "reference_missing_rate"),
                                    number(f, "unseen_rate"),
                                    number(f, "out_of_range_rate"),
                                    number(f, "type_mismatch_rate")));
                }
            }
            return java.util.List.copyOf(out);
        }
    }

    /** Whether {@code node} looks like a report record rather than an alert or something else. */
    static boolean isReport(JsonNode node) {
        return node.isObject() && node.hasNonNull("window_start") && !node.has("alert_id");
    }

    /**
     * Reads a report record.
     *
     * @throws IllegalArgumentException when the window start or end is missing or not a time
     */
    static WindowReport fromJson(JsonNode n) {
        JsonNode drift = n.path("drift");
        JsonNode mmd = drift.path("mmd");
        JsonNode prediction = drift.path("prediction");
        JsonNode outliers = n.path("outliers");
        JsonNode performance = n.path("performance");
        Instant start = time(n.get("window_start"), "window_start");
        Instant end = n.hasNonNull("window_end") ? time(n.get("window_end"), "window_end") : start;
        return new WindowReport(
                n.hasNonNull("model") ? n.get("model").asText() : "default",
                start,
                end.isBefore(start) ? start : end,
                n.path("revision").asLong(0),
                n.path("count").asLong(0),
                n.path("insufficient").asBoolean(false),
                number(mmd, "p_value"),
                mmd.path("drift").asBoolean(false),
                number(prediction, "p_value"),
                prediction.hasNonNull("test") ? prediction.get("test").asText() : null,
                prediction.path("drift").asBoolean(false),
                number(outliers, "rate"),
                number(outliers, "expected_rate"),
                number(outliers, "p_value"),
                number(performance, "accuracy"),
                number(performance, "estimated_accuracy"),
                number(performance, "reference_accuracy"),
                number(performance, "coverage"),
                performance.path("labelled").asLong(0),
                n.path("late_events").asLong(0),
                n.path("dead_letters").asLong(0),
                number(performance, "mae"),
                number(performance, "rmse"),
                number(performance, "reference_mae"),
                Exemplars.fromJson(mmd, outliers, drift.path("features")));
    }

    boolean hasPerformance() {
        return !Double.isNaN(accuracy)
                || !Double.isNaN(estimatedAccuracy)
                || !Double.isNaN(coverage);
    }

    /** A regression model's window with labels: its error metrics stand for accuracy. */
    boolean hasRegressionErrors() {
        return !Double.isNaN(mae);
    }

    /**
     * Event time as ISO-8601 text or epoch milliseconds, as input records allow for event
     * timestamps.
     */
    static Instant time(JsonNode v, String field) {
        if (v == null || v.isNull()) {
            throw new IllegalArgumentException("missing " + field);
        }
        if (v.isNumber()) {
            return Instant.ofEpochMilli(v.asLong());
        }
        String s = v.asText();
        try {
            return Instant.parse(s);
        } catch (DateTimeParseException e) {
            try {
                return OffsetDateTime.parse(s).toInstant();
            } catch (DateTimeParseException e2) {
                throw new IllegalArgumentException(field + " is not an ISO-8601 time: " + s);
            }
        }
    }

    private static double number(JsonNode parent, String field) {
        JsonNode v = parent.get(field);
        return v != null && v.isNumber() ? v.asDouble() : Double.NaN;
    }
}
