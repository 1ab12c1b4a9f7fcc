package io.modelmonitor.pipeline.alerts;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.modelmonitor.pipeline.results.ReportJson;
import io.modelmonitor.pipeline.results.ReportRecord;
import java.util.Map;
import org.apache.flink.api.common.functions.MapFunction;

/**
 * A report's JSON with what the alert policy takes from it: {@code "alerting": {"p_values":
 * {detector: p}, "evidence_threshold": h, "false_alarm_budget": B}}. The per-section {@code drift}
 * flags are each test at {@code --alpha} on its own; alerts are decided from these p-values by
 * evidence accumulated across windows ({@link AlertPolicy}), so a report says both.
 */
public class ReportWithAlertInputs implements MapFunction<ReportRecord, String> {
    private static final long serialVersionUID = 1L;
    private final DetectorSignals signals;
    private final AlertPolicy policy;

    public ReportWithAlertInputs(DetectorSignals signals, AlertPolicy policy) {
        this.signals = signals;
        this.policy = policy;
    }

    @Override
    public String map(ReportRecord r) {
        ObjectNode o = ReportJson.toObject(r);
        ObjectNode alerting = o.putObject("alerting");
        ObjectNode p = alerting.putObject("p_values");
        for (Map.Entry<String, Double> e : signals.pValues(r).entrySet()) {
            p.put(e.getKey(), e.getValue());
        }
        alerting.put("evidence_threshold", policy.cusum().threshold());
        alerting.put("false_alarm_budget", policy.falseAlarmBudget());
        return o.toString();
    }
}
