package io.modelmonitor.pipeline.window;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.modelmonitor.detectors.performance.ConfidenceCalibrator;
import io.modelmonitor.detectors.performance.PerformanceEstimator;
import io.modelmonitor.models.Modality;
import io.modelmonitor.models.bundle.ModelReference;
import io.modelmonitor.pipeline.record.EmbeddedEvent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The window state without Flink: Flink folds a window's events in whatever order they arrive and,
 * for merging windows and parallel pre-aggregation, merges partial accumulators. The report must
 * not depend on either, so the same events give the same counts and the same sample however they
 * are split and ordered.
 */
class WindowAccumulatorTest {
    private static final int EVENTS = 400;
    private static final int SAMPLE = 50;
    private static final long SEED = 7;

    private static final ModelReference REF =
            ModelReference.builder("m", Modality.NUMERIC, 3)
                    .optClasses(List.of("a", "b"), Map.of("a", 60L, "b", 40L))
                    .optReferenceTopScores(new double[] {0.6, 0.7, 0.8, 0.9})
                    .optConfidenceCalibrator(ConfidenceCalibrator.identity())
                    .optFeatureRange(new double[] {-2, -2, -2}, new double[] {2, 2, 2})
                    .build();

    @Test
    void arrivalOrderDoesNotMatter() {
        List<EmbeddedEvent> events = events(new Random(1));
        WindowAccumulator inOrder = onePass(events);
        for (long shuffle = 0; shuffle < 5; shuffle++) {
            List<EmbeddedEvent> shuffled = new ArrayList<>(events);
            Collections.shuffle(shuffled, new Random(shuffle));
            assertSameWindow(inOrder, onePass(shuffled));
        }
    }

    @Test
    void aWindowWithEventsOfTwoBundlesIsTheNewerBundlesWhateverTheOrder() {
        List<EmbeddedEvent> events = events(new Random(4));
        List<EmbeddedEvent> newer = new ArrayList<>();
        for (int i = 0; i < events.size(); i++) {
            EmbeddedEvent e = events.get(i);
            e.bundle = i % 3 == 0 ? "m@old" : "m@new";
            e.bundleFrom = i % 3 == 0 ? Long.MIN_VALUE : 1000;
            if (i % 3 != 0) {
                newer.add(e);
            }
        }
        WindowAccumulator onlyNewer = onePass(newer);
        for (long shuffle = 0; shuffle < 5; shuffle++) {
            List<EmbeddedEvent> shuffled = new ArrayList<>(events);
            Collections.shuffle(shuffled, new Random(shuffle));
            WindowAccumulator mixed = onePass(shuffled);
            assertEquals("m@new", mixed.bundle);
            assertEquals(events.size(), mixed.count, "every event counted");
            mixed.count = onlyNewer.count;
            assertSameWindow(onlyNewer, mixed);
        }
    }

    @Test
    void mergingTwoPartsEqualsOnePassOverTheUnion() {
        List<EmbeddedEvent> events = events(new Random(2));
        WindowAccumulator whole = onePass(events);
        Random split = new Random(3);
        for (int rep = 0; rep < 5; rep++) {
            List<EmbeddedEvent> left = new ArrayList<>();
            List<EmbeddedEvent> right = new ArrayList<>();
            for (EmbeddedEvent e : events) {
                (split.nextInt(4) == 0 ? left : right).add(e);
            }
            WindowAggregate agg = aggregate();
            assertSameWindow(whole, agg.merge(onePass(left), onePass(right)));
            assertSameWindow(whole, agg.merge(onePass(right), onePass(left)));
        }
    }

    @Test
    void mergingWithAnEmptyAccumulatorChangesNothing() {
        List<EmbeddedEvent> events = events(new Random(4));
        WindowAggregate agg = aggregate();
        assertSameWindow(onePass(events), agg.merge(agg.createAccumulator(), onePass(events)));
        assertSameWindow(onePass(events), agg.merge(onePass(events), agg.createAccumulator()));
    }

    @Test
    void theSampleIsTheEventsWithTheSmallestKeys() {
        List<EmbeddedEvent> events = events(new Random(5));
        WindowAggregate agg = aggregate();
        WindowAccumulator acc = onePass(events);
        assertEquals(SAMPLE, acc.sampleSize);
        List<EmbeddedEvent> byKey = new ArrayList<>(events);
        byKey.sort((x, y) -> Long.compare(agg.sampleKey(x.id), agg.sampleKey(y.id)));
        double[][] expected =
                byKey.subList(0, SAMPLE).stream().map(e -> e.embedding).toArray(double[][]::new);
        assertArrayEquals(expected, acc.embeddings());
    }

    @Test
    void sampledIdsNameTheSampledEmbeddings() {
        List<EmbeddedEvent> events = events(new Random(6));
        WindowAccumulator acc = onePass(events);
        Map<String, double[]> byId = new java.util.HashMap<>();
        events.forEach(e -> byId.put(e.id, e.embedding));
        String[] ids = acc.ids();
        double[][] embeddings = acc.embeddings();
        assertEquals(SAMPLE, ids.length);
        for (int i = 0; i < ids.length; i++) {
            assertArrayEquals(byId.get(ids[i]), embeddings[i], ids[i]);
        }
    }

    @Test
    void topOutliersAreExactWhateverTheOrderAndSplit() {
        Random rnd = new Random(8);
        List<String> ids = new ArrayList<>();
        List<Double> scores = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            ids.add("o-" + i);
            scores.add((double) rnd.nextInt(40)); // many ties: broken by id
        }
        List<Integer> expected = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            expected.add(i);
        }
        expected.sort(
                (a, b) ->
                        WindowAccumulator.outranks(
                                        ids.get(a), scores.get(a), ids.get(b), scores.get(b))
                                ? -1
                                : 1);
        List<String> top = expected.subList(0, 10).stream().map(ids::get).toList();
        WindowAggregate agg = aggregate();
        for (long shuffle = 0; shuffle < 5; shuffle++) {
            List<Integer> order = new ArrayList<>(expected);
            Collections.shuffle(order, new Random(shuffle));
            WindowAccumulator left = new WindowAccumulator();
            WindowAccumulator right = new WindowAccumulator();
            for (int i : order) {
                (i % 3 == 0 ? left : right).offerOutlier(ids.get(i), scores.get(i), 10);
            }
            WindowAccumulator merged = agg.merge(left, right);
            List<String> got =
                    Arrays.stream(merged.topOutlierOrder())
                            .map(i -> merged.topOutlierIds[i])
                            .toList();
            assertEquals(top, got, "shuffle " + shuffle);
        }
    }

    private static WindowAggregate aggregate() {
        return new WindowAggregate(Map.of("m", REF), SAMPLE, SEED);
    }

    private static WindowAccumulator onePass(List<EmbeddedEvent> events) {
        WindowAggregate agg = aggregate();
        WindowAccumulator acc = agg.createAccumulator();
        for (EmbeddedEvent e : events) {
            acc = agg.add(e, acc);
        }
        return acc;
    }

    /**
     * Events with every kind of content the accumulator counts: some unseen classes, missing parts,
     * out of range.
     */
    private static List<EmbeddedEvent> events(Random rnd) {
        List<EmbeddedEvent> out = new ArrayList<>();
        for (int i = 0; i < EVENTS; i++) {
            EmbeddedEvent e = new EmbeddedEvent();
            e.id = "e-" + i;
            e.model = "m";
            e.features = new double[] {rnd.nextGaussian(), rnd.nextGaussian(), rnd.nextGaussian()};
            e.embedding = e.features.clone();
            int kind = rnd.nextInt(10);
            e.prediction =
                    kind == 0
                            ? null
                            : kind == 1 ? "c" + rnd.nextInt(3) : rnd.nextBoolean() ? "a" : "b";
            if (kind != 2) {
                double top = 0.5 + 0.5 * rnd.nextDouble();
                e.scores = new double[] {top, 1 - top};
            }
            out.add(e);
        }
        return out;
    }

    private static void assertSameWindow(WindowAccumulator expected, WindowAccumulator actual) {
        assertEquals(expected.model, actual.model);
        assertEquals(expected.count, actual.count, "count");
        assertEquals(expected.scored, actual.scored, "scored");
        assertEquals(expected.outliers, actual.outliers, "outliers");
        assertEquals(expected.missingPrediction, actual.missingPrediction, "missing predictions");
        assertEquals(expected.missingScores, actual.missingScores, "missing scores");
        assertEquals(expected.outOfRange, actual.outOfRange, "out of range");
        assertEquals(expected.predictionCounts, actual.predictionCounts, "prediction counts");
        // Fewer than MAX_UNSEEN_CLASSES names: all are kept, in an order that follows arrival.
        assertEquals(
                new HashSet<>(expected.unseenClasses),
                new HashSet<>(actual.unseenClasses),
                "unseen classes");
        PerformanceEstimator estimator = REF.performanceEstimator();
        PerformanceEstimator.Estimate e = estimator.estimate(expected.estimate);
        PerformanceEstimator.Estimate a = estimator.estimate(actual.estimate);
        assertEquals(e.count(), a.count(), "estimated events");
        assertEquals(
                e.accuracy(), a.accuracy(), 1e-12, "estimated accuracy (sums in another order)");
        assertEquals(expected.sampleSize, actual.sampleSize, "sample size");
        assertArrayEquals(expected.embeddings(), actual.embeddings(), "sampled embeddings");
        assertArrayEquals(expected.features(), actual.features(), "sampled features");
        assertArrayEquals(
                expected.ids(), actual.ids(), "sampled ids, in the order of the embeddings");
        double[] et = expected.topScores();
        double[] at = actual.topScores();
        Arrays.sort(et);
        Arrays.sort(at);
        assertArrayEquals(et, at, "sampled top scores");
        assertTrue(
                expected.count > SAMPLE
                        && expected.missingPrediction > 0
                        && expected.missingScores > 0
                        && expected.outOfRange > 0
                        && !expected.unseenClasses.isEmpty(),
                "the events exercise every counter");
    }
}
