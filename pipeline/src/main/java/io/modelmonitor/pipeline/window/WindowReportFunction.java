package io.modelmonitor.pipeline.window;

import io.modelmonitor.models.bundle.ModelReference;
import io.modelmonitor.pipeline.options.JobSettings;
import io.modelmonitor.pipeline.references.BundleResolver;
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

    private final BundleResolver references;
    private final JobSettings settings;

    /** By bundle id (the model's name for its start-up bundle without id). */
    private transient Map<String, WindowEvaluator> evaluators;

    public WindowReportFunction(Map<String, ModelReference> references, JobSettings settings) {
        this(BundleResolver.of(references), settings);
    }

    public WindowReportFunction(BundleResolver references, JobSettings settings) {
        this.references = references;
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
        for (WindowAccumulator acc : accumulators) {
            WindowEvaluator evaluator =
                    evaluators.computeIfAbsent(
                            acc.bundle != null ? acc.bundle : model,
                            k ->
                                    new WindowEvaluator(
                                            references.reference(model, acc.bundle, acc.bundlePath),
                                            settings));
            ReportRecord r =
                    evaluator.evaluate(ctx.window().getStart(), ctx.window().getEnd(), acc);
            r.bundle = acc.bundle != null ? acc.bundle : references.startupId(model);
            r.bundlePath = acc.bundlePath;
            out.collect(r);
        }
    }
}
