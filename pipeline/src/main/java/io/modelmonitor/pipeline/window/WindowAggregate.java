package io.modelmonitor.pipeline.window;

import io.modelmonitor.detectors.performance.PerformanceEstimator;
import io.modelmonitor.detectors.stats.SplitMix64;
import io.modelmonitor.models.bundle.ModelReference;
import io.modelmonitor.pipeline.options.SharedOptions;
import io.modelmonitor.pipeline.record.EmbeddedEvent;
import io.modelmonitor.pipeline.references.BundleResolver;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.apache.flink.api.common.functions.AggregateFunction;

/**
 * Folds a model's events into a {@link WindowAccumulator} as they arrive, so a window's state is
 * bounded by {@code --max-window-sample} rows whatever its traffic.
 */
public class WindowAggregate
        implements AggregateFunction<EmbeddedEvent, WindowAccumulator, WindowAccumulator> {
    private static final long serialVersionUID = 1L;

    private final BundleResolver references;
    private final int maxSample;
    private final long seed;

    /** How many top outlier scores a window names ({@code --exemplars}). */
    private final int exemplars;

    private transient Map<String, PerformanceEstimator> estimators;

    public WindowAggregate(Map<String, ModelReference> references, int maxSample, long seed) {
        this(references, maxSample, seed, SharedOptions.EXEMPLARS.defaultValue());
    }

    public WindowAggregate(
            Map<String, ModelReference> references, int maxSample, long seed, int exemplars) {
        this(BundleResolver.of(references), maxSample, seed, exemplars);
    }

    public WindowAggregate(BundleResolver references, int maxSample, long seed, int exemplars) {
        this.references = references;
        this.maxSample = maxSample;
        this.seed = seed;
        this.exemplars = exemplars;
    }

    @Override
    public WindowAccumulator createAccumulator() {
        return new WindowAccumulator();
    }

    @Override
    public WindowAccumulator add(EmbeddedEvent e, WindowAccumulator acc) {
        if (olderBundle(e, acc)) {
            acc.count++;
            return acc;
        }
        acc = addCounts(e, acc);
        acc.offer(sampleKey(e.id), e.id, e.embedding, e.features, e.topScore(), maxSample);
        return acc;
    }

    /**
     * Whether {@code e} was embedded with an older bundle than the window's other events. Only
     * after a reference update that reached the job late (docs/architecture.md, "Reference
     * updates") does a window get events of two bundles: the newer bundle tests the window,
     * whatever the arrival order, and events of the older one are only counted.
     */
    static boolean olderBundle(EmbeddedEvent e, WindowAccumulator acc) {
        return acc.count > 0
                && !java.util.Objects.equals(acc.bundle, e.bundle)
                && e.bundleFrom < acc.bundleFrom;
    }

    /**
     * Folds {@code e} into everything but the sample; returns the accumulator to keep: a fresh one
     * (with the count so far) when {@code e}'s bundle is newer than the window's ({@link
     * #olderBundle}), whose sample the caller then drops.
     */
    WindowAccumulator addCounts(EmbeddedEvent e, WindowAccumulator acc) {
        if (acc.count > 0 && !java.util.Objects.equals(acc.bundle, e.bundle)) {
            long count = acc.count;
            acc = createAccumulator();
            acc.count = count;
        }
        ModelReference ref = references.reference(e.model, e.bundle, e.bundlePath);
        acc.model = e.model;
        acc.bundle = e.bundle;
        acc.bundlePath = e.bundlePath;
        acc.bundleFrom = e.bundleFrom;
        acc.count++;
        if (Double.isFinite(e.outlierScore) && ref != null && ref.outlierCalibration() != null) {
            acc.scored++;
            acc.offerOutlier(e.id, e.outlierScore, exemplars);
            if (ref.outlierCalibration().isOutlier(e.outlierScore)) {
                acc.outliers++;
            }
        }
        if (ref != null && ref.regression()) {
            // The bundle's task decides: a regressor's prediction is its number (17 is the value
            // 17).
            if (Double.isFinite(e.predictedValue)) {
                acc.offerValue(sampleKey(e.id), e.predictedValue, maxSample);
            } else {
                acc.missingPrediction++;
            }
        } else if (e.prediction == null) {
            if (!Double.isFinite(e.predictedValue)) {
                acc.missingPrediction++;
            }
        } else {
            acc.predictionCounts.merge(e.prediction, 1L, Long::sum);
            if (ref != null
                    && !ref.classes().isEmpty()
                    && !ref.classes().contains(e.prediction)
                    && !acc.unseenClasses.contains(e.prediction)
                    && acc.unseenClasses.size() < WindowAccumulator.MAX_UNSEEN_CLASSES) {
                acc.unseenClasses.add(e.prediction);
            }
        }
        if (e.scores == null) {
            acc.missingScores++;
        } else {
            PerformanceEstimator estimator = estimator(ref, e.bundle != null ? e.bundle : e.model);
            if (estimator != null && e.scores.length == ref.classes().size()) {
                if (acc.estimate == null) {
                    acc.estimate = estimator.createAccumulator();
                }
                estimator.add(acc.estimate, e.scores);
            }
        }
        if (e.features != null && ref != null && outOfRange(e.features, ref)) {
            acc.outOfRange++;
        }
        return acc;
    }

    @Override
    public WindowAccumulator getResult(WindowAccumulator acc) {
        return acc;
    }

    @Override
    public WindowAccumulator merge(WindowAccumulator a, WindowAccumulator b) {
        a.model = a.model != null ? a.model : b.model;
        a.bundle = a.bundle != null ? a.bundle : b.bundle;
        a.bundlePath = a.bundlePath != null ? a.bundlePath : b.bundlePath;
        a.bundleFrom = Math.max(a.bundleFrom, b.bundleFrom);
        a.count += b.count;
        a.scored += b.scored;
        a.outliers += b.outliers;
        a.missingPrediction += b.missingPrediction;
        a.missingScores += b.missingScores;
        a.outOfRange += b.outOfRange;
        b.predictionCounts.forEach((k, v) -> a.predictionCounts.merge(k, v, Long::sum));
        for (String c : b.unseenClasses) {
            if (!a.unseenClasses.contains(c)
                    && a.unseenClasses.size() < WindowAccumulator.MAX_UNSEEN_CLASSES) {
                a.unseenClasses.add(c);
            }
        }
        if (b.estimate != null) {
            a.estimate = a.estimate == null ? b.estimate : a.estimate.merge(b.estimate);
        }
        for (int i = 0; i < b.valueKeys.length; i++) {
            a.offerValue(b.valueKeys[i], b.predictedValues[i], maxSample);
        }
        for (int i = 0; i < b.sampleSize; i++) {
            a.offer(
                    b.sampleKeys[i],
                    b.sampleIds != null && i < b.sampleIds.length ? b.sampleIds[i] : null,
                    b.sampleEmbeddings[i],
                    b.sampleFeatures[i],
                    b.sampleTopScores[i],
                    maxSample);
        }
        for (int i = 0; b.topOutlierIds != null && i < b.topOutlierIds.length; i++) {
            a.offerOutlier(b.topOutlierIds[i], b.topOutlierScores[i], exemplars);
        }
        return a;
    }

    /** Whether any feature lies outside the reference's [min, max]. */
    static boolean outOfRange(double[] x, ModelReference ref) {
        double[] min = ref.featureMin();
        double[] max = ref.featureMax();
        if (min == null || max == null || min.length != x.length) {
            return false;
        }
        for (int j = 0; j < x.length; j++) {
            // non-finite: a missing cell or a type mismatch of a tabular record, counted apart
            if (Double.isFinite(x[j]) && (x[j] < min[j] || x[j] > max[j])) {
                return true;
            }
        }
        return false;
    }

    private PerformanceEstimator estimator(ModelReference ref, String bundleKey) {
        if (ref == null) {
            return null;
        }
        if (estimators == null) {
            estimators = new HashMap<>();
        }
        // containsKey, not computeIfAbsent: a model without an estimator maps to null.
        // Per bundle, since a model's bundles calibrate differently; containsKey, not
        // computeIfAbsent: a bundle without an estimator maps to null.
        if (!estimators.containsKey(bundleKey)) {
            estimators.put(bundleKey, ref.performanceEstimator());
        }
        return estimators.get(bundleKey);
    }

    /**
     * Seeded 64-bit hash of an event id: FNV-1a over the UTF-8 bytes, then the SplitMix64
     * finalizer.
     */
    long sampleKey(String id) {
        long h = 0xcbf29ce484222325L ^ seed;
        for (byte b : id.getBytes(StandardCharsets.UTF_8)) {
            h ^= b & 0xff;
            h *= 0x100000001b3L;
        }
        return SplitMix64.mix64(h);
    }
}
