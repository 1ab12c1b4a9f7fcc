package io.modelmonitor.pipeline.job;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelmonitor.pipeline.record.DeadLetter;
import io.modelmonitor.pipeline.record.EventParser;
import io.modelmonitor.pipeline.record.InvalidRecordException;
import io.modelmonitor.pipeline.record.LabelEvent;
import io.modelmonitor.pipeline.record.ParsedRecord;
import io.modelmonitor.pipeline.record.PredictionEvent;
import io.modelmonitor.pipeline.references.UnknownModelCounter;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Parses and validates raw records of one source ({@code events} or {@code labels}); nothing
 * escapes: a bad record becomes a {@link DeadLetter} with its reason, counted in the {@code
 * deadLetters} counter. Valid records are counted in {@code records}.
 */
public class ParseFunction extends ProcessFunction<String, ParsedRecord> {
    private static final long serialVersionUID = 1L;
    public static final String EVENTS = "events";
    public static final String LABELS = "labels";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String source;
    private final EventParser parser;
    private final ReferenceValidator validator;
    private transient Counter records;
    private transient Counter deadLetters;
    private transient UnknownModelCounter unknownModels;

    /** Latest valid event time seen: the time dead letters are attributed to. */
    private transient long latestTs;

    public ParseFunction(String source, EventParser parser, ReferenceValidator validator) {
        if (!source.equals(EVENTS) && !source.equals(LABELS)) {
            throw new IllegalArgumentException("source must be 'events' or 'labels'");
        }
        this.source = source;
        this.parser = parser;
        this.validator = validator;
    }

    @Override
    public void open(OpenContext ctx) {
        // modelmonitor_records / modelmonitor_dead_letters (k8s/README.md); the operator name tells
        // the sources apart.
        var group = getRuntimeContext().getMetricGroup().addGroup("modelmonitor");
        records = group.counter("records");
        deadLetters = group.counter("dead_letters");
        unknownModels = new UnknownModelCounter(group);
        latestTs = Long.MIN_VALUE;
    }

    @Override
    public void processElement(String raw, Context ctx, Collector<ParsedRecord> out) {
        // File sources already dropped blank lines (JsonLinesFormat): anything here is a record,
        // and an
        // empty Kafka message becomes a dead letter like any other unreadable record.
        out.collect(parse(raw));
    }

    /** One raw record to a parsed record or a dead letter. */
    ParsedRecord parse(String raw) {
        try {
            if (source.equals(EVENTS)) {
                PredictionEvent e = parser.parsePrediction(raw);
                if (unknownModels != null && !validator.admits(e.model)) {
                    unknownModels.count(e.model);
                }
                validator.validate(e);
                latestTs = Math.max(latestTs, e.ts);
                count(records);
                return ParsedRecord.of(e);
            }
            // A label that names no model belongs to the only monitored model when there is one: a
            // single-model deployment need not repeat the model's name in every label. With several
            // models, labels must name theirs (else "default"), since ids are only unique per
            // model.
            String sole = validator.soleModel();
            LabelEvent l = parser.parseLabel(raw, sole != null ? sole : EventParser.DEFAULT_MODEL);
            latestTs = Math.max(latestTs, l.ts);
            count(records);
            return ParsedRecord.of(l);
        } catch (InvalidRecordException bad) {
            count(deadLetters);
            String kept =
                    raw.length() > EventParser.MAX_RAW_IN_DEAD_LETTER
                            ? raw.substring(0, EventParser.MAX_RAW_IN_DEAD_LETTER)
                            : raw;
            DeadLetter d = new DeadLetter(bad.getMessage(), source, kept, modelOf(raw));
            d.ts = latestTs;
            return ParsedRecord.of(d);
        }
    }

    private static void count(Counter c) {
        if (c != null) {
            c.inc();
        }
    }

    /** The monitored model a bad record names, when it can be read; else the only model, if one. */
    private String modelOf(String raw) {
        if (source.equals(EVENTS) && raw.length() <= EventParser.MAX_RAW_IN_DEAD_LETTER) {
            try {
                JsonNode n = JSON.readTree(raw);
                if (n != null && n.isObject()) {
                    JsonNode m = n.get("model");
                    String model =
                            m == null || m.isNull()
                                    ? EventParser.DEFAULT_MODEL
                                    : m.isTextual() ? m.asText() : null;
                    if (model != null && validator.monitors(model)) {
                        return model;
                    }
                    if (m != null && !m.isNull()) {
                        return null;
                    }
                }
            } catch (Exception unreadable) {
                // falls through to the only model
            }
        }
        return validator.soleModel();
    }
}
