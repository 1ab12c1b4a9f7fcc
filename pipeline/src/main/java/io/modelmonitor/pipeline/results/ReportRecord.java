package io.modelmonitor.pipeline.results;

import java.util.ArrayList;
import java.util.List;

/**
 * One report (docs/data-contracts.md): the result of one model's window, re-emitted with a higher
 * {@link #revision} when late events, late labels or dead letters change it. A Flink POJO; its JSON
 * form is written by {@link ReportJson}. Sections are null when they do not apply (no reference for
 * them, or an insufficient window).
 */
public class ReportRecord {
    public String model;
    public long windowStart;
    public long windowEnd;
    public int revision;
    public long count;
    public boolean insufficient;
    public MmdSection mmd;

    /** Chi-squared test of the predicted-class frequencies against the reference's. */
    public TestSection prediction;

    /** Kolmogorov-Smirnov test of the top class probability against the reference's. */
    public TestSection scores;

    /** Per-feature tests (numeric inputs). */
    public List<FeatureSection> features;

    public OutlierSection outliers;
    public PerformanceSection performance;
    public DataQualitySection dataQuality;
    public long lateEvents;
    public long deadLetters;

    /**
     * Id of the reference bundle the window was tested against (derived from its manifest), null
     * before the window was tested.
     */
    public String bundle;

    /** Directory of that bundle (not written; null for a start-up bundle). */
    public String bundlePath;

    public ReportRecord() {}

    /**
     * Share of the window's records that were rejected: dead letters / (valid events + dead
     * letters).
     */
    public double deadLetterRate() {
        long all = count + deadLetters;
        return all == 0 ? 0 : (double) deadLetters / all;
    }

    /** A deep copy (the report assembler keeps one and emits revisions of it). */
    public ReportRecord copy() {
        ReportRecord r = new ReportRecord();
        r.model = model;
        r.windowStart = windowStart;
        r.windowEnd = windowEnd;
        r.revision = revision;
        r.count = count;
        r.insufficient = insufficient;
        r.mmd = mmd == null ? null : mmd.copy();
        r.prediction = prediction == null ? null : prediction.copy();
        r.scores = scores == null ? null : scores.copy();
        if (features != null) {
            r.features = new ArrayList<>();
            for (FeatureSection f : features) {
                r.features.add(f.copy());
            }
        }
        r.outliers = outliers == null ? null : outliers.copy();
        r.performance = performance == null ? null : performance.copy();
        r.dataQuality = dataQuality == null ? null : dataQuality.copy();
        r.lateEvents = lateEvents;
        r.deadLetters = deadLetters;
        r.bundle = bundle;
        r.bundlePath = bundlePath;
        return r;
    }

    @Override
    public String toString() {
        return ReportJson.toJson(this);
    }

    /** drift.mmd. */
    public static class MmdSection {
        public double statistic;
        public double pValue;
        public boolean drift;
        public int nReference;
        public int nWindow;
        public double sigma;

        /**
         * How the p-value's null was obtained: {@code "calibrated"} (the reference's resampling
         * null, simulated once per bundle) or {@code "permutation"} (this window's own permutation
         * test, e.g. a window too large for the calibration pool).
         */
        public String nullMethod;

        /**
         * True when the p-value lies beyond the calibration draws and came from the fitted tail.
         */
        public boolean tailApproximation;

        /**
         * The window's sampled events with the largest MMD witness values, largest first (by event
         * id).
         */
        public List<Exemplar> exemplars;

        /**
         * The reference rows with the most negative witness values, most negative first (by row
         * index).
         */
        public List<Exemplar> referenceExemplars;

        /**
         * Dimensions of the test space (PCA components) ranked by |witness-weighted mean shift| in
         * reference standard deviations, largest first (by index).
         */
        public List<Exemplar> componentShifts;

        /** Numeric inputs: the raw input features ranked the same way (by index). */
        public List<Exemplar> featureShifts;

        public MmdSection copy() {
            MmdSection s = new MmdSection();
            s.componentShifts = Exemplar.copy(componentShifts);
            s.featureShifts = Exemplar.copy(featureShifts);
            s.exemplars = Exemplar.copy(exemplars);
            s.referenceExemplars = Exemplar.copy(referenceExemplars);
            s.nullMethod = nullMethod;
            s.tailApproximation = tailApproximation;
            s.statistic = statistic;
            s.pValue = pValue;
            s.drift = drift;
            s.nReference = nReference;
            s.nWindow = nWindow;
            s.sigma = sigma;
            return s;
        }
    }

    /** A two-sample test: drift.prediction, drift.scores. */
    public static class TestSection {
        public String test;
        public double statistic;
        public double pValue;
        public boolean drift;

        public TestSection() {}

        public TestSection(String test, double statistic, double pValue, boolean drift) {
            this.test = test;
            this.statistic = statistic;
            this.pValue = pValue;
            this.drift = drift;
        }

        public TestSection copy() {
            return new TestSection(test, statistic, pValue, drift);
        }
    }

    /** One feature's test, p-value adjusted for the number of features. */
    public static class FeatureSection {
        public int index;
        public String test;
        public double statistic;
        public double pValue;
        public double adjustedPValue;
        public boolean drift;

        /**
         * Window values of a categorical feature the reference never showed (kept out of its test).
         */
        public long unseen;

        /**
         * Named features: the column's name and type ({@code numeric}, {@code categorical}, {@code
         * boolean}); null for an array of features, whose other tabular fields below stay unset.
         */
        public String name;

        public String type;

        /**
         * Named features: the sampled rows tested, and how many lacked a value or had a wrong type.
         */
        public long rows;

        public long missing;
        public long typeMismatches;

        /** Named numeric features: values outside the reference's range. */
        public long outOfRange;

        /**
         * Named features: the reference's missing rate, and the one-sided p-value of a higher
         * missing rate in the window (Fisher's exact test).
         */
        public double referenceMissingRate = Double.NaN;

        public double missingPValue = Double.NaN;

        public FeatureSection copy() {
            FeatureSection s = new FeatureSection();
            s.name = name;
            s.type = type;
            s.rows = rows;
            s.missing = missing;
            s.typeMismatches = typeMismatches;
            s.outOfRange = outOfRange;
            s.referenceMissingRate = referenceMissingRate;
            s.missingPValue = missingPValue;
            s.unseen = unseen;
            s.index = index;
            s.test = test;
            s.statistic = statistic;
            s.pValue = pValue;
            s.adjustedPValue = adjustedPValue;
            s.drift = drift;
            return s;
        }
    }

    /**
     * Outlier count against the order-statistic threshold calibrated on held-out reference scores
     * (one-sided beta-binomial test; {@code expectedRate} = j/(m + 1)).
     */
    public static class OutlierSection {
        public long count;
        public double rate;
        public double expectedRate;
        public double threshold;
        public double pValue;

        /** The window's highest outlier scores (all scored events), highest first. */
        public List<Exemplar> top;

        public OutlierSection copy() {
            OutlierSection s = new OutlierSection();
            s.top = Exemplar.copy(top);
            s.count = count;
            s.rate = rate;
            s.expectedRate = expectedRate;
            s.threshold = threshold;
            s.pValue = pValue;
            return s;
        }
    }

    /** Realised (from labels) and estimated (from scores) performance. NaN = unknown. */
    public static class PerformanceSection {
        public long labelled;
        public long correct;
        public double coverage = Double.NaN;
        public double accuracy = Double.NaN;

        /**
         * One-sided p-value of "the window's error rate is higher than the reference's": Fisher's
         * exact test of the window's errors among its labelled predictions against the reference's
         * labelled errors ({@code ErrorRateComparison}). Valid at every revision; NaN without
         * labels or reference counts.
         */
        public double pValue = Double.NaN;

        public double referenceAccuracy = Double.NaN;

        /**
         * Labelled reference predictions and how many were correct (the counts behind
         * referenceAccuracy).
         */
        public long referenceLabelled;

        public long referenceCorrect;

        /**
         * Label-free estimate of the accuracy of the argmax-of-scores prediction in this window,
         * with its sampling band; compare with {@link #estimatedReferenceAccuracy}, the same
         * estimator on the reference's scores (like with like), not with referenceAccuracy.
         */
        public double estimatedAccuracy = Double.NaN;

        public double estimatedReferenceAccuracy = Double.NaN;
        public double estimatedAccuracyLower = Double.NaN;
        public double estimatedAccuracyUpper = Double.NaN;
        public double meanLabelDelaySeconds = Double.NaN;

        /**
         * Labels in this window (by the label's time) that joined nothing: a second label for a
         * prediction whose first was still waiting, a label past its prediction's label timeout, a
         * label that found no prediction. See {@code LabelJoinFunction} for the limits.
         */
        public long duplicateLabels;

        public long lateLabels;
        public long orphanLabels;

        /**
         * A regression (forecasting) model: the realised figures are the error metrics below, and
         * {@link #pValue} is the one-sided Mann-Whitney U test of the window's absolute errors
         * against the reference's (accuracy and the Fisher test do not apply).
         */
        public boolean regression;

        public double mae = Double.NaN;
        public double rmse = Double.NaN;

        /** Mean of prediction − label. */
        public double bias = Double.NaN;

        /** NaN when a label is 0 (sMAPE: when a label and its prediction are both 0). */
        public double mape = Double.NaN;

        public double smape = Double.NaN;
        public double referenceMae = Double.NaN;

        public PerformanceSection copy() {
            PerformanceSection s = new PerformanceSection();
            s.labelled = labelled;
            s.correct = correct;
            s.coverage = coverage;
            s.accuracy = accuracy;
            s.pValue = pValue;
            s.referenceAccuracy = referenceAccuracy;
            s.referenceLabelled = referenceLabelled;
            s.referenceCorrect = referenceCorrect;
            s.estimatedAccuracy = estimatedAccuracy;
            s.estimatedReferenceAccuracy = estimatedReferenceAccuracy;
            s.estimatedAccuracyLower = estimatedAccuracyLower;
            s.estimatedAccuracyUpper = estimatedAccuracyUpper;
            s.meanLabelDelaySeconds = meanLabelDelaySeconds;
            s.duplicateLabels = duplicateLabels;
            s.lateLabels = lateLabels;
            s.orphanLabels = orphanLabels;
            s.regression = regression;
            s.mae = mae;
            s.rmse = rmse;
            s.bias = bias;
            s.mape = mape;
            s.smape = smape;
            s.referenceMae = referenceMae;
            return s;
        }
    }

    /** Data quality: what is missing or outside what the reference showed. */
    public static class DataQualitySection {
        public double missingPredictionRate;
        public double missingScoresRate;
        public double outOfRangeRate;
        public List<String> unseenClasses = new ArrayList<>();

        /**
         * Share of the window's predictions in classes the reference never showed (NaN without
         * reference predictions); the prediction drift test leaves them out, data quality owns
         * them.
         */
        public double unseenPredictionRate = Double.NaN;

        public DataQualitySection copy() {
            DataQualitySection s = new DataQualitySection();
            s.unseenPredictionRate = unseenPredictionRate;
            s.missingPredictionRate = missingPredictionRate;
            s.missingScoresRate = missingScoresRate;
            s.outOfRangeRate = outOfRangeRate;
            s.unseenClasses = new ArrayList<>(unseenClasses);
            return s;
        }
    }

    /**
     * One event or reference row named by a report: an event by its {@code id}, a reference row by
     * its {@code index} in the bundle's MMD reference sample (-1 when it is an event), with its
     * value (a witness value, or an outlier score).
     */
    public static class Exemplar {
        public String id;
        public int index = -1;
        public double value;

        public Exemplar() {}

        public Exemplar(String id, int index, double value) {
            this.id = id;
            this.index = index;
            this.value = value;
        }

        static List<Exemplar> copy(List<Exemplar> list) {
            if (list == null) {
                return null;
            }
            List<Exemplar> out = new ArrayList<>(list.size());
            for (Exemplar e : list) {
                out.add(new Exemplar(e.id, e.index, e.value));
            }
            return out;
        }
    }
}
