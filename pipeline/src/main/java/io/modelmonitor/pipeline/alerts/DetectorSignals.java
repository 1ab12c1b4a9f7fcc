package io.modelmonitor.pipeline.alerts;

import io.modelmonitor.detectors.stats.SpecialFunctions;
import io.modelmonitor.detectors.univariate.MultipleTesting;
import io.modelmonitor.pipeline.results.ReportRecord;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Reads each detector's evidence out of a report: one {@link DetectorSignal} per detector that the
 * window can test, carrying one p-value. Detectors with several sub-tests (model outputs, features,
 * data quality) are Bonferroni-adjusted over them, so each detector's p-value is valid on its own
 * and the alert policy can budget detectors, not sub-tests. A detector without its section, an
 * insufficient window, or too few labels says nothing; {@code performance.estimated} never does
 * ({@link Detector}).
 *
 * <p>data.quality tests, per kind of problem (missing prediction, missing scores, out-of-range
 * feature, predicted class never seen in the reference, rejected record), whether the window's
 * share exceeds {@code --data-quality-max-rate}: one-sided exact binomial tail at that rate. The
 * rate is a tolerance the user sets, not an estimate, so testing against it as exact is right.
 */
public final class DetectorSignals implements java.io.Serializable {
    private static final long serialVersionUID = 1L;
    private final int minLabelled;
    private final double labelCoverage;
    private final double dataQualityMaxRate;

    /**
     * @param minLabelled realised performance is tested from this many labels on
     * @param labelCoverage the share of a window's predictions labelled that makes its performance
     *     final
     * @param dataQualityMaxRate the tolerated share of each kind of data-quality problem
     */
    public DetectorSignals(int minLabelled, double labelCoverage, double dataQualityMaxRate) {
        this.minLabelled = minLabelled;
        this.labelCoverage = labelCoverage;
        this.dataQualityMaxRate = dataQualityMaxRate;
    }

    public List<DetectorSignal> signals(ReportRecord r) {
        List<DetectorSignal> out = new ArrayList<>();
        if (!r.insufficient) {
            mmd(r, out);
            prediction(r, out);
            features(r, out);
            outliers(r, out);
            dataQuality(r, out);
        }
        performance(r, out);
        return out;
    }

    /** Each detector's p-value in this report, by detector name: what the alert policy is given. */
    public Map<String, Double> pValues(ReportRecord r) {
        Map<String, Double> out = new LinkedHashMap<>();
        for (DetectorSignal s : signals(r)) {
            out.put(s.detector, s.pValue);
        }
        return out;
    }

    private void mmd(ReportRecord r, List<DetectorSignal> out) {
        if (r.mmd == null || !Double.isFinite(r.mmd.pValue)) {
            return;
        }
        DetectorSignal s =
                signal(
                        r,
                        Detector.DRIFT_MMD,
                        r.mmd.statistic,
                        r.mmd.pValue,
                        "input distribution differs from reference",
                        "MMD p=" + fmt(r.mmd.pValue));
        s.exemplars = ids(r.mmd.exemplars);
        out.add(s);
    }

    private void prediction(ReportRecord r, List<DetectorSignal> out) {
        List<ReportRecord.TestSection> tests = new ArrayList<>();
        if (r.prediction != null && Double.isFinite(r.prediction.pValue)) {
            tests.add(r.prediction);
        }
        if (r.scores != null && Double.isFinite(r.scores.pValue)) {
            tests.add(r.scores);
        }
        if (tests.isEmpty()) {
            return;
        }
        double[] adjusted =
                MultipleTesting.bonferroni(tests.stream().mapToDouble(t -> t.pValue).toArray());
        int strongest = 0;
        for (int i = 1; i < adjusted.length; i++) {
            if (adjusted[i] < adjusted[strongest]) {
                strongest = i;
            }
        }
        String evidence =
                tests.stream()
                                .map(
                                        t ->
                                                (t != r.prediction
                                                                ? "top scores "
                                                                : r.performance != null
                                                                                && r.performance
                                                                                        .regression
                                                                        ? "predicted values "
                                                                        : "predicted classes ")
                                                        + t.test
                                                        + " p="
                                                        + fmt(t.pValue))
                                .collect(Collectors.joining(", "))
                        + (tests.size() > 1
                                ? "; Bonferroni-adjusted p=" + fmt(adjusted[strongest])
                                : "");
        out.add(
                signal(
                        r,
                        Detector.DRIFT_PREDICTION,
                        tests.get(strongest).statistic,
                        adjusted[strongest],
                        "model outputs differ from reference",
                        evidence));
    }

    private void features(ReportRecord r, List<DetectorSignal> out) {
        if (r.features == null || r.features.isEmpty()) {
            return;
        }
        ReportRecord.FeatureSection strongest =
                r.features.stream()
                        .min((a, b) -> Double.compare(a.adjustedPValue, b.adjustedPValue))
                        .get();
        if (!Double.isFinite(strongest.adjustedPValue)) {
            return;
        }
        out.add(
                signal(
                        r,
                        Detector.DRIFT_FEATURE,
                        strongest.statistic,
                        strongest.adjustedPValue,
                        "feature " + strongest.index + " differs from reference",
                        "feature "
                                + strongest.index
                                + " "
                                + strongest.test
                                + " adjusted p="
                                + fmt(strongest.adjustedPValue)
                                + " over "
                                + r.features.size()
                                + " features"));
    }

    private void outliers(ReportRecord r, List<DetectorSignal> out) {
        if (r.outliers == null || !Double.isFinite(r.outliers.pValue)) {
            return;
        }
        DetectorSignal s =
                signal(
                        r,
                        Detector.OUTLIER_RATE,
                        r.outliers.rate,
                        r.outliers.pValue,
                        "outlier rate above the reference's",
                        String.format(
                                Locale.ROOT,
                                "outlier rate %s, expected %s, %d outliers, p=%s",
                                fmt(r.outliers.rate),
                                fmt(r.outliers.expectedRate),
                                r.outliers.count,
                                fmt(r.outliers.pValue)));
        s.exemplars = ids(r.outliers.top);
        out.add(s);
    }

    private void performance(ReportRecord r, List<DetectorSignal> out) {
        ReportRecord.PerformanceSection p = r.performance;
        if (p == null
                || p.labelled < minLabelled
                || !Double.isFinite(p.pValue)
                || !Double.isFinite(p.regression ? p.referenceMae : p.referenceAccuracy)) {
            return;
        }
        // A regressor's p-value (rank test of absolute errors) enters exactly as a classifier's
        // Fisher p-value: same detector, same label-count and coverage rules, same budget.
        DetectorSignal s =
                p.regression
                        ? signal(
                                r,
                                Detector.PERFORMANCE,
                                p.mae,
                                p.pValue,
                                "absolute errors above reference",
                                String.format(
                                        Locale.ROOT,
                                        "MAE %s on %d labelled predictions, reference %s, p=%s",
                                        fmt(p.mae),
                                        p.labelled,
                                        fmt(p.referenceMae),
                                        fmt(p.pValue)))
                        : signal(
                                r,
                                Detector.PERFORMANCE,
                                p.accuracy,
                                p.pValue,
                                "accuracy below reference",
                                String.format(
                                        Locale.ROOT,
                                        "accuracy %s on %d labelled predictions, reference %s, p=%s",
                                        fmt(p.accuracy),
                                        p.labelled,
                                        fmt(p.referenceAccuracy),
                                        fmt(p.pValue)));
        s.complete = Double.isFinite(p.coverage) && p.coverage >= labelCoverage;
        out.add(s);
    }

    private void dataQuality(ReportRecord r, List<DetectorSignal> out) {
        ReportRecord.DataQualitySection q = r.dataQuality;
        if (q == null) {
            return;
        }
        // Rates are NaN where the reference gives nothing to compare with (no predictions, no
        // scores):
        // those kinds are left out rather than poisoning the others.
        Map<String, double[]> kinds = new LinkedHashMap<>();
        addRate(kinds, "missing prediction", q.missingPredictionRate, r.count);
        addRate(kinds, "missing scores", q.missingScoresRate, r.count);
        addRate(kinds, "out-of-range", q.outOfRangeRate, r.count);
        addRate(kinds, "unseen predicted class", q.unseenPredictionRate, r.count);
        addRate(kinds, "rejected records", r.deadLetterRate(), r.count + r.deadLetters);
        if (kinds.isEmpty()) {
            return;
        }
        String worst = null;
        double worstP = 1;
        double worstRate = 0;
        for (Map.Entry<String, double[]> k : kinds.entrySet()) {
            long n = (long) k.getValue()[1];
            long bad = Math.round(k.getValue()[0] * n);
            double p = SpecialFunctions.binomialUpperTail(bad, n, dataQualityMaxRate);
            if (worst == null || p < worstP) {
                worst = k.getKey();
                worstP = p;
                worstRate = k.getValue()[0];
            }
        }
        double adjusted = Math.min(1, worstP * kinds.size());
        String rates =
                kinds.entrySet().stream()
                        .map(k -> k.getKey() + " " + fmt(k.getValue()[0]))
                        .collect(Collectors.joining(", "));
        out.add(
                signal(
                        r,
                        Detector.DATA_QUALITY,
                        worstRate,
                        adjusted,
                        worst + " rate above the tolerated " + fmt(dataQualityMaxRate),
                        rates
                                + "; adjusted p="
                                + fmt(adjusted)
                                + (q.unseenClasses.isEmpty()
                                        ? ""
                                        : "; unseen classes " + q.unseenClasses)));
    }

    private static void addRate(Map<String, double[]> kinds, String name, double rate, long n) {
        if (Double.isFinite(rate) && n > 0) {
            kinds.put(name, new double[] {rate, n});
        }
    }

    private static DetectorSignal signal(
            ReportRecord r,
            Detector d,
            double statistic,
            double pValue,
            String summary,
            String evidence) {
        DetectorSignal s = new DetectorSignal();
        s.model = r.model;
        s.detector = d.id();
        s.windowStart = r.windowStart;
        s.windowEnd = r.windowEnd;
        s.revision = r.revision;
        s.statistic = statistic;
        s.pValue = Math.min(1, Math.max(0, pValue));
        s.summary = summary;
        s.evidence = evidence;
        s.bundle = r.bundle;
        return s;
    }

    /** The event ids of a report's list, or null when it has none. */
    private static List<String> ids(List<ReportRecord.Exemplar> list) {
        if (list == null || list.isEmpty()) {
            return null;
        }
        List<String> ids = new ArrayList<>(list.size());
        list.forEach(e -> ids.add(e.id));
        return ids;
    }

    static String fmt(double v) {
        if (!Double.isFinite(v)) {
            return "n/a";
        }
        if (v != 0 && Math.abs(v) < 1e-3) {
            return String.format(Locale.ROOT, "%.2g", v);
        }
        return String.format(Locale.ROOT, "%.3g", v)
                .replaceAll("(\\.\\d*?)0+$", "$1")
                .replaceAll("\\.$", "");
    }
}
