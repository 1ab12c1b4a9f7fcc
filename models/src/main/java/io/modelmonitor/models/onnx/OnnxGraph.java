package io.modelmonitor.models.onnx;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A small ONNX model written from Java: float inputs and outputs with a dynamic batch dimension,
 * float initializers (weights) and standard operators (Conv, Relu, GlobalAveragePool, Flatten,
 * Gemm, ...). It writes the protobuf wire format of {@code onnx.proto} directly (a handful of
 * message types), so neither the onnx Python package nor generated protobuf classes are needed;
 * ONNX Runtime runs the result. This is how a network trained in Java becomes a model file that the
 * job can run without the training library.
 *
 * <pre>{@code
 * byte[] model = OnnxGraph.builder("features")
 *     .input("pixels", 3, 32, 32)
 *     .initializer("w", new long[] {8, 3, 3, 3}, weights)
 *     .node("Conv", List.of("pixels", "w"), List.of("c"), Attribute.ints("strides", 2, 2), Attribute.ints("pads", 1, 1, 1, 1))
 *     .node("Relu", List.of("c"), List.of("r"))
 *     .node("GlobalAveragePool", List.of("r"), List.of("p"))
 *     .node("Flatten", List.of("p"), List.of("embedding"))
 *     .output("embedding", 8)
 *     .build();
 * }</pre>
 */
public final class OnnxGraph {
    /** IR version 8 with opset 13: read by every ONNX Runtime since 1.10. */
    static final long IR_VERSION = 8;

    static final long OPSET = 13;
    private static final int FLOAT = 1;
    private static final int INT64 = 7;

    private OnnxGraph() {}

    /** A builder for a graph called {@code name}. */
    public static Builder builder(String name) {
        return new Builder(name);
    }

    /** A node attribute: an integer or a list of integers. */
    public record Attribute(String name, long[] ints, boolean list) {
        /**
         * A list-of-integers attribute, e.g. {@code strides}, {@code pads}, {@code kernel_shape}.
         */
        public static Attribute ints(String name, long... values) {
            return new Attribute(name, values.clone(), true);
        }

        /** A single-integer attribute, e.g. {@code axis} or {@code transB}. */
        public static Attribute integer(String name, long value) {
            return new Attribute(name, new long[] {value}, false);
        }

        Proto encode() {
            Proto a = new Proto().string(1, name);
            if (list) {
                for (long v : ints) {
                    a.varint(8, v);
                }
                return a.varint(20, 7); // AttributeType.INTS
            }
            return a.varint(3, ints[0]).varint(20, 2); // AttributeType.INT
        }
    }

    /** Collects the graph's parts in order; {@link #build()} writes the model. */
    public static final class Builder {
        private final String name;
        private final List<Proto> nodes = new ArrayList<>();
        private final List<Proto> initializers = new ArrayList<>();
        private final List<Proto> inputs = new ArrayList<>();
        private final List<Proto> outputs = new ArrayList<>();

        private Builder(String name) {
            this.name = Objects.requireNonNull(name, "name");
        }

        /** A float input of shape {@code [batch, dims...]}, the batch dimension left free. */
        public Builder input(String name, long... dims) {
            inputs.add(valueInfo(name, dims));
            return this;
        }

        /** A float output of shape {@code [batch, dims...]}. */
        public Builder output(String name, long... dims) {
            outputs.add(valueInfo(name, dims));
            return this;
        }

        /** A constant float tensor (weights, biases) of the given shape, row-major. */
        public Builder initializer(String name, long[] dims, float[] values) {
            long size = 1;
            for (long d : dims) {
                size *= d;
            }
            if (size != values.length) {
                throw new IllegalArgumentException(
                        name
                                + ": shape "
                                + java.util.Arrays.toString(dims)
                                + " holds "
                                + size
                                + " values, got "
                                + values.length);
            }
            ByteBuffer raw = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
            raw.asFloatBuffer().put(values);
            Proto t = new Proto();
            for (long d : dims) {
                t.varint(1, d);
            }
            initializers.add(t.varint(2, FLOAT).string(8, name).bytes(9, raw.array()));
            return this;
        }

        /** A constant int64 tensor (e.g. the target shape of a {@code Reshape}), row-major. */
        public Builder initializer(String name, long[] dims, long[] values) {
            ByteBuffer raw = ByteBuffer.allocate(8 * values.length).order(ByteOrder.LITTLE_ENDIAN);
            raw.asLongBuffer().put(values);
            Proto t = new Proto();
            for (long d : dims) {
                t.varint(1, d);
            }
            initializers.add(t.varint(2, INT64).string(8, name).bytes(9, raw.array()));
            return this;
        }

        /** An operator of the default ONNX domain. */
        public Builder node(
                String opType,
                List<String> nodeInputs,
                List<String> nodeOutputs,
                Attribute... attributes) {
            Proto n = new Proto();
            nodeInputs.forEach(i -> n.string(1, i));
            nodeOutputs.forEach(o -> n.string(2, o));
            n.string(3, opType + "_" + nodes.size()).string(4, opType);
            for (Attribute a : attributes) {
                n.message(5, a.encode());
            }
            nodes.add(n);
            return this;
        }

        /** The serialized {@code ModelProto}. */
        public byte[] build() {
            if (inputs.isEmpty() || outputs.isEmpty() || nodes.isEmpty()) {
                throw new IllegalStateException(
                        "a graph needs at least one input, node and output");
            }
            Proto graph = new Proto();
            nodes.forEach(n -> graph.message(1, n));
            graph.string(2, name);
            initializers.forEach(t -> graph.message(5, t));
            inputs.forEach(i -> graph.message(11, i));
            outputs.forEach(o -> graph.message(12, o));
            return new Proto()
                    .varint(1, IR_VERSION)
                    .string(2, "model-monitor")
                    .message(7, graph)
                    .message(8, new Proto().string(1, "").varint(2, OPSET))
                    .toByteArray();
        }

        /** Writes {@link #build()} to {@code file}. */
        public void write(Path file) throws IOException {
            Files.write(file, build());
        }

        private static Proto valueInfo(String name, long[] dims) {
            Proto shape = new Proto().message(1, new Proto().string(2, "batch"));
            for (long d : dims) {
                shape.message(1, new Proto().varint(1, d));
            }
            Proto tensor = new Proto().varint(1, FLOAT).message(2, shape);
            return new Proto().string(1, name).message(2, new Proto().message(1, tensor));
        }
    }

    /**
     * Protobuf wire format: varint (type 0) and length-delimited (type 2) fields, which is all ONNX
     * needs here.
     */
    static final class Proto {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        Proto varint(int field, long value) {
            writeVarint(((long) field << 3) | 0);
            writeVarint(value);
            return this;
        }

        Proto bytes(int field, byte[] value) {
            writeVarint(((long) field << 3) | 2);
            writeVarint(value.length);
            out.writeBytes(value);
            return this;
        }

        Proto string(int field, String value) {
            return bytes(field, value.getBytes(StandardCharsets.UTF_8));
        }

        Proto message(int field, Proto value) {
            return bytes(field, value.toByteArray());
        }

        byte[] toByteArray() {
            return out.toByteArray();
        }

        private void writeVarint(long v) {
            while ((v & ~0x7FL) != 0) {
                out.write((int) ((v & 0x7F) | 0x80));
                v >>>= 7;
            }
            out.write((int) v);
        }
    }
}
