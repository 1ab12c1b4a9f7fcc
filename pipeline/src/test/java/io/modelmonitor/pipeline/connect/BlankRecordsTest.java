package io.modelmonitor.pipeline.connect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.modelmonitor.pipeline.job.ParseFunction;
import io.modelmonitor.pipeline.job.ReferenceValidator;
import io.modelmonitor.pipeline.record.EventParser;
import io.modelmonitor.pipeline.record.ParsedRecord;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.file.src.reader.StreamFormat;
import org.apache.flink.core.fs.FSDataInputStream;
import org.apache.flink.streaming.api.operators.ProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/** Blank lines of a file carry no record; an empty Kafka message is a record, and a dead letter. */
class BlankRecordsTest {
    @Test
    void fileSourceSkipsBlankLines() throws Exception {
        byte[] file = "{\"a\":1}\n\n   \n{\"b\":2}\n\t\n".getBytes(StandardCharsets.UTF_8);
        StreamFormat.Reader<String> reader =
                new JsonLinesFormat().createReader(new Configuration(), stream(file));
        List<String> lines = new ArrayList<>();
        for (String l = reader.read(); l != null; l = reader.read()) {
            lines.add(l);
        }
        reader.close();
        assertEquals(List.of("{\"a\":1}", "{\"b\":2}"), lines);
    }

    @Test
    void emptyKafkaMessageIsADeadLetter() throws Exception {
        String tombstone = new RawRecordSchema().deserialize(null);
        String empty = new RawRecordSchema().deserialize(new byte[0]);
        ParseFunction parse =
                new ParseFunction(
                        ParseFunction.EVENTS,
                        EventParser.builder().build(),
                        new ReferenceValidator(Map.of()));
        try (OneInputStreamOperatorTestHarness<String, ParsedRecord> h =
                new OneInputStreamOperatorTestHarness<>(new ProcessOperator<>(parse))) {
            h.open();
            h.processElement(new StreamRecord<>(tombstone, 0));
            h.processElement(new StreamRecord<>(empty, 0));
            List<ParsedRecord> out = new ArrayList<>(h.extractOutputValues());
            assertEquals(2, out.size());
            for (ParsedRecord r : out) {
                assertNull(r.prediction);
                assertEquals("empty record", r.deadLetter.reason);
                assertEquals("events", r.deadLetter.source);
            }
        }
    }

    private static FSDataInputStream stream(byte[] bytes) {
        ByteArrayInputStream in = new ByteArrayInputStream(bytes);
        return new FSDataInputStream() {
            private long pos;

            @Override
            public void seek(long desired) {
                throw new UnsupportedOperationException();
            }

            @Override
            public long getPos() {
                return pos;
            }

            @Override
            public int read() {
                int b = in.read();
                if (b >= 0) {
                    pos++;
                }
                return b;
            }
        };
    }
}
