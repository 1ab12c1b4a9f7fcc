package io.modelmonitor.models.bundle;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelmonitor.detectors.linalg.FlatMatrix;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Fixtures written by numpy.save in models/src/test/python/make_fixtures.py. */
class NpyTest {

    private static JsonNode expected;

    @TempDir Path dir;

    @BeforeAll
    static void loadValues() throws IOException {
        try (InputStream in = NpyTest.class.getResourceAsStream("/fixtures/npy.json")) {
            expected = new ObjectMapper().readTree(in);
        }
    }

    static Path fixture(String name) throws Exception {
        return Path.of(NpyTest.class.getResource("/fixtures/npy/" + name + ".npy").toURI());
    }

    static double[] values(String name) {
        JsonNode node = expected.get(name).get("values");
        double[] v = new double[node.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = node.get(i).asDouble();
        }
        return v;
    }

    static int[] shape(String name) {
        JsonNode node = expected.get(name).get("shape");
        int[] s = new int[node.size()];
        for (int i = 0; i < s.length; i++) {
            s[i] = node.get(i).asInt();
        }
        return s;
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "f8_matrix",
                "f8_vector",
                "f4_matrix",
                "f4_vector",
                "f8_tall",
                "f8_fortran",
                "f8_empty_vector"
            })
    void readsNumpyFilesExactly(String name) throws Exception {
        Npy.Array array = Npy.read(fixture(name));
        assertArrayEquals(shape(name), array.shape());
        double[] want = values(name);
        for (int i = 0; i < want.length; i++) {
            // bit-exact, -0.0 included
            assertEquals(
                    Double.doubleToRawLongBits(want[i]),
                    Double.doubleToRawLongBits(array.values()[i]),
                    name + "[" + i + "]: " + want[i] + " vs " + array.values()[i]);
        }
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "f8_matrix",
                "f8_vector",
                "f4_matrix",
                "f8_tall",
                "f8_fortran",
                "i8_vector",
                "f8_empty_vector"
            })
    void streamsNumpyFilesIntoOneRowMajorArray(String name) throws Exception {
        FlatMatrix m = Npy.readFlat(fixture(name));
        int[] shape = shape(name);
        assertEquals(shape[0], m.rows());
        assertEquals(shape.length == 2 ? shape[1] : 1, m.cols());
        double[] want = values(name);
        for (int i = 0; i < want.length; i++) {
            assertEquals(
                    Double.doubleToRawLongBits(want[i]),
                    Double.doubleToRawLongBits(m.data()[i]),
                    name + "[" + i + "]");
        }
    }

    /** Files larger than the read buffer, in both orders: every value lands in its place. */
    @Test
    void streamsLargeFilesInBothOrders(@TempDir Path dir) throws Exception {
        int rows = 70_001;
        int cols = 3;
        double[][] x = new double[rows][cols];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                x[i][j] = i * 10 + j + 0.5;
            }
        }
        Path c = dir.resolve("c.npy");
        Npy.write(c, x);
        // the same values stored column-major, with fortran_order True (same header length)
        double[] columnMajor = new double[rows * cols];
        for (int j = 0; j < cols; j++) {
            for (int i = 0; i < rows; i++) {
                columnMajor[j * rows + i] = x[i][j];
            }
        }
        Path f = dir.resolve("f.npy");
        Npy.write(f, columnMajor);
        byte[] bytes = Files.readAllBytes(c);
        byte[] fortranData = Files.readAllBytes(f);
        byte[] header = Npy.header("<f8", new int[] {rows, cols});
        String text = new String(header, StandardCharsets.ISO_8859_1);
        text = text.replace("'fortran_order': False,", "'fortran_order': True, ");
        byte[] patched = text.getBytes(StandardCharsets.ISO_8859_1);
        byte[] fortran = new byte[bytes.length];
        System.arraycopy(patched, 0, fortran, 0, patched.length);
        int dataStart = fortranData.length - columnMajor.length * 8;
        System.arraycopy(fortranData, dataStart, fortran, patched.length, columnMajor.length * 8);
        Files.write(f, fortran);
        for (Path p : new Path[] {c, f}) {
            FlatMatrix m = Npy.readFlat(p);
            assertEquals(rows, m.rows());
            assertEquals(cols, m.cols());
            for (int i = 0; i < rows; i += 997) {
                for (int j = 0; j < cols; j++) {
                    assertEquals(x[i][j], m.get(i, j), p + " [" + i + "," + j + "]");
                }
            }
            assertEquals(x[rows - 1][cols - 1], m.get(rows - 1, cols - 1));
        }
        Path truncated = dir.resolve("t.npy");
        Files.write(truncated, java.util.Arrays.copyOf(bytes, bytes.length - 8));
        IOException e = assertThrows(IOException.class, () -> Npy.readFlat(truncated));
        assertTrue(e.getMessage().contains("data bytes"), e.getMessage());
    }

    @Test
    void readsInt64Exactly() throws Exception {
        long[] got = Npy.read(fixture("i8_vector")).toLongVector();
        JsonNode node = expected.get("i8_vector").get("values");
        for (int i = 0; i < got.length; i++) {
            assertEquals(node.get(i).asLong(), got[i]);
        }
        assertEquals(1L << 53, got[2]);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "f8_matrix",
                "f8_vector",
                "f4_matrix",
                "f4_vector",
                "i8_vector",
                "f8_tall",
                "f8_empty_vector"
            })
    void writesTheBytesNumpyWrites(String name) throws Exception {
        Npy.Array array = Npy.read(fixture(name));
        Path out = dir.resolve(name + ".npy");
        switch (array.dtype()) {
            case "<f8" -> {
                if (array.shape().length == 2) {
                    Npy.write(out, array.toMatrix());
                } else {
                    Npy.write(out, array.toVector());
                }
            }
            case "<f4" -> {
                if (array.shape().length == 2) {
                    Npy.write(out, array.toFloatMatrix());
                } else {
                    double[] v = array.toVector();
                    float[] f = new float[v.length];
                    for (int i = 0; i < v.length; i++) {
                        f[i] = (float) v[i];
                    }
                    Npy.write(out, f);
                }
            }
            case "<i8" -> Npy.write(out, array.toLongVector());
            default -> throw new AssertionError(array.dtype());
        }
        byte[] numpy = Files.readAllBytes(fixture(name));
        byte[] written = Files.readAllBytes(out);
        assertTrue(
                Arrays.equals(numpy, written),
                name
                        + ": header written "
                        + new String(
                                written,
                                0,
                                Math.min(written.length, 128),
                                StandardCharsets.ISO_8859_1)
                        + " vs numpy "
                        + new String(
                                numpy,
                                0,
                                Math.min(numpy.length, 128),
                                StandardCharsets.ISO_8859_1));
    }

    @Test
    void rejectsTruncatedAndForeignFiles() throws Exception {
        byte[] good = Files.readAllBytes(fixture("f8_matrix"));
        Path truncated = dir.resolve("truncated.npy");
        Files.write(truncated, Arrays.copyOf(good, good.length - 3));
        IOException e = assertThrows(IOException.class, () -> Npy.read(truncated));
        assertTrue(e.getMessage().contains("data bytes"), e.getMessage());
        Path text = dir.resolve("text.npy");
        Files.writeString(text, "{\"not\": \"numpy\"}");
        assertTrue(
                assertThrows(IOException.class, () -> Npy.read(text))
                        .getMessage()
                        .contains("bad magic"));
    }
}
