package io.modelmonitor.pipeline.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.modelmonitor.pipeline.labels.LabelJoinFunction;
import io.modelmonitor.pipeline.labels.PredictionSummary;
import io.modelmonitor.pipeline.options.ConfigurationException;
import io.modelmonitor.pipeline.options.JobSettings;
import io.modelmonitor.pipeline.record.LabelEvent;
import io.modelmonitor.pipeline.record.LabelOutcome;
import java.time.Duration;
import java.util.ArrayDeque;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.Test;

/**
 * The label join under a long stream whose labels mostly never come: with the watermark moving
 * along with the events, its keyed state and timers stay bounded by the predictions of the last
 * label timeout (they are held that long, not dropped early), however long the stream; labels for
 * ids that were never predicted do not pile up either; everything is gone once the watermark passes
 * the last deadline.
 */
class BoundedStateTest {
    static final long SPACING_MS = 1_000;
    static final long LABEL_TIMEOUT_MS = 600_000;

    /** Predictions whose label wait overlaps at any one watermark. */
    static final int IN_TIMEOUT = (int) (LABEL_TIMEOUT_MS / SPACING_MS) + 1;

    static final int PREDICTIONS = 20 * IN_TIMEOUT;

    /** One prediction in this many gets its label, 30 s later. */
    static final int LABELLED_EVERY = 10;

    static final long LABEL_DELAY_MS = 30_000;

    /** Every this many predictions, a label arrives for an id that was never predicted. */
    static final int UNKNOWN_LABEL_EVERY = 7;

    @Test
    void stateAndTimersStayBoundedByTheLabelTimeoutAndEndAtZero() throws Exception {
        try (KeyedTwoInputStreamOperatorTestHarness<
                        String, PredictionSummary, LabelEvent, LabelOutcome>
                harness =
                        ProcessFunctionTestHarnesses.forKeyedCoProcessFunction(
                                new LabelJoinFunction(LABEL_TIMEOUT_MS),
                                p -> LabelJoinFunction.key(p.model, p.id),
                                l -> LabelJoinFunction.key(l.model, l.id),
                                Types.STRING)) {
            harness.open();
            ArrayDeque<LabelEvent> labelsToCome = new ArrayDeque<>();
            int peakTimers = 0;
            long t = 0;
            for (int i = 0; i < PREDICTIONS; i++) {
                t = i * SPACING_MS;
                while (!labelsToCome.isEmpty() && labelsToCome.peek().ts <= t) {
                    LabelEvent l = labelsToCome.poll();
                    harness.processElement2(l, l.ts);
                }
                PredictionSummary p = new PredictionSummary();
                p.id = "p" + i;
                p.ts = t;
                p.model = "m";
                p.prediction = "a";
                harness.processElement1(p, t);
                if (i % LABELLED_EVERY == 0) {
                    labelsToCome.add(new LabelEvent("m", p.id, t + LABEL_DELAY_MS, "a"));
                }
                if (i % UNKNOWN_LABEL_EVERY == 0) {
                    harness.processElement2(new LabelEvent("m", "never-predicted-" + i, t, "a"), t);
                }
                harness.processWatermark1(new Watermark(t - 1));
                harness.processWatermark2(new Watermark(t - 1));

                int timers = harness.numEventTimeTimers();
                peakTimers = Math.max(peakTimers, timers);
                // One timer per pending id: the predictions of the last timeout, plus at most the
                // unknown-id label of this instant; state: a prediction and at most one label per
                // id.
                assertTrue(
                        timers <= IN_TIMEOUT + 1,
                        "timers " + timers + " after " + (i + 1) + " predictions");
                assertTrue(
                        harness.numKeyedStateEntries() <= 2 * (IN_TIMEOUT + 1),
                        "state entries "
                                + harness.numKeyedStateEntries()
                                + " after "
                                + (i + 1)
                                + " predictions");
            }
            // Held for the whole timeout: about (1 - 1/LABELLED_EVERY) of the last timeout's
            // predictions wait.
            assertTrue(
                    peakTimers
                            >= IN_TIMEOUT * (LABELLED_EVERY - 1) / LABELLED_EVERY
                                    - LABEL_DELAY_MS / SPACING_MS,
                    "peak timers "
                            + peakTimers
                            + ": predictions are kept until their label timeout");

            for (LabelEvent l : labelsToCome) {
                harness.processElement2(l, l.ts);
            }
            harness.processWatermark1(new Watermark(t + LABEL_TIMEOUT_MS));
            harness.processWatermark2(new Watermark(t + LABEL_TIMEOUT_MS));
            assertEquals(
                    0, harness.numKeyedStateEntries(), "keyed state left after the last deadline");
            assertEquals(0, harness.numEventTimeTimers(), "timers left after the last deadline");
            assertEquals(
                    (PREDICTIONS + LABELLED_EVERY - 1) / LABELLED_EVERY,
                    harness.extractOutputValues().stream().filter(LabelOutcome::matched).count(),
                    "every label that came was joined");
            assertEquals(
                    (PREDICTIONS + UNKNOWN_LABEL_EVERY - 1) / UNKNOWN_LABEL_EVERY,
                    harness.extractOutputValues().stream()
                            .filter(o -> o.kind == LabelOutcome.Kind.ORPHAN_LABEL)
                            .count(),
                    "every label for an unknown id is counted as an orphan");
        }
    }

    /**
     * The retention of window and alert state: by default the least that keeps every revision a
     * window can still get (late events, then late labels, plus one window); less is refused with a
     * one-line reason, more is taken as given.
     */
    @Test
    void stateRetentionDefaultsToTheLeastThatKeepsEveryRevision() {
        assertEquals(
                Duration.ofDays(7).plusHours(1).toMillis(), JobSettings.of().windowRetentionMs());
        assertEquals(
                Duration.ofHours(4).plusMinutes(5).toMillis(),
                JobSettings.of("window-size", "5m", "label-timeout", "1h", "allowed-lateness", "4h")
                        .windowRetentionMs());
        assertEquals(
                Duration.ofDays(30).toMillis(),
                JobSettings.of("state-retention", "30d").windowRetentionMs());
        ConfigurationException tooShort =
                assertThrows(
                        ConfigurationException.class,
                        () ->
                                JobSettings.of(
                                        "window-size",
                                        "1h",
                                        "label-timeout",
                                        "2h",
                                        "state-retention",
                                        "150min"));
        assertEquals(
                "--state-retention must be at least max(--label-timeout, --allowed-lateness) + --window-size = 3 h, "
                        + "got 150 min",
                tooShort.getMessage());
    }
}
