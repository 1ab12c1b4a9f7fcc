package io.modelmonitor.pipeline.window;

import io.modelmonitor.models.bundle.ModelReference;
import io.modelmonitor.pipeline.options.JobSettings;
import io.modelmonitor.pipeline.results.ReportRecord;
import java.util.HashMap;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.streaming.api.functions.windowing.ProcessWindowFunction;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.util.Collector;

/** Fires a model's window: the thin Flink adapter over {@link WindowEvaluator}. */
public class WindowReportFunction
        extends ProcessWindowFunction<WindowAccumulator, ReportRecord, String, TimeWindow> {
    private static final long serialVersionUID = 1L;

    private final Map<String, ModelReference> references;
    private final JobSettings settings;
    private transient Map<String, WindowEvaluator> evaluators;

    public WindowReportFunction(Map<String, ModelReference> references, JobSettings settings) {
        this.references = Map.copyOf(references);
        this.settings = settings;
    }

    @Override
    public void open(OpenContext ctx) {
        evaluators = new HashMap<>();
    }

    @Override
    public void process(
            String model,
            Context ctx,
            Iterable<WindowAccumulator> accumulators,
            Collector<ReportRecord> out) {
        WindowEvaluator evaluator =
                evaluators.computeIfAbsent(
                        model, m -> new WindowEvaluator(references.get(m), settings));
        for (WindowAccumulator acc : accumulators) {
            out.collect(evaluator.evaluate(ctx.window().getStart(), ctx.window().getEnd(), acc));
        }
    }
}
