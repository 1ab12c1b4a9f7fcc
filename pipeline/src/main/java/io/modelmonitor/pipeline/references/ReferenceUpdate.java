package io.modelmonitor.pipeline.references;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelmonitor.pipeline.record.EventParser;
import io.modelmonitor.pipeline.record.InvalidRecordException;
import java.util.Set;

/**
 * One record of the {@code --references} stream, {@code {"model", "bundle", "from"}}: from the
 * first window that starts at or after {@code from} (event time), {@code model} is tested against
 * the bundle in directory {@code bundle}. A Flink POJO.
 */
public class ReferenceUpdate {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> FIELDS = Set.of("model", "bundle", "from");

    public String model;

    /** The bundle's directory. */
    public String bundle;

    /** Epoch milliseconds. */
    public long from;

    /** The record as it came, for the dead letters. */
    public String raw;

    public ReferenceUpdate() {}

    /**
     * @throws InvalidRecordException with a one-line reason
     */
    public static ReferenceUpdate parse(String raw) throws InvalidRecordException {
        JsonNode n;
        try {
            n = JSON.readTree(raw);
        } catch (Exception e) {
            throw new InvalidRecordException("malformed JSON");
        }
        if (n == null || !n.isObject()) {
            throw new InvalidRecordException("a reference update must be a JSON object");
        }
        for (var it = n.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!FIELDS.contains(f)) {
                throw new InvalidRecordException(
                        "unknown field '" + f + "' (a reference update has model, bundle, from)");
            }
        }
        ReferenceUpdate u = new ReferenceUpdate();
        u.model = text(n, "model");
        u.bundle = text(n, "bundle");
        JsonNode from = n.get("from");
        if (from == null || from.isNull()) {
            throw new InvalidRecordException("missing field 'from'");
        }
        if (from.isIntegralNumber() && from.canConvertToLong()) {
            u.from = from.asLong();
        } else if (from.isTextual()) {
            try {
                u.from = EventParser.parseIsoTimestamp(from.asText());
            } catch (InvalidRecordException e) {
                throw new InvalidRecordException(e.getMessage().replace("'ts'", "'from'"));
            }
        } else {
            throw new InvalidRecordException(
                    "field 'from' must be an ISO-8601 string with zone or epoch milliseconds");
        }
        u.raw = raw;
        return u;
    }

    private static String text(JsonNode n, String field) throws InvalidRecordException {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            throw new InvalidRecordException("missing field '" + field + "'");
        }
        if (!v.isTextual() || v.asText().isBlank()) {
            throw new InvalidRecordException("field '" + field + "' must be a non-empty string");
        }
        return v.asText();
    }

    @Override
    public String toString() {
        return "ReferenceUpdate{" + model + " -> " + bundle + " from " + from + "}";
    }
}
