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
 * Named features add, per column, its type mismatches and its unseen categories or out-of-range
 * numbers against that tolerance, and its missing rate against the reference's (Fisher's exact
 * test, as the reference's rate is an estimate); every check counts in the Bonferroni factor.
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
        String name = featureName(strongest);
        out.add(
                signal(
                        r,
                        Detector.DRIFT_FEATURE,
                        strongest.statistic,
                        strongest.adjustedPValue,
                        strongest.name != null
                                ? name + " drifted"
                                : name + " differs from reference",
                        name
                                + " "
                                + strongest.test
                                + " adjusted p="
                                + fmt(strongest.adjustedPValue)
                                + " over "
                                + r.features.size()
                                + " features"
                                + alsoDrifted(r.features, strongest)
                                + unseenCategories(r.features)));
    }

    private static String featureName(ReportRecord.FeatureSection f) {
        return f.name != null ? f.name : "feature " + f.index;
    }

    /** "; also drifted: a (p=...), b (p=...)": the other features rejected, strongest first. */
    private static String alsoDrifted(
            List<ReportRecord.FeatureSection> features, ReportRecord.FeatureSection strongest) {
        String others =
                features.stream()
                        .filter(f -> f != strongest && f.drift)
                        .sorted((a, b) -> Double.compare(a.adjustedPValue, b.adjustedPValue))
                        .map(f -> featureName(f) + " (p=" + fmt(f.adjustedPValue) + ")")
                        .collect(Collectors.joining(", "));
        return others.isEmpty() ? "" : "; also drifted: " + others;
    }

    /** "; 3 % of rows have an unseen country" for every named column with unseen categories. */
    private static String unseenCategories(List<ReportRecord.FeatureSection> features) {
        StringBuilder s = new StringBuilder();
        for (ReportRecord.FeatureSection f : features) {
            if (f.name != null && f.unseen > 0 && f.rows > 0) {
                s.append("; ")
                        .append(percent((double) f.unseen / f.rows))
                        .append(" of rows have an unseen ")
                        .append(f.name);
            }
        }
        return s.toString();
    }

    private static String percent(double share) {
        double p = 100 * share;
        return (p >= 10 || p == Math.rint(p)
                        ? String.format(Locale.ROOT, "%.0f", p)
                        : String.format(Locale.ROOT, "%.1f", p))
                + " %";
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
        List<ColumnKind> columns = columnKinds(r.features);
        if (kinds.isEmpty() && columns.isEmpty()) {
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
                worst = k.getKey() + " rate above the tolerated " + fmt(dataQualityMaxRate);
                worstP = p;
                worstRate = k.getValue()[0];
            }
        }
        for (ColumnKind c : columns) {
            if (worst == null || c.pValue < worstP) {
                worst = c.summary;
                worstP = c.pValue;
                worstRate = c.rate;
            }
        }
        double adjusted = Math.min(1, worstP * (kinds.size() + columns.size()));
        String rates =
                kinds.entrySet().stream()
                        .map(k -> k.getKey() + " " + fmt(k.getValue()[0]))
                        .collect(Collectors.joining(", "));
        String columnFindings =
                columns.stream()
                        .filter(ColumnKind::notable)
                        .map(c -> c.finding)
                        .collect(Collectors.joining("; "));
        out.add(
                signal(
                        r,
                        Detector.DATA_QUALITY,
                        worstRate,
                        adjusted,
                        worst,
                        rates
                                + (columnFindings.isEmpty() ? "" : "; " + columnFindings)
                                + "; adjusted p="
                                + fmt(adjusted)
                                + (columns.isEmpty()
                                        ? ""
                                        : " over " + (kinds.size() + columns.size()) + " checks")
                                + (q.unseenClasses.isEmpty()
                                        ? ""
                                        : "; unseen classes " + q.unseenClasses)));
    }

    private static void addRate(Map<String, double[]> kinds, String name, double rate, long n) {
        if (Double.isFinite(rate) && n > 0) {
            kinds.put(name, new double[] {rate, n});
        }
    }

    /**
     * One per-column data-quality check of a named feature, with its p-value; {@code always}: a
     * finding worth naming whenever it occurs (a value the reference never had).
     */
    private record ColumnKind(
            double rate, double pValue, String summary, String finding, boolean always) {

        /**
         * Named in the evidence: unseen or mistyped values, or a rate unlikely as the reference's.
         */
        boolean notable() {
            return rate > 0 && (always || pValue < NOTABLE_P);
        }
    }

    /** Unadjusted p-value below which a missing or out-of-range rate is named in the evidence. */
    static final double NOTABLE_P = 0.01;

    /**
     * The per-column checks of named features: a missing rate above the reference's (Fisher's exact
     * test), and type mismatches, unseen categories (categorical columns) and out-of-range values
     * (numeric columns) above the tolerated rate (binomial tail). Every applicable check counts in
     * the correction, whether or not it found anything.
     */
    private List<ColumnKind> columnKinds(List<ReportRecord.FeatureSection> features) {
        List<ColumnKind> out = new ArrayList<>();
        if (features == null) {
            return out;
        }
        for (ReportRecord.FeatureSection f : features) {
            if (f.name == null || f.rows <= 0) {
                continue;
            }
            double n = f.rows;
            if (Double.isFinite(f.missingPValue)) {
                out.add(
                        new ColumnKind(
                                f.missing / n,
                                f.missingPValue,
                                "missing values in " + f.name + " more often than in the reference",
                                percent(f.missing / n)
                                        + " of rows miss "
                                        + f.name
                                        + " (reference "
                                        + percent(f.referenceMissingRate)
                                        + ")",
                                false));
            }
            out.add(
                    rateKind(
                            f.typeMismatches,
                            f.rows,
                            "type mismatch rate of " + f.name,
                            " of rows have a " + f.name + " of the wrong type",
                            true));
            if ("numeric".equals(f.type)) {
                out.add(
                        rateKind(
                                f.outOfRange,
                                f.rows,
                                "out-of-range rate of " + f.name,
                                " of rows have a " + f.name + " outside the reference range",
                                false));
            } else {
                out.add(
                        rateKind(
                                f.unseen,
                                f.rows,
                                "unseen category rate of " + f.name,
                                " of rows have an unseen " + f.name,
                                true));
            }
        }
        return out;
    }

    private ColumnKind rateKind(long bad, long n, String what, String finding, boolean always) {
        double rate = (double) bad / n;
        return new ColumnKind(
                rate,
                SpecialFunctions.binomialUpperTail(bad, n, dataQualityMaxRate),
                what + " above the tolerated " + fmt(dataQualityMaxRate),
                percent(rate) + finding,
                always);
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
