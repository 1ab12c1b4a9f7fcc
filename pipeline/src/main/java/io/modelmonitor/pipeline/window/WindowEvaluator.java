package io.modelmonitor.pipeline.window;

import io.modelmonitor.detectors.mmd.ExplainedMmd;
import io.modelmonitor.detectors.mmd.MmdDetector;
import io.modelmonitor.detectors.mmd.MmdResult;
import io.modelmonitor.detectors.mmd.NullMode;
import io.modelmonitor.detectors.mmd.Witness;
import io.modelmonitor.detectors.outlier.OutlierCalibration;
import io.modelmonitor.detectors.performance.PerformanceEstimator;
import io.modelmonitor.detectors.univariate.ChiSquared;
import io.modelmonitor.detectors.univariate.ColumnDriftTester;
import io.modelmonitor.detectors.univariate.FeatureDriftTester;
import io.modelmonitor.detectors.univariate.FeatureResult;
import io.modelmonitor.detectors.univariate.KolmogorovSmirnov;
import io.modelmonitor.detectors.univariate.TestResult;
import io.modelmonitor.models.bundle.ModelReference;
import io.modelmonitor.pipeline.options.JobSettings;
import io.modelmonitor.pipeline.results.ReportRecord;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns one model's window (a {@link WindowAccumulator}) into its report: every test against the
 * model's {@link ModelReference}. Knows nothing of Flink; the detectors are built once per model
 * (the MMD detector caches the reference kernel and its calibrated null).
 *
 * <pre>{@code
 * WindowEvaluator evaluator = new WindowEvaluator(reference, settings);
 * ReportRecord report = evaluator.evaluate(windowStart, windowEnd, accumulator);
 * }</pre>
 */
public final class WindowEvaluator {
    private final ModelReference ref;
    private final JobSettings settings;
    private final MmdDetector mmd;
    private final FeatureDriftTester featureTester;

    /** Named features: the per-column tests of the schema's coded cells; null otherwise. */
    private final ColumnDriftTester columnTester;

    private final PerformanceEstimator estimator;

    /**
     * The estimator applied to the reference's scores: what the window's estimate is compared with.
     */
    private final double estimatedReferenceAccuracy;

    /**
     * Mean and standard deviation per coordinate of the MMD reference sample and of the raw
     * reference features (lazily).
     */
    private double[][] referenceMoments;

    private double[][] referenceFeatureMoments;

    public WindowEvaluator(ModelReference ref, JobSettings settings) {
        this(
                ref,
                settings,
                ref.mmdDetector(settings.permutations, settings.seed, settings.mmdNull));
    }

    /**
     * With an MMD detector built elsewhere for {@code ref}'s sample and these settings (shared
     * between models with equal samples: {@link SharedMmdDetectors}); null when there is none.
     */
    WindowEvaluator(ModelReference ref, JobSettings settings, MmdDetector mmd) {
        this.ref = ref;
        this.settings = settings;
        this.mmd = mmd;
        this.columnTester =
                ref.schema() == null || ref.referenceFeatures() == null
                        ? null
                        : TableColumns.tester(
                                ref.schema(), ref.referenceFeatures(), settings.alpha);
        this.featureTester =
                ref.referenceFeatures() == null || ref.schema() != null
                        ? null
                        : FeatureDriftTester.builder()
                                .setReference(ref.referenceFeatures())
                                .optAlpha(settings.alpha)
                                .build();
        this.estimator = ref.performanceEstimator();
        this.estimatedReferenceAccuracy =
                estimator == null || ref.referenceTopScores() == null
                        ? Double.NaN
                        : estimator.estimateTopScores(ref.referenceTopScores()).accuracy();
    }

    public ReportRecord evaluate(long windowStart, long windowEnd, WindowAccumulator acc) {
        ReportRecord r = new ReportRecord();
        r.model = ref.model();
        r.windowStart = windowStart;
        r.windowEnd = windowEnd;
        r.count = acc.count;
        r.insufficient = acc.count < settings.minWindowCount;
        r.dataQuality = dataQuality(acc);
        r.performance = performance(acc, r.insufficient);
        if (r.insufficient) {
            return r;
        }
        double[][] embeddings = acc.embeddings();
        if (mmd != null && embeddings.length >= 2) {
            r.mmd = mmd(embeddings, acc.ids(), acc.features());
        }
        if (ref.regression()) {
            // A regressor's label-free proxy: its predicted values against the reference's (KS).
            if (ref.referencePredictedValues() != null && acc.predictedValues.length >= 2) {
                r.prediction =
                        section(
                                KolmogorovSmirnov.test(
                                        ref.referencePredictedValues(), acc.predictedValues));
            }
        } else if (!ref.predictionCounts().isEmpty() && !acc.predictionCounts.isEmpty()) {
            r.prediction = section(ChiSquared.test(ref.predictionCounts(), acc.predictionCounts));
        }
        double[] topScores = acc.topScores();
        if (ref.referenceTopScores() != null && topScores.length >= 2) {
            r.scores = section(KolmogorovSmirnov.test(ref.referenceTopScores(), topScores));
        }
        double[][] features = acc.features();
        if (featureTester != null && features.length >= 2) {
            r.features = features(featureTester.test(features));
        }
        if (columnTester != null && features.length >= 2) {
            r.features = TableColumns.sections(ref.schema(), columnTester.test(features));
        }
        OutlierCalibration calibration = ref.outlierCalibration();
        if (calibration != null && acc.scored > 0) {
            TestResult t = calibration.rateTest(acc.outliers, acc.scored);
            ReportRecord.OutlierSection o = new ReportRecord.OutlierSection();
            o.count = acc.outliers;
            o.rate = (double) acc.outliers / acc.scored;
            o.expectedRate = calibration.expectedRate();
            o.threshold = calibration.threshold();
            o.pValue = t.pValue();
            o.top = topOutliers(acc);
            r.outliers = o;
        }
        return r;
    }

    private ReportRecord.MmdSection mmd(double[][] window, String[] ids, double[][] features) {
        ExplainedMmd explained = settings.exemplars > 0 ? mmd.testExplained(window) : null;
        MmdResult m = explained != null ? explained.result() : mmd.test(window);
        ReportRecord.MmdSection s = new ReportRecord.MmdSection();
        if (explained != null) {
            s.exemplars = exemplars(explained.witness(), ids, settings.exemplars);
            s.referenceExemplars = referenceExemplars(explained.witness(), settings.exemplars);
            s.componentShifts =
                    shifts(explained.witness(), window, referenceMoments(), settings.exemplars);
            if (ref.schema() != null && features.length == window.length) {
                s.featureShifts =
                        TableColumns.shifts(
                                ref.schema(),
                                explained.witness(),
                                features,
                                referenceFeatureMoments(),
                                settings.exemplars);
            } else if (features.length == window.length && referenceFeatureMoments() != null) {
                s.featureShifts =
                        shifts(
                                explained.witness(),
                                features,
                                referenceFeatureMoments(),
                                settings.exemplars);
            }
        }
        s.statistic = m.statistic();
        s.pValue = m.pValue();
        s.drift = m.drift(settings.alpha);
        s.nReference = m.nReference();
        s.nWindow = m.nWindow();
        s.sigma = m.sigma();
        s.nullMethod = m.nullMode() == NullMode.CALIBRATED ? "calibrated" : "permutation";
        s.tailApproximation = m.tailApproximation();
        return s;
    }

    /**
     * The window's events with the largest witness values, largest first, named by event id (ties
     * by id, so the list does not depend on arrival order).
     */
    public static List<ReportRecord.Exemplar> exemplars(Witness witness, String[] ids, int k) {
        double[] values = witness.windowValues();
        String[] names = new String[values.length];
        for (int i = 0; i < names.length; i++) {
            names[i] = ids != null && i < ids.length && ids[i] != null ? ids[i] : "";
        }
        List<ReportRecord.Exemplar> out = new ArrayList<>();
        for (int i : witness.topWindow(k, names)) {
            out.add(new ReportRecord.Exemplar(names[i], -1, values[i]));
        }
        return out;
    }

    /** The reference rows with the most negative witness values, named by their row index. */
    public static List<ReportRecord.Exemplar> referenceExemplars(Witness witness, int k) {
        double[] values = witness.referenceValues();
        List<ReportRecord.Exemplar> out = new ArrayList<>();
        for (int i : witness.bottomReference(k)) {
            out.add(new ReportRecord.Exemplar(null, i, values[i]));
        }
        return out;
    }

    /**
     * The coordinates of {@code rows} ranked by the witness-weighted mean shift ({@link
     * Witness#shifts}), largest |shift| first, as {@code (index, shift)}.
     */
    public static List<ReportRecord.Exemplar> shifts(
            Witness witness, double[][] rows, double[][] referenceMoments, int k) {
        double[] shifts = witness.shifts(rows, referenceMoments[0], referenceMoments[1]);
        List<ReportRecord.Exemplar> out = new ArrayList<>();
        for (int i : Witness.rankedShifts(shifts, k)) {
            out.add(new ReportRecord.Exemplar(null, i, shifts[i]));
        }
        return out;
    }

    private double[][] referenceMoments() {
        if (referenceMoments == null) {
            referenceMoments = Witness.moments(ref.reference());
        }
        return referenceMoments;
    }

    private double[][] referenceFeatureMoments() {
        if (referenceFeatureMoments == null
                && ref.referenceFeatures() != null
                && ref.referenceFeatures().length > 1) {
            referenceFeatureMoments =
                    ref.schema() != null
                            ? TableColumns.vectorMoments(ref.schema(), ref.referenceFeatures())
                            : Witness.moments(ref.referenceFeatures());
        }
        return referenceFeatureMoments;
    }

    private static List<ReportRecord.Exemplar> topOutliers(WindowAccumulator acc) {
        List<ReportRecord.Exemplar> out = new ArrayList<>();
        for (int i : acc.topOutlierOrder()) {
            out.add(new ReportRecord.Exemplar(acc.topOutlierIds[i], -1, acc.topOutlierScores[i]));
        }
        return out;
    }

    private ReportRecord.TestSection section(TestResult t) {
        return new ReportRecord.TestSection(
                t.test(), t.statistic(), t.pValue(), t.reject(settings.alpha));
    }

    private static List<ReportRecord.FeatureSection> features(List<FeatureResult> results) {
        List<ReportRecord.FeatureSection> out = new ArrayList<>(results.size());
        for (FeatureResult f : results) {
            ReportRecord.FeatureSection s = new ReportRecord.FeatureSection();
            s.index = f.index();
            s.test = f.test();
            s.statistic = f.statistic();
            s.pValue = f.pValue();
            s.adjustedPValue = f.adjustedPValue();
            s.drift = f.drift();
            s.unseen = f.unseen();
            out.add(s);
        }
        return out;
    }

    /**
     * Rates of what the reference had and the window lacks; NaN where the reference had nothing to
     * compare.
     */
    private ReportRecord.DataQualitySection dataQuality(WindowAccumulator acc) {
        ReportRecord.DataQualitySection q = new ReportRecord.DataQualitySection();
        double n = Math.max(1, acc.count);
        q.missingPredictionRate =
                ref.predictionCounts().isEmpty() && ref.referencePredictedValues() == null
                        ? Double.NaN
                        : acc.missingPrediction / n;
        q.missingScoresRate = ref.referenceTopScores() == null ? Double.NaN : acc.missingScores / n;
        q.outOfRangeRate = ref.featureMin() == null ? Double.NaN : acc.outOfRange / n;
        q.unseenClasses = new ArrayList<>(acc.unseenClasses);
        long predictions = acc.predictionCounts.values().stream().mapToLong(Long::longValue).sum();
        if (!ref.predictionCounts().isEmpty() && predictions > 0) {
            q.unseenPredictionRate =
                    (double) ChiSquared.unseen(ref.predictionCounts(), acc.predictionCounts)
                            / predictions;
        }
        return q;
    }

    /** The label-free part; the realised part is added when labels arrive (report assembler). */
    private ReportRecord.PerformanceSection performance(
            WindowAccumulator acc, boolean insufficient) {
        ReportRecord.PerformanceSection p = new ReportRecord.PerformanceSection();
        p.referenceAccuracy = ref.referenceAccuracy();
        p.referenceLabelled = ref.referenceLabelled();
        p.referenceCorrect = ref.referenceCorrect();
        if (ref.regression()) {
            p.regression = true;
            p.referenceMae = ref.referenceMae();
            // The reference the rank test uses: its sample of labelled absolute errors.
            p.referenceLabelled =
                    ref.referenceAbsErrors() == null ? 0 : ref.referenceAbsErrors().length;
        }
        if (!insufficient
                && estimator != null
                && acc.estimate != null
                && acc.estimate.count() > 0) {
            PerformanceEstimator.Estimate e = estimator.estimate(acc.estimate);
            p.estimatedAccuracy = e.accuracy();
            p.estimatedAccuracyLower = e.accuracyLower();
            p.estimatedAccuracyUpper = e.accuracyUpper();
            p.estimatedReferenceAccuracy = estimatedReferenceAccuracy;
        }
        return p;
    }
}
