package io.modelmonitor.pipeline.connect;

import java.nio.charset.StandardCharsets;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.common.serialization.SerializationSchema;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;

/**
 * Kafka message values as UTF-8 strings, and back. A null value (tombstone) reads as the empty
 * record, which the parser then dead-letters ("empty record"), instead of failing the job as
 * SimpleStringSchema would.
 */
public final class RawRecordSchema
        implements DeserializationSchema<String>, SerializationSchema<String> {
    private static final long serialVersionUID = 1L;

    @Override
    public String deserialize(byte[] message) {
        return message == null ? "" : new String(message, StandardCharsets.UTF_8);
    }

    @Override
    public boolean isEndOfStream(String nextElement) {
        return false;
    }

    @Override
    public TypeInformation<String> getProducedType() {
        return Types.STRING;
    }

    @Override
    public byte[] serialize(String element) {
        return element.getBytes(StandardCharsets.UTF_8);
    }
}
