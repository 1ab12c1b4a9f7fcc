package io.modelmonitor.models.numeric;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Against numpy mean / std(ddof=0) in models/src/test/python/make_fixtures.py. */
class StandardizerTest {

    @SuppressWarnings("unchecked")
    private static Map<String, Object> fixture() throws Exception {
        try (InputStream in =
                StandardizerTest.class.getResourceAsStream("/fixtures/standardizer.json")) {
            return new ObjectMapper().readValue(in, Map.class);
        }
    }

    @SuppressWarnings("unchecked")
    static double[] vector(Object list) {
        return ((List<Number>) list).stream().mapToDouble(Number::doubleValue).toArray();
    }

    @Test
    @SuppressWarnings("unchecked")
    void matchesNumpyMeanAndPopulationStdWithConstantFeature() throws Exception {
        Map<String, Object> f = fixture();
        List<Object> rows = (List<Object>) f.get("x");
        double[][] x = rows.stream().map(StandardizerTest::vector).toArray(double[][]::new);
        Standardizer s = Standardizer.fit(x);
        double[] mean = vector(f.get("mean"));
        double[] scale = vector(f.get("scale"));
        for (int j = 0; j < mean.length; j++) {
            assertEquals(mean[j], s.mean()[j], 1e-12 * Math.max(1, Math.abs(mean[j])));
            assertEquals(scale[j], s.scale()[j], 1e-12 * scale[j]);
        }
        assertEquals(1.0, s.scale()[3]); // constant feature
        assertArrayEquals(vector(f.get("z_first_row")), s.transform(x[0]), 1e-9);
        assertEquals(0.0, s.transform(x[7])[3]);
    }

    @Test
    void restoresAndRejectsBadScales() {
        Standardizer s = Standardizer.of(new double[] {1, 2}, new double[] {2, 4});
        assertArrayEquals(new double[] {0.5, -0.5}, s.transform(new double[] {2, 0}), 0);
        assertThrows(
                IllegalArgumentException.class,
                () -> Standardizer.of(new double[] {1}, new double[] {0}));
        assertThrows(IllegalArgumentException.class, () -> s.transform(new double[] {1, 2, 3}));
    }

    @Test
    void numericEncoderIsTheIdentityAndChecksWidth() {
        NumericEncoder encoder = new NumericEncoder(3);
        assertArrayEquals(
                new float[] {1.5f, -2f, 0f}, encoder.embed(List.of(new double[] {1.5, -2, 0}))[0]);
        assertThrows(
                IllegalArgumentException.class, () -> encoder.embed(List.of(new double[] {1, 2})));
        assertThrows(
                IllegalArgumentException.class,
                () -> encoder.embed(List.of(new double[] {1, Double.NaN, 2})));
        assertEquals(encoder.identity(), new NumericEncoder(3).identity());
        assertEquals(false, encoder.identity().matches(new NumericEncoder(4).identity()));
    }
}
