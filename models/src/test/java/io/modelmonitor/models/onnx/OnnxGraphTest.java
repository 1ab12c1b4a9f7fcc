package io.modelmonitor.models.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtSession;
import io.modelmonitor.models.Device;
import io.modelmonitor.models.onnx.OnnxGraph.Attribute;
import io.modelmonitor.models.runtime.NativeRuntimes;
import java.nio.FloatBuffer;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * A graph written by {@link OnnxGraph} is loaded by ONNX Runtime and computes what a plain loop
 * over the same weights computes: Conv (stride 2, padding 1, bias), Relu, GlobalAveragePool,
 * Flatten and Gemm (transposed weights, bias), for a batch of two.
 */
class OnnxGraphTest {
    static final int IN = 2;
    static final int OUT = 3;
    static final int SIZE = 5;
    static final int HIDDEN = 4;

    @Test
    void ortComputesWhatTheGraphSays() throws Exception {
        SplittableRandom r = new SplittableRandom(3);
        float[] convW = random(r, OUT * IN * 3 * 3);
        float[] convB = random(r, OUT);
        float[] gemmW = random(r, HIDDEN * OUT);
        float[] gemmB = random(r, HIDDEN);
        byte[] model =
                OnnxGraph.builder("test")
                        .input("x", IN, SIZE, SIZE)
                        .initializer("cw", new long[] {OUT, IN, 3, 3}, convW)
                        .initializer("cb", new long[] {OUT}, convB)
                        .initializer("gw", new long[] {HIDDEN, OUT}, gemmW)
                        .initializer("gb", new long[] {HIDDEN}, gemmB)
                        .node(
                                "Conv",
                                List.of("x", "cw", "cb"),
                                List.of("c"),
                                Attribute.ints("kernel_shape", 3, 3),
                                Attribute.ints("strides", 2, 2),
                                Attribute.ints("pads", 1, 1, 1, 1))
                        .node("Relu", List.of("c"), List.of("r"))
                        .node("GlobalAveragePool", List.of("r"), List.of("p"))
                        .node("Flatten", List.of("p"), List.of("f"), Attribute.integer("axis", 1))
                        .node(
                                "Gemm",
                                List.of("f", "gw", "gb"),
                                List.of("y"),
                                Attribute.integer("transB", 1))
                        .output("y", HIDDEN)
                        .build();
        int batch = 2;
        float[] x = random(r, batch * IN * SIZE * SIZE);

        float[][] actual;
        try (OrtSession.SessionOptions options = NativeRuntimes.sessionOptions(1, Device.CPU);
                OrtSession session = NativeRuntimes.environment().createSession(model, options);
                OnnxTensor input =
                        OnnxTensor.createTensor(
                                NativeRuntimes.environment(),
                                FloatBuffer.wrap(x),
                                new long[] {batch, IN, SIZE, SIZE});
                OrtSession.Result result = session.run(Map.of("x", input))) {
            actual = (float[][]) result.get(0).getValue();
        }
        for (int b = 0; b < batch; b++) {
            float[] expected = reference(x, b, convW, convB, gemmW, gemmB);
            for (int k = 0; k < HIDDEN; k++) {
                assertEquals(expected[k], actual[b][k], 1e-5, "image " + b + ", output " + k);
            }
        }
    }

    @Test
    void refusesAnInitializerWhoseShapeDoesNotMatchItsValues() {
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class,
                        () ->
                                OnnxGraph.builder("bad")
                                        .initializer("w", new long[] {2, 3}, new float[5]));
        assertEquals("w: shape [2, 3] holds 6 values, got 5", e.getMessage());
    }

    /** The same network as plain loops over image {@code b} of the batch. */
    private static float[] reference(
            float[] x, int b, float[] convW, float[] convB, float[] gemmW, float[] gemmB) {
        int outSize = (SIZE + 2 - 3) / 2 + 1;
        float[] pooled = new float[OUT];
        for (int o = 0; o < OUT; o++) {
            double sum = 0;
            for (int i = 0; i < outSize; i++) {
                for (int j = 0; j < outSize; j++) {
                    double v = convB[o];
                    for (int c = 0; c < IN; c++) {
                        for (int ki = 0; ki < 3; ki++) {
                            for (int kj = 0; kj < 3; kj++) {
                                int row = i * 2 - 1 + ki;
                                int col = j * 2 - 1 + kj;
                                if (row >= 0 && row < SIZE && col >= 0 && col < SIZE) {
                                    v +=
                                            convW[((o * IN + c) * 3 + ki) * 3 + kj]
                                                    * x[((b * IN + c) * SIZE + row) * SIZE + col];
                                }
                            }
                        }
                    }
                    sum += Math.max(0, v);
                }
            }
            pooled[o] = (float) (sum / (outSize * outSize));
        }
        float[] y = new float[HIDDEN];
        for (int k = 0; k < HIDDEN; k++) {
            double v = gemmB[k];
            for (int o = 0; o < OUT; o++) {
                v += gemmW[k * OUT + o] * pooled[o];
            }
            y[k] = (float) v;
        }
        return y;
    }

    private static float[] random(SplittableRandom r, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (r.nextDouble() * 2 - 1);
        }
        return v;
    }
}
