package io.modelmonitor.pipeline.labels;

import io.modelmonitor.pipeline.record.PredictionEvent;

/** What the label join keeps of a prediction while it waits for its label. A Flink POJO. */
public class PredictionSummary {
    public String id;
    public long ts;
    public String model;
    public String prediction;
    public double predictedValue = Double.NaN;

    public PredictionSummary() {}

    public static PredictionSummary of(PredictionEvent e) {
        PredictionSummary s = new PredictionSummary();
        s.id = e.id;
        s.ts = e.ts;
        s.model = e.model;
        s.prediction = e.prediction;
        s.predictedValue = e.predictedValue;
        return s;
    }
}
