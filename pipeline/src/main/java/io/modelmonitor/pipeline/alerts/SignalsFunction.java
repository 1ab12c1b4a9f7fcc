package io.modelmonitor.pipeline.alerts;

import io.modelmonitor.pipeline.results.ReportRecord;
import org.apache.flink.api.common.functions.FlatMapFunction;
import org.apache.flink.util.Collector;

/** Each report's detector signals: the Flink adapter of {@link DetectorSignals}. */
public class SignalsFunction implements FlatMapFunction<ReportRecord, DetectorSignal> {
    private static final long serialVersionUID = 1L;

    private final DetectorSignals signals;

    public SignalsFunction(DetectorSignals signals) {
        this.signals = signals;
    }

    @Override
    public void flatMap(ReportRecord report, Collector<DetectorSignal> out) {
        signals.signals(report).forEach(out::collect);
    }
}
