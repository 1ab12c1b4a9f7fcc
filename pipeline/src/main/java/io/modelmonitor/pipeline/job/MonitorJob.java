package io.modelmonitor.pipeline.job;

import io.modelmonitor.detectors.sequential.FalseAlarmBudget;
import io.modelmonitor.models.bundle.ModelReference;
import io.modelmonitor.pipeline.alerts.AlertLifecycle;
import io.modelmonitor.pipeline.alerts.AlertPolicy;
import io.modelmonitor.pipeline.alerts.AlertRecord;
import io.modelmonitor.pipeline.alerts.Detector;
import io.modelmonitor.pipeline.alerts.DetectorSignal;
import io.modelmonitor.pipeline.alerts.DetectorSignals;
import io.modelmonitor.pipeline.alerts.ReportWithAlertInputs;
import io.modelmonitor.pipeline.alerts.SignalsFunction;
import io.modelmonitor.pipeline.embed.EmbeddingOperator;
import io.modelmonitor.pipeline.embed.EncoderLoader;
import io.modelmonitor.pipeline.labels.LabelJoinFunction;
import io.modelmonitor.pipeline.labels.PredictionSummary;
import io.modelmonitor.pipeline.options.JobSettings;
import io.modelmonitor.pipeline.options.RunOptions;
import io.modelmonitor.pipeline.record.DeadLetter;
import io.modelmonitor.pipeline.record.EmbeddedEvent;
import io.modelmonitor.pipeline.record.EventParser;
import io.modelmonitor.pipeline.record.LabelEvent;
import io.modelmonitor.pipeline.record.LabelOutcome;
import io.modelmonitor.pipeline.record.ParsedRecord;
import io.modelmonitor.pipeline.record.PredictionEvent;
import io.modelmonitor.pipeline.references.BundleResolver;
import io.modelmonitor.pipeline.references.Bundles;
import io.modelmonitor.pipeline.references.ReferenceUpdate;
import io.modelmonitor.pipeline.results.ReportAssembler;
import io.modelmonitor.pipeline.results.ReportRecord;
import io.modelmonitor.pipeline.results.ReportUpdate;
import io.modelmonitor.pipeline.window.ModelWindows;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import org.apache.flink.api.common.eventtime.SerializableTimestampAssigner;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.OutputTag;

/**
 * The monitoring job (docs/architecture.md): sources and sinks come in through the constructor, so
 * the CLI plugs in files and Kafka and tests plug in their own.
 *
 * <pre>
 * events ─ parse ─ watermarks ─ split ─ embed ─ keyBy(model) ─ windows ─────────────┐
 *                                 └─ dead letters ───────────────────────────────┤
 * labels ─ parse ─ watermarks ─ split ─ keyBy(model, id) join with predictions ──┤
 *                                                        keyBy(model) report assembler ─ reports
 *                                                          └─ signals ─ keyBy(model/detector) alert lifecycle ─ alerts
 * </pre>
 *
 * <p>Every stateful operator has a stable uid (see {@link Uids}) so savepoints survive changes of
 * the job's code.
 *
 * <pre>{@code
 * new MonitorJob(settings, references, eventSource, labelSource, alertSink, reportSink, deadLetterSink).addTo(env);
 * env.execute("model-monitor");
 * }</pre>
 */
public final class MonitorJob {
    public static final OutputTag<EmbeddedEvent> LATE_EVENTS = new OutputTag<>("late-events") {};

    private final JobSettings settings;
    private final Map<String, ModelReference> references;
    private final Source<String, ?, ?> events;
    private final Source<String, ?, ?> labels;
    private final Sink<String> alerts;
    private final Sink<String> reports;
    private final Sink<String> deadLetters;
    private boolean sinksParallelismOne = true;
    private Source<String, ?, ?> referenceUpdates;
    private Map<String, String> bundleIds = Map.of();
    private Map<String, String> bundleDirs = Map.of();
    private String encoderOverride;

    /**
     * @param labels null: no realised performance
     * @param reports null: reports are not written (alerts still come from them)
     * @param deadLetters null: dead letters are only counted
     */
    public MonitorJob(
            JobSettings settings,
            Map<String, ModelReference> references,
            Source<String, ?, ?> events,
            Source<String, ?, ?> labels,
            Sink<String> alerts,
            Sink<String> reports,
            Sink<String> deadLetters) {
        if (references.isEmpty()) {
            throw new IllegalArgumentException("at least one model reference is needed");
        }
        this.settings = Objects.requireNonNull(settings);
        this.references = Map.copyOf(references);
        this.events = Objects.requireNonNull(events);
        this.labels = labels;
        this.alerts = Objects.requireNonNull(alerts);
        this.reports = reports;
        this.deadLetters = deadLetters;
    }

    /**
     * Whether sinks run with parallelism 1 (default true: the file and stdout sinks write one
     * ordered stream). Kafka sinks may run in parallel.
     */
    public MonitorJob withSinksParallelismOne(boolean one) {
        this.sinksParallelismOne = one;
        return this;
    }

    /**
     * Reference updates ({@code --references}): records {@code {"model", "bundle", "from"}} that
     * change a model's bundle from a window on (docs/architecture.md, "Reference updates").
     */
    public MonitorJob withReferenceUpdates(Source<String, ?, ?> updates) {
        this.referenceUpdates = updates;
        return this;
    }

    /**
     * The directories of the start-up bundles by model: reports name each bundle by its id, and the
     * job carries a bundle with a directory as that directory only (each TaskManager reads it
     * once). Absent: the bundle travels whole with the job, named MODEL@inline.
     */
    public MonitorJob withBundleDirs(Map<String, Path> dirs) {
        Map<String, String> ids = new HashMap<>();
        Map<String, String> paths = new HashMap<>();
        dirs.forEach(
                (model, dir) -> {
                    ids.put(model, Bundles.id(model, dir));
                    paths.put(model, dir.toAbsolutePath().toString());
                });
        this.bundleIds = Map.copyOf(ids);
        this.bundleDirs = Map.copyOf(paths);
        return this;
    }

    /** {@code --encoder}: the encoder location of bundles activated by reference updates too. */
    public MonitorJob withEncoderOverride(String location) {
        this.encoderOverride = location;
        return this;
    }

    /**
     * Adds the job's operators to {@code env}, and refuses generic (Kryo) types there: every record
     * and state type of the job is a POJO or has explicit type information, so its serializer and
     * savepoint format are Flink's own. A type that would fall back to Kryo fails when the job is
     * built or its operators open, in tests, instead of serializing silently.
     */
    public void addTo(StreamExecutionEnvironment env) {
        // Before any operator is added: the window state's serializer is chosen when the window is
        // declared.
        env.configure(new Configuration().set(PipelineOptions.GENERIC_TYPES, false));
        EventParser parser =
                EventParser.builder().optMaxRecordBytes(settings.maxRecordBytes).build();
        // With reference updates a model's bundle, or whether it is monitored at all, depends on
        // the event's time: the embedding stage checks events against the bundle in force.
        BundleResolver resolver =
                new BundleResolver(
                        references,
                        bundleIds,
                        bundleDirs,
                        ReferenceBundles.loader(
                                encoderOverride,
                                new EncoderLoader(settings.encoderThreads, settings.device)));
        ReferenceValidator validator = new ReferenceValidator(resolver, referenceUpdates != null);

        SingleOutputStreamOperator<PredictionEvent> predictions =
                parsed(env, events, ParseFunction.EVENTS, parser, validator)
                        .process(new SplitParsed.Predictions())
                        .uid(Uids.SPLIT_EVENTS)
                        .name("split events");
        DataStream<DeadLetter> eventDeadLetters =
                predictions.getSideOutput(SplitParsed.DEAD_LETTERS);

        SingleOutputStreamOperator<EmbeddedEvent> embedded;
        DataStream<DeadLetter> referenceDeadLetters = null;
        if (referenceUpdates == null) {
            embedded =
                    predictions.transform(
                            "embed",
                            TypeInformation.of(EmbeddedEvent.class),
                            new EmbeddingOperator(
                                    resolver, settings, false, ReferenceValidator::check));
        } else {
            SingleOutputStreamOperator<ReferenceUpdate> parsedUpdates =
                    env.fromSource(
                                    referenceUpdates,
                                    WatermarkStrategy.noWatermarks(),
                                    "references source",
                                    Types.STRING)
                            .uid(Uids.REFERENCES_SOURCE)
                            .process(new ParseReferenceUpdates())
                            .uid(Uids.PARSE_REFERENCES)
                            .name("parse references");
            referenceDeadLetters = parsedUpdates.getSideOutput(SplitParsed.DEAD_LETTERS);
            embedded =
                    predictions
                            .connect(
                                    parsedUpdates
                                            .assignTimestampsAndWatermarks(
                                                    watermarks(
                                                            (SerializableTimestampAssigner<
                                                                            ReferenceUpdate>)
                                                                    (u, previous) -> u.from,
                                                            updatesIdlenessMs()))
                                            .uid(Uids.REFERENCES_WATERMARKS)
                                            .name("references watermarks")
                                            .broadcast())
                            .transform(
                                    "embed",
                                    TypeInformation.of(EmbeddedEvent.class),
                                    new EmbeddingOperator(
                                            resolver, settings, true, ReferenceValidator::check));
        }
        embedded.uid(Uids.EMBED);
        DataStream<DeadLetter> embedDeadLetters =
                embedded.getSideOutput(EmbeddingOperator.DEAD_LETTERS);
        eventDeadLetters =
                eventDeadLetters.union(
                        embedDeadLetters.filter(
                                d -> !EmbeddingOperator.REFERENCES.equals(d.source)));
        DataStream<DeadLetter> updateDeadLetters =
                embedDeadLetters.filter(d -> EmbeddingOperator.REFERENCES.equals(d.source));
        if (referenceDeadLetters != null) {
            updateDeadLetters = updateDeadLetters.union(referenceDeadLetters);
        }

        SingleOutputStreamOperator<ReportRecord> windowReports =
                embedded.keyBy(e -> e.model, Types.STRING)
                        .process(new ModelWindows(resolver, settings, LATE_EVENTS))
                        .uid(Uids.WINDOWS)
                        .name("window tests");

        DataStream<ReportUpdate> updates =
                windowReports
                        .map(ReportUpdate::window)
                        .name("window updates")
                        .union(
                                windowReports
                                        .getSideOutput(LATE_EVENTS)
                                        .map(new CountLateEvents())
                                        .name("late events"),
                                eventDeadLetters
                                        .filter(d -> d.model != null)
                                        .map(ReportUpdate::deadLetter)
                                        .name("dead-letter updates"));

        DataStream<DeadLetter> allDeadLetters = eventDeadLetters.union(updateDeadLetters);
        if (labels != null) {
            SingleOutputStreamOperator<LabelEvent> labelEvents =
                    parsed(env, labels, ParseFunction.LABELS, parser, validator)
                            .process(new SplitParsed.Labels())
                            .uid(Uids.SPLIT_LABELS)
                            .name("split labels");
            allDeadLetters =
                    allDeadLetters.union(labelEvents.getSideOutput(SplitParsed.DEAD_LETTERS));
            DataStream<LabelOutcome> outcomes =
                    predictions
                            .map(PredictionSummary::of)
                            .name("prediction summaries")
                            .keyBy(p -> LabelJoinFunction.key(p.model, p.id), Types.STRING)
                            .connect(
                                    labelEvents.keyBy(
                                            l -> LabelJoinFunction.key(l.model, l.id),
                                            Types.STRING))
                            .process(new LabelJoinFunction(settings.labelTimeoutMs))
                            .uid(Uids.LABEL_JOIN)
                            .name("label join");
            updates = updates.union(outcomes.map(ReportUpdate::outcome).name("outcome updates"));
        }

        SingleOutputStreamOperator<ReportRecord> finalReports =
                updates.keyBy(u -> u.model, Types.STRING)
                        .process(new ReportAssembler(settings, resolver))
                        .uid(Uids.REPORTS)
                        .name("reports");

        AlertPolicy policy = alertPolicy(settings);
        SingleOutputStreamOperator<AlertRecord> alertRecords =
                finalReports
                        .flatMap(new SignalsFunction(detectorSignals(settings)))
                        .returns(DetectorSignal.class)
                        .name("detector signals")
                        .keyBy(DetectorSignal::lifecycleKey, Types.STRING)
                        .process(new AlertLifecycle(policy))
                        .uid(Uids.ALERTS)
                        .name("alert lifecycle");

        sink(alertRecords.map(AlertRecord::toJson).name("alert json"), alerts, Uids.ALERTS_SINK);
        if (reports != null) {
            sink(
                    finalReports
                            .map(new ReportWithAlertInputs(detectorSignals(settings), policy))
                            .name("report json"),
                    reports,
                    Uids.REPORTS_SINK);
        }
        if (deadLetters != null) {
            sink(
                    allDeadLetters.map(DeadLetter::toJson).name("dead-letter json"),
                    deadLetters,
                    Uids.DEAD_LETTERS_SINK);
        }
    }

    /**
     * The alert policy the settings describe: budget, hysteresis and the timing of windows and
     * labels.
     */
    static AlertPolicy alertPolicy(JobSettings settings) {
        FalseAlarmBudget budget =
                new FalseAlarmBudget(
                        settings.falseAlarmBudget, settings.windowSizeMs, Detector.alerting());
        return AlertPolicy.of(budget, settings.alpha, settings.resolveAfter)
                .withTiming(
                        settings.windowSizeMs,
                        settings.allowedLatenessMs,
                        settings.labelTimeoutMs,
                        settings.windowRetentionMs());
    }

    /** What each report tells the alert policy. */
    static DetectorSignals detectorSignals(JobSettings settings) {
        return new DetectorSignals(
                settings.minLabelled, settings.labelCoverage, settings.dataQualityMaxRate);
    }

    /**
     * Bounded out-of-orderness by {@code --max-out-of-orderness}, idleness by --source-idleness.
     */
    private <T> WatermarkStrategy<T> watermarks(SerializableTimestampAssigner<T> timestamps) {
        return watermarks(timestamps, settings.sourceIdlenessMs);
    }

    private <T> WatermarkStrategy<T> watermarks(
            SerializableTimestampAssigner<T> timestamps, long idlenessMs) {
        WatermarkStrategy<T> w =
                WatermarkStrategy.<T>forBoundedOutOfOrderness(
                                Duration.ofMillis(settings.maxOutOfOrdernessMs))
                        .withTimestampAssigner(timestamps);
        return idlenessMs > 0 ? w.withIdleness(Duration.ofMillis(idlenessMs)) : w;
    }

    /**
     * A quiet topic of reference updates must not hold events back for ever: its idleness is {@code
     * --source-idleness}, or that option's default where it is 0 (off).
     */
    private long updatesIdlenessMs() {
        return settings.sourceIdlenessMs > 0
                ? settings.sourceIdlenessMs
                : RunOptions.SOURCE_IDLENESS.defaultValue().toMillis();
    }

    private SingleOutputStreamOperator<ParsedRecord> parsed(
            StreamExecutionEnvironment env,
            Source<String, ?, ?> source,
            String name,
            EventParser parser,
            ReferenceValidator validator) {
        WatermarkStrategy<ParsedRecord> watermarks =
                watermarks(
                        (SerializableTimestampAssigner<ParsedRecord>)
                                (r, previous) -> r.timestamp());
        return env.fromSource(
                        source, WatermarkStrategy.noWatermarks(), name + " source", Types.STRING)
                .uid(name + "-source")
                .process(new ParseFunction(name, parser, validator))
                .uid("parse-" + name)
                .name("parse " + name)
                .assignTimestampsAndWatermarks(watermarks)
                .uid(name + "-watermarks")
                .name(name + " watermarks");
    }

    private void sink(DataStream<String> lines, Sink<String> sink, String uid) {
        var s = lines.sinkTo(sink).uid(uid).name(uid);
        if (sinksParallelismOne) {
            s.setParallelism(1);
        }
    }

    /**
     * Counts late events (counter {@code modelmonitor.late_events}) on their way to the reports.
     */
    static final class CountLateEvents extends RichMapFunction<EmbeddedEvent, ReportUpdate> {
        private static final long serialVersionUID = 1L;
        private transient Counter late;

        @Override
        public void open(org.apache.flink.api.common.functions.OpenContext ctx) {
            late =
                    getRuntimeContext()
                            .getMetricGroup()
                            .addGroup("modelmonitor")
                            .counter("late_events");
        }

        @Override
        public ReportUpdate map(EmbeddedEvent e) {
            late.inc();
            return ReportUpdate.lateEvent(e);
        }
    }
}
