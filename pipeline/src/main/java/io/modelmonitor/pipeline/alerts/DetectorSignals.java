package io.modelmonitor.pipeline.alerts;

import io.modelmonitor.detectors.univariate.MultipleTesting;
import io.modelmonitor.pipeline.results.ReportRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Reads each detector's condition out of a report: one {@link DetectorSignal} per detector that
 * the window can decide (a detector without its section, or an insufficient window, says nothing).
 *
 * <p>Severity is {@code critical} when the evidence is ten times stronger than the significance
 * level requires (p &lt; alpha / 10), {@code warning} otherwise.
 */
public final class DetectorSignals {
    private final double alpha;
    private final int minLabelled;
    private final double dataQualityMaxRate;

    public DetectorSignals(double alpha, int minLabelled, double dataQualityMaxRate) {
        this.alpha = alpha;
        this.minLabelled = minLabelled;
        this.dataQualityMaxRate = dataQualityMaxRate;
    }

    public List<DetectorSignal> signals(ReportRecord r) {
        List<DetectorSignal> out = new ArrayList<>();
        if (!r.insufficient) {
            mmd(r, out);
            prediction(r, out);
            features(r, out);
            outliers(r, out);
            estimatedPerformance(r, out);
            dataQuality(r, out);
        }
        performance(r, out);
        return out;
    }

    private void mmd(ReportRecord r, List<DetectorSignal> out) {
        if (r.mmd == null) {
            return;
        }
        boolean drift = r.mmd.pValue < alpha;
        DetectorSignal s = signal(r, Detector.DRIFT_MMD, drift, r.mmd.statistic, alpha, r.mmd.pValue);
        s.message = drift
                ? String.format(Locale.ROOT, "input distribution differs from reference (MMD p=%s < %s)", fmt(r.mmd.pValue), fmt(alpha))
                : String.format(Locale.ROOT, "input distribution consistent with reference (MMD p=%s >= %s)", fmt(r.mmd.pValue), fmt(alpha));
        out.add(s);
    }

    private void prediction(ReportRecord r, List<DetectorSignal> out) {
        List<ReportRecord.TestSection> tests = new ArrayList<>();
        if (r.prediction != null) {
            tests.add(r.prediction);
        }
        if (r.scores != null) {
            tests.add(r.scores);
        }
        if (tests.isEmpty()) {
            return;
        }
        ReportRecord.TestSection strongest = tests.stream().min((a, b) -> Double.compare(a.pValue, b.pValue)).get();
        // Two tests of one question (did the outputs change?): the alert's p-value is Bonferroni-corrected,
        // so the detector keeps its false-alarm rate at alpha.
        double adjusted = MultipleTesting.bonferroni(tests.stream().mapToDouble(t -> t.pValue).toArray())[tests.indexOf(strongest)];
        boolean drift = adjusted < alpha;
        DetectorSignal s = signal(r, Detector.DRIFT_PREDICTION, drift, strongest.statistic, alpha, adjusted);
        String evidence = tests.stream()
                .map(t -> (t == r.prediction ? "predicted classes " : "top scores ") + t.test + " p=" + fmt(t.pValue))
                .collect(Collectors.joining(", "));
        s.message = (drift ? "model outputs differ from reference (" : "model outputs consistent with reference (") + evidence
                + (tests.size() > 1 ? "; Bonferroni-adjusted p=" + fmt(adjusted) : "") + ")";
        out.add(s);
    }

    private void features(ReportRecord r, List<DetectorSignal> out) {
        if (r.features == null || r.features.isEmpty()) {
            return;
        }
        List<ReportRecord.FeatureSection> drifted = r.features.stream().filter(f -> f.drift).collect(Collectors.toList());
        ReportRecord.FeatureSection strongest = r.features.stream()
                .min((a, b) -> Double.compare(a.adjustedPValue, b.adjustedPValue)).get();
        DetectorSignal s = signal(r, Detector.DRIFT_FEATURE, !drifted.isEmpty(), strongest.statistic, alpha,
                strongest.adjustedPValue);
        s.message = drifted.isEmpty()
                ? "no feature differs from reference (smallest adjusted p=" + fmt(strongest.adjustedPValue) + ")"
                : "feature(s) " + drifted.stream().map(f -> Integer.toString(f.index)).collect(Collectors.joining(", "))
                        + " differ from reference (smallest adjusted p=" + fmt(strongest.adjustedPValue) + ")";
        out.add(s);
    }

    private void outliers(ReportRecord r, List<DetectorSignal> out) {
        if (r.outliers == null) {
            return;
        }
        boolean high = r.outliers.pValue < alpha;
        DetectorSignal s = signal(r, Detector.OUTLIER_RATE, high, r.outliers.rate, alpha, r.outliers.pValue);
        s.message = String.format(Locale.ROOT, "outlier rate %s %s expected %s (%d outliers, binomial p=%s)",
                fmt(r.outliers.rate), high ? "above" : "consistent with", fmt(r.outliers.expectedRate), r.outliers.count,
                fmt(r.outliers.pValue));
        out.add(s);
    }

    private void performance(ReportRecord r, List<DetectorSignal> out) {
        ReportRecord.PerformanceSection p = r.performance;
        if (p == null || p.labelled < minLabelled || !Double.isFinite(p.referenceAccuracy) || !Double.isFinite(p.pValue)) {
            return;
        }
        boolean worse = p.pValue < alpha;
        DetectorSignal s = signal(r, Detector.PERFORMANCE, worse, p.accuracy, p.referenceAccuracy, p.pValue);
        s.message = String.format(Locale.ROOT, "accuracy %s on %d labelled predictions %s reference %s (Fisher p=%s)",
                fmt(p.accuracy), p.labelled, worse ? "below" : "consistent with", fmt(p.referenceAccuracy), fmt(p.pValue));
        out.add(s);
    }

    private void estimatedPerformance(ReportRecord r, List<DetectorSignal> out) {
        ReportRecord.PerformanceSection p = r.performance;
        // Like with like: the window's label-free estimate against the same estimator on the reference.
        if (p == null || !Double.isFinite(p.estimatedAccuracyUpper) || !Double.isFinite(p.estimatedReferenceAccuracy)) {
            return;
        }
        boolean worse = p.estimatedAccuracyUpper < p.estimatedReferenceAccuracy;
        DetectorSignal s = signal(r, Detector.PERFORMANCE_ESTIMATED, worse, p.estimatedAccuracy, p.estimatedReferenceAccuracy,
                Double.NaN);
        s.severity = "warning";
        s.message = String.format(Locale.ROOT, "estimated accuracy %s (band %s-%s) %s the reference's estimated %s",
                fmt(p.estimatedAccuracy), fmt(p.estimatedAccuracyLower), fmt(p.estimatedAccuracyUpper),
                worse ? "below" : "consistent with", fmt(p.estimatedReferenceAccuracy));
        out.add(s);
    }

    private void dataQuality(ReportRecord r, List<DetectorSignal> out) {
        ReportRecord.DataQualitySection q = r.dataQuality;
        if (q == null) {
            return;
        }
        double worst = Math.max(Math.max(q.missingPredictionRate, q.missingScoresRate),
                Math.max(finiteOrZero(q.outOfRangeRate), r.deadLetterRate()));
        boolean bad = worst > dataQualityMaxRate || !q.unseenClasses.isEmpty();
        DetectorSignal s = signal(r, Detector.DATA_QUALITY, bad, worst, dataQualityMaxRate, Double.NaN);
        s.severity = "warning";
        s.message = String.format(Locale.ROOT,
                "missing prediction rate %s, missing scores rate %s, out-of-range rate %s, dead-letter rate %s (limit %s)%s",
                fmt(q.missingPredictionRate), fmt(q.missingScoresRate), fmt(q.outOfRangeRate), fmt(r.deadLetterRate()),
                fmt(dataQualityMaxRate),
                q.unseenClasses.isEmpty() ? "" : ", unseen classes " + q.unseenClasses);
        out.add(s);
    }

    private DetectorSignal signal(ReportRecord r, Detector d, boolean condition, double statistic, double threshold,
            double pValue) {
        DetectorSignal s = new DetectorSignal();
        s.model = r.model;
        s.detector = d.id();
        s.windowStart = r.windowStart;
        s.windowEnd = r.windowEnd;
        s.revision = r.revision;
        s.condition = condition;
        s.statistic = statistic;
        s.threshold = threshold;
        s.pValue = pValue;
        s.severity = Double.isFinite(pValue) && pValue < alpha / 10 ? "critical" : "warning";
        return s;
    }

    private static double finiteOrZero(double v) {
        return Double.isFinite(v) ? v : 0;
    }

    static String fmt(double v) {
        if (!Double.isFinite(v)) {
            return "n/a";
        }
        if (v != 0 && Math.abs(v) < 1e-3) {
            return String.format(Locale.ROOT, "%.2g", v);
        }
        return String.format(Locale.ROOT, "%.3g", v).replaceAll("(\\.\\d*?)0+$", "$1").replaceAll("\\.$", "");
    }
}
