package io.modelmonitor.pipeline.record;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.modelmonitor.models.tabular.NamedValues;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.util.Base64;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EventParserTest {
    private final EventParser parser =
            EventParser.builder().optMaxRecordBytes(100_000).optMaxImagePixels(1_000_000).build();

    @Test
    void parsesTheSpecExample() throws Exception {
        PredictionEvent e =
                parser.parsePrediction(
                        "{\"id\": \"req-000123\", \"ts\": \"2026-11-28T10:15:00.123Z\","
                                + " \"model\": \"sentiment\", \"text\": \"the screen cracked after a week\","
                                + " \"prediction\": \"negative\", \"scores\": [0.91, 0.09]}");
        assertEquals("req-000123", e.id);
        assertEquals(1795860900123L, e.ts);
        assertEquals("sentiment", e.model);
        assertEquals(PredictionEvent.Modality.TEXT, e.modality());
        assertEquals("negative", e.prediction);
        assertArrayEquals(new double[] {0.91, 0.09}, e.scores);
    }

    @Test
    void defaultsAndNumericInputs() throws Exception {
        PredictionEvent e =
                parser.parsePrediction(
                        "{\"id\":\"a\",\"ts\":1000,\"features\":[1,2.5,-3e2],\"prediction\":3}");
        assertEquals("default", e.model);
        assertEquals(1000L, e.ts);
        assertArrayEquals(new double[] {1, 2.5, -300}, e.features);
        assertEquals("3", e.prediction);
        assertEquals(
                3.0, e.predictedValue, "an integer is both readings: the bundle's task picks one");
        PredictionEvent r =
                parser.parsePrediction(
                        "{\"id\":\"b\",\"ts\":\"2026-01-01T00:00:00+01:00\",\"features\":[0],\"prediction\":2.75}");
        assertNull(r.prediction);
        assertEquals(2.75, r.predictedValue);
        assertEquals(1767222000000L, r.ts);
    }

    /**
     * Features are read with Jackson's fast double parser: every value must still be the correctly
     * rounded double that {@link Double#parseDouble} gives, including halfway cases, the extremes,
     * subnormals and random 17-digit values as Python's json writes them.
     */
    @Test
    void featureValuesAreTheCorrectlyRoundedDoubles() throws Exception {
        java.util.List<String> literals =
                new java.util.ArrayList<>(
                        java.util.List.of(
                                "0.1",
                                "-0.0",
                                "2.2250738585072011e-308",
                                "2.2250738585072012e-308",
                                "4.9e-324",
                                "1.7976931348623157e308",
                                "9007199254740993",
                                "0.30000000000000004",
                                "1.00000000000000011102230246251565404236316680908203125",
                                "123456789012345678901234567890e-20"));
        java.util.SplittableRandom random = new java.util.SplittableRandom(3);
        for (int i = 0; i < 2000; i++) {
            double v = random.nextGaussian() * Math.pow(10, random.nextInt(-30, 30));
            literals.add(Double.toString(v));
            literals.add(String.format(java.util.Locale.ROOT, "%.17g", v).trim());
        }
        String raw =
                "{\"id\":\"a\",\"ts\":1000,\"features\":["
                        + String.join(",", literals)
                        + "],\"prediction\":\"x\"}";
        double[] parsed = parser.parsePrediction(raw).features;
        for (int i = 0; i < literals.size(); i++) {
            assertEquals(
                    Double.doubleToRawLongBits(Double.parseDouble(literals.get(i))),
                    Double.doubleToRawLongBits(parsed[i]),
                    literals.get(i));
        }
    }

    @Test
    void decodesImagesAndRejectsBombs() throws Exception {
        String small = png(8, 8);
        PredictionEvent e =
                parser.parsePrediction("{\"id\":\"i\",\"ts\":1000,\"image\":\"" + small + "\"}");
        assertEquals(PredictionEvent.Modality.IMAGE, e.modality());
        assertArrayEquals(Base64.getDecoder().decode(small), e.image);
        // Base64 wrapped in lines (MIME-style, CRLF) or broken by any regex whitespace decodes
        // the same; a character outside it is refused.
        StringBuilder wrapped = new StringBuilder();
        for (int i = 0; i < small.length(); i++) {
            wrapped.append(small.charAt(i)).append(i % 76 == 75 ? "\\r\\n" : "");
        }
        for (String space : new String[] {"\\t", "\\n", "\\u000b", "\\f", "\\r", " "}) {
            for (String text : new String[] {wrapped.toString(), space + small}) {
                String json = "{\"id\":\"i\",\"ts\":1000,\"image\":\"" + text + space + "\"}";
                assertArrayEquals(e.image, parser.parsePrediction(json).image, json);
            }
        }
        assertThrows(
                InvalidRecordException.class,
                () ->
                        parser.parsePrediction(
                                "{\"id\":\"i\",\"ts\":1000,\"image\":\""
                                        + small.substring(0, 8)
                                        + "\\u00a0"
                                        + small.substring(8)
                                        + "\"}"));
        InvalidRecordException bomb =
                assertThrows(
                        InvalidRecordException.class,
                        () ->
                                parser.parsePrediction(
                                        "{\"id\":\"i\",\"ts\":1000,\"image\":\""
                                                + png(2000, 1000)
                                                + "\"}"));
        assertTrue(bomb.getMessage().contains("2000x1000"), bomb.getMessage());
        byte[] truncated = Base64.getDecoder().decode(small);
        String cut = Base64.getEncoder().encodeToString(java.util.Arrays.copyOf(truncated, 20));
        assertThrows(
                InvalidRecordException.class,
                () ->
                        parser.parsePrediction(
                                "{\"id\":\"i\",\"ts\":1000,\"image\":\"" + cut + "\"}"));
    }

    @ParameterizedTest(name = "{1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "{\"id\":\"a\",\"ts\":1000,\"text\":\"x\"                              | -",
                "not json                                                             | invalid JSON",
                "{\"id\":\"a\",\"ts\":1000,\"text\":\"x\"} {}                          | trailing content",
                "[1,2]                                                                | not a JSON object",
                "{\"ts\":1000,\"text\":\"x\"}                                          | missing field 'id'",
                "{\"id\":\"a\",\"text\":\"x\"}                                         | missing field 'ts'",
                "{\"id\":\"a\",\"ts\":\"yesterday\",\"text\":\"x\"}                    | not ISO-8601",
                "{\"id\":\"a\",\"ts\":\"2026-11-28T10:15:00\",\"text\":\"x\"}          | not ISO-8601",
                "{\"id\":\"a\",\"ts\":99999999999999999,\"text\":\"x\"}                | out of range",
                "{\"id\":\"a\",\"ts\":1000}                                            | missing model input",
                "{\"id\":\"a\",\"ts\":1000,\"text\":\"x\",\"features\":[1]}            | more than one model input",
                "{\"id\":\"a\",\"ts\":1000,\"text\":\"  \"}                            | 'text' is empty",
                "{\"id\":\"a\",\"ts\":1000,\"text\":7}                                 | 'text' must be a string",
                "{\"id\":\"a\",\"ts\":1000,\"features\":[1,\"2\"]}                     | element 1 is not a number",
                "{\"id\":\"a\",\"ts\":1000,\"features\":[]}                            | 'features' is empty",
                "{\"id\":\"a\",\"ts\":1000,\"features\":[1e999]}                       | not a finite number",
                "{\"id\":\"a\",\"ts\":1000,\"features\":[NaN]}                         | invalid JSON",
                "{\"id\":\"a\",\"ts\":1000,\"text\":\"x\",\"scores\":[0.5,0.6]}        | sums to",
                "{\"id\":\"a\",\"ts\":1000,\"text\":\"x\",\"scores\":[1.5,-0.5]}       | outside [0, 1]",
                "{\"id\":\"a\",\"ts\":1000,\"text\":\"x\",\"prediction\":true}         | 'prediction' must be",
                "{\"id\":\"a\",\"id\":\"b\",\"ts\":1000,\"text\":\"x\"}                | Duplicate field",
                "{\"id\":\"a\",\"ts\":1000,\"model\":\"\",\"text\":\"x\"}              | 'model' must be a non-empty string",
                "{\"id\":\"a\",\"ts\":1000,\"image\":\"%%%\"}                          | not valid base64",
                "{\"id\":\"a\",\"ts\":1000,\"image\":\"aGVsbG8gd29ybGQ=\"}             | not a PNG or JPEG",
                "{\"id\":{\"x\":1},\"ts\":1000,\"text\":\"x\"}                         | must not be an object",
                "{\"id\":\"a\",\"ts\":1000,\"text\":\"x\",\"extra\":[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]} | invalid JSON",
            })
    void rejectsWithReason(String raw, String reason) {
        if (reason.equals("-")) {
            reason = "invalid JSON";
        }
        InvalidRecordException e =
                assertThrows(
                        InvalidRecordException.class, () -> parser.parsePrediction(raw.trim()));
        assertTrue(
                e.getMessage().contains(reason),
                () -> "reason '" + e.getMessage() + "' should mention '" + raw + "'");
    }

    @Test
    void rejectsOversizeAndInvalidUtf8() {
        String huge = "{\"id\":\"a\",\"ts\":1000,\"text\":\"" + "x".repeat(200_000) + "\"}";
        assertTrue(
                assertThrows(InvalidRecordException.class, () -> parser.parsePrediction(huge))
                        .getMessage()
                        .startsWith("record too large"));
        assertTrue(
                EventParser.rawForDeadLetter(huge).length()
                        < EventParser.MAX_RAW_IN_DEAD_LETTER + 40);
        assertTrue(
                assertThrows(
                                InvalidRecordException.class,
                                () ->
                                        parser.parsePrediction(
                                                "{\"id\":\"a\",\"ts\":1000,\"text\":\"bad \uFFFD\"}"))
                        .getMessage()
                        .contains("UTF-8"));
    }

    @Test
    void labels() throws Exception {
        LabelEvent l =
                parser.parseLabel(
                        "{\"id\": \"req-000123\", \"ts\": \"2026-11-30T08:00:00Z\", \"label\": \"negative\"}");
        assertEquals(new LabelEvent("req-000123", 1796025600000L, "negative"), l);
        assertEquals(
                "default",
                l.model,
                "a label that names no model belongs to the default one, as events do");
        assertEquals(
                new LabelEvent("sentiment", "req-000123", 1796025600000L, "negative"),
                parser.parseLabel(
                        "{\"id\": \"req-000123\", \"model\": \"sentiment\", \"ts\": \"2026-11-30T08:00:00Z\", \"label\": \"negative\"}"));
        assertThrows(
                InvalidRecordException.class,
                () -> parser.parseLabel("{\"id\":\"x\",\"model\":7,\"ts\":5,\"label\":1}"));
        assertEquals(
                "sensor",
                parser.parseLabel("{\"id\":\"x\",\"ts\":5,\"label\":1}", "sensor").model,
                "the job's default for labels that name no model: its only model");
        assertEquals(
                "m",
                parser.parseLabel("{\"id\":\"x\",\"model\":\"m\",\"ts\":5,\"label\":1}", "sensor")
                        .model);
        assertEquals(1.5, parser.parseLabel("{\"id\":\"x\",\"ts\":5,\"label\":1.5}").value);
        assertEquals("1", parser.parseLabel("{\"id\":\"x\",\"ts\":5,\"label\":1}").label);
        assertEquals(17.0, parser.parseLabel("{\"id\":\"x\",\"ts\":5,\"label\":17}").value);
        assertThrows(
                InvalidRecordException.class, () -> parser.parseLabel("{\"id\":\"x\",\"ts\":5}"));
        assertThrows(
                InvalidRecordException.class,
                () -> parser.parseLabel("{\"id\":\"x\",\"ts\":5,\"label\":[1]}"));
    }

    @Test
    void modelOfBadRecords() {
        assertEquals("m", parser.modelOf("{\"model\":\"m\",\"ts\":\"bad\"}"));
        assertEquals("default", parser.modelOf("{\"ts\":\"bad\"}"));
        assertNull(parser.modelOf("garbage"));
    }

    private static String png(int w, int h) throws Exception {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(img, "png", out);
        return Base64.getEncoder().encodeToString(out.toByteArray());
    }

    @Test
    void namedFeaturesKeepNumbersStringsBooleansAndNulls() throws Exception {
        PredictionEvent e =
                parser.parsePrediction(
                        "{\"id\":\"t\",\"ts\":1000,\"features\":{\"age\":41,\"country\":\"DE\","
                                + "\"member\":true,\"device\":null,\"income\":52000.5}}");
        assertNull(e.features);
        assertEquals(PredictionEvent.Modality.NUMERIC, e.modality());
        NamedValues v = e.namedFeatures;
        assertArrayEquals(new String[] {"age", "country", "member", "device", "income"}, v.names);
        assertArrayEquals(
                new byte[] {
                    NamedValues.NUMBER,
                    NamedValues.STRING,
                    NamedValues.BOOLEAN,
                    NamedValues.NULL,
                    NamedValues.NUMBER
                },
                v.kinds);
        assertEquals(41, v.numbers[0]);
        assertEquals("DE", v.strings[1]);
        assertEquals(1, v.numbers[2]);
        assertEquals(52000.5, v.numbers[4]);
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "{\"a\":{\"b\":1}}|feature 'a' is an object",
                "{\"a\":[1,2]}|feature 'a' is an array",
                "{}|field 'features' is empty",
                "{\"a\":1e999}|not a finite number",
                "{\"\":1}|a feature name is empty"
            })
    void unusableNamedFeaturesAreRejectedWithTheirReason(String features, String reason) {
        InvalidRecordException e =
                assertThrows(
                        InvalidRecordException.class,
                        () ->
                                parser.parsePrediction(
                                        "{\"id\":\"t\",\"ts\":1000,\"features\":"
                                                + features
                                                + "}"));
        assertTrue(e.getMessage().contains(reason), e.getMessage());
    }

    @Test
    void aRecordWithVeryManyNamedFeaturesIsReadInOnePass() throws Exception {
        StringBuilder b = new StringBuilder("{\"id\":\"w\",\"ts\":1000,\"features\":{");
        int n = 200_000;
        for (int i = 0; i < n; i++) {
            b.append(i == 0 ? "" : ",").append("\"c").append(i).append("\":").append(i % 7);
        }
        String raw = b.append("}}").toString();
        PredictionEvent e =
                EventParser.builder().optMaxRecordBytes(raw.length()).build().parsePrediction(raw);
        assertEquals(n, e.namedFeatures.size());
        assertEquals("c199999", e.namedFeatures.names[n - 1]);
        assertEquals(199_999 % 7, e.namedFeatures.numbers[n - 1]);
    }
}
