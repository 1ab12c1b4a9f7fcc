package io.modelmonitor.pipeline.recovery;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.watermark.WatermarkDeclaration;
import org.apache.flink.api.connector.source.Boundedness;
import org.apache.flink.api.connector.source.ReaderOutput;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.api.connector.source.SourceOutput;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.KafkaSourceEnumState;
import org.apache.flink.connector.kafka.source.split.KafkaPartitionSplit;
import org.apache.flink.core.io.InputStatus;
import org.apache.flink.core.io.SimpleVersionedSerializer;

/**
 * A {@link KafkaSource} whose reader fails the job once, in a way that leaves the restart something
 * to reconcile: state restored from a checkpoint in the middle of the stream, records to replay,
 * and output written after that checkpoint in a transaction that must be aborted.
 *
 * <ol>
 *   <li>The reader emits the first {@code holdAfter} records, then emits nothing until a checkpoint
 *       taken during this pause has completed: without the pause the whole bounded topic is read
 *       before the first checkpoint. That checkpoint is the one to restore.
 *   <li>It reads on to {@code failAfter} records and waits there until the test completes {@link
 *       #FAIL_NOW} (the test does once it sees output of the replayed part in the sink's topic,
 *       uncommitted). Every checkpoint after the one to restore is failed by the split enumerator
 *       (the job tolerates failed checkpoints; a reader that throws in its snapshot fails the task
 *       instead), so that nothing written since the restore point is committed.
 *   <li>It throws; the restarted reader (a new attempt) just reads.
 * </ol>
 *
 * <p>What happened is recorded in static fields: the MiniCluster runs the job in the test's JVM and
 * class loader, and the source itself is serialized into the job graph.
 */
final class FailOnceKafkaSource
        implements Source<String, KafkaPartitionSplit, KafkaSourceEnumState> {
    private static final long serialVersionUID = 1L;

    /**
     * Set when the injected failure has been thrown: it is thrown once per JVM until {@link
     * #reset()}.
     */
    static final AtomicBoolean FAILED = new AtomicBoolean();

    /**
     * The checkpoint taken during the pause, -1 before: later ones fail until the injected failure.
     * Set in the reader's snapshot, so before any later checkpoint is triggered (one at a time).
     */
    static final AtomicLong CHECKPOINT_TO_RESTORE = new AtomicLong(-1);

    /** Completed by the test: the reader waiting at {@code failAfter} then throws. */
    static volatile CompletableFuture<Void> FAIL_NOW = new CompletableFuture<>();

    /**
     * Per reader created (one per execution attempt), the starting offsets of the splits it was
     * given.
     */
    static final List<List<Long>> SPLIT_STARTS_PER_READER = new CopyOnWriteArrayList<>();

    private final KafkaSource<String> kafka;
    private final long holdAfter;
    private final long failAfter;

    FailOnceKafkaSource(KafkaSource<String> kafka, long holdAfter, long failAfter) {
        if (holdAfter <= 0 || failAfter <= holdAfter) {
            throw new IllegalArgumentException("need 0 < holdAfter < failAfter");
        }
        this.kafka = kafka;
        this.holdAfter = holdAfter;
        this.failAfter = failAfter;
    }

    static void reset() {
        FAILED.set(false);
        CHECKPOINT_TO_RESTORE.set(-1);
        FAIL_NOW = new CompletableFuture<>();
        SPLIT_STARTS_PER_READER.clear();
    }

    @Override
    public Boundedness getBoundedness() {
        return kafka.getBoundedness();
    }

    @Override
    public SplitEnumerator<KafkaPartitionSplit, KafkaSourceEnumState> createEnumerator(
            SplitEnumeratorContext<KafkaPartitionSplit> context) throws Exception {
        return new CheckpointFailingEnumerator(kafka.createEnumerator(context));
    }

    @Override
    public SplitEnumerator<KafkaPartitionSplit, KafkaSourceEnumState> restoreEnumerator(
            SplitEnumeratorContext<KafkaPartitionSplit> context, KafkaSourceEnumState checkpoint)
            throws Exception {
        return new CheckpointFailingEnumerator(kafka.restoreEnumerator(context, checkpoint));
    }

    @Override
    public SimpleVersionedSerializer<KafkaPartitionSplit> getSplitSerializer() {
        return kafka.getSplitSerializer();
    }

    @Override
    public SimpleVersionedSerializer<KafkaSourceEnumState> getEnumeratorCheckpointSerializer() {
        return kafka.getEnumeratorCheckpointSerializer();
    }

    @Override
    public Set<? extends WatermarkDeclaration> declareWatermarks() {
        return kafka.declareWatermarks();
    }

    @Override
    public SourceReader<String, KafkaPartitionSplit> createReader(SourceReaderContext context)
            throws Exception {
        List<Long> splitStarts = new CopyOnWriteArrayList<>();
        SPLIT_STARTS_PER_READER.add(splitStarts);
        return new Reader(kafka.createReader(context), splitStarts);
    }

    /**
     * The Kafka enumerator, failing the checkpoints after {@link #CHECKPOINT_TO_RESTORE} until the
     * failure.
     */
    private static final class CheckpointFailingEnumerator
            implements SplitEnumerator<KafkaPartitionSplit, KafkaSourceEnumState> {
        private final SplitEnumerator<KafkaPartitionSplit, KafkaSourceEnumState> kafkaEnumerator;

        CheckpointFailingEnumerator(
                SplitEnumerator<KafkaPartitionSplit, KafkaSourceEnumState> kafkaEnumerator) {
            this.kafkaEnumerator = kafkaEnumerator;
        }

        @Override
        public KafkaSourceEnumState snapshotState(long checkpointId) throws Exception {
            long toRestore = CHECKPOINT_TO_RESTORE.get();
            if (!FAILED.get() && toRestore >= 0 && checkpointId > toRestore) {
                throw new IllegalStateException(
                        "checkpoint "
                                + checkpointId
                                + " failed on purpose: the injected "
                                + "failure is to restore an earlier one");
            }
            return kafkaEnumerator.snapshotState(checkpointId);
        }

        @Override
        public void start() {
            kafkaEnumerator.start();
        }

        @Override
        public void handleSplitRequest(int subtaskId, String requesterHostname) {
            kafkaEnumerator.handleSplitRequest(subtaskId, requesterHostname);
        }

        @Override
        public void addSplitsBack(List<KafkaPartitionSplit> splits, int subtaskId) {
            kafkaEnumerator.addSplitsBack(splits, subtaskId);
        }

        @Override
        public void addReader(int subtaskId) {
            kafkaEnumerator.addReader(subtaskId);
        }

        @Override
        public void notifyCheckpointComplete(long checkpointId) throws Exception {
            kafkaEnumerator.notifyCheckpointComplete(checkpointId);
        }

        @Override
        public void notifyCheckpointAborted(long checkpointId) throws Exception {
            kafkaEnumerator.notifyCheckpointAborted(checkpointId);
        }

        @Override
        public void handleSourceEvent(
                int subtaskId, org.apache.flink.api.connector.source.SourceEvent event) {
            kafkaEnumerator.handleSourceEvent(subtaskId, event);
        }

        @Override
        public void close() throws java.io.IOException {
            kafkaEnumerator.close();
        }
    }

    private final class Reader implements SourceReader<String, KafkaPartitionSplit> {
        private final SourceReader<String, KafkaPartitionSplit> kafkaReader;
        private final List<Long> splitStarts;
        private final CompletableFuture<Void> released = new CompletableFuture<>();

        /** The first checkpoint taken during the pause; -1 before. */
        private long pauseCheckpoint = -1;

        private long emitted;
        private CountingReaderOutput counting;

        Reader(SourceReader<String, KafkaPartitionSplit> kafkaReader, List<Long> splitStarts) {
            this.kafkaReader = kafkaReader;
            this.splitStarts = splitStarts;
        }

        /**
         * Only the attempt that has not failed yet pauses and fails; the restarted one just reads.
         */
        private boolean injecting() {
            return !FAILED.get();
        }

        private boolean paused() {
            return injecting() && emitted >= holdAfter && !released.isDone();
        }

        private boolean waitingToFail() {
            return injecting() && emitted >= failAfter && !FAIL_NOW.isDone();
        }

        @Override
        public InputStatus pollNext(ReaderOutput<String> output) throws Exception {
            if (paused() || waitingToFail()) {
                return InputStatus.NOTHING_AVAILABLE;
            }
            if (injecting() && emitted >= failAfter) {
                FAILED.set(true);
                throw new IllegalStateException("injected failure after " + emitted + " records");
            }
            if (counting == null || counting.out != output) {
                counting = new CountingReaderOutput(output);
            }
            return kafkaReader.pollNext(counting);
        }

        @Override
        public CompletableFuture<Void> isAvailable() {
            if (paused()) {
                return released;
            }
            return waitingToFail() ? FAIL_NOW : kafkaReader.isAvailable();
        }

        @Override
        public List<KafkaPartitionSplit> snapshotState(long checkpointId) {
            if (paused() && pauseCheckpoint < 0) {
                pauseCheckpoint = checkpointId;
                CHECKPOINT_TO_RESTORE.set(checkpointId);
            }
            return kafkaReader.snapshotState(checkpointId);
        }

        @Override
        public void notifyCheckpointComplete(long checkpointId) throws Exception {
            kafkaReader.notifyCheckpointComplete(checkpointId);
            if (pauseCheckpoint >= 0 && checkpointId >= pauseCheckpoint && !released.isDone()) {
                released.complete(null);
            }
        }

        @Override
        public void notifyCheckpointAborted(long checkpointId) throws Exception {
            kafkaReader.notifyCheckpointAborted(checkpointId);
            if (checkpointId == pauseCheckpoint && !released.isDone()) {
                // Still paused: the next checkpoint becomes the one to restore.
                pauseCheckpoint = -1;
                CHECKPOINT_TO_RESTORE.set(-1);
            }
        }

        @Override
        public void start() {
            kafkaReader.start();
        }

        @Override
        public void addSplits(List<KafkaPartitionSplit> splits) {
            List<Long> starts = new ArrayList<>();
            for (KafkaPartitionSplit s : splits) {
                starts.add(s.getStartingOffset());
            }
            splitStarts.addAll(starts);
            kafkaReader.addSplits(splits);
        }

        @Override
        public void notifyNoMoreSplits() {
            kafkaReader.notifyNoMoreSplits();
        }

        @Override
        public void handleSourceEvents(org.apache.flink.api.connector.source.SourceEvent event) {
            kafkaReader.handleSourceEvents(event);
        }

        @Override
        public void pauseOrResumeSplits(
                java.util.Collection<String> pause, java.util.Collection<String> resume) {
            kafkaReader.pauseOrResumeSplits(pause, resume);
        }

        @Override
        public void close() throws Exception {
            kafkaReader.close();
        }

        /** Counts what the Kafka reader emits, through the reader output or a per-split output. */
        private final class CountingReaderOutput implements ReaderOutput<String> {
            private final ReaderOutput<String> out;

            CountingReaderOutput(ReaderOutput<String> out) {
                this.out = out;
            }

            @Override
            public void collect(String record) {
                emitted++;
                out.collect(record);
            }

            @Override
            public void collect(String record, long timestamp) {
                emitted++;
                out.collect(record, timestamp);
            }

            @Override
            public void emitWatermark(Watermark watermark) {
                out.emitWatermark(watermark);
            }

            @Override
            public void markIdle() {
                out.markIdle();
            }

            @Override
            public void markActive() {
                out.markActive();
            }

            @Override
            public SourceOutput<String> createOutputForSplit(String splitId) {
                SourceOutput<String> split = out.createOutputForSplit(splitId);
                return new SourceOutput<>() {
                    @Override
                    public void collect(String record) {
                        emitted++;
                        split.collect(record);
                    }

                    @Override
                    public void collect(String record, long timestamp) {
                        emitted++;
                        split.collect(record, timestamp);
                    }

                    @Override
                    public void emitWatermark(Watermark watermark) {
                        split.emitWatermark(watermark);
                    }

                    @Override
                    public void markIdle() {
                        split.markIdle();
                    }

                    @Override
                    public void markActive() {
                        split.markActive();
                    }
                };
            }

            @Override
            public void releaseOutputForSplit(String splitId) {
                out.releaseOutputForSplit(splitId);
            }
        }
    }
}
