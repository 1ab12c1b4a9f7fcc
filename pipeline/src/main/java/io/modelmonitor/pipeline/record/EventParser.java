package io.modelmonitor.pipeline.record;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.modelmonitor.models.tabular.NamedValues;
import java.io.IOException;
import java.io.Serializable;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * Parses and validates the JSON input records (docs/data-contracts.md). Every way a record can be
 * wrong ends in an {@link InvalidRecordException} whose message is the dead-letter reason; nothing
 * else escapes.
 *
 * <pre>{@code
 * EventParser parser = EventParser.builder().optMaxRecordBytes(1 << 20).build();
 * try {
 *     PredictionEvent e = parser.parsePrediction(line);
 * } catch (InvalidRecordException bad) {
 *     deadLetters.add(new DeadLetter(bad.getMessage(), "events", line, null));
 * }
 * }</pre>
 *
 * <p>Thread-safe and serializable, so one instance can live in a Flink function.
 */
public final class EventParser implements Serializable {
    private static final long serialVersionUID = 1L;

    /**
     * Dead letters keep at most this much of a huge raw record, so one bad line cannot blow up
     * state.
     */
    public static final int MAX_RAW_IN_DEAD_LETTER = 64 * 1024;

    public static final String DEFAULT_MODEL = "default";
    private static final Set<String> PREDICTION_FIELDS =
            Set.of("id", "ts", "model", "text", "image", "features", "prediction", "scores");
    private static final Set<String> LABEL_FIELDS = Set.of("id", "ts", "label", "model");
    private static final int MAX_ID_LENGTH = 256;
    private static final int MAX_NESTING = 32;

    /** Years outside this range are certainly wrong clocks, not late data. */
    private static final long MIN_TS = Instant.parse("1970-01-01T00:00:00Z").toEpochMilli();

    private static final long MAX_TS = Instant.parse("2200-01-01T00:00:00Z").toEpochMilli();
    private static final double SCORE_SUM_TOLERANCE = 1e-3;

    private final int maxRecordBytes;
    private final long maxImagePixels;
    private final boolean rejectUnknownFields;
    private transient ObjectMapper mapper;

    private EventParser(Builder b) {
        this.maxRecordBytes = b.maxRecordBytes;
        this.maxImagePixels = b.maxImagePixels;
        this.rejectUnknownFields = b.rejectUnknownFields;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Parses one prediction record (docs/data-contracts.md). */
    public PredictionEvent parsePrediction(String raw) throws InvalidRecordException {
        ObjectNode o = readObject(raw);
        checkFields(o, PREDICTION_FIELDS);
        PredictionEvent e = new PredictionEvent();
        e.id = requiredId(o);
        e.ts = requiredTimestamp(o);
        e.model = optionalModel(o);
        int inputs =
                (o.has("text") ? 1 : 0) + (o.has("image") ? 1 : 0) + (o.has("features") ? 1 : 0);
        if (inputs != 1) {
            throw new InvalidRecordException(
                    inputs == 0
                            ? "missing model input: one of 'text', 'image', 'features' is required"
                            : "more than one model input: exactly one of 'text', 'image', 'features' is allowed");
        }
        if (o.has("text")) {
            e.text = text(o.get("text"));
        } else if (o.has("image")) {
            e.image = ImageValidation.decode(o.get("image"), maxImagePixels);
        } else if (o.get("features").isObject()) {
            e.namedFeatures = namedValues(o.get("features"));
        } else {
            e.features = finiteArray(o.get("features"), "features");
            if (e.features.length == 0) {
                throw new InvalidRecordException("field 'features' is empty");
            }
        }
        JsonNode p = o.get("prediction");
        if (p != null && !p.isNull()) {
            if (p.isTextual()) {
                e.prediction = p.asText();
            } else if (p.isIntegralNumber()) {
                // Both readings: whether 17 is the class "17" or the value 17 is the model's task
                // (its bundle), not the JSON shape of one value.
                e.prediction = p.asText();
                e.predictedValue = integralValue(p);
            } else if (p.isNumber()) {
                e.predictedValue = finite(p, "prediction");
            } else {
                throw new InvalidRecordException("field 'prediction' must be a string or a number");
            }
        }
        JsonNode s = o.get("scores");
        if (s != null && !s.isNull()) {
            e.scores = probabilities(s);
        }
        return e;
    }

    /**
     * An integral JSON number as a double; NaN past the double range (a class name then, never a
     * value).
     */
    private static double integralValue(JsonNode n) {
        double d = n.asDouble();
        return Double.isFinite(d) ? d : Double.NaN;
    }

    /**
     * Parses one label record (docs/data-contracts.md); a label that names no model belongs to
     * {@link #DEFAULT_MODEL}.
     */
    public LabelEvent parseLabel(String raw) throws InvalidRecordException {
        return parseLabel(raw, DEFAULT_MODEL);
    }

    /** Parses one label record; a label that names no model belongs to {@code defaultModel}. */
    public LabelEvent parseLabel(String raw, String defaultModel) throws InvalidRecordException {
        ObjectNode o = readObject(raw);
        checkFields(o, LABEL_FIELDS);
        LabelEvent l = new LabelEvent();
        l.id = requiredId(o);
        l.ts = requiredTimestamp(o);
        l.model =
                o.get("model") == null || o.get("model").isNull() ? defaultModel : optionalModel(o);
        JsonNode v = o.get("label");
        if (v == null || v.isNull()) {
            throw new InvalidRecordException("missing field 'label'");
        }
        if (v.isTextual()) {
            l.label = v.asText();
        } else if (v.isIntegralNumber()) {
            l.label = v.asText(); // and the value: the model's task decides which counts
            l.value = integralValue(v);
        } else if (v.isNumber()) {
            l.value = finite(v, "label");
        } else {
            throw new InvalidRecordException("field 'label' must be a string or a number");
        }
        return l;
    }

    /**
     * The raw text to keep in a dead letter: huge records are cut, so the dead-letter stream stays
     * bounded.
     */
    public static String rawForDeadLetter(String raw) {
        if (raw == null) {
            return "";
        }
        return raw.length() <= MAX_RAW_IN_DEAD_LETTER
                ? raw
                : raw.substring(0, MAX_RAW_IN_DEAD_LETTER) + "...[" + raw.length() + " chars]";
    }

    /**
     * Best-effort model name of a record that failed validation, for per-model dead-letter counts.
     */
    public String modelOf(String raw) {
        if (raw == null || raw.length() > maxRecordBytes) {
            return null;
        }
        try {
            JsonNode n = mapper().readTree(raw);
            JsonNode m = n != null && n.isObject() ? n.get("model") : null;
            return m != null && m.isTextual()
                    ? m.asText()
                    : (n != null && n.isObject() ? DEFAULT_MODEL : null);
        } catch (IOException | RuntimeException ex) {
            return null;
        }
    }

    private ObjectNode readObject(String raw) throws InvalidRecordException {
        if (raw == null || raw.isBlank()) {
            throw new InvalidRecordException("empty record");
        }
        // length() counts UTF-16 units, never more than the UTF-8 bytes of ASCII-heavy JSON: cheap
        // and safe.
        if (raw.length() > maxRecordBytes) {
            throw new InvalidRecordException(
                    "record too large: " + raw.length() + " characters > limit " + maxRecordBytes);
        }
        if (raw.indexOf('\uFFFD') >= 0) {
            throw new InvalidRecordException("invalid UTF-8 in record");
        }
        JsonNode n;
        try {
            JsonParser parser = mapper().getFactory().createParser(raw);
            n = mapper().readTree(parser);
            if (parser.nextToken() != null) {
                throw new InvalidRecordException("invalid JSON: trailing content after the object");
            }
        } catch (JsonProcessingException ex) {
            throw new InvalidRecordException("invalid JSON: " + firstLine(ex.getOriginalMessage()));
        } catch (IOException ex) {
            throw new InvalidRecordException("invalid JSON: " + firstLine(ex.getMessage()));
        }
        if (n == null || !n.isObject()) {
            throw new InvalidRecordException("not a JSON object");
        }
        return (ObjectNode) n;
    }

    private void checkFields(ObjectNode o, Set<String> allowed) throws InvalidRecordException {
        for (Iterator<Map.Entry<String, JsonNode>> it = o.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> f = it.next();
            JsonNode v = f.getValue();
            if (v.isObject() && !f.getKey().equals("features")) {
                throw new InvalidRecordException(
                        "field '" + f.getKey() + "' must not be an object");
            }
            if (rejectUnknownFields && !allowed.contains(f.getKey())) {
                throw new InvalidRecordException("unknown field '" + f.getKey() + "'");
            }
        }
    }

    private static String requiredId(ObjectNode o) throws InvalidRecordException {
        JsonNode id = o.get("id");
        if (id == null || id.isNull()) {
            throw new InvalidRecordException("missing field 'id'");
        }
        if (!id.isTextual() && !id.isIntegralNumber()) {
            throw new InvalidRecordException("field 'id' must be a string");
        }
        String s = id.asText();
        if (s.isEmpty()) {
            throw new InvalidRecordException("field 'id' is empty");
        }
        if (s.length() > MAX_ID_LENGTH) {
            throw new InvalidRecordException(
                    "field 'id' longer than " + MAX_ID_LENGTH + " characters");
        }
        return s;
    }

    private static long requiredTimestamp(ObjectNode o) throws InvalidRecordException {
        JsonNode ts = o.get("ts");
        if (ts == null || ts.isNull()) {
            throw new InvalidRecordException("missing field 'ts'");
        }
        long millis;
        if (ts.isIntegralNumber()) {
            if (!ts.canConvertToLong()) {
                throw new InvalidRecordException("field 'ts' out of range");
            }
            millis = ts.asLong();
        } else if (ts.isTextual()) {
            millis = parseIsoTimestamp(ts.asText());
        } else {
            throw new InvalidRecordException(
                    "field 'ts' must be an ISO-8601 string with zone or epoch milliseconds");
        }
        if (millis < MIN_TS || millis >= MAX_TS) {
            throw new InvalidRecordException("field 'ts' out of range: " + ts.asText());
        }
        return millis;
    }

    /** ISO-8601 with an explicit zone or offset, e.g. {@code 2026-11-28T10:15:00.123Z}. */
    public static long parseIsoTimestamp(String s) throws InvalidRecordException {
        try {
            return OffsetDateTime.parse(s).toInstant().toEpochMilli();
        } catch (DateTimeParseException ex) {
            throw new InvalidRecordException(
                    "field 'ts' is not ISO-8601 with zone: " + abbreviate(s));
        } catch (ArithmeticException ex) {
            throw new InvalidRecordException("field 'ts' out of range: " + abbreviate(s));
        }
    }

    private static String optionalModel(ObjectNode o) throws InvalidRecordException {
        JsonNode m = o.get("model");
        if (m == null || m.isNull()) {
            return DEFAULT_MODEL;
        }
        if (!m.isTextual() || m.asText().isBlank()) {
            throw new InvalidRecordException("field 'model' must be a non-empty string");
        }
        if (m.asText().length() > MAX_ID_LENGTH) {
            throw new InvalidRecordException(
                    "field 'model' longer than " + MAX_ID_LENGTH + " characters");
        }
        return m.asText();
    }

    private static String text(JsonNode t) throws InvalidRecordException {
        if (!t.isTextual()) {
            throw new InvalidRecordException("field 'text' must be a string");
        }
        if (t.asText().isBlank()) {
            throw new InvalidRecordException("field 'text' is empty");
        }
        return t.asText();
    }

    private static double[] finiteArray(JsonNode a, String field) throws InvalidRecordException {
        if (!a.isArray()) {
            throw new InvalidRecordException("field '" + field + "' must be an array of numbers");
        }
        double[] out = new double[a.size()];
        for (int i = 0; i < out.length; i++) {
            JsonNode v = a.get(i);
            if (!v.isNumber()) {
                throw new InvalidRecordException(
                        "field '" + field + "' element " + i + " is not a number");
            }
            out[i] = finite(v, field + "[" + i + "]");
        }
        return out;
    }

    /**
     * Named features: each value a number, a string, a boolean or null (missing); an object or an
     * array is no feature value.
     */
    private static NamedValues namedValues(JsonNode o) throws InvalidRecordException {
        if (o.isEmpty()) {
            throw new InvalidRecordException("field 'features' is empty");
        }
        NamedValues out = new NamedValues(o.size());
        int i = 0;
        for (Iterator<Map.Entry<String, JsonNode>> it = o.fields(); it.hasNext(); i++) {
            Map.Entry<String, JsonNode> f = it.next();
            String name = f.getKey();
            JsonNode v = f.getValue();
            if (name.isEmpty() || name.length() > MAX_ID_LENGTH) {
                throw new InvalidRecordException(
                        "a feature name is empty or longer than " + MAX_ID_LENGTH + " characters");
            }
            if (v.isNull()) {
                out.set(i, name, NamedValues.NULL, Double.NaN, null);
            } else if (v.isNumber()) {
                out.set(
                        i,
                        name,
                        NamedValues.NUMBER,
                        finite(v, "features." + abbreviate(name)),
                        null);
            } else if (v.isTextual()) {
                out.set(i, name, NamedValues.STRING, Double.NaN, v.asText());
            } else if (v.isBoolean()) {
                out.set(i, name, NamedValues.BOOLEAN, v.asBoolean() ? 1 : 0, null);
            } else {
                throw new InvalidRecordException(
                        "feature '"
                                + abbreviate(name)
                                + "' is "
                                + (v.isArray() ? "an array" : "an object")
                                + ": a named feature is a number, a string, a boolean or null");
            }
        }
        return out;
    }

    private static double finite(JsonNode v, String field) throws InvalidRecordException {
        double d = v.asDouble();
        if (!Double.isFinite(d)) {
            throw new InvalidRecordException("field '" + field + "' is not a finite number");
        }
        return d;
    }

    private static double[] probabilities(JsonNode s) throws InvalidRecordException {
        double[] p = finiteArray(s, "scores");
        if (p.length == 0) {
            throw new InvalidRecordException("field 'scores' is empty");
        }
        double sum = 0;
        for (double x : p) {
            if (x < 0 || x > 1) {
                throw new InvalidRecordException("field 'scores' has a value outside [0, 1]");
            }
            sum += x;
        }
        if (Math.abs(sum - 1) > SCORE_SUM_TOLERANCE) {
            throw new InvalidRecordException("field 'scores' sums to " + sum + ", not 1");
        }
        return p;
    }

    private ObjectMapper mapper() {
        if (mapper == null) {
            JsonFactory f =
                    JsonFactory.builder()
                            .streamReadConstraints(
                                    StreamReadConstraints.builder()
                                            .maxNestingDepth(MAX_NESTING)
                                            .maxStringLength(maxRecordBytes)
                                            .maxNumberLength(64)
                                            .build())
                            // Correctly rounded like the JDK's parser, several times faster: the
                            // JDK's was the largest cost of parsing numeric features.
                            .enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER)
                            .build();
            f.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
            mapper = new ObjectMapper(f);
        }
        return mapper;
    }

    /** The first line of an exception message, without Jackson's source excerpt, abbreviated. */
    static String firstLine(String s) {
        if (s == null) {
            return "unreadable";
        }
        int nl = s.indexOf('\n');
        String line = nl >= 0 ? s.substring(0, nl) : s;
        int source = line.indexOf(" (for root starting at");
        return abbreviate(source >= 0 ? line.substring(0, source) : line);
    }

    private static String abbreviate(String s) {
        return s.length() <= 120 ? s : s.substring(0, 117) + "...";
    }

    /** Builder: every limit is optional. */
    public static final class Builder {
        private int maxRecordBytes = 8 * 1024 * 1024;
        private long maxImagePixels = 4096L * 4096L;
        private boolean rejectUnknownFields = false;

        /** Longest accepted record, in characters (default 8 MiB: room for a base64 image). */
        public Builder optMaxRecordBytes(int max) {
            if (max <= 0) {
                throw new IllegalArgumentException("max record size must be positive");
            }
            this.maxRecordBytes = max;
            return this;
        }

        /**
         * Largest accepted image, width × height (default 4096²), checked from the header alone.
         */
        public Builder optMaxImagePixels(long max) {
            this.maxImagePixels = max;
            return this;
        }

        /**
         * Rejects fields the record format does not name (default: ignored, so producers can add
         * their own).
         */
        public Builder optRejectUnknownFields(boolean reject) {
            this.rejectUnknownFields = reject;
            return this;
        }

        public EventParser build() {
            return new EventParser(this);
        }
    }
}
