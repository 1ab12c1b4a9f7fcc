package io.modelmonitor.pipeline.connect;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Collection;
import java.util.List;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.StatefulSinkWriter;
import org.apache.flink.api.connector.sink2.SupportsWriterState;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.core.io.SimpleVersionedSerializer;

/**
 * Writes lines to one plain file, in order: what a user of {@code --alerts file:alerts.jsonl}
 * expects (Flink's FileSink writes part files that appear only on checkpoints).
 *
 * <p>Exactly-once across restarts: a checkpoint flushes the file and records its length; a restore
 * truncates the file back to that length, and the replayed records are written again. A fresh start
 * (no restored state) truncates the file. Run it with parallelism 1.
 */
public final class JsonLinesFileSink implements Sink<String>, SupportsWriterState<String, Long> {
    private static final long serialVersionUID = 1L;

    private final String path;

    public JsonLinesFileSink(Path path) {
        this.path = path.toAbsolutePath().toString();
    }

    @Override
    public StatefulSinkWriter<String, Long> createWriter(WriterInitContext context)
            throws IOException {
        return new Writer(Path.of(path), 0L);
    }

    @Override
    public StatefulSinkWriter<String, Long> restoreWriter(
            WriterInitContext context, Collection<Long> states) throws IOException {
        long length = states.stream().mapToLong(Long::longValue).max().orElse(0L);
        return new Writer(Path.of(path), length);
    }

    @Override
    public SimpleVersionedSerializer<Long> getWriterStateSerializer() {
        return new LengthSerializer();
    }

    private static final class Writer implements StatefulSinkWriter<String, Long> {
        private final FileChannel channel;
        private ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);

        Writer(Path file, long keepLength) throws IOException {
            Path parent = file.getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            channel.truncate(Math.min(keepLength, channel.size()));
            channel.position(channel.size());
        }

        @Override
        public void write(String line, SinkWriter.Context context) throws IOException {
            byte[] bytes = (line + "\n").getBytes(StandardCharsets.UTF_8);
            if (bytes.length > buffer.remaining()) {
                drain();
                if (bytes.length > buffer.capacity()) {
                    buffer = ByteBuffer.allocate(bytes.length);
                }
            }
            buffer.put(bytes);
        }

        @Override
        public void flush(boolean endOfInput) throws IOException {
            drain();
            if (endOfInput) {
                channel.force(false);
            }
        }

        @Override
        public List<Long> snapshotState(long checkpointId) throws IOException {
            drain();
            channel.force(false);
            return List.of(channel.position());
        }

        private void drain() throws IOException {
            buffer.flip();
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            buffer.clear();
        }

        @Override
        public void close() throws IOException {
            try {
                drain();
            } finally {
                channel.close();
            }
        }
    }

    /** The checkpointed file length. */
    static final class LengthSerializer implements SimpleVersionedSerializer<Long> {
        @Override
        public int getVersion() {
            return 1;
        }

        @Override
        public byte[] serialize(Long length) {
            return ByteBuffer.allocate(Long.BYTES).putLong(length).array();
        }

        @Override
        public Long deserialize(int version, byte[] serialized) throws IOException {
            if (version != 1 || serialized.length != Long.BYTES) {
                throw new IOException("unknown file sink state version " + version);
            }
            return ByteBuffer.wrap(serialized).getLong();
        }
    }
}
