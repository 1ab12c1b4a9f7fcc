package io.modelmonitor.models.tabular;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.modelmonitor.detectors.univariate.ColumnDriftTester;
import io.modelmonitor.models.Modality;
import io.modelmonitor.models.bundle.BundleFitter;
import io.modelmonitor.models.bundle.ModelReference;
import io.modelmonitor.models.bundle.ReferenceBundle;
import io.modelmonitor.models.bundle.ReferenceData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TableSchemaTest {
    @TempDir Path dir;

    /** age numeric (one null), country categorical, member boolean, zip an integer code. */
    static List<NamedValues> records() {
        List<NamedValues> out = new ArrayList<>();
        String[] countries = {"DE", "DE", "FR", "DE", "IT", "FR"};
        for (int i = 0; i < countries.length; i++) {
            NamedValues v = new NamedValues();
            if (i == 2) {
                v.add("age", NamedValues.NULL, Double.NaN, null);
            } else {
                v.add("age", NamedValues.NUMBER, 20 + 10 * i, null);
            }
            v.add("country", NamedValues.STRING, Double.NaN, countries[i]);
            v.add("member", NamedValues.BOOLEAN, i % 2, null);
            v.add("zip", NamedValues.NUMBER, 10115 + (i % 2), null);
            out.add(v);
        }
        return out;
    }

    static NamedValues record(Object... nameValue) {
        NamedValues v = new NamedValues();
        for (int i = 0; i < nameValue.length; i += 2) {
            String name = (String) nameValue[i];
            Object x = nameValue[i + 1];
            if (x == null) {
                v.add(name, NamedValues.NULL, Double.NaN, null);
            } else if (x instanceof Number n) {
                v.add(name, NamedValues.NUMBER, n.doubleValue(), null);
            } else if (x instanceof Boolean b) {
                v.add(name, NamedValues.BOOLEAN, b ? 1 : 0, null);
            } else {
                v.add(name, NamedValues.STRING, Double.NaN, (String) x);
            }
        }
        return v;
    }

    @Test
    void infersTypesCategoriesMissingRatesAndRanges() {
        TableSchema s = TableSchema.infer(records(), Map.of());
        assertEquals(List.of("age", "country", "member", "zip"), s.names());
        assertEquals(ColumnType.NUMERIC, s.column(0).type);
        assertEquals(ColumnType.CATEGORICAL, s.column(1).type);
        assertEquals(ColumnType.BOOLEAN, s.column(2).type);
        assertEquals(ColumnType.NUMERIC, s.column(3).type);
        assertEquals(1.0 / 6, s.column(0).missingRate(), 1e-12);
        assertEquals(20, s.column(0).min);
        assertEquals(70, s.column(0).max);
        assertEquals(46, s.column(0).mean, 1e-12); // 20, 30, 50, 60, 70
        assertEquals(50, s.column(0).quantiles[3], 1e-12); // median
        assertEquals(List.of("DE", "FR", "IT"), s.column(1).categories, "most frequent first");
        assertArrayEquals(new long[] {3, 2, 1}, s.column(1).counts);
        assertEquals(List.of("false", "true"), s.column(2).categories);
    }

    @Test
    void aSchemaFileOverridesTheInferredType() {
        Map<String, ColumnType> types =
                TableSchema.readOverrides("{\"columns\": {\"zip\": \"categorical\"}}");
        TableSchema s = TableSchema.infer(records(), types);
        assertEquals(ColumnType.CATEGORICAL, s.column(3).type);
        assertEquals(List.of("10115", "10116"), s.column(3).categories, "integers as their text");
        // a value sent as a string or as a number is the same category
        assertEquals(1, s.encode(record("zip", "10116"))[3]);
        assertEquals(1, s.encode(record("zip", 10116))[3]);
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> TableSchema.infer(records(), Map.of("zipcode", ColumnType.NUMERIC)));
        assertTrue(e.getMessage().contains("'zipcode'"), e.getMessage());
        assertThrows(
                IllegalArgumentException.class,
                () -> TableSchema.readOverrides("{\"columns\": {\"zip\": \"date\"}}"));
    }

    @Test
    void codesMissingUnseenAndMismatchedCells() {
        TableSchema s = TableSchema.infer(records(), Map.of());
        double[] cells =
                s.encode(
                        record(
                                "age", "forty",
                                "country", "ES",
                                "member", "yes",
                                "extra", 1));
        assertEquals(ColumnDriftTester.TYPE_MISMATCH, cells[0]);
        assertEquals(ColumnDriftTester.UNSEEN, cells[1]);
        assertEquals(ColumnDriftTester.TYPE_MISMATCH, cells[2], "a boolean column takes booleans");
        assertTrue(Double.isNaN(cells[3]), "a column the record lacks is missing");
        double[] ok = s.encode(record("age", 41, "country", "FR", "member", true, "zip", null));
        assertArrayEquals(new double[] {41, 1, 1, Double.NaN}, ok);
        assertEquals(1, s.knownColumns(record("age", 1, "extra", 2)));
        assertEquals(0, s.knownColumns(record("extra", 2)));
    }

    @Test
    void theVectorStandardisesNumbersAndEncodesCategoriesWithBoundedWidth() {
        TableSchema s = TableSchema.infer(records(), Map.of());
        // age: 2 (value, missing); country: 3 + unseen + missing; member: 2 + 2; zip: 2
        assertEquals(2 + 5 + 4 + 2, s.vectorDimension());
        double sd = s.column(0).sd;
        double[] v = s.vector(s.encode(record("age", 56, "country", "FR", "member", false)));
        assertEquals(10 / sd, v[0], 1e-12);
        assertEquals(0, v[1]);
        assertArrayEquals(new double[] {0, 1, 0, 0, 0}, slice(v, 2, 7));
        assertArrayEquals(new double[] {1, 0, 0, 0}, slice(v, 7, 11));
        assertArrayEquals(new double[] {0, 1}, slice(v, 11, 13), "zip missing: 0 and indicator");
        double[] odd = s.vector(s.encode(record("age", null, "country", "ES", "member", "yes")));
        assertArrayEquals(new double[] {0, 1}, slice(odd, 0, 2));
        assertArrayEquals(new double[] {0, 0, 0, 1, 0}, slice(odd, 2, 7), "unseen");
        assertArrayEquals(new double[] {0, 0, 0, 1}, slice(odd, 7, 11), "mismatch as missing");

        // 30 categories: the 20 most frequent one-hot, the other 10 in 8 hashed buckets
        List<NamedValues> many = new ArrayList<>();
        for (int c = 0; c < 30; c++) {
            for (int k = 0; k < 40 - c; k++) {
                many.add(record("city", "c" + c));
            }
        }
        TableSchema wide = TableSchema.infer(many, Map.of());
        assertEquals(20 + 8 + 2, wide.vectorDimension());
        assertEquals("c0", wide.column(0).categories.get(0));
        double[] rare = wide.vector(wide.encode(record("city", "c25")));
        assertEquals(1, sum(slice(rare, 20, 28)), "a hashed bucket");
        assertEquals(0, sum(slice(rare, 0, 20)));
        assertEquals(1, wide.vector(wide.encode(record("city", "c3")))[3]);
    }

    @Test
    void perColumnTakesTheLargestCoordinateOfEachColumn() {
        TableSchema s = TableSchema.infer(records(), Map.of());
        double[] coordinates = new double[s.vectorDimension()];
        coordinates[1] = -0.5;
        coordinates[3] = 2;
        coordinates[4] = -3;
        java.util.Arrays.fill(coordinates, 11, 13, Double.NaN);
        double[] columns = s.perColumn(coordinates);
        assertEquals(-0.5, columns[0]);
        assertEquals(-3, columns[1]);
        assertEquals(0, columns[2]);
        assertTrue(Double.isNaN(columns[3]));
    }

    @Test
    void survivesItsJsonForm() {
        TableSchema s = TableSchema.infer(records(), Map.of("zip", ColumnType.CATEGORICAL));
        TableSchema back = TableSchema.fromJson(s.toJson());
        assertEquals(s.toJson(), back.toJson());
        NamedValues r = record("age", 33, "country", "IT", "member", true, "zip", 10115);
        assertArrayEquals(s.encode(r), back.encode(r));
        assertArrayEquals(s.vector(s.encode(r)), back.vector(back.encode(r)));
    }

    @Test
    void aTabularBundleKeepsItsSchemaAndCodedReference() throws Exception {
        SplittableRandom random = new SplittableRandom(5);
        List<NamedValues> rows = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            rows.add(
                    record(
                            "income",
                                    random.nextDouble() < 0.1
                                            ? null
                                            : 40000 + 1000 * random.nextGaussian(),
                            "country", random.nextBoolean() ? "DE" : "FR",
                            "member", random.nextBoolean()));
        }
        TableSchema schema = TableSchema.infer(rows, Map.of());
        double[][] cells = rows.stream().map(schema::encode).toArray(double[][]::new);
        ReferenceData data = ReferenceData.builder().setTable(schema, cells).build();
        ReferenceBundle fitted =
                BundleFitter.builder()
                        .setModality(Modality.NUMERIC)
                        .optPcaComponents(4)
                        .optAutoencoderEpochs(2)
                        .optSeed(3)
                        .build()
                        .fit(data);
        fitted.save(dir.resolve("b"));
        assertTrue(Files.isRegularFile(dir.resolve("b/schema.json")));
        ReferenceBundle loaded = ReferenceBundle.load(dir.resolve("b"));
        assertEquals(schema.toJson(), loaded.schema().orElseThrow().toJson());
        assertEquals(List.of("income", "country", "member"), loaded.featureNames());
        ModelReference ref = loaded.toModelReference("m", null);
        assertEquals(3, ref.referenceFeatures()[0].length, "coded cells, one per column");
        assertEquals(schema.vectorDimension(), ref.inputDimension());
        assertTrue(Double.isInfinite(ref.featureMin()[1]), "no numeric range for categories");
        double[] v = ref.tableVector(schema.encode(record("income", 41000, "country", "DE")));
        assertEquals(4, ref.reduce(ref.prepare(v)).length);
        // the schema file is covered by the manifest's checksums
        Files.writeString(dir.resolve("b/schema.json"), schema.toJson().replace("DE", "ES"));
        Exception e = assertThrows(Exception.class, () -> ReferenceBundle.load(dir.resolve("b")));
        assertTrue(e.getMessage().contains("schema.json"), e.getMessage());
    }

    private static double[] slice(double[] v, int from, int to) {
        return java.util.Arrays.copyOfRange(v, from, to);
    }

    private static double sum(double[] v) {
        return java.util.Arrays.stream(v).sum();
    }
}
