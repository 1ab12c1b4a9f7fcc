package io.modelmonitor.pipeline.hostile;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.zip.CRC32;
import javax.imageio.ImageIO;

/**
 * Hostile prediction records, each with the dead-letter reason it must produce (a substring of the
 * reason). Shared by the parser test and the job's mixed-stream tests. Huge and binary cases are
 * generated here rather than committed as files.
 */
public final class HostileCorpus {
    private HostileCorpus() {}

    /** One hostile record and the reason it must be rejected with. */
    public record Case(String kind, String raw, String reason) {
        @Override
        public String toString() {
            return kind;
        }
    }

    private static final String OK_PREFIX = "{\"id\":\"h-1\",\"ts\":\"2026-11-28T10:00:00Z\",";

    public static List<Case> predictions() {
        List<Case> c = new ArrayList<>();
        // --- not JSON at all
        c.add(new Case("plain text", "hello world", "invalid JSON"));
        c.add(new Case("truncated object", OK_PREFIX + "\"features\":[1,2", "invalid JSON"));
        c.add(new Case("truncated string", OK_PREFIX + "\"text\":\"abc", "invalid JSON"));
        c.add(new Case("single quotes", "{'id':'a','ts':1000,'text':'x'}", "invalid JSON"));
        c.add(new Case("trailing comma", OK_PREFIX + "\"text\":\"x\",}", "invalid JSON"));
        c.add(new Case("unquoted key", "{id:\"a\",\"ts\":1000,\"text\":\"x\"}", "invalid JSON"));
        c.add(
                new Case(
                        "two objects on a line",
                        OK_PREFIX + "\"text\":\"x\"} {\"a\":1}",
                        "trailing content"));
        c.add(new Case("comment", "/* c */" + OK_PREFIX + "\"text\":\"x\"}", "invalid JSON"));
        c.add(new Case("NaN literal", OK_PREFIX + "\"features\":[NaN]}", "invalid JSON"));
        c.add(new Case("Infinity literal", OK_PREFIX + "\"features\":[Infinity]}", "invalid JSON"));
        c.add(new Case("empty line", "   ", "empty record"));
        c.add(new Case("bare null", "null", "not a JSON object"));
        c.add(new Case("array", "[1,2,3]", "not a JSON object"));
        c.add(new Case("string", "\"text\"", "not a JSON object"));
        c.add(new Case("number", "42", "not a JSON object"));
        c.add(
                new Case(
                        "control character in string",
                        OK_PREFIX + "\"text\":\"a\u0001b\"}",
                        "invalid JSON"));
        c.add(
                new Case(
                        "deeply nested",
                        OK_PREFIX
                                + "\"text\":\"x\",\"extra\":"
                                + "[".repeat(5000)
                                + "]".repeat(5000)
                                + "}",
                        "invalid JSON"));
        c.add(
                new Case(
                        "huge line (12 MB)",
                        OK_PREFIX + "\"text\":\"" + "a".repeat(12 * 1024 * 1024) + "\"}",
                        "record too large"));
        c.add(
                new Case(
                        "huge number literal",
                        OK_PREFIX + "\"features\":[1" + "0".repeat(2000) + "]}",
                        "invalid JSON"));
        c.add(
                new Case(
                        "invalid UTF-8 (replacement char)",
                        OK_PREFIX + "\"text\":\"caf\uFFFD\"}",
                        "invalid UTF-8"));
        // --- id
        c.add(new Case("missing id", "{\"ts\":1000,\"text\":\"x\"}", "missing field 'id'"));
        c.add(
                new Case(
                        "null id",
                        "{\"id\":null,\"ts\":1000,\"text\":\"x\"}",
                        "missing field 'id'"));
        c.add(
                new Case(
                        "empty id",
                        "{\"id\":\"\",\"ts\":1000,\"text\":\"x\"}",
                        "field 'id' is empty"));
        c.add(
                new Case(
                        "array id",
                        "{\"id\":[1],\"ts\":1000,\"text\":\"x\"}",
                        "field 'id' must be a string"));
        c.add(
                new Case(
                        "boolean id",
                        "{\"id\":true,\"ts\":1000,\"text\":\"x\"}",
                        "field 'id' must be a string"));
        c.add(
                new Case(
                        "object id",
                        "{\"id\":{\"a\":1},\"ts\":1000,\"text\":\"x\"}",
                        "must not be an object"));
        c.add(
                new Case(
                        "overlong id",
                        "{\"id\":\"" + "i".repeat(300) + "\",\"ts\":1000,\"text\":\"x\"}",
                        "longer than"));
        c.add(
                new Case(
                        "duplicate id field",
                        "{\"id\":\"a\",\"id\":\"b\",\"ts\":1000,\"text\":\"x\"}",
                        "Duplicate field"));
        // --- ts
        c.add(new Case("missing ts", "{\"id\":\"a\",\"text\":\"x\"}", "missing field 'ts'"));
        c.add(
                new Case(
                        "ts without zone",
                        "{\"id\":\"a\",\"ts\":\"2026-11-28T10:00:00\",\"text\":\"x\"}",
                        "not ISO-8601 with zone"));
        c.add(
                new Case(
                        "ts garbage",
                        "{\"id\":\"a\",\"ts\":\"tomorrow\",\"text\":\"x\"}",
                        "not ISO-8601 with zone"));
        c.add(
                new Case(
                        "ts far future",
                        "{\"id\":\"a\",\"ts\":\"3026-11-28T10:00:00Z\",\"text\":\"x\"}",
                        "out of range"));
        c.add(
                new Case(
                        "ts far past",
                        "{\"id\":\"a\",\"ts\":\"1066-10-14T10:00:00Z\",\"text\":\"x\"}",
                        "out of range"));
        c.add(
                new Case(
                        "ts negative millis",
                        "{\"id\":\"a\",\"ts\":-5,\"text\":\"x\"}",
                        "out of range"));
        c.add(
                new Case(
                        "ts overflow",
                        "{\"id\":\"a\",\"ts\":123456789012345678901234567890,\"text\":\"x\"}",
                        "out of range"));
        c.add(
                new Case(
                        "ts float",
                        "{\"id\":\"a\",\"ts\":1000.5,\"text\":\"x\"}",
                        "field 'ts' must be"));
        c.add(
                new Case(
                        "ts boolean",
                        "{\"id\":\"a\",\"ts\":false,\"text\":\"x\"}",
                        "field 'ts' must be"));
        c.add(
                new Case(
                        "duplicate ts field",
                        "{\"id\":\"a\",\"ts\":1000,\"ts\":2000,\"text\":\"x\"}",
                        "Duplicate field"));
        // --- model
        c.add(
                new Case(
                        "empty model",
                        OK_PREFIX + "\"model\":\"\",\"text\":\"x\"}",
                        "'model' must be a non-empty string"));
        c.add(
                new Case(
                        "numeric model",
                        OK_PREFIX + "\"model\":7,\"text\":\"x\"}",
                        "'model' must be a non-empty string"));
        c.add(
                new Case(
                        "overlong model",
                        OK_PREFIX + "\"model\":\"" + "m".repeat(300) + "\",\"text\":\"x\"}",
                        "longer than"));
        // --- inputs
        c.add(new Case("no input", OK_PREFIX + "\"prediction\":\"a\"}", "missing model input"));
        c.add(
                new Case(
                        "two inputs",
                        OK_PREFIX + "\"text\":\"x\",\"features\":[1]}",
                        "more than one model input"));
        c.add(
                new Case(
                        "three inputs",
                        OK_PREFIX + "\"text\":\"x\",\"features\":[1],\"image\":\"\"}",
                        "more than one model input"));
        c.add(new Case("empty text", OK_PREFIX + "\"text\":\"\"}", "'text' is empty"));
        c.add(new Case("whitespace text", OK_PREFIX + "\"text\":\" \\t \"}", "'text' is empty"));
        c.add(new Case("numeric text", OK_PREFIX + "\"text\":12}", "'text' must be a string"));
        c.add(new Case("array text", OK_PREFIX + "\"text\":[\"a\"]}", "'text' must be a string"));
        c.add(
                new Case(
                        "features not array",
                        OK_PREFIX + "\"features\":\"1,2\"}",
                        "must be an array of numbers"));
        c.add(new Case("features empty", OK_PREFIX + "\"features\":[]}", "'features' is empty"));
        c.add(
                new Case(
                        "features string element",
                        OK_PREFIX + "\"features\":[1,\"2\"]}",
                        "element 1 is not a number"));
        c.add(
                new Case(
                        "features null element",
                        OK_PREFIX + "\"features\":[1,null]}",
                        "element 1 is not a number"));
        c.add(
                new Case(
                        "features nested array",
                        OK_PREFIX + "\"features\":[[1,2]]}",
                        "element 0 is not a number"));
        c.add(
                new Case(
                        "features overflow to infinity",
                        OK_PREFIX + "\"features\":[1e400]}",
                        "not a finite number"));
        c.add(
                new Case(
                        "features negative overflow",
                        OK_PREFIX + "\"features\":[-1e400]}",
                        "not a finite number"));
        // --- images
        c.add(
                new Case(
                        "image not a string",
                        OK_PREFIX + "\"image\":123}",
                        "must be a base64 string"));
        c.add(
                new Case(
                        "image invalid base64",
                        OK_PREFIX + "\"image\":\"@@@###\"}",
                        "not valid base64"));
        c.add(
                new Case(
                        "image base64 of text",
                        OK_PREFIX
                                + "\"image\":\""
                                + b64("hello, not an image".getBytes(StandardCharsets.UTF_8))
                                + "\"}",
                        "not a PNG or JPEG"));
        c.add(new Case("image empty", OK_PREFIX + "\"image\":\"\"}", "not a PNG or JPEG"));
        c.add(
                new Case(
                        "truncated PNG",
                        OK_PREFIX + "\"image\":\"" + b64(Arrays.copyOf(png(16, 16), 30)) + "\"}",
                        "undecodable"));
        c.add(
                new Case(
                        "truncated JPEG",
                        OK_PREFIX + "\"image\":\"" + b64(Arrays.copyOf(jpeg(16, 16), 6)) + "\"}",
                        "undecodable"));
        c.add(
                new Case(
                        "PNG decompression bomb (header claims 100000x100000)",
                        OK_PREFIX + "\"image\":\"" + b64(pngHeaderOnly(100_000, 100_000)) + "\"}",
                        "over the limit"));
        c.add(
                new Case(
                        "PNG too large (5000x5000)",
                        OK_PREFIX + "\"image\":\"" + b64(png(5000, 5000)) + "\"}",
                        "over the limit"));
        // --- prediction and scores
        c.add(
                new Case(
                        "boolean prediction",
                        OK_PREFIX + "\"text\":\"x\",\"prediction\":true}",
                        "'prediction' must be a string or a number"));
        c.add(
                new Case(
                        "array prediction",
                        OK_PREFIX + "\"text\":\"x\",\"prediction\":[1]}",
                        "'prediction' must be a string or a number"));
        c.add(
                new Case(
                        "object prediction",
                        OK_PREFIX + "\"text\":\"x\",\"prediction\":{\"c\":1}}",
                        "must not be an object"));
        c.add(
                new Case(
                        "infinite regression prediction",
                        OK_PREFIX + "\"text\":\"x\",\"prediction\":1e999}",
                        "not a finite number"));
        c.add(
                new Case(
                        "scores not summing to 1",
                        OK_PREFIX + "\"text\":\"x\",\"scores\":[0.2,0.2]}",
                        "sums to"));
        c.add(
                new Case(
                        "negative score",
                        OK_PREFIX + "\"text\":\"x\",\"scores\":[-0.5,1.5]}",
                        "outside [0, 1]"));
        c.add(
                new Case(
                        "scores empty",
                        OK_PREFIX + "\"text\":\"x\",\"scores\":[]}",
                        "'scores' is empty"));
        c.add(
                new Case(
                        "scores string",
                        OK_PREFIX + "\"text\":\"x\",\"scores\":\"0.5,0.5\"}",
                        "must be an array of numbers"));
        c.add(
                new Case(
                        "scores with string element",
                        OK_PREFIX + "\"text\":\"x\",\"scores\":[\"0.5\",0.5]}",
                        "is not a number"));
        return c;
    }

    /** Hostile label records for the label parser. */
    public static List<Case> labels() {
        List<Case> c = new ArrayList<>();
        c.add(new Case("label missing", "{\"id\":\"a\",\"ts\":1000}", "missing field 'label'"));
        c.add(
                new Case(
                        "label array",
                        "{\"id\":\"a\",\"ts\":1000,\"label\":[1]}",
                        "'label' must be a string or a number"));
        c.add(
                new Case(
                        "label boolean",
                        "{\"id\":\"a\",\"ts\":1000,\"label\":true}",
                        "'label' must be a string or a number"));
        c.add(new Case("label id missing", "{\"ts\":1000,\"label\":\"x\"}", "missing field 'id'"));
        c.add(
                new Case(
                        "label ts garbage",
                        "{\"id\":\"a\",\"ts\":\"soon\",\"label\":\"x\"}",
                        "not ISO-8601"));
        c.add(new Case("label not json", "label=x", "invalid JSON"));
        return c;
    }

    private static String b64(byte[] b) {
        return Base64.getEncoder().encodeToString(b);
    }

    static byte[] png(int w, int h) {
        return encode(w, h, "png");
    }

    static byte[] jpeg(int w, int h) {
        return encode(w, h, "jpeg");
    }

    private static byte[] encode(int w, int h, String format) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(img, format, out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /**
     * A PNG signature plus an IHDR chunk claiming huge dimensions, and no pixel data: a
     * decompression bomb's header.
     */
    static byte[] pngHeaderOnly(int w, int h) {
        ByteBuffer b = ByteBuffer.allocate(8 + 25);
        b.put(new byte[] {(byte) 0x89, 'P', 'N', 'G', 0x0d, 0x0a, 0x1a, 0x0a});
        b.putInt(13);
        int crcStart = b.position();
        b.put(new byte[] {'I', 'H', 'D', 'R'});
        b.putInt(w).putInt(h).put((byte) 8).put((byte) 2).put((byte) 0).put((byte) 0).put((byte) 0);
        CRC32 crc = new CRC32();
        crc.update(b.array(), crcStart, 17);
        b.putInt((int) crc.getValue());
        return b.array();
    }
}
