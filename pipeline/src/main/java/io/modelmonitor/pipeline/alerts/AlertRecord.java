package io.modelmonitor.pipeline.alerts;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.modelmonitor.pipeline.results.ReportJson;
import java.util.List;

/**
 * One alert transition (docs/data-contracts.md): {@code open} once when a condition starts, {@code
 * resolved} once when it ends.
 */
public class AlertRecord {
    public static final String OPEN = "open";
    public static final String RESOLVED = "resolved";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** model/detector/window_start of the window that opened it. */
    public String alertId;

    public String model;
    public String detector;
    public String status;
    public String severity;
    public long windowStart;
    public long windowEnd;
    public double statistic = Double.NaN;
    public double threshold = Double.NaN;
    public double pValue = Double.NaN;

    /**
     * The evidence accumulated over windows (the alert policy's statistic) when the record was
     * made.
     */
    public double evidence = Double.NaN;

    /** The evidence at which an alert opens. */
    public double evidenceThreshold = Double.NaN;

    public String message;

    /**
     * Event ids of the deciding window to look at (see {@link DetectorSignal#exemplars}); null when
     * none.
     */
    public List<String> exemplars;

    /** The reference bundle of the deciding window, null when unknown. */
    public String bundle;

    /**
     * Whether the model's reference bundle changed while the alert was open: the windows that
     * resolved it were tested against the new one.
     */
    public boolean referenceChanged;

    public AlertRecord() {}

    public String toJson() {
        ObjectNode o = JSON.createObjectNode();
        o.put("alert_id", alertId);
        o.put("model", model);
        o.put("detector", detector);
        o.put("status", status);
        o.put("severity", severity);
        o.put("window_start", ReportJson.iso(windowStart));
        o.put("window_end", ReportJson.iso(windowEnd));
        putNumber(o, "statistic", statistic);
        putNumber(o, "threshold", threshold);
        putNumber(o, "p_value", pValue);
        putNumber(o, "evidence", evidence);
        putNumber(o, "evidence_threshold", evidenceThreshold);
        o.put("message", message);
        if (exemplars != null && !exemplars.isEmpty()) {
            ArrayNode a = o.putArray("exemplars");
            exemplars.forEach(a::add);
        }
        if (bundle != null) {
            o.put("bundle", bundle);
        }
        if (referenceChanged) {
            o.put("reference_changed", true);
        }
        return o.toString();
    }

    private static void putNumber(ObjectNode o, String field, double v) {
        if (Double.isFinite(v)) {
            o.put(field, v);
        } else {
            o.putNull(field);
        }
    }

    @Override
    public String toString() {
        return toJson();
    }
}
