package io.modelmonitor.pipeline.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * The inputs of the events a page names (witness exemplars, top outliers), read from the event
 * source so that someone on call sees the texts and images, not only their ids. The events file is
 * streamed and only the named records are kept, so a large file costs one pass and little memory.
 */
final class EventInputs {
    /** Characters of a text shown; longer texts end in an ellipsis. */
    static final int MAX_TEXT = 240;

    /** Base64 characters of an image shown as a thumbnail; larger images are named, not inlined. */
    static final int MAX_IMAGE_BASE64 = 400_000;

    private static final ObjectMapper JSON = new ObjectMapper();

    private EventInputs() {}

    /** What a page shows of one event: a truncated text, or an image as a data URI. */
    record Input(String text, String imageDataUri) {}

    /** The lookup key of an event: its model (default "default") and id. */
    static String key(String model, String id) {
        return model + "\u0000" + id;
    }

    /** The inputs of the records in {@code jsonl} whose (model, id) is in {@code wanted}. */
    static Map<String, Input> read(Path jsonl, Set<String> wanted) throws IOException {
        Map<String, Input> out = new HashMap<>();
        if (wanted.isEmpty()) {
            return out;
        }
        try (BufferedReader r = Files.newBufferedReader(jsonl, StandardCharsets.UTF_8)) {
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                JsonNode e = parse(line);
                if (e == null || !e.path("id").isTextual()) {
                    continue;
                }
                String key = key(e.path("model").asText("default"), e.get("id").asText());
                if (wanted.contains(key) && !out.containsKey(key)) {
                    Input input = input(e);
                    if (input != null) {
                        out.put(key, input);
                    }
                }
            }
        }
        return out;
    }

    private static JsonNode parse(String line) {
        try {
            return line.isBlank() ? null : JSON.readTree(line);
        } catch (IOException e) {
            return null; // the page names what it can; a bad line is the job's dead letter, not
            // ours
        }
    }

    private static Input input(JsonNode e) {
        if (e.path("text").isTextual()) {
            return new Input(shortened(e.get("text").asText()), null);
        }
        if (e.path("image").isTextual()) {
            String b64 = e.get("image").asText().strip();
            if (b64.length() > MAX_IMAGE_BASE64) {
                return new Input(
                        "(image of " + b64.length() + " base64 characters, not inlined)", null);
            }
            String type = b64.startsWith("/9j/") ? "image/jpeg" : "image/png";
            return new Input(null, "data:" + type + ";base64," + b64);
        }
        if (e.path("features").isObject()) {
            // named features read as a row: "temp_max=3.3, weather=snow, wind=null"
            StringBuilder row = new StringBuilder();
            e.get("features")
                    .fields()
                    .forEachRemaining(
                            f ->
                                    row.append(row.length() == 0 ? "" : ", ")
                                            .append(f.getKey())
                                            .append('=')
                                            .append(
                                                    f.getValue().isTextual()
                                                            ? f.getValue().asText()
                                                            : f.getValue().toString()));
            return new Input(shortened(row.toString()), null);
        }
        return null; // an array of numbers: the feature shifts say more than the raw row
    }

    private static String shortened(String t) {
        return t.length() <= MAX_TEXT ? t : t.substring(0, MAX_TEXT) + "…";
    }
}
