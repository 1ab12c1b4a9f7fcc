package io.modelmonitor.pipeline.alerts;

import io.modelmonitor.pipeline.results.ReportRecord;
import org.apache.flink.api.common.functions.FlatMapFunction;
import org.apache.flink.util.Collector;

/** Each report's detector signals: the Flink adapter of {@link DetectorSignals}. */
public class SignalsFunction implements FlatMapFunction<ReportRecord, DetectorSignal> {
    private static final long serialVersionUID = 1L;

    private final double alpha;
    private final int minLabelled;
    private final double dataQualityMaxRate;

    public SignalsFunction(double alpha, int minLabelled, double dataQualityMaxRate) {
        this.alpha = alpha;
        this.minLabelled = minLabelled;
        this.dataQualityMaxRate = dataQualityMaxRate;
    }

    @Override
    public void flatMap(ReportRecord report, Collector<DetectorSignal> out) {
        new DetectorSignals(alpha, minLabelled, dataQualityMaxRate).signals(report).forEach(out::collect);
    }
}
