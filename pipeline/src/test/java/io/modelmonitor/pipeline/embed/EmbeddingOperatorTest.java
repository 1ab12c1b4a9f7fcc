package io.modelmonitor.pipeline.embed;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.modelmonitor.models.bundle.ModelReference;
import io.modelmonitor.pipeline.options.JobSettings;
import io.modelmonitor.pipeline.record.EmbeddedEvent;
import io.modelmonitor.pipeline.record.PredictionEvent;
import io.modelmonitor.pipeline.testutil.TestStreams;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.runtime.watermarkstatus.WatermarkStatus;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

class EmbeddingOperatorTest {
    private final double[][] referenceRows =
            TestStreams.gaussian(100, 3, 5, new SplittableRandom(1));
    private final ModelReference reference = TestStreams.numericReference("m", referenceRows, 0.9);

    private OneInputStreamOperatorTestHarness<PredictionEvent, EmbeddedEvent> harness(int batchSize)
            throws Exception {
        JobSettings settings =
                JobSettings.of("batch-size", Integer.toString(batchSize), "batch-timeout", "1s");
        OneInputStreamOperatorTestHarness<PredictionEvent, EmbeddedEvent> h =
                new OneInputStreamOperatorTestHarness<>(
                        new EmbeddingOperator(Map.of("m", reference), settings));
        h.open();
        return h;
    }

    private static PredictionEvent event(int i) {
        PredictionEvent e = new PredictionEvent();
        e.id = "e" + i;
        e.ts = 1000L * i;
        e.model = "m";
        e.features = new double[] {i, 5, 5};
        e.prediction = "a";
        return e;
    }

    private static List<Object> kinds(
            OneInputStreamOperatorTestHarness<PredictionEvent, EmbeddedEvent> h) {
        return new ArrayList<>(h.getOutput());
    }

    @Test
    void fullBatchIsFlushedWithTimestampsAndStandardizedEmbeddings() throws Exception {
        try (var h = harness(3)) {
            h.processElement(event(1), 1000);
            h.processElement(event(2), 2000);
            assertTrue(h.getOutput().isEmpty(), "waits for a full batch");
            h.processElement(event(3), 3000);
            List<StreamRecord<? extends EmbeddedEvent>> out = h.extractOutputStreamRecords();
            assertEquals(3, out.size());
            for (int i = 0; i < 3; i++) {
                assertEquals(1000L * (i + 1), out.get(i).getTimestamp());
                assertArrayEquals(
                        reference.prepare(event(i + 1).features),
                        out.get(i).getValue().embedding,
                        1e-12);
            }
        }
    }

    @Test
    void partialBatchIsFlushedBeforeTheWatermarkAndOnTheTimer() throws Exception {
        try (var h = harness(100)) {
            h.processElement(event(1), 1000);
            h.processWatermark(new Watermark(1500));
            List<Object> out = kinds(h);
            assertEquals(2, out.size());
            assertInstanceOf(
                    StreamRecord.class, out.get(0), "the event goes out before the watermark");
            assertInstanceOf(Watermark.class, out.get(1));

            h.processElement(event(2), 2000);
            assertEquals(2, h.getOutput().size());
            h.setProcessingTime(h.getProcessingTime() + 1000);
            assertEquals(3, h.getOutput().size(), "the batch timeout flushes");
        }
    }

    @Test
    void partialBatchIsFlushedBeforeACheckpointAndAtTheEnd() throws Exception {
        try (var h = harness(100)) {
            h.processElement(event(1), 1000);
            h.prepareSnapshotPreBarrier(1);
            assertEquals(1, h.extractOutputValues().size());
            h.processElement(event(2), 2000);
            h.getOperator().finish(); // end of input
            assertEquals(2, h.extractOutputValues().size());
        }
    }

    @Test
    void watermarkBehindEveryBufferedEventPassesWithoutFlushing() throws Exception {
        try (var h = harness(100)) {
            h.processElement(event(2), 2000);
            h.processWatermark(new Watermark(1999));
            List<Object> out = kinds(h);
            assertEquals(
                    List.of(new Watermark(1999)),
                    out,
                    "the event may still wait for a fuller batch");
            h.processWatermark(new Watermark(2000)); // at the event's timestamp: it would be late
            out = kinds(h);
            assertEquals(3, out.size());
            assertInstanceOf(StreamRecord.class, out.get(1));
            assertEquals(new Watermark(2000), out.get(2));
        }
    }

    @Test
    void bufferGoesOutBeforeTheInputTurnsIdle() throws Exception {
        try (var h = harness(100)) {
            h.processElement(event(2), 2000);
            h.processWatermarkStatus(WatermarkStatus.IDLE);
            List<Object> out = kinds(h);
            assertInstanceOf(
                    StreamRecord.class, out.get(0), "other inputs alone now drive event time");
            assertEquals(WatermarkStatus.IDLE, out.get(1));
        }
    }
}
