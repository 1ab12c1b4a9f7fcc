package io.modelmonitor.models.bundle;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.modelmonitor.detectors.mmd.MedianHeuristic;
import io.modelmonitor.detectors.mmd.MmdDetector;
import io.modelmonitor.detectors.mmd.NullMode;
import io.modelmonitor.detectors.reduction.Pca;
import io.modelmonitor.models.EncoderIdentity;
import io.modelmonitor.models.Modality;
import io.modelmonitor.models.numeric.Standardizer;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The per-event transform both the job and {@code drift --bundle} use: its checks and its optional
 * parts.
 */
class ModelReferenceTest {
    private static final double[][] ROWS = {
        {1, 2, 3}, {2, 1, 0}, {0, 0, 1}, {3, 3, 3}, {1, 0, 2}, {2, 2, 1}
    };

    @Test
    void aVectorOfAnotherLengthIsRefusedNotTransformed() {
        ModelReference numeric =
                ModelReference.builder("m", Modality.NUMERIC, 3)
                        .optStandardizer(Standardizer.fit(ROWS))
                        .build();
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class, () -> numeric.prepare(new double[] {1, 2}));
        assertEquals("model 'm' expects 3 features, got 2", e.getMessage());
        ModelReference text =
                ModelReference.builder("t", Modality.TEXT, 4)
                        .optEncoder("classpath:x.onnx", new EncoderIdentity("x", "00", 4, Map.of()))
                        .build();
        e = assertThrows(IllegalArgumentException.class, () -> text.prepare(new float[3]));
        assertEquals("model 't' expects 4 embedding values, got 3", e.getMessage());
    }

    @Test
    void withoutPcaOrOutlierModelThePreparedVectorIsTestedAndScoresAreNaN() {
        ModelReference r = ModelReference.builder("m", Modality.NUMERIC, 3).build();
        double[] x = {1, 2, 3};
        assertArrayEquals(x, r.reduce(r.prepare(x)), 0.0);
        assertTrue(Double.isNaN(r.outlierScore(r.prepare(x))));
        assertNull(r.mmdDetector(100, 1, NullMode.CALIBRATED), "no reference sample, no test");
    }

    @Test
    void theMmdDetectorUsesTheReferencesBandwidthAndTheGivenNull() {
        Pca pca = Pca.builder().setComponents(2).fit(ROWS);
        ModelReference r =
                ModelReference.builder("m", Modality.NUMERIC, 3)
                        .optPca(pca)
                        .setReference(pca.transform(ROWS))
                        .optSigma(0.7)
                        .build();
        assertArrayEquals(pca.transform(ROWS[0]), r.reduce(r.prepare(ROWS[0])), 0.0);
        MmdDetector d = r.mmdDetector(50, 3, NullMode.PERMUTATION);
        assertEquals(0.7, d.sigma(), 0.0);
        assertEquals(50, d.permutations());
        assertEquals(NullMode.PERMUTATION, d.nullMode());
        double median = MedianHeuristic.sigma(pca.transform(ROWS));
        ModelReference heuristic =
                ModelReference.builder("m", Modality.NUMERIC, 3)
                        .optPca(pca)
                        .setReference(pca.transform(ROWS))
                        .build();
        assertEquals(median, heuristic.mmdDetector(50, 3, NullMode.CALIBRATED).sigma(), 0.0);
    }

    /** Another model's view of a reference shares every part and differs only in its name. */
    @Test
    void forModelSharesEveryPartButTheName() throws Exception {
        ModelReference ref =
                ModelReference.builder("m", Modality.NUMERIC, 3)
                        .setReference(ROWS)
                        .optReferenceFeatures(ROWS)
                        .optClasses(java.util.List.of("a", "b"), java.util.Map.of("a", 3L, "b", 1L))
                        .build();
        assertSame(ref, ref.forModel("m"));
        ModelReference other = ref.forModel("tenant-7");
        assertEquals("tenant-7", other.model());
        int compared = 0;
        for (java.lang.reflect.Field f : ModelReference.class.getDeclaredFields()) {
            if (java.lang.reflect.Modifier.isStatic(f.getModifiers())
                    || f.getName().equals("model")) {
                continue;
            }
            f.setAccessible(true);
            Object a = f.get(ref);
            Object b = f.get(other);
            if (f.getType().isPrimitive()) {
                assertEquals(a, b, f.getName());
            } else {
                assertSame(a, b, f.getName());
            }
            compared++;
        }
        assertTrue(compared >= 25, "fields compared: " + compared);
    }
}
