package io.modelmonitor.pipeline.results;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;

/**
 * The JSON form of reports (docs/data-contracts.md): field names as documented, timestamps ISO-8601
 * UTC, NaN as null.
 */
public final class ReportJson {
    static final ObjectMapper JSON = new ObjectMapper();

    private ReportJson() {}

    public static String toJson(ReportRecord r) {
        return toObject(r).toString();
    }

    /** The report as a JSON object, for writers that add to it (the alert inputs). */
    public static ObjectNode toObject(ReportRecord r) {
        ObjectNode o = JSON.createObjectNode();
        o.put("model", r.model);
        o.put("window_start", iso(r.windowStart));
        o.put("window_end", iso(r.windowEnd));
        o.put("revision", r.revision);
        o.put("count", r.count);
        o.put("insufficient", r.insufficient);
        if (r.mmd != null || r.prediction != null || r.scores != null || r.features != null) {
            ObjectNode drift = o.putObject("drift");
            if (r.mmd != null) {
                ObjectNode m = drift.putObject("mmd");
                number(m, "statistic", r.mmd.statistic);
                number(m, "p_value", r.mmd.pValue);
                m.put("drift", r.mmd.drift);
                m.put("n_reference", r.mmd.nReference);
                m.put("n_window", r.mmd.nWindow);
                number(m, "sigma", r.mmd.sigma);
                if (r.mmd.nullMethod != null) {
                    m.put("null", r.mmd.nullMethod);
                    m.put("tail_approximation", r.mmd.tailApproximation);
                }
                exemplars(m, "exemplars", r.mmd.exemplars, "witness");
                exemplars(m, "reference_exemplars", r.mmd.referenceExemplars, "witness");
                exemplars(m, "component_shifts", r.mmd.componentShifts, "shift");
                exemplars(m, "feature_shifts", r.mmd.featureShifts, "shift");
            }
            test(drift, "prediction", r.prediction);
            test(drift, "scores", r.scores);
            if (r.features != null) {
                ArrayNode a = drift.putArray("features");
                for (ReportRecord.FeatureSection f : r.features) {
                    ObjectNode n = a.addObject();
                    n.put("index", f.index);
                    if (f.name != null) {
                        n.put("name", f.name);
                        n.put("type", f.type);
                    }
                    n.put("test", f.test);
                    number(n, "statistic", f.statistic);
                    number(n, "p_value", f.pValue);
                    number(n, "adjusted_p_value", f.adjustedPValue);
                    n.put("drift", f.drift);
                    if (f.unseen > 0) {
                        n.put("unseen", f.unseen);
                    }
                    if (f.name != null) {
                        columnQuality(n, f);
                    }
                }
            }
        }
        if (r.outliers != null) {
            ObjectNode n = o.putObject("outliers");
            n.put("count", r.outliers.count);
            number(n, "rate", r.outliers.rate);
            number(n, "expected_rate", r.outliers.expectedRate);
            number(n, "threshold", r.outliers.threshold);
            number(n, "p_value", r.outliers.pValue);
            exemplars(n, "top", r.outliers.top, "score");
        }
        if (r.performance != null) {
            ReportRecord.PerformanceSection p = r.performance;
            ObjectNode n = o.putObject("performance");
            n.put("labelled", p.labelled);
            number(n, "coverage", p.coverage);
            if (p.regression) {
                n.put("task", "regression");
                number(n, "mae", p.mae);
                number(n, "rmse", p.rmse);
                number(n, "bias", p.bias);
                number(n, "mape", p.mape);
                number(n, "smape", p.smape);
                number(n, "p_value", p.pValue);
                number(n, "reference_mae", p.referenceMae);
                n.put("reference_labelled", p.referenceLabelled);
            } else {
                number(n, "accuracy", p.accuracy);
                number(n, "p_value", p.pValue);
                number(n, "reference_accuracy", p.referenceAccuracy);
                n.put("reference_labelled", p.referenceLabelled);
                n.put("reference_correct", p.referenceCorrect);
                number(n, "estimated_accuracy", p.estimatedAccuracy);
                number(n, "estimated_accuracy_lower", p.estimatedAccuracyLower);
                number(n, "estimated_accuracy_upper", p.estimatedAccuracyUpper);
                number(n, "estimated_reference_accuracy", p.estimatedReferenceAccuracy);
            }
            number(n, "mean_label_delay_seconds", p.meanLabelDelaySeconds);
            n.put("duplicate_labels", p.duplicateLabels);
            n.put("late_labels", p.lateLabels);
            n.put("orphan_labels", p.orphanLabels);
        }
        if (r.dataQuality != null) {
            ObjectNode n = o.putObject("data_quality");
            number(n, "missing_prediction_rate", r.dataQuality.missingPredictionRate);
            number(n, "missing_scores_rate", r.dataQuality.missingScoresRate);
            number(n, "out_of_range_rate", r.dataQuality.outOfRangeRate);
            number(n, "unseen_prediction_rate", r.dataQuality.unseenPredictionRate);
            number(n, "dead_letter_rate", r.deadLetterRate());
            ArrayNode a = n.putArray("unseen_classes");
            r.dataQuality.unseenClasses.forEach(a::add);
        }
        o.put("late_events", r.lateEvents);
        o.put("dead_letters", r.deadLetters);
        if (r.bundle != null) {
            o.put("bundle", r.bundle);
        }
        return o;
    }

    /** A named feature's data-quality figures (rates over the sampled rows tested). */
    public static void columnQuality(ObjectNode n, ReportRecord.FeatureSection f) {
        double rows = Math.max(1, f.rows);
        n.put("rows", f.rows);
        number(n, "missing_rate", f.missing / rows);
        number(n, "reference_missing_rate", f.referenceMissingRate);
        number(n, "missing_p_value", f.missingPValue);
        number(n, "type_mismatch_rate", f.typeMismatches / rows);
        if ("numeric".equals(f.type)) {
            number(n, "out_of_range_rate", f.outOfRange / rows);
        } else {
            number(n, "unseen_rate", f.unseen / rows);
        }
    }

    /**
     * A list of named events {@code [{"id", valueName}]} or reference rows {@code [{"index",
     * valueName}]}; absent when null.
     */
    static void exemplars(
            ObjectNode parent,
            String name,
            java.util.List<ReportRecord.Exemplar> list,
            String valueName) {
        if (list == null) {
            return;
        }
        ArrayNode a = parent.putArray(name);
        for (ReportRecord.Exemplar e : list) {
            ObjectNode n = a.addObject();
            if (e.index >= 0) {
                n.put("index", e.index);
                if (e.id != null) {
                    n.put("name", e.id); // a named feature
                }
            } else {
                n.put("id", e.id);
            }
            number(n, valueName, e.value);
        }
    }

    private static void test(ObjectNode parent, String name, ReportRecord.TestSection t) {
        if (t != null) {
            ObjectNode n = parent.putObject(name);
            n.put("test", t.test);
            number(n, "statistic", t.statistic);
            number(n, "p_value", t.pValue);
            n.put("drift", t.drift);
        }
    }

    static void number(ObjectNode o, String field, double v) {
        if (Double.isFinite(v)) {
            o.put(field, v);
        } else {
            o.putNull(field);
        }
    }

    /** ISO-8601 UTC, e.g. {@code 2026-11-28T10:00:00Z}. */
    public static String iso(long epochMillis) {
        return Instant.ofEpochMilli(epochMillis).toString();
    }
}
