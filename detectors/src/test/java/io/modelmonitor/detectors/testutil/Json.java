package io.modelmonitor.detectors.testutil;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Minimal JSON reader for test fixtures: parses RFC 8259 text into {@link Map} (insertion order
 * kept), {@link List}, {@link Double}, {@link String}, {@link Boolean} and {@code null}. The
 * non-standard tokens {@code NaN}, {@code Infinity} and {@code -Infinity} that Python's {@code
 * json.dump} writes are accepted too.
 *
 * <pre>{@code
 * Map<String, Object> fixture = Json.object(Json.resource("fixtures/stats/ks.json"));
 * double[] x = Json.doubles(fixture.get("x"));
 * }</pre>
 *
 * <p>Test code only: the detectors module has no JSON dependency at runtime.
 */
public final class Json {
    private final String text;
    private int pos;

    private Json(String text) {
        this.text = text;
    }

    /** Parses a whole JSON document. */
    public static Object parse(String text) {
        Json parser = new Json(text);
        parser.skipWhitespace();
        Object value = parser.readValue();
        parser.skipWhitespace();
        if (parser.pos != text.length()) {
            throw parser.error("trailing characters");
        }
        return value;
    }

    /** Parses a document whose top level is an object. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> object(String text) {
        return (Map<String, Object>) parse(text);
    }

    /** Reads a classpath resource (UTF-8) as a string, e.g. {@code "fixtures/stats/ks.json"}. */
    public static String resource(String path) {
        try (InputStream in = Json.class.getClassLoader().getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalArgumentException("no test resource " + path);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Convenience: parses a classpath resource whose top level is an object. */
    public static Map<String, Object> objectResource(String path) {
        return object(resource(path));
    }

    /** A JSON array of numbers as {@code double[]}. */
    public static double[] doubles(Object array) {
        List<?> list = (List<?>) array;
        double[] out = new double[list.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = ((Number) list.get(i)).doubleValue();
        }
        return out;
    }

    /** A JSON array of arrays of numbers as {@code double[][]}. */
    public static double[][] matrix(Object array) {
        List<?> list = (List<?>) array;
        double[][] out = new double[list.size()][];
        for (int i = 0; i < out.length; i++) {
            out[i] = doubles(list.get(i));
        }
        return out;
    }

    /** A JSON array of integers as {@code long[]}. */
    public static long[] longs(Object array) {
        List<?> list = (List<?>) array;
        long[] out = new long[list.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = Math.round(((Number) list.get(i)).doubleValue());
        }
        return out;
    }

    /** A JSON array of strings as {@code List<String>}. */
    public static List<String> strings(Object array) {
        List<String> out = new ArrayList<>();
        for (Object o : (List<?>) array) {
            out.add((String) o);
        }
        return out;
    }

    /** A JSON number as a double ({@code null} → NaN). */
    public static double number(Object value) {
        return value == null ? Double.NaN : ((Number) value).doubleValue();
    }

    /** A JSON array of objects. */
    @SuppressWarnings("unchecked")
    public static List<Map<String, Object>> objects(Object array) {
        return (List<Map<String, Object>>) array;
    }

    private Object readValue() {
        if (pos >= text.length()) {
            throw error("unexpected end");
        }
        char c = text.charAt(pos);
        switch (c) {
            case '{':
                return readObject();
            case '[':
                return readArray();
            case '"':
                return readString();
            case 't':
                expect("true");
                return Boolean.TRUE;
            case 'f':
                expect("false");
                return Boolean.FALSE;
            case 'n':
                expect("null");
                return null;
            case 'N':
                expect("NaN");
                return Double.NaN;
            case 'I':
                expect("Infinity");
                return Double.POSITIVE_INFINITY;
            default:
                return readNumber();
        }
    }

    private Map<String, Object> readObject() {
        Map<String, Object> map = new LinkedHashMap<>();
        pos++;
        skipWhitespace();
        if (peek() == '}') {
            pos++;
            return map;
        }
        while (true) {
            skipWhitespace();
            String key = readString();
            skipWhitespace();
            if (peek() != ':') {
                throw error("expected ':'");
            }
            pos++;
            skipWhitespace();
            map.put(key, readValue());
            skipWhitespace();
            char c = peek();
            pos++;
            if (c == '}') {
                return map;
            }
            if (c != ',') {
                throw error("expected ',' or '}'");
            }
        }
    }

    private List<Object> readArray() {
        List<Object> list = new ArrayList<>();
        pos++;
        skipWhitespace();
        if (peek() == ']') {
            pos++;
            return list;
        }
        while (true) {
            skipWhitespace();
            list.add(readValue());
            skipWhitespace();
            char c = peek();
            pos++;
            if (c == ']') {
                return list;
            }
            if (c != ',') {
                throw error("expected ',' or ']'");
            }
        }
    }

    private String readString() {
        if (peek() != '"') {
            throw error("expected string");
        }
        pos++;
        StringBuilder sb = new StringBuilder();
        while (true) {
            char c = text.charAt(pos++);
            if (c == '"') {
                return sb.toString();
            }
            if (c != '\\') {
                sb.append(c);
                continue;
            }
            char e = text.charAt(pos++);
            switch (e) {
                case '"':
                    sb.append('"');
                    break;
                case '\\':
                    sb.append('\\');
                    break;
                case '/':
                    sb.append('/');
                    break;
                case 'b':
                    sb.append('\b');
                    break;
                case 'f':
                    sb.append('\f');
                    break;
                case 'n':
                    sb.append('\n');
                    break;
                case 'r':
                    sb.append('\r');
                    break;
                case 't':
                    sb.append('\t');
                    break;
                case 'u':
                    sb.append((char) Integer.parseInt(text.substring(pos, pos + 4), 16));
                    pos += 4;
                    break;
                default:
                    throw error("bad escape \\" + e);
            }
        }
    }

    private Double readNumber() {
        int start = pos;
        if (peek() == '-') {
            pos++;
            if (text.startsWith("Infinity", pos)) {
                pos += "Infinity".length();
                return Double.NEGATIVE_INFINITY;
            }
        }
        while (pos < text.length() && "0123456789.eE+-".indexOf(text.charAt(pos)) >= 0) {
            pos++;
        }
        if (start == pos) {
            throw error("unexpected character '" + text.charAt(pos) + "'");
        }
        return Double.parseDouble(text.substring(start, pos));
    }

    private void expect(String word) {
        if (!text.startsWith(word, pos)) {
            throw error("expected " + word);
        }
        pos += word.length();
    }

    private char peek() {
        if (pos >= text.length()) {
            throw error("unexpected end");
        }
        return text.charAt(pos);
    }

    private void skipWhitespace() {
        while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
            pos++;
        }
    }

    private IllegalArgumentException error(String what) {
        return new IllegalArgumentException("JSON: " + what + " at offset " + pos);
    }
}
