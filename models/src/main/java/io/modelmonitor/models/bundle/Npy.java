package io.modelmonitor.models.bundle;

import io.modelmonitor.detectors.linalg.FlatMatrix;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads and writes NumPy {@code .npy} files (format described in numpy's {@code numpy.lib.format}
 * module, "NEP 1"): little-endian {@code float64}, {@code float32}, {@code int64} and {@code
 * int32}, 1-D and 2-D, C order. {@link #readFlat} streams a large numeric array into one flat
 * row-major array without holding the file's bytes. Files are written in format version 1.0
 * byte-for-byte as {@code numpy.save} writes them (same header text, the same spare space after it
 * and the same 64-byte alignment), so {@code np.load} reads them and checksums agree with numpy's
 * own files. Reading also accepts versions 2.0/3.0, big-endian data and Fortran order.
 *
 * <pre>{@code
 * Npy.write(dir.resolve("reference.npy"), reference);        // double[][] → '<f8', (n, k)
 * double[][] back = Npy.read(dir.resolve("reference.npy")).toMatrix();
 * }</pre>
 */
public final class Npy {

    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};

    /** numpy's ARRAY_ALIGN: the data starts at a multiple of 64 bytes. */
    private static final int ALIGN = 64;

    /** numpy's GROWTH_AXIS_MAX_DIGITS: spare header space so the first axis can grow in place. */
    private static final int GROWTH_AXIS_MAX_DIGITS = 21;

    /** Largest header read when streaming (numpy's headers are far smaller). */
    private static final int MAX_HEADER_BYTES = 1 << 16;

    /** Bytes per read when streaming data. */
    private static final int STREAM_BUFFER = 1 << 20;

    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

    private Npy() {}

    /** An array read from a file: its dtype, shape and values in C order. */
    public record Array(String dtype, int[] shape, double[] values, long[] longValues) {

        /** Number of elements. */
        public int size() {
            return values.length;
        }

        /** The values of a 1-D array. */
        public double[] toVector() {
            requireRank(1);
            return values.clone();
        }

        /** The rows of a 2-D array. */
        public double[][] toMatrix() {
            requireRank(2);
            double[][] rows = new double[shape[0]][];
            for (int i = 0; i < shape[0]; i++) {
                rows[i] = Arrays.copyOfRange(values, i * shape[1], (i + 1) * shape[1]);
            }
            return rows;
        }

        /** The rows of a 2-D array as floats (exact for float32 files). */
        public float[][] toFloatMatrix() {
            double[][] rows = toMatrix();
            float[][] out = new float[rows.length][];
            for (int i = 0; i < rows.length; i++) {
                out[i] = new float[rows[i].length];
                for (int j = 0; j < rows[i].length; j++) {
                    out[i][j] = (float) rows[i][j];
                }
            }
            return out;
        }

        /** The values of a 1-D integer array, exactly. */
        public long[] toLongVector() {
            requireRank(1);
            if (longValues == null) {
                throw new IllegalStateException(
                        "array of dtype " + dtype + " is not an integer array");
            }
            return longValues.clone();
        }

        private void requireRank(int rank) {
            if (shape.length != rank) {
                throw new IllegalStateException(
                        "expected a " + rank + "-D array, got shape " + Arrays.toString(shape));
            }
        }
    }

    // ---------------------------------------------------------------- writing

    /** Writes a float64 matrix (all rows of equal length). */
    public static void write(Path file, double[][] rows) throws IOException {
        int cols = columns(rows);
        ByteBuffer data = buffer((long) rows.length * cols * 8);
        for (double[] row : rows) {
            requireColumns(row.length, cols);
            for (double v : row) {
                data.putDouble(v);
            }
        }
        write(file, "<f8", new int[] {rows.length, cols}, data);
    }

    /** Writes a float64 vector. */
    public static void write(Path file, double[] values) throws IOException {
        ByteBuffer data = buffer((long) values.length * 8);
        for (double v : values) {
            data.putDouble(v);
        }
        write(file, "<f8", new int[] {values.length}, data);
    }

    /** Writes a float32 matrix. */
    public static void write(Path file, float[][] rows) throws IOException {
        int cols = rows.length == 0 ? 0 : rows[0].length;
        ByteBuffer data = buffer((long) rows.length * cols * 4);
        for (float[] row : rows) {
            requireColumns(row.length, cols);
            for (float v : row) {
                data.putFloat(v);
            }
        }
        write(file, "<f4", new int[] {rows.length, cols}, data);
    }

    /** Writes a float32 vector. */
    public static void write(Path file, float[] values) throws IOException {
        ByteBuffer data = buffer((long) values.length * 4);
        for (float v : values) {
            data.putFloat(v);
        }
        write(file, "<f4", new int[] {values.length}, data);
    }

    /** Writes an int64 vector. */
    public static void write(Path file, long[] values) throws IOException {
        ByteBuffer data = buffer((long) values.length * 8);
        for (long v : values) {
            data.putLong(v);
        }
        write(file, "<i8", new int[] {values.length}, data);
    }

    private static void write(Path file, String descr, int[] shape, ByteBuffer data)
            throws IOException {
        byte[] header = header(descr, shape);
        byte[] bytes = new byte[header.length + data.capacity()];
        System.arraycopy(header, 0, bytes, 0, header.length);
        System.arraycopy(data.array(), 0, bytes, header.length, data.capacity());
        Files.write(file, bytes);
    }

    /** Magic, version 1.0, header length and the header dict, exactly as numpy.save writes them. */
    static byte[] header(String descr, int[] shape) {
        StringBuilder dict =
                new StringBuilder("{'descr': '")
                        .append(descr)
                        .append("', 'fortran_order': False, 'shape': ")
                        .append(shapeRepr(shape))
                        .append(", }");
        if (shape.length > 0) {
            dict.append(" ".repeat(GROWTH_AXIS_MAX_DIGITS - Integer.toString(shape[0]).length()));
        }
        int prefix = MAGIC.length + 2 + 2; // magic, version, uint16 header length
        int unpadded = prefix + dict.length() + 1; // + the closing newline
        int padding = (ALIGN - unpadded % ALIGN) % ALIGN;
        dict.append(" ".repeat(padding)).append('\n');
        byte[] text = dict.toString().getBytes(StandardCharsets.US_ASCII);
        ByteBuffer header =
                ByteBuffer.allocate(prefix + text.length).order(ByteOrder.LITTLE_ENDIAN);
        header.put(MAGIC).put((byte) 1).put((byte) 0).putShort((short) text.length).put(text);
        return header.array();
    }

    /** Python's repr of a shape tuple: (3,) and (3, 2). */
    private static String shapeRepr(int[] shape) {
        if (shape.length == 1) {
            return "(" + shape[0] + ",)";
        }
        StringBuilder s = new StringBuilder("(");
        for (int i = 0; i < shape.length; i++) {
            s.append(i == 0 ? "" : ", ").append(shape[i]);
        }
        return s.append(')').toString();
    }

    private static ByteBuffer buffer(long bytes) {
        if (bytes > Integer.MAX_VALUE - 1024) {
            throw new IllegalArgumentException(
                    "array too large for one .npy buffer: " + bytes + " bytes");
        }
        return ByteBuffer.allocate((int) bytes).order(ByteOrder.LITTLE_ENDIAN);
    }

    private static int columns(double[][] rows) {
        return rows.length == 0 ? 0 : rows[0].length;
    }

    private static void requireColumns(int length, int cols) {
        if (length != cols) {
            throw new IllegalArgumentException(
                    "ragged matrix: row of " + length + " values, expected " + cols);
        }
    }

    // ---------------------------------------------------------------- reading

    /**
     * Reads a 1-D or 2-D {@code .npy} of float64, float32, int64 or int32.
     *
     * @throws IOException when the file cannot be read or is not a supported {@code .npy}
     */
    public static Array read(Path file) throws IOException {
        return parse(Files.readAllBytes(file), file.toString());
    }

    /** Parses {@code .npy} bytes; {@code name} is used in error messages. */
    public static Array parse(byte[] bytes, String name) throws IOException {
        Header h = header(bytes, bytes.length, name);
        int dataStart = h.dataStart;
        String descr = h.descr;
        boolean fortran = h.fortran;
        int[] shape = h.shape;
        long count = h.count();
        h.requireDataBytes(bytes.length - (long) dataStart, name);
        ByteOrder order = h.order;
        ByteBuffer data =
                ByteBuffer.wrap(bytes, dataStart, bytes.length - dataStart).slice().order(order);
        double[] values = new double[(int) count];
        long[] longs = descr.charAt(1) == 'i' ? new long[(int) count] : null;
        for (int i = 0; i < count; i++) {
            switch (descr.substring(1)) {
                case "f8" -> values[i] = data.getDouble();
                case "f4" -> values[i] = data.getFloat();
                case "i8" -> {
                    longs[i] = data.getLong();
                    values[i] = longs[i];
                }
                default -> {
                    longs[i] = data.getInt();
                    values[i] = longs[i];
                }
            }
        }
        if (fortran && shape.length == 2) {
            int[] positions = fortranToC(shape);
            values = permute(values, positions);
            if (longs != null) {
                long[] c = new long[longs.length];
                for (int i = 0; i < c.length; i++) {
                    c[i] = longs[positions[i]];
                }
                longs = c;
            }
        }
        return new Array(descr, shape, values, longs);
    }

    /** What a {@code .npy} header says: dtype, layout, shape and where the data starts. */
    private record Header(
            String descr, boolean fortran, int[] shape, int dataStart, int width, ByteOrder order) {
        long count() {
            long count = 1;
            for (int s : shape) {
                count *= s;
            }
            return count;
        }

        long dataBytes() {
            return count() * width;
        }

        void requireDataBytes(long held, String name) throws IOException {
            if (held != dataBytes()) {
                throw new IOException(
                        name
                                + " holds "
                                + held
                                + " data bytes, shape "
                                + Arrays.toString(shape)
                                + " of "
                                + descr
                                + " needs "
                                + dataBytes());
            }
        }
    }

    /**
     * Parses the header from the first {@code length} bytes of a file (at least the header).
     *
     * @throws IOException naming the problem when it is not a supported {@code .npy}
     */
    private static Header header(byte[] bytes, int length, String name) throws IOException {
        ByteBuffer in = ByteBuffer.wrap(bytes, 0, length).order(ByteOrder.LITTLE_ENDIAN);
        if (length < 10 || !Arrays.equals(Arrays.copyOf(bytes, MAGIC.length), MAGIC)) {
            throw new IOException(name + " is not a .npy file (bad magic)");
        }
        int major = bytes[6];
        in.position(8);
        int headerLength;
        if (major == 1) {
            headerLength = Short.toUnsignedInt(in.getShort());
        } else if (major == 2 || major == 3) {
            headerLength = in.getInt();
        } else {
            throw new IOException(name + " has unsupported .npy version " + major + "." + bytes[7]);
        }
        int dataStart = in.position() + headerLength;
        if (headerLength < 0 || dataStart > length) {
            throw new IOException(name + " has a truncated .npy header");
        }
        String header =
                new String(
                        bytes,
                        in.position(),
                        headerLength,
                        major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        String descr = group(DESCR, header, name);
        boolean fortran = group(FORTRAN, header, name).equals("True");
        int[] shape = parseShape(group(SHAPE, header, name), name);
        int width =
                switch (descr.length() == 3 ? descr.substring(1) : "") {
                    case "f8", "i8" -> 8;
                    case "f4", "i4" -> 4;
                    default ->
                            throw new IOException(
                                    name
                                            + " has unsupported dtype '"
                                            + descr
                                            + "' (need f8, f4, i8 or i4)");
                };
        ByteOrder order =
                switch (descr.charAt(0)) {
                    case '<', '=', '|' -> ByteOrder.LITTLE_ENDIAN;
                    case '>' -> ByteOrder.BIG_ENDIAN;
                    default ->
                            throw new IOException(
                                    name + " has unsupported byte order in dtype '" + descr + "'");
                };
        return new Header(descr, fortran, shape, dataStart, width, order);
    }

    /**
     * Reads a 2-D (or 1-D, as one column) numeric {@code .npy} into one flat row-major double
     * array, streaming: the file's bytes are read a megabyte at a time and never held whole, and a
     * Fortran-order file is scattered into row-major positions as it is read. The values of int64
     * files above 2⁵³ in magnitude are rounded.
     *
     * @throws IOException when the file cannot be read, is not a supported {@code .npy}, or its
     *     size does not match its shape
     */
    public static FlatMatrix readFlat(Path file) throws IOException {
        String name = file.toString();
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            byte[] head = new byte[(int) Math.min(size, MAX_HEADER_BYTES)];
            ByteBuffer hb = ByteBuffer.wrap(head);
            while (hb.hasRemaining() && ch.read(hb) >= 0) {
                // fill
            }
            Header h = header(head, hb.position(), name);
            int rows = h.shape[0];
            int cols = h.shape.length == 2 ? h.shape[1] : 1;
            h.requireDataBytes(size - h.dataStart, name);
            if (h.count() > Integer.MAX_VALUE - 8) {
                throw new IOException(
                        name + " has " + h.count() + " values, more than one array holds");
            }
            double[] values = new double[(int) h.count()];
            ch.position(h.dataStart);
            ByteBuffer buf = ByteBuffer.allocateDirect(STREAM_BUFFER).order(h.order);
            boolean fortran = h.fortran && h.shape.length == 2;
            char kind = h.descr.charAt(1);
            int next = 0; // index in file order
            while (next < values.length) {
                buf.clear();
                long remaining = (values.length - (long) next) * h.width;
                if (remaining < buf.capacity()) {
                    buf.limit((int) remaining);
                }
                while (buf.hasRemaining()) {
                    if (ch.read(buf) < 0) {
                        throw new IOException(name + " ended early");
                    }
                }
                buf.flip();
                int n = buf.remaining() / h.width;
                for (int k = 0; k < n; k++, next++) {
                    double v =
                            switch (kind) {
                                case 'f' -> h.width == 8 ? buf.getDouble() : buf.getFloat();
                                default -> h.width == 8 ? buf.getLong() : buf.getInt();
                            };
                    // file position e = j * rows + i in Fortran order
                    int at = fortran ? (next % rows) * cols + next / rows : next;
                    values[at] = v;
                }
            }
            return new FlatMatrix(rows, cols, values);
        }
    }

    /** For each C-order position, the index of that element in column-major storage. */
    private static int[] fortranToC(int[] shape) {
        int rows = shape[0];
        int cols = shape[1];
        int[] order = new int[rows * cols];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                order[i * cols + j] = j * rows + i;
            }
        }
        return order;
    }

    private static double[] permute(double[] values, int[] order) {
        double[] out = new double[values.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = values[order[i]];
        }
        return out;
    }

    private static String group(Pattern pattern, String header, String name) throws IOException {
        Matcher m = pattern.matcher(header);
        if (!m.find()) {
            throw new IOException(name + " has a malformed .npy header: " + header.trim());
        }
        return m.group(1);
    }

    private static int[] parseShape(String text, String name) throws IOException {
        String[] parts = text.split(",");
        int rank = 0;
        int[] shape = new int[parts.length];
        for (String part : parts) {
            String trimmed = part.trim();
            if (!trimmed.isEmpty()) {
                try {
                    shape[rank++] = Integer.parseInt(trimmed);
                } catch (NumberFormatException e) {
                    throw new IOException(name + " has a malformed .npy shape: (" + text + ")", e);
                }
            }
        }
        if (rank < 1 || rank > 2) {
            throw new IOException(
                    name + " is a " + rank + "-D array; only 1-D and 2-D are supported");
        }
        return Arrays.copyOf(shape, rank);
    }
}
