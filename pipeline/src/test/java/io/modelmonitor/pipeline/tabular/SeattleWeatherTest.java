package io.modelmonitor.pipeline.tabular;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.modelmonitor.models.bundle.ReferenceBundle;
import io.modelmonitor.models.tabular.ColumnType;
import io.modelmonitor.models.tabular.TableSchema;
import io.modelmonitor.pipeline.cli.Main;
import io.modelmonitor.pipeline.job.ReferenceValidator;
import io.modelmonitor.pipeline.options.JobSettings;
import io.modelmonitor.pipeline.record.EventParser;
import io.modelmonitor.pipeline.record.InvalidRecordException;
import io.modelmonitor.pipeline.testutil.FileJob;
import io.modelmonitor.pipeline.testutil.JsonLines;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.StreamSupport;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Named, typed, nullable features on real data no one here wrote: Seattle's daily weather 2012-2015
 * (Debian's python3-vega-datasets; fixtures and scipy's figures from
 * src/test/python/gen_weather_fixtures.py). Two random halves of the table show no drift; summer
 * days against winter days drift, temperatures named first; records with missing values are tested,
 * not dead-lettered; a degraded half is flagged per column by data quality. Through {@code fit},
 * {@code drift} (with and without a bundle) and one job run on the MiniCluster.
 */
class SeattleWeatherTest {
    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(2)
                            .build());

    private static final ObjectMapper JSON = new ObjectMapper();
    static final Path FIXTURES = Path.of("src/test/resources/fixtures/weather");
    static final Set<String> TEMPERATURES = Set.of("temp_max", "temp_min");
    static final long T0 = Instant.parse("2026-11-28T00:00:00Z").toEpochMilli();
    static final long HOUR = 3_600_000L;

    @TempDir static Path dir;
    static JsonNode expected;
    static Path halfBundle;
    static Path summerBundle;

    @BeforeAll
    static void fitBundles() throws Exception {
        expected = JSON.readTree(FIXTURES.resolve("expected.json").toFile());
        halfBundle = fit("a.jsonl", "half-a");
        summerBundle = fit("summer.jsonl", "summer");
    }

    static Path fit(String reference, String name) {
        Path out = dir.resolve(name);
        Run r =
                run(
                        "fit",
                        "--reference",
                        FIXTURES.resolve(reference).toString(),
                        "--out",
                        out.toString());
        assertEquals(0, r.status, r.err);
        assertTrue(r.err.contains("weather (categorical, "), r.err);
        return out;
    }

    @Test
    void fitInfersTheSchemaWithItsMissingRates() throws Exception {
        ReferenceBundle bundle = ReferenceBundle.load(halfBundle);
        TableSchema schema = bundle.schema().orElseThrow();
        assertEquals(
                List.of("precipitation", "temp_max", "temp_min", "wind", "weather"),
                schema.names());
        for (int j = 0; j < 4; j++) {
            assertEquals(ColumnType.NUMERIC, schema.column(j).type, schema.column(j).name);
        }
        TableSchema.Column weather = schema.column(4);
        assertEquals(ColumnType.CATEGORICAL, weather.type);
        assertEquals(
                Set.of("sun", "fog", "rain", "drizzle", "snow"), Set.copyOf(weather.categories));
        assertEquals("sun", weather.categories.get(0), "most frequent first");
        TableSchema.Column wind = schema.column(3);
        assertEquals(730, wind.rows);
        assertTrue(wind.missingRate() > 0.02 && wind.missingRate() < 0.07, "" + wind.missing);
        assertTrue(schema.column(1).min < schema.column(1).quantiles[3]);
        assertTrue(Files.isRegularFile(halfBundle.resolve("schema.json")));
        assertEquals(
                5,
                JSON.readTree(halfBundle.resolve("manifest.json").toFile())
                        .get("features")
                        .get("names")
                        .size());
    }

    @Test
    void twoRandomHalvesDoNotDriftAgainstTheBundle() throws Exception {
        JsonNode out = drift("--bundle", halfBundle.toString(), "--current", file("b.jsonl"));
        assertTrue(pValue(out) > 0.01, "halves: " + out.get("drift"));
        assertNoColumnDrift(out);
    }

    @Test
    void twoRandomHalvesDoNotDriftWithoutABundle() throws Exception {
        JsonNode out = drift("--reference", file("a.jsonl"), "--current", file("b.jsonl"));
        assertTrue(pValue(out) > 0.01, "halves: " + out.get("drift"));
        assertNoColumnDrift(out);
        assertMatchesScipy(out, expected.get("halves"));
        assertMatchesNumpy(out, expected.get("halves_mmd"));
    }

    @Test
    void winterAgainstSummerDriftsTemperaturesFirst() throws Exception {
        JsonNode out =
                drift("--reference", file("summer.jsonl"), "--current", file("winter.jsonl"));
        assertSmallest(pValue(out), 500, out);
        assertMatchesScipy(out, expected.get("seasons"));
        assertTemperaturesFirst(out);
        assertMatchesNumpy(out, expected.get("seasons_mmd"));
    }

    @Test
    void winterAgainstASummerBundleDriftsTemperaturesFirst() throws Exception {
        JsonNode out =
                drift("--bundle", summerBundle.toString(), "--current", file("winter.jsonl"));
        assertSmallest(pValue(out), 500, out);
        assertTemperaturesFirst(out);
        JsonNode weather = column(out, "weather");
        assertEquals("chi2", weather.get("test").asText());
        assertTrue(weather.get("drift").asBoolean(), "winter has other weather: " + weather);
    }

    @Test
    void aDegradedHalfIsFlaggedPerColumn() throws Exception {
        JsonNode out =
                drift("--bundle", halfBundle.toString(), "--current", file("b-degraded.jsonl"));
        JsonNode wind = column(out, "wind");
        assertTrue(wind.get("missing_rate").asDouble() > 0.35, wind.toString());
        assertTrue(wind.get("missing_p_value").asDouble() < 1e-20, wind.toString());
        JsonNode weather = column(out, "weather");
        assertEquals(expected.get("hail_in_degraded").asInt(), weather.get("unseen").asInt());
        JsonNode tempMax = column(out, "temp_max");
        assertTrue(tempMax.get("type_mismatch_rate").asDouble() > 0.005, tempMax.toString());
        // a column that did not change keeps its reference missing rate
        assertTrue(column(out, "temp_min").get("missing_p_value").asDouble() > 0.01);
        assertEquals(null, out.get("unknown_columns"));
    }

    @Test
    void unknownColumnsAreIgnoredAndCountedAndRffRunsOnTheSameVectors() throws Exception {
        List<String> lines = new ArrayList<>();
        for (JsonNode e : JsonLines.read(FIXTURES.resolve("winter.jsonl"))) {
            ((ObjectNode) e.get("features")).put("pressure", 1012);
            lines.add(e.toString());
        }
        Path current = JsonLines.write(dir.resolve("winter-pressure.jsonl"), lines);
        JsonNode out =
                drift(
                        "--reference",
                        file("summer.jsonl"),
                        "--current",
                        current.toString(),
                        "--test",
                        "rff");
        assertEquals(lines.size(), out.get("unknown_columns").get("pressure").asInt());
        assertEquals("rff", out.get("drift").get("mmd").get("test").asText());
        assertTrue(out.get("drift").get("mmd").get("drift").asBoolean(), out.toString());
        assertEquals(5, out.get("features").size());
        assertTemperaturesFirst(out);
    }

    @Test
    void theJobTestsRecordsWithMissingValuesAndNamesColumns() throws Exception {
        List<String> events = new ArrayList<>();
        List<JsonNode> half = JsonLines.read(FIXTURES.resolve("b.jsonl"));
        List<JsonNode> winter = new ArrayList<>();
        for (JsonNode e : half) {
            String month = e.get("ts").asText().substring(5, 7);
            if (Set.of("12", "01", "02").contains(month)) {
                winter.add(e);
            }
        }
        List<JsonNode> degraded = JsonLines.read(FIXTURES.resolve("b-degraded.jsonl"));
        addWindow(events, half, 0);
        addWindow(events, winter, 1);
        addWindow(events, degraded, 2);
        long inWindow3 = T0 + 3 * HOUR;
        events.add(
                "{\"id\":\"no-column\",\"ts\":"
                        + inWindow3
                        + ",\"model\":\"weather\",\"features\":{\"humidity\":0.8}}");
        events.add(
                "{\"id\":\"nested\",\"ts\":"
                        + inWindow3
                        + ",\"model\":\"weather\",\"features\":{\"wind\":{\"speed\":3}}}");
        addWindow(events, half.subList(0, 100), 3);
        Path eventsFile = JsonLines.write(dir.resolve("events.jsonl"), events);
        Path labelsFile = JsonLines.write(dir.resolve("labels.jsonl"), List.of());
        JobSettings settings =
                JobSettings.of(
                        "window-size",
                        "1h",
                        "min-window-count",
                        "10",
                        "permutations",
                        "200",
                        "source-idleness",
                        "0s");
        FileJob.Outputs outputs =
                FileJob.run(
                        dir.resolve("job"),
                        settings,
                        Map.of(
                                "weather",
                                ReferenceBundle.load(halfBundle).toModelReference("weather", null)),
                        eventsFile,
                        labelsFile);

        assertEquals(2, outputs.deadLetters().size(), outputs.deadLetters().toString());
        String reasons = outputs.deadLetters().toString();
        assertTrue(reasons.contains("none of the named features is a column"), reasons);
        assertTrue(reasons.contains("feature 'wind' is an object"), reasons);

        JsonNode same = report(outputs, 0);
        assertEquals(half.size(), same.get("count").asInt(), "every record with nulls is tested");
        assertTrue(same.get("drift").get("mmd").get("p_value").asDouble() > 0.01, same.toString());
        JsonNode sameFeatures = same.get("drift").get("features");
        assertEquals(5, sameFeatures.size());
        for (JsonNode f : sameFeatures) {
            assertNotNull(f.get("name"), f.toString());
            assertFalse(f.get("drift").asBoolean(), f.toString());
        }
        assertTrue(byName(sameFeatures, "wind").get("missing_rate").asDouble() > 0);

        JsonNode cold = report(outputs, 1);
        JsonNode exemplars = cold.get("drift").get("mmd").get("exemplars");
        assertEquals(10, exemplars.size());
        for (JsonNode e : exemplars) {
            assertTrue(e.get("id").asText().startsWith("w1-seattle-"), e.toString());
        }
        assertSmallest(cold.get("drift").get("mmd").get("p_value").asDouble(), 200, cold);
        String firstShift =
                cold.get("drift").get("mmd").get("feature_shifts").get(0).get("name").asText();
        assertTrue(TEMPERATURES.contains(firstShift), cold.get("drift").get("mmd").toString());

        List<JsonNode> alerts = outputs.alerts();
        JsonNode featureAlert = alert(alerts, "drift.feature", 1);
        String name = featureAlert.get("message").asText();
        assertTrue(
                name.startsWith("temp_max drifted") || name.startsWith("temp_min drifted"), name);

        JsonNode quality = alert(alerts, "data.quality", 2);
        String message = quality.get("message").asText();
        assertTrue(message.contains("wind"), message);
        assertTrue(message.contains("of rows have an unseen weather"), message);

        Path page = dir.resolve("job/report.html");
        Run report =
                run(
                        "report",
                        "--reports",
                        "file:" + dir.resolve("job/reports.jsonl"),
                        "--alerts",
                        "file:" + dir.resolve("job/alerts.jsonl"),
                        "--events",
                        "file:" + eventsFile,
                        "--out",
                        page.toString());
        assertEquals(0, report.status, report.err);
        String html = Files.readString(page);
        assertTrue(html.contains("<caption>named features</caption>"), "a column table");
        assertTrue(
                html.contains("<td class=\"id\">temp_max (drifted)</td>"),
                "the winter window's drifted column");
        assertTrue(
                html.contains("<td class=\"id\">temp_min</td>")
                        || html.contains("<td class=\"id\">temp_max</td>"),
                "feature shifts by name");
        String firstExemplar = exemplars.get(0).get("id").asText();
        int at = html.indexOf("<td class=\"id\">" + firstExemplar + "</td>");
        assertTrue(at > 0, "the exemplar is named on the page");
        assertTrue(
                html.substring(at, at + 400).contains("temp_max="),
                "with its record's named features: " + html.substring(at, at + 400));
    }

    @Test
    void aSchemaFileSetsColumnTypesAndAWrongOneStopsFit() throws Exception {
        Path types = dir.resolve("types.json");
        Files.writeString(types, "{\"columns\": {\"wind\": \"categorical\"}}");
        Path out = dir.resolve("typed");
        Run ok =
                run(
                        "fit",
                        "--reference",
                        file("a.jsonl"),
                        "--schema",
                        types.toString(),
                        "--out",
                        out.toString());
        assertEquals(0, ok.status, ok.err);
        TableSchema schema = ReferenceBundle.load(out).schema().orElseThrow();
        assertEquals(ColumnType.CATEGORICAL, schema.column(3).type);
        assertTrue(schema.column(3).categories.contains("3.1"), "numbers as their text");
        JsonNode drift = drift("--bundle", out.toString(), "--current", file("b.jsonl"));
        assertEquals("chi2", column(drift, "wind").get("test").asText());

        Files.writeString(types, "{\"columns\": {\"humidity\": \"numeric\"}}");
        Run unknown =
                run(
                        "fit",
                        "--reference",
                        file("a.jsonl"),
                        "--schema",
                        types.toString(),
                        "--out",
                        dir.resolve("bad").toString());
        assertEquals(2, unknown.status);
        assertTrue(unknown.err.contains("'humidity'"), unknown.err);
    }

    @Test
    void theValidatorSaysWhyARecordIsUnusable() throws Exception {
        ReferenceValidator validator =
                new ReferenceValidator(
                        Map.of(
                                "weather",
                                ReferenceBundle.load(halfBundle)
                                        .toModelReference("weather", null)));
        EventParser parser = EventParser.builder().build();
        String head = "{\"id\":\"x\",\"ts\":1000,\"model\":\"weather\",\"features\":";
        InvalidRecordException array =
                assertThrows(
                        InvalidRecordException.class,
                        () -> validator.validate(parser.parsePrediction(head + "[1,2,3]}")));
        assertTrue(
                array.getMessage()
                        .contains(
                                "takes named features (an object with columns precipitation, temp_max"),
                array.getMessage());
        // missing values, unknown extra columns and wrong types are tested, not rejected
        validator.validate(
                parser.parsePrediction(
                        head + "{\"wind\":null,\"temp_max\":\"n/a\",\"pressure\":1012}}"));
    }

    private static void addWindow(List<String> out, List<JsonNode> rows, int window) {
        for (int i = 0; i < rows.size(); i++) {
            ObjectNode e = rows.get(i).deepCopy();
            e.put("id", "w" + window + "-" + e.get("id").asText());
            e.put("ts", T0 + window * HOUR + i * (HOUR / rows.size()));
            out.add(e.toString());
        }
    }

    private static JsonNode report(FileJob.Outputs outputs, int window) {
        String start = Instant.ofEpochMilli(T0 + window * HOUR).toString();
        return outputs.reports().stream()
                .filter(r -> r.get("window_start").asText().equals(start))
                .reduce((a, b) -> b.get("revision").asInt() > a.get("revision").asInt() ? b : a)
                .orElseThrow();
    }

    private static JsonNode alert(List<JsonNode> alerts, String detector, int window) {
        String start = Instant.ofEpochMilli(T0 + window * HOUR).toString();
        return alerts.stream()
                .filter(
                        a ->
                                a.get("detector").asText().equals(detector)
                                        && a.get("status").asText().equals("open")
                                        && a.get("window_start").asText().equals(start))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no " + detector + " alert: " + alerts));
    }

    private static void assertNoColumnDrift(JsonNode out) {
        JsonNode features = out.get("features");
        assertEquals(5, features.size(), out.toString());
        for (JsonNode f : features) {
            assertTrue(f.get("p_value_adjusted").asDouble() > 0.01, f.toString());
            assertTrue(f.get("missing_p_value").asDouble() > 0.001, f.toString());
            assertEquals(0, f.get("type_mismatch_rate").asDouble(), f.toString());
        }
        assertEquals(0, column(out, "weather").get("unseen_rate").asDouble());
    }

    /** The numeric columns' KS and missing-rate p-values are scipy's. */
    private static void assertMatchesScipy(JsonNode out, JsonNode scipy) {
        for (String c : List.of("precipitation", "temp_max", "temp_min", "wind")) {
            JsonNode f = column(out, c);
            JsonNode e = scipy.get(c);
            assertEquals("ks", f.get("test").asText(), f.toString());
            assertClose(e.get("ks_statistic").asDouble(), f.get("statistic").asDouble(), 1e-9);
            assertClose(e.get("ks_p_value").asDouble(), f.get("p_value").asDouble(), 1e-6);
            assertClose(
                    e.get("missing_p_value").asDouble(), f.get("missing_p_value").asDouble(), 1e-9);
        }
    }

    /** The MMD's bandwidth and statistic on the encoded records are numpy's. */
    private static void assertMatchesNumpy(JsonNode out, JsonNode numpy) {
        JsonNode mmd = out.get("drift").get("mmd");
        assertClose(numpy.get("sigma").asDouble(), mmd.get("sigma").asDouble(), 1e-12);
        assertClose(numpy.get("statistic").asDouble(), mmd.get("statistic").asDouble(), 1e-9);
    }

    /** The temperatures have the smallest adjusted p-values and lead the feature shifts. */
    private static void assertTemperaturesFirst(JsonNode out) {
        List<JsonNode> byP =
                StreamSupport.stream(out.get("features").spliterator(), false)
                        .sorted(
                                (a, b) ->
                                        Double.compare(
                                                a.get("p_value").asDouble(),
                                                b.get("p_value").asDouble()))
                        .toList();
        assertEquals(
                TEMPERATURES,
                Set.of(byP.get(0).get("name").asText(), byP.get(1).get("name").asText()),
                out.get("features").toString());
        assertTrue(byP.get(0).get("drift").asBoolean());
        JsonNode shifts = out.get("drift").get("mmd").get("feature_shifts");
        assertTrue(TEMPERATURES.contains(shifts.get(0).get("name").asText()), shifts.toString());
    }

    /** The permutation test's smallest p-value: no permutation reached the observed statistic. */
    private static void assertSmallest(double p, int permutations, JsonNode out) {
        assertEquals(1.0 / (1 + permutations), p, 1e-12, out.toString());
    }

    private static JsonNode column(JsonNode out, String name) {
        return byName(out.get("features"), name);
    }

    private static JsonNode byName(JsonNode features, String name) {
        for (JsonNode f : features) {
            if (f.get("name").asText().equals(name)) {
                return f;
            }
        }
        throw new AssertionError("no column " + name + " in " + features);
    }

    private static double pValue(JsonNode out) {
        return out.get("drift").get("mmd").get("p_value").asDouble();
    }

    private static String file(String name) {
        return FIXTURES.resolve(name).toString();
    }

    private static void assertClose(double expected, double actual, double rel) {
        assertTrue(
                Math.abs(expected - actual) <= rel * Math.max(Math.abs(expected), 1e-300),
                () -> "expected " + expected + " but got " + actual);
    }

    record Run(int status, String out, String err) {}

    static Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream stdout = System.out;
        PrintStream stderr = System.err;
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            int status = Main.execute(args, System.out, System.err);
            return new Run(
                    status,
                    out.toString(StandardCharsets.UTF_8),
                    err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(stdout);
            System.setErr(stderr);
        }
    }

    static JsonNode drift(String... args) throws Exception {
        String[] full = new String[args.length + 3];
        full[0] = "drift";
        System.arraycopy(args, 0, full, 1, args.length);
        full[args.length + 1] = "--permutations";
        full[args.length + 2] = "500";
        Run r = run(full);
        assertEquals(0, r.status, r.err);
        return JSON.readTree(r.out);
    }
}
