package io.modelmonitor.pipeline.io;

import io.modelmonitor.models.tabular.NamedValues;
import io.modelmonitor.pipeline.options.ConfigurationException;
import io.modelmonitor.pipeline.record.EventParser;
import io.modelmonitor.pipeline.record.InvalidRecordException;
import io.modelmonitor.pipeline.record.LabelEvent;
import io.modelmonitor.pipeline.record.PredictionEvent;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a whole JSON-lines file of events for the one-shot commands ({@code fit}, {@code drift}).
 *
 * <p>Unlike the streaming job, which dead-letters bad records, a one-shot command refuses a bad
 * file outright: a reference with a broken line is a mistake to fix, not noise to skip. The first
 * problem becomes a {@link ConfigurationException} naming the file and line.
 */
public final class JsonLinesFile {
    private JsonLinesFile() {}

    /**
     * Every prediction event of {@code file}; all of one modality, with one feature count for
     * numeric inputs.
     */
    public static List<PredictionEvent> readPredictions(Path file, EventParser parser) {
        List<PredictionEvent> out = new ArrayList<>();
        forEachLine(
                file,
                (line, no) -> {
                    PredictionEvent e = parser.parsePrediction(line);
                    if (!out.isEmpty()) {
                        PredictionEvent first = out.get(0);
                        if (first.modality() != e.modality()) {
                            throw new InvalidRecordException(
                                    "input is "
                                            + e.modality().name().toLowerCase()
                                            + " but line 1 is "
                                            + first.modality().name().toLowerCase()
                                            + ": one file holds one kind of input");
                        }
                        if ((e.namedFeatures == null) != (first.namedFeatures == null)) {
                            throw new InvalidRecordException(
                                    "features are "
                                            + (e.namedFeatures != null ? "named" : "an array")
                                            + " but line 1's are "
                                            + (first.namedFeatures != null ? "named" : "an array")
                                            + ": one file holds one kind of input");
                        }
                        if (e.features != null && e.features.length != first.features.length) {
                            throw new InvalidRecordException(
                                    e.features.length
                                            + " features, but line 1 has "
                                            + first.features.length);
                        }
                    }
                    out.add(e);
                });
        return out;
    }

    /** Every label event of {@code file}. */
    public static List<LabelEvent> readLabels(Path file, EventParser parser) {
        List<LabelEvent> out = new ArrayList<>();
        forEachLine(file, (line, no) -> out.add(parser.parseLabel(line)));
        return out;
    }

    /** The numeric inputs of {@code events} as an n × d matrix. */
    public static double[][] features(List<PredictionEvent> events, Path file) {
        double[][] x = new double[events.size()][];
        for (int i = 0; i < x.length; i++) {
            if (events.get(i).features == null) {
                throw new ConfigurationException(
                        file
                                + ": expected numeric 'features' records, found "
                                + events.get(i).modality().name().toLowerCase());
            }
            x[i] = events.get(i).features;
        }
        return x;
    }

    /** The named features of {@code events}, one per event. */
    public static List<NamedValues> namedFeatures(List<PredictionEvent> events, Path file) {
        List<NamedValues> out = new ArrayList<>(events.size());
        for (PredictionEvent e : events) {
            if (e.namedFeatures == null) {
                throw new ConfigurationException(
                        file + ": expected named 'features' records (an object per event)");
            }
            out.add(e.namedFeatures);
        }
        return out;
    }

    private interface LineHandler {
        void accept(String line, int lineNumber) throws InvalidRecordException;
    }

    private static void forEachLine(Path file, LineHandler handler) {
        int no = 0;
        int records = 0;
        var decoder =
                StandardCharsets.UTF_8
                        .newDecoder()
                        .onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT);
        try (BufferedReader r =
                new BufferedReader(
                        new java.io.InputStreamReader(Files.newInputStream(file), decoder))) {
            String line;
            while ((line = r.readLine()) != null) {
                no++;
                if (line.isBlank()) {
                    continue;
                }
                try {
                    handler.accept(line, no);
                } catch (InvalidRecordException e) {
                    throw new ConfigurationException(file + ":" + no + ": " + e.getMessage(), e);
                }
                records++;
            }
        } catch (NoSuchFileException e) {
            throw new ConfigurationException(file + ": no such file", e);
        } catch (CharacterCodingException e) {
            throw new ConfigurationException(file + ":" + (no + 1) + ": invalid UTF-8", e);
        } catch (IOException e) {
            throw new ConfigurationException(file + ": cannot read: " + e.getMessage(), e);
        }
        if (records == 0) {
            throw new ConfigurationException(file + ": no records");
        }
    }
}
