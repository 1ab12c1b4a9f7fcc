package io.modelmonitor.pipeline.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code ./monitor drift} against statistics computed independently by numpy/scipy
 * (gen_drift_fixture.py).
 */
class DriftCommandTest {
    private static final Path FIXTURES = Path.of("src/test/resources/fixtures/drift");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static JsonNode expected;

    @BeforeAll
    static void load() throws Exception {
        expected = JSON.readTree(FIXTURES.resolve("expected.json").toFile());
    }

    record Run(int status, String out, String err) {}

    static Run drift(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        String[] full = new String[args.length + 1];
        full[0] = "drift";
        System.arraycopy(args, 0, full, 1, args.length);
        PrintStream stdout = System.out;
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            int status =
                    Main.execute(
                            full, System.out, new PrintStream(err, true, StandardCharsets.UTF_8));
            return new Run(
                    status,
                    out.toString(StandardCharsets.UTF_8),
                    err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(stdout);
        }
    }

    private static void assertClose(double expected, double actual, double rel) {
        assertTrue(
                Math.abs(expected - actual) <= rel * Math.max(Math.abs(expected), 1e-300),
                () -> "expected " + expected + " but got " + actual);
    }

    @Test
    void shiftedSampleMatchesNumpyAndDrifts() throws Exception {
        Run r =
                drift(
                        "--reference",
                        FIXTURES.resolve("reference.jsonl").toString(),
                        "--current",
                        FIXTURES.resolve("current-shifted.jsonl").toString(),
                        "--permutations",
                        "200",
                        "--seed",
                        "3");
        assertEquals(0, r.status(), r.err());
        JsonNode out = JSON.readTree(r.out());
        JsonNode mmd = out.get("drift").get("mmd");
        assertClose(
                expected.get("shifted").get("statistic").asDouble(),
                mmd.get("statistic").asDouble(),
                1e-9);
        assertClose(expected.get("sigma").asDouble(), mmd.get("sigma").asDouble(), 1e-12);
        assertEquals(
                1.0 / 201,
                mmd.get("p_value").asDouble(),
                1e-15,
                "no permutation reaches a 1σ shift");
        assertTrue(mmd.get("drift").asBoolean());
        assertEquals(200, mmd.get("permutations").asInt());
        assertEquals(120, mmd.get("n_reference").asInt());
        assertEquals(60, mmd.get("n_current").asInt());
        JsonNode features = out.get("features");
        assertEquals(3, features.size());
        for (int j = 0; j < 3; j++) {
            assertEquals("ks", features.get(j).get("test").asText());
            assertClose(
                    expected.get("shifted").get("ks_p_values").get(j).asDouble(),
                    features.get(j).get("p_value").asDouble(),
                    1e-9);
            assertClose(
                    expected.get("shifted").get("ks_statistics").get(j).asDouble(),
                    features.get(j).get("statistic").asDouble(),
                    1e-12);
        }
        assertTrue(features.get(1).get("drift").asBoolean());
        assertFalse(features.get(0).get("drift").asBoolean());
        JsonNode shifts = mmd.get("feature_shifts");
        assertEquals(
                1, shifts.get(0).get("index").asInt(), "feature 1 is the shifted one: " + shifts);
        assertEquals(3, shifts.size());
        for (JsonNode f : shifts) {
            assertEquals(
                    expected.get("shifted")
                            .get("feature_shifts")
                            .get(f.get("index").asInt())
                            .asDouble(),
                    f.get("shift").asDouble(),
                    1e-6,
                    "shift of feature " + f.get("index"));
        }
        for (String list : new String[] {"exemplars", "reference_exemplars"}) {
            JsonNode want = expected.get("shifted").get(list);
            JsonNode got = mmd.get(list);
            assertEquals(10, got.size(), list);
            for (int i = 0; i < want.size(); i++) {
                assertEquals(
                        want.get(i).get("id").asText(),
                        got.get(i).get("id").asText(),
                        list + " " + i + ": " + got);
                // the permutation test's kernel blocks are float: 1e-6 absolute
                assertEquals(
                        want.get(i).get("witness").asDouble(),
                        got.get(i).get("witness").asDouble(),
                        1e-6,
                        list + " " + i);
            }
        }
    }

    @Test
    void sameDistributionDoesNotDriftAndIsReproducible() throws Exception {
        String[] args = {
            "--reference",
            FIXTURES.resolve("reference.jsonl").toString(),
            "--current",
            FIXTURES.resolve("current-same.jsonl").toString(),
            "--permutations",
            "300",
            "--seed",
            "11"
        };
        Run r = drift(args);
        assertEquals(0, r.status(), r.err());
        JsonNode mmd = JSON.readTree(r.out()).get("drift").get("mmd");
        assertClose(
                expected.get("same").get("statistic").asDouble(),
                mmd.get("statistic").asDouble(),
                1e-9);
        assertFalse(mmd.get("drift").asBoolean(), r.out());
        assertEquals(r.out(), drift(args).out(), "same inputs and seed give the same output");
    }

    @Test
    void randomFourierFeaturesApproximateTheExactTest() throws Exception {
        Run shifted =
                drift(
                        "--reference",
                        FIXTURES.resolve("reference.jsonl").toString(),
                        "--current",
                        FIXTURES.resolve("current-shifted.jsonl").toString(),
                        "--test",
                        "rff",
                        "--permutations",
                        "200",
                        "--seed",
                        "3");
        assertEquals(0, shifted.status(), shifted.err());
        JsonNode mmd = JSON.readTree(shifted.out()).get("drift").get("mmd");
        assertEquals("rff", mmd.get("test").asText());
        assertClose(expected.get("sigma").asDouble(), mmd.get("sigma").asDouble(), 1e-12);
        // 1024 random features: the statistic within about 10 % of numpy's exact MMD² (RffMmd's
        // error is O(1/√D))
        assertClose(
                expected.get("shifted").get("statistic").asDouble(),
                mmd.get("statistic").asDouble(),
                0.1);
        assertTrue(mmd.get("p_value").asDouble() < 0.01, shifted.out());
        Run same =
                drift(
                        "--reference",
                        FIXTURES.resolve("reference.jsonl").toString(),
                        "--current",
                        FIXTURES.resolve("current-same.jsonl").toString(),
                        "--test",
                        "rff",
                        "--permutations",
                        "300",
                        "--seed",
                        "11");
        assertFalse(
                JSON.readTree(same.out()).get("drift").get("mmd").get("drift").asBoolean(),
                same.out());
        Run withBundle =
                drift(
                        "--bundle",
                        "/nonexistent",
                        "--current",
                        FIXTURES.resolve("current-same.jsonl").toString(),
                        "--test",
                        "rff");
        assertEquals(2, withBundle.status());
        assertTrue(withBundle.err().contains("--test rff"), withBundle.err());
    }

    /**
     * The same numbers as .npy (float64, C and Fortran order) and .csv give exactly the JSON-lines
     * results; CSV headers name the per-feature results, and tabular rows are named by index.
     */
    @ParameterizedTest(name = "{0} vs {1}")
    @CsvSource({
        "reference.npy, current-shifted.npy",
        "reference.csv, current-shifted.csv",
        "reference.jsonl, current-shifted.npy",
        "reference.npy, current-shifted.csv",
        "reference.csv, current-shifted.jsonl"
    })
    void tabularFilesGiveTheJsonResults(String ref, String cur) throws Exception {
        String[] common = {"--permutations", "200", "--seed", "3"};
        Run json =
                drift(
                        concat(
                                new String[] {
                                    "--reference",
                                    FIXTURES.resolve("reference.jsonl").toString(),
                                    "--current",
                                    FIXTURES.resolve("current-shifted.jsonl").toString()
                                },
                                common));
        Run tab =
                drift(
                        concat(
                                new String[] {
                                    "--reference",
                                    FIXTURES.resolve(ref).toString(),
                                    "--current",
                                    FIXTURES.resolve(cur).toString()
                                },
                                common));
        assertEquals(0, tab.status(), tab.err());
        JsonNode a = JSON.readTree(json.out());
        JsonNode b = JSON.readTree(tab.out());
        JsonNode ma = a.get("drift").get("mmd");
        JsonNode mb = b.get("drift").get("mmd");
        assertEquals("mmd", mb.get("test").asText(), "auto runs the exact test on small samples");
        for (String field : new String[] {"statistic", "p_value", "sigma", "n_reference"}) {
            assertEquals(ma.get(field).asDouble(), mb.get(field).asDouble(), 0, field);
        }
        for (int j = 0; j < 3; j++) {
            JsonNode fa = a.get("features").get(j);
            JsonNode fb = b.get("features").get(j);
            assertEquals(fa.get("p_value").asDouble(), fb.get("p_value").asDouble(), 0);
            if (cur.endsWith(".csv") || ref.endsWith(".csv")) {
                assertEquals("x" + j, fb.get("name").asText());
            } else {
                assertFalse(fb.has("name"));
            }
        }
        // current ids are cur-<row>: tabular exemplars carry the row index instead
        for (int i = 0; i < 10; i++) {
            JsonNode e = mb.get("exemplars").get(i);
            assertEquals(
                    ma.get("exemplars").get(i).get("id").asText(),
                    cur.endsWith(".jsonl")
                            ? e.get("id").asText()
                            : "cur-" + e.get("index").asInt());
        }
    }

    @Test
    void float32FilesAreReadAsTheirFloatValues() throws Exception {
        Run r =
                drift(
                        "--reference",
                        FIXTURES.resolve("reference.npy").toString(),
                        "--current",
                        FIXTURES.resolve("current-shifted-f4.npy").toString(),
                        "--permutations",
                        "200",
                        "--seed",
                        "3");
        assertEquals(0, r.status(), r.err());
        assertClose(
                expected.get("shifted").get("statistic").asDouble(),
                JSON.readTree(r.out()).get("drift").get("mmd").get("statistic").asDouble(),
                1e-5);
    }

    @Test
    void randomFeatureHotellingTestOnRequest() throws Exception {
        Run shifted =
                drift(
                        "--reference",
                        FIXTURES.resolve("reference.npy").toString(),
                        "--current",
                        FIXTURES.resolve("current-shifted.csv").toString(),
                        "--test",
                        "rff_hotelling",
                        "--seed",
                        "3");
        assertEquals(0, shifted.status(), shifted.err());
        JsonNode mmd = JSON.readTree(shifted.out()).get("drift").get("mmd");
        assertEquals("rff_hotelling", mmd.get("test").asText());
        assertEquals(64, mmd.get("random_features").asInt());
        assertClose(expected.get("sigma").asDouble(), mmd.get("sigma").asDouble(), 1e-12);
        assertTrue(mmd.get("p_value").asDouble() < 0.01, shifted.out());
        assertEquals(1, mmd.get("feature_shifts").get(0).get("index").asInt(), shifted.out());
        assertEquals(10, mmd.get("exemplars").size());
        assertTrue(mmd.get("exemplars").get(0).has("index"));
        Run same =
                drift(
                        "--reference",
                        FIXTURES.resolve("reference.jsonl").toString(),
                        "--current",
                        FIXTURES.resolve("current-same.jsonl").toString(),
                        "--test",
                        "rff_hotelling");
        JsonNode sameMmd = JSON.readTree(same.out()).get("drift").get("mmd");
        assertFalse(sameMmd.get("drift").asBoolean(), same.out());
        assertTrue(sameMmd.get("exemplars").get(0).get("id").asText().startsWith("cur-"));
    }

    @Test
    void randomFeatureTestRefusesTooFewRowsInOneLine(@TempDir Path dir) throws Exception {
        Path small = dir.resolve("small.csv");
        Files.writeString(small, "\uFEFFa,b\n1,2\n3,4\n5,6\n7,9\n");
        Run r =
                drift(
                        "--reference",
                        small.toString(),
                        "--current",
                        small.toString(),
                        "--test",
                        "rff_hotelling");
        assertEquals(2, r.status(), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertTrue(r.err().contains("use --test mmd"), r.err());
        Run exact = drift("--reference", small.toString(), "--current", small.toString());
        assertEquals(0, exact.status(), exact.err());
        JsonNode f = JSON.readTree(exact.out()).get("features");
        assertEquals(
                "a", f.get(0).get("name").asText(), "the byte-order mark is not part of the name");
        Path other = dir.resolve("other.csv");
        Files.writeString(other, "a,c\n1,2\n3,4\n");
        Run mismatch = drift("--reference", small.toString(), "--current", other.toString());
        assertEquals(2, mismatch.status(), mismatch.err());
        assertTrue(mismatch.err().contains("a,c against a,b"), mismatch.err());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            quoteCharacter = '"',
            value = {
                "bad.csv | x0,x1,x2\\n1,2,3\\n1,oops,3 | line 3, column 'x1': not a finite number: 'oops'",
                "bad.csv | x0,x1,x2\\n1,2 | line 2: 2 values, the header names 3 columns",
                "bad.csv | x0,x1,x2\\n1,2,3,4 | line 2: more values than the 3 columns",
                "bad.csv | x0,x1,x2\\n1,nan,3 | not a finite number: 'nan'",
                "bad.csv | x0,x1,x2 | no rows",
                "bad.npy | not numpy | not a .npy file",
            })
    void badTabularFilesExitTwoWithOneLine(
            String name, String content, String reason, @TempDir Path dir) throws Exception {
        Path bad = dir.resolve(name);
        Files.writeString(bad, content.replace("\\n", "\n"));
        Run r =
                drift(
                        "--reference",
                        FIXTURES.resolve("reference.npy").toString(),
                        "--current",
                        bad.toString());
        assertEquals(2, r.status(), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertTrue(r.err().contains(reason), r.err());
        assertTrue(r.err().contains(name), "names the file: " + r.err());
    }

    @Test
    void sigmaOverride() throws Exception {
        Run r =
                drift(
                        "--reference",
                        FIXTURES.resolve("reference.jsonl").toString(),
                        "--current",
                        FIXTURES.resolve("current-shifted.jsonl").toString(),
                        "--sigma",
                        "2",
                        "--permutations",
                        "20");
        assertEquals(0, r.status(), r.err());
        JsonNode mmd = JSON.readTree(r.out()).get("drift").get("mmd");
        assertEquals(2.0, mmd.get("sigma").asDouble());
        assertClose(
                expected.get("shifted_sigma_2").get("statistic").asDouble(),
                mmd.get("statistic").asDouble(),
                1e-9);
    }

    @Test
    void exemplarCountIsAFlag() throws Exception {
        String[] files = {
            "--reference",
            FIXTURES.resolve("reference.jsonl").toString(),
            "--current",
            FIXTURES.resolve("current-shifted.jsonl").toString(),
            "--permutations",
            "20"
        };
        JsonNode three =
                JSON.readTree(drift(concat(files, "--exemplars", "3")).out())
                        .get("drift")
                        .get("mmd");
        assertEquals(3, three.get("exemplars").size());
        assertEquals(
                expected.get("shifted").get("exemplars").get(0).get("id").asText(),
                three.get("exemplars").get(0).get("id").asText());
        JsonNode none =
                JSON.readTree(drift(concat(files, "--exemplars", "0")).out())
                        .get("drift")
                        .get("mmd");
        assertFalse(none.has("exemplars") || none.has("reference_exemplars"), none.toString());
        assertEquals(2, drift(concat(files, "--exemplars", "-1")).status());
    }

    private static String[] concat(String[] a, String... b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "not json       | this is not json                                                      | invalid JSON",
                "mixed lengths  | {\"id\":\"a\",\"ts\":1,\"features\":[1,2,3]}\\n{\"id\":\"b\",\"ts\":2,\"features\":[1,2]} | 2 features, but line 1 has 3",
                "nan            | {\"id\":\"a\",\"ts\":1,\"features\":[1,NaN,3]}                      | invalid JSON",
                "empty          | ''                                                                    | no records",
                "text input     | {\"id\":\"a\",\"ts\":1,\"text\":\"hello\"}                          | expected numeric 'features'",
            })
    void badFilesExitTwoWithOneLine(String name, String content, String reason, @TempDir Path dir)
            throws Exception {
        Path bad = dir.resolve("bad.jsonl");
        Files.writeString(bad, content.replace("\\n", "\n"));
        Run r =
                drift(
                        "--reference",
                        FIXTURES.resolve("reference.jsonl").toString(),
                        "--current",
                        bad.toString());
        assertEquals(2, r.status());
        assertEquals("", r.out());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertTrue(r.err().contains(reason), r.err());
        assertTrue(r.err().contains("bad.jsonl"), "names the file: " + r.err());
    }

    @Test
    void withABundleTheMmdRunsOnTheBundlesReduction(@TempDir Path dir) throws Exception {
        Path bundle = dir.resolve("bundle");
        assertEquals(
                0,
                Main.execute(
                        new String[] {
                            "fit",
                            "--reference",
                            FIXTURES.resolve("reference.jsonl").toString(),
                            "--out",
                            bundle.toString()
                        },
                        new PrintStream(new ByteArrayOutputStream()),
                        System.err));
        Run shifted =
                drift(
                        "--reference",
                        FIXTURES.resolve("reference.jsonl").toString(),
                        "--current",
                        FIXTURES.resolve("current-shifted.jsonl").toString(),
                        "--bundle",
                        bundle.toString(),
                        "--permutations",
                        "200");
        assertEquals(0, shifted.status(), shifted.err());
        JsonNode out = JSON.readTree(shifted.out());
        assertTrue(out.get("drift").get("mmd").get("drift").asBoolean(), shifted.out());
        assertTrue(out.get("features") == null, "per-feature tests are for raw features only");
        Run same =
                drift(
                        "--reference",
                        FIXTURES.resolve("reference.jsonl").toString(),
                        "--current",
                        FIXTURES.resolve("current-same.jsonl").toString(),
                        "--bundle",
                        bundle.toString(),
                        "--permutations",
                        "200");
        assertFalse(
                JSON.readTree(same.out()).get("drift").get("mmd").get("drift").asBoolean(),
                same.out());
        Run broken =
                drift(
                        "--reference",
                        FIXTURES.resolve("reference.jsonl").toString(),
                        "--current",
                        FIXTURES.resolve("current-same.jsonl").toString(),
                        "--bundle",
                        dir.resolve("nope").toString());
        assertEquals(2, broken.status());
        assertEquals(1, broken.err().strip().lines().count(), broken.err());
    }

    @Test
    void badUsage() {
        assertEquals(2, drift("--current", "x").status());
        assertEquals(
                2, drift("--reference", "x", "--current", "y", "--permutations", "many").status());
        Run missing = drift("--reference", "/nonexistent.jsonl", "--current", "y");
        assertEquals(2, missing.status());
        assertTrue(missing.err().contains("no such file"), missing.err());
    }
}
