package io.modelmonitor.pipeline.embed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.modelmonitor.models.Modality;
import io.modelmonitor.models.bench.EncoderBench;
import io.modelmonitor.models.bundle.ModelReference;
import io.modelmonitor.models.text.TextEncoder;
import io.modelmonitor.pipeline.options.JobSettings;
import io.modelmonitor.pipeline.record.EmbeddedEvent;
import io.modelmonitor.pipeline.record.PredictionEvent;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The operator with the real MiniLM encoder on mixed-length texts: the encoder reorders a batch by
 * token count, and every event must still come out exactly once, with its own id, timestamp and
 * embedding (the one it gets when embedded alone), in arrival order, and before any watermark that
 * would make it late.
 */
class EmbeddingOperatorTextTest {
    private static final int EVENTS = 40;
    private static TextEncoder alone;
    private static List<String> texts;
    private static Map<String, float[]> expected;
    private static ModelReference reference;

    @BeforeAll
    static void embedOneAtATime() throws Exception {
        alone = TextEncoder.builder().build();
        texts = EncoderBench.mixedCorpus(EVENTS, 11);
        expected = new HashMap<>();
        for (int i = 0; i < EVENTS; i++) {
            expected.put("e" + i, alone.embed(List.of(texts.get(i)))[0]);
        }
        // No standardiser, PCA or outlier model: the event's embedding is the encoder's vector.
        reference =
                ModelReference.builder("t", Modality.TEXT, alone.identity().dimension())
                        .optEncoder(EncoderLoader.DEFAULT_TEXT_LOCATION, alone.identity())
                        .build();
    }

    @AfterAll
    static void close() {
        alone.close();
    }

    private static OneInputStreamOperatorTestHarness<PredictionEvent, EmbeddedEvent> harness(
            int batchSize) throws Exception {
        // Default --encoder-threads (0: one per processor) on purpose: the job's default path.
        JobSettings settings =
                JobSettings.of("batch-size", Integer.toString(batchSize), "batch-timeout", "1h");
        var h =
                new OneInputStreamOperatorTestHarness<>(
                        new EmbeddingOperator(Map.of("t", reference), settings));
        h.open();
        return h;
    }

    private static PredictionEvent event(int i, long ts) {
        PredictionEvent e = new PredictionEvent();
        e.id = "e" + i;
        e.ts = ts;
        e.model = "t";
        e.text = texts.get(i);
        e.prediction = "a";
        return e;
    }

    /** Out-of-order timestamps, 1 s apart: event i has timestamps.get(i). */
    private static List<Long> shuffledTimestamps() {
        List<Long> ts = new ArrayList<>();
        for (int i = 0; i < EVENTS; i++) {
            ts.add(10_000L + 1000L * i);
        }
        Collections.shuffle(ts, new Random(5));
        return ts;
    }

    private static void assertOwnEmbeddingsInArrivalOrder(
            List<StreamRecord<? extends EmbeddedEvent>> out, List<Long> timestamps, int from) {
        Set<String> seen = new HashSet<>();
        for (int k = 0; k < out.size(); k++) {
            EmbeddedEvent e = out.get(k).getValue();
            int i = from + k;
            assertEquals("e" + i, e.id, "arrival order");
            assertTrue(seen.add(e.id), "once: " + e.id);
            assertEquals(timestamps.get(i), out.get(k).getTimestamp(), e.id);
            assertEquals(timestamps.get(i), e.ts, e.id);
            float[] own = expected.get(e.id);
            assertEquals(own.length, e.embedding.length);
            for (int j = 0; j < own.length; j++) {
                // Padding is masked out; batching changes the float rounding only.
                assertEquals(own[j], e.embedding[j], 1e-5, e.id + "[" + j + "]");
            }
        }
    }

    @Test
    void sortedBatchKeepsEveryEventWithItsOwnEmbeddingAndHoldsNoEventPastALateWatermark()
            throws Exception {
        List<Long> ts = shuffledTimestamps();
        long minTs = Collections.min(ts);
        try (var h = harness(256)) {
            for (int i = 0; i < EVENTS; i++) {
                h.processElement(event(i, ts.get(i)), ts.get(i));
            }
            h.processWatermark(new Watermark(minTs - 1));
            List<Object> out = new ArrayList<>(h.getOutput());
            assertEquals(
                    1,
                    out.size(),
                    "a watermark behind every buffered event passes without a flush");
            assertInstanceOf(Watermark.class, out.get(0));

            h.processWatermark(new Watermark(minTs)); // the earliest event would now be late
            out = new ArrayList<>(h.getOutput());
            assertEquals(EVENTS + 2, out.size());
            for (int k = 1; k <= EVENTS; k++) {
                assertInstanceOf(
                        StreamRecord.class,
                        out.get(k),
                        "every event goes out before the watermark");
            }
            assertEquals(new Watermark(minTs), out.get(EVENTS + 1));
            assertOwnEmbeddingsInArrivalOrder(h.extractOutputStreamRecords(), ts, 0);
        }
    }

    @Test
    void fullBuffersCheckpointsAndEndOfInputFlushEveryEventOnce() throws Exception {
        List<Long> ts = shuffledTimestamps();
        try (var h = harness(16)) {
            for (int i = 0; i < 20; i++) {
                h.processElement(event(i, ts.get(i)), ts.get(i));
            }
            assertEquals(16, h.extractOutputStreamRecords().size(), "a full buffer goes out");
            h.prepareSnapshotPreBarrier(1);
            assertEquals(
                    20,
                    h.extractOutputStreamRecords().size(),
                    "the rest goes out before the barrier");
            for (int i = 20; i < EVENTS; i++) {
                h.processElement(event(i, ts.get(i)), ts.get(i));
            }
            h.getOperator().finish(); // end of input
            assertOwnEmbeddingsInArrivalOrder(h.extractOutputStreamRecords(), ts, 0);
            assertEquals(EVENTS, h.extractOutputStreamRecords().size());
        }
    }
}
