package io.modelmonitor.pipeline.io;

import io.modelmonitor.detectors.linalg.FlatMatrix;
import io.modelmonitor.models.bundle.Npy;
import io.modelmonitor.pipeline.options.ConfigurationException;
import io.modelmonitor.pipeline.record.EventParser;
import io.modelmonitor.pipeline.record.PredictionEvent;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * A numeric sample for the one-shot {@code drift} command, read by file extension: {@code .npy} (a
 * 2-D float64, float32, int64 or int32 array as numpy writes it, C or Fortran order; a 1-D array is
 * one column), {@code .csv} (a header row naming the columns, then one row of numbers per line), or
 * anything else as JSON lines of numeric {@code features} records.
 *
 * <p>The tabular readers stream into one flat row-major array ({@link FlatMatrix}); their rows
 * carry no ids (exemplars name them by row index). A bad file stops with a {@link
 * ConfigurationException} naming the file and, for CSV, the line and column.
 *
 * @param values the rows
 * @param ids the records' ids (JSON lines), or null for tabular files
 * @param names the column names (CSV header), or null
 */
public record NumericSample(FlatMatrix values, String[] ids, String[] names) {

    /** True when {@code file} is read as a table ({@code .npy} or {@code .csv}). */
    public static boolean isTabular(Path file) {
        String n = file.getFileName().toString().toLowerCase(Locale.ROOT);
        return n.endsWith(".npy") || n.endsWith(".csv");
    }

    /** Reads {@code file} by its extension. */
    public static NumericSample read(Path file, EventParser parser) {
        String n = file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (n.endsWith(".npy")) {
            try {
                FlatMatrix m = Npy.readFlat(file);
                requireRows(m.rows(), file);
                requireFinite(m, file);
                return new NumericSample(m, null, null);
            } catch (java.nio.file.NoSuchFileException e) {
                throw new ConfigurationException(file + ": no such file");
            } catch (IOException e) {
                throw new ConfigurationException(file + ": " + e.getMessage(), e);
            }
        }
        if (n.endsWith(".csv")) {
            return readCsv(file);
        }
        return of(JsonLinesFile.readPredictions(file, parser), file);
    }

    /** The feature arrays of events read from {@code file}, with their ids. */
    public static NumericSample of(List<PredictionEvent> events, Path file) {
        double[][] rows = JsonLinesFile.features(events, file);
        String[] ids = events.stream().map(e -> e.id).toArray(String[]::new);
        return new NumericSample(FlatMatrix.of(rows), ids, null);
    }

    /**
     * The column names of two samples tested against each other: a CSV header's, or null when
     * neither file is a CSV; two CSV headers must agree.
     */
    public static String[] columnNames(
            NumericSample reference, Path referenceFile, NumericSample current, Path currentFile) {
        if (reference.names != null
                && current.names != null
                && !java.util.Arrays.equals(reference.names, current.names)) {
            throw new ConfigurationException(
                    currentFile
                            + ": its header names other columns than "
                            + referenceFile
                            + "'s: "
                            + String.join(",", current.names)
                            + " against "
                            + String.join(",", reference.names));
        }
        return current.names != null ? current.names : reference.names;
    }

    /** Number of rows. */
    public int rows() {
        return values.rows();
    }

    /**
     * Reads a CSV of numbers: the first non-empty line names the columns, every further non-empty
     * line holds one finite number per column (surrounding spaces ignored). Two passes: the first
     * counts lines so the values go straight into one array of the right size.
     */
    static NumericSample readCsv(Path file) {
        long lines;
        try (InputStream in = Files.newInputStream(file)) {
            lines = countLines(in);
        } catch (java.nio.file.NoSuchFileException e) {
            throw new ConfigurationException(file + ": no such file");
        } catch (IOException e) {
            throw new ConfigurationException(file + ": " + e.getMessage(), e);
        }
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String header = r.readLine();
            int lineNo = 1;
            while (header != null && header.isBlank()) {
                header = r.readLine();
                lineNo++;
            }
            if (header == null) {
                throw new ConfigurationException(file + ": empty CSV (a header row is required)");
            }
            if (header.startsWith("\uFEFF")) {
                header = header.substring(1); // a byte-order mark some spreadsheets write
            }
            String[] names = header.split(",", -1);
            for (int j = 0; j < names.length; j++) {
                names[j] = unquote(names[j].strip());
            }
            int cols = names.length;
            if (lines * cols > Integer.MAX_VALUE - 8) {
                throw new ConfigurationException(file + ": too many values for one sample");
            }
            double[] data = new double[(int) (lines * cols)];
            int row = 0;
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                lineNo++;
                if (line.isBlank()) {
                    continue;
                }
                int start = 0;
                int base = row * cols;
                for (int j = 0; j < cols; j++) {
                    int end = line.indexOf(',', start);
                    if (end < 0) {
                        if (j != cols - 1) {
                            throw new ConfigurationException(
                                    file
                                            + ": line "
                                            + lineNo
                                            + ": "
                                            + (j + 1)
                                            + " values, the header names "
                                            + cols
                                            + " columns");
                        }
                        end = line.length();
                    } else if (j == cols - 1) {
                        throw new ConfigurationException(
                                file
                                        + ": line "
                                        + lineNo
                                        + ": more values than the "
                                        + cols
                                        + " columns the header names");
                    }
                    data[base + j] = number(line, start, end, file, lineNo, names[j]);
                    start = end + 1;
                }
                row++;
            }
            requireRows(row, file);
            double[] values =
                    row * cols == data.length ? data : java.util.Arrays.copyOf(data, row * cols);
            return new NumericSample(new FlatMatrix(row, cols, values), null, names);
        } catch (IOException e) {
            throw new ConfigurationException(file + ": " + e.getMessage(), e);
        }
    }

    private static double number(
            String line, int start, int end, Path file, int lineNo, String column) {
        String text = line.substring(start, end).strip();
        double v;
        try {
            v = Double.parseDouble(text);
        } catch (NumberFormatException e) {
            v = Double.NaN;
        }
        if (!Double.isFinite(v)) {
            throw new ConfigurationException(
                    file
                            + ": line "
                            + lineNo
                            + ", column '"
                            + column
                            + "': not a finite number: '"
                            + (text.length() > 40 ? text.substring(0, 40) + "…" : text)
                            + "'");
        }
        return v;
    }

    private static String unquote(String s) {
        return s.length() >= 2 && s.startsWith("\"") && s.endsWith("\"")
                ? s.substring(1, s.length() - 1).replace("\"\"", "\"")
                : s;
    }

    /** Line breaks plus one for a last line without one: an upper bound on the data rows. */
    private static long countLines(InputStream in) throws IOException {
        byte[] buf = new byte[1 << 16];
        long lines = 0;
        int last = '\n';
        for (int n = in.read(buf); n > 0; n = in.read(buf)) {
            for (int i = 0; i < n; i++) {
                if (buf[i] == '\n') {
                    lines++;
                }
            }
            last = buf[n - 1];
        }
        return last == '\n' ? lines : lines + 1;
    }

    private static void requireFinite(FlatMatrix m, Path file) {
        double[] data = m.data();
        for (int p = 0; p < data.length; p++) {
            if (!Double.isFinite(data[p])) {
                throw new ConfigurationException(
                        file
                                + ": row "
                                + p / m.cols()
                                + ", column "
                                + p % m.cols()
                                + " is "
                                + data[p]
                                + " (values must be finite)");
            }
        }
    }

    private static void requireRows(int rows, Path file) {
        if (rows == 0) {
            throw new ConfigurationException(file + ": no rows");
        }
    }
}
