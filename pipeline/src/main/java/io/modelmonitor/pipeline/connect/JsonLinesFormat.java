package io.modelmonitor.pipeline.connect;

import java.io.IOException;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.file.src.reader.SimpleStreamFormat;
import org.apache.flink.connector.file.src.reader.StreamFormat;
import org.apache.flink.connector.file.src.reader.TextLineInputFormat;
import org.apache.flink.core.fs.FSDataInputStream;

/**
 * JSON-lines files, one record per non-blank line. Blank lines separate records in a file and carry
 * none, so they are dropped here, at the file source; every message of a Kafka source, even an
 * empty one, is a record and reaches the parser (and, if empty, the dead letters).
 */
public final class JsonLinesFormat extends SimpleStreamFormat<String> {
    private static final long serialVersionUID = 1L;
    private final TextLineInputFormat lines = new TextLineInputFormat();

    @Override
    public StreamFormat.Reader<String> createReader(Configuration config, FSDataInputStream stream)
            throws IOException {
        StreamFormat.Reader<String> reader = lines.createReader(config, stream);
        return new StreamFormat.Reader<>() {
            @Override
            public String read() throws IOException {
                String line;
                do {
                    line = reader.read();
                } while (line != null && line.isBlank());
                return line;
            }

            @Override
            public void close() throws IOException {
                reader.close();
            }
        };
    }

    @Override
    public TypeInformation<String> getProducedType() {
        return Types.STRING;
    }
}
