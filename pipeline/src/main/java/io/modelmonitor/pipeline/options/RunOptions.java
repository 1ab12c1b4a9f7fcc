package io.modelmonitor.pipeline.options;

import static io.modelmonitor.pipeline.options.MonitorOptions.declare;
import static io.modelmonitor.pipeline.options.OptionValidators.atLeast;
import static io.modelmonitor.pipeline.options.OptionValidators.inInterval;
import static io.modelmonitor.pipeline.options.OptionValidators.notNegative;
import static io.modelmonitor.pipeline.options.OptionValidators.positive;
import static io.modelmonitor.pipeline.options.OptionValidators.tcpPort;

import java.time.Duration;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.util.TimeUtils;

/**
 * The options of {@code ./monitor run} alone: event time and windows, the alert policy, labels,
 * Kafka, the encoder's batching and Flink execution.
 *
 * <p>Each declaration is the whole definition of a flag: its key (the flag without {@code --}),
 * type, default, description (the {@code --help} text and the README's flag table) and check.
 */
public final class RunOptions {
    private RunOptions() {}

    public static final ConfigOption<String> DEAD_LETTERS =
            declare(
                    ConfigOptions.key("dead-letters")
                            .stringType()
                            .noDefaultValue()
                            .withDescription(
                                    "Dead-letter sink for records that fail parsing or validation: file:PATH, kafka://... or stdout."));

    public static final ConfigOption<String> REFERENCES =
            declare(
                    ConfigOptions.key("references")
                            .stringType()
                            .noDefaultValue()
                            .withDescription(
                                    "Reference updates: file:PATH or kafka://HOST:PORT/TOPIC with records {\"model\", \"bundle\", \"from\"}; from the first window starting at or after 'from' the model is tested against that bundle (a model first named here starts being monitored). Absent = the --bundle references for the whole run."));

    public static final ConfigOption<Duration> WINDOW_SIZE =
            declare(
                    ConfigOptions.key("window-size")
                            .durationType()
                            .defaultValue(Duration.ofHours(1))
                            .withDescription("Event-time window length, e.g. 1h, 5m."),
                    positive());

    public static final ConfigOption<Duration> WINDOW_SLIDE =
            declare(
                    ConfigOptions.key("window-slide")
                            .durationType()
                            .noDefaultValue()
                            .withDescription(
                                    "Slide of sliding windows; absent = tumbling windows."),
                    (slide, conf) ->
                            slide.isNegative() || slide.isZero()
                                    ? "must be positive"
                                    : slide.compareTo(conf.get(WINDOW_SIZE)) > 0
                                            ? "must not exceed --window-size"
                                            : null);

    public static final ConfigOption<Duration> MAX_OUT_OF_ORDERNESS =
            declare(
                    ConfigOptions.key("max-out-of-orderness")
                            .durationType()
                            .defaultValue(Duration.ofMinutes(1))
                            .withDescription(
                                    "Watermark bound: how far out of order events may arrive."),
                    notNegative());

    public static final ConfigOption<Duration> SOURCE_IDLENESS =
            declare(
                    ConfigOptions.key("source-idleness")
                            .durationType()
                            .defaultValue(Duration.ofMinutes(1))
                            .withDescription(
                                    "A source partition without events for this long stops holding back the watermark."),
                    notNegative());

    public static final ConfigOption<Duration> ALLOWED_LATENESS =
            declare(
                    ConfigOptions.key("allowed-lateness")
                            .durationType()
                            .defaultValue(Duration.ZERO)
                            .withDescription(
                                    "Late events within this still update their window (a new report revision); later ones are counted as late."),
                    notNegative());

    public static final ConfigOption<Integer> MIN_WINDOW_COUNT =
            declare(
                    ConfigOptions.key("min-window-count")
                            .intType()
                            .defaultValue(30)
                            .withDescription(
                                    "Windows with fewer events are reported with insufficient=true and no test."),
                    atLeast(2));

    public static final ConfigOption<Integer> MAX_WINDOW_SAMPLE =
            declare(
                    ConfigOptions.key("max-window-sample")
                            .intType()
                            .defaultValue(1000)
                            .withDescription(
                                    "At most this many embeddings per window enter the MMD test (the events with the smallest seeded hash of their id)."),
                    atLeast(2));

    public static final ConfigOption<Double> FALSE_ALARM_BUDGET =
            declare(
                    ConfigOptions.key("false-alarm-budget")
                            .doubleType()
                            .defaultValue(1.0)
                            .withDescription(
                                    "Expected false alerts per model per 30 days of event time, all detectors together, on data "
                                            + "that has not changed: evidence accumulates across windows (a CUSUM of per-window p-values) and an "
                                            + "alert opens when it reaches the threshold calibrated to this budget, shared equally by the 6 alerting detectors."),
                    (budget, conf) ->
                            budget > 0 && budget <= 1000
                                    ? null
                                    : "must be in (0, 1000] alerts per 30 days, got " + budget);

    public static final ConfigOption<Integer> RESOLVE_AFTER =
            declare(
                    ConfigOptions.key("resolve-after")
                            .intType()
                            .defaultValue(3)
                            .withDescription(
                                    "An open alert resolves after this many windows in a row whose p-value is at least --alpha."),
                    atLeast(1));

    public static final ConfigOption<Duration> LABEL_TIMEOUT =
            declare(
                    ConfigOptions.key("label-timeout")
                            .durationType()
                            .defaultValue(Duration.ofDays(7))
                            .withDescription(
                                    "How long (event time) a prediction waits for its label before it counts as unlabelled."),
                    positive());

    public static final ConfigOption<Duration> STATE_RETENTION =
            declare(
                    ConfigOptions.key("state-retention")
                            .durationType()
                            .noDefaultValue()
                            .withDescription(
                                    "How long (event time) after a window's end its state is kept, and how long an open alert "
                                            + "waits for a later window to decide it: an alert no window decided within this (a model gone silent, "
                                            + "labels that stopped) resolves as expired. Absent = max(label-timeout, allowed-lateness) + window-size, "
                                            + "the least allowed."),
                    (retention, conf) ->
                            retention.compareTo(minStateRetention(conf)) >= 0
                                    ? null
                                    : "must be at least max(--label-timeout, --allowed-lateness) + --window-size = "
                                            + TimeUtils.formatWithHighestUnit(
                                                    minStateRetention(conf))
                                            + ", got "
                                            + TimeUtils.formatWithHighestUnit(retention));

    public static final ConfigOption<Double> LABEL_COVERAGE =
            declare(
                    ConfigOptions.key("label-coverage")
                            .doubleType()
                            .defaultValue(1.0)
                            .withDescription(
                                    "A window's realised performance enters the alert policy once this share of its predictions "
                                            + "is labelled, or when --label-timeout has passed: once per window, never per label revision."),
                    inInterval(0, false, 1, true));

    public static final ConfigOption<Integer> MIN_LABELLED =
            declare(
                    ConfigOptions.key("min-labelled")
                            .intType()
                            .defaultValue(30)
                            .withDescription(
                                    "A window's realised performance is tested against the reference only once this many of its "
                                            + "predictions have labels."),
                    atLeast(1));

    public static final ConfigOption<Double> DATA_QUALITY_MAX_RATE =
            declare(
                    ConfigOptions.key("data-quality-max-rate")
                            .doubleType()
                            .defaultValue(0.1)
                            .withDescription(
                                    "data.quality tests whether more than this share of a window's events lack a prediction or "
                                            + "scores the reference had, have a feature outside the reference range, or are rejected."),
                    inInterval(0, true, 1, false));

    public static final ConfigOption<StartingOffsets> STARTING_OFFSETS =
            declare(
                    ConfigOptions.key("starting-offsets")
                            .enumType(StartingOffsets.class)
                            .defaultValue(StartingOffsets.COMMITTED)
                            .withDescription(
                                    "Kafka sources: earliest, latest, or committed (a new consumer group starts at earliest)."));

    public static final ConfigOption<String> GROUP_ID =
            declare(
                    ConfigOptions.key("group-id")
                            .stringType()
                            .defaultValue("model-monitor")
                            .withDescription("Kafka consumer group of the job."));

    public static final ConfigOption<Integer> BATCH_SIZE =
            declare(
                    ConfigOptions.key("batch-size")
                            .intType()
                            .defaultValue(512)
                            .withDescription(
                                    "Events buffered and embedded together in one encoder call; the text encoder sorts them by length and runs the model on 32 at a time, so a larger buffer pads less (mixed-length text: 12 % padding at 256, 6 % at 512)."),
                    atLeast(1));

    public static final ConfigOption<Duration> BATCH_TIMEOUT =
            declare(
                    ConfigOptions.key("batch-timeout")
                            .durationType()
                            .defaultValue(Duration.ofMillis(200))
                            .withDescription(
                                    "A partial embedding batch is flushed after this much processing time."),
                    positive());

    public static final ConfigOption<Integer> PARALLELISM =
            declare(
                    ConfigOptions.key("parallelism")
                            .intType()
                            .defaultValue(1)
                            .withDescription("Flink parallelism of the job."),
                    atLeast(1));

    public static final ConfigOption<Duration> CHECKPOINT_INTERVAL =
            declare(
                    ConfigOptions.key("checkpoint-interval")
                            .durationType()
                            .defaultValue(Duration.ofSeconds(30))
                            .withDescription(
                                    "Checkpoint interval; 0 disables checkpoints (and exactly-once Kafka output)."),
                    notNegative());

    public static final ConfigOption<String> CHECKPOINT_DIR =
            declare(
                    ConfigOptions.key("checkpoint-dir")
                            .stringType()
                            .noDefaultValue()
                            .withDescription(
                                    "Checkpoint storage URI, e.g. file:///var/checkpoints; absent = JobManager memory."));

    public static final ConfigOption<String> SAVEPOINT =
            declare(
                    ConfigOptions.key("savepoint")
                            .stringType()
                            .noDefaultValue()
                            .withDescription(
                                    "Restore the job from this savepoint or retained checkpoint path."));

    public static final ConfigOption<StateBackend> STATE_BACKEND =
            declare(
                    ConfigOptions.key("state-backend")
                            .enumType(StateBackend.class)
                            .defaultValue(StateBackend.HASHMAP)
                            .withDescription(
                                    "Keyed state backend: hashmap (heap) or rocksdb (large state)."));

    public static final ConfigOption<String> CLUSTER =
            declare(
                    ConfigOptions.key("cluster")
                            .stringType()
                            .noDefaultValue()
                            .withDescription(
                                    "Submit to a running Flink session cluster at HOST:PORT (REST port) instead of running embedded."));

    public static final ConfigOption<Boolean> WEB_UI =
            declare(
                    ConfigOptions.key("web-ui")
                            .booleanType()
                            .defaultValue(false)
                            .withDescription(
                                    "Embedded runs: serve the Flink web UI (port from --web-port)."));

    public static final ConfigOption<Integer> WEB_PORT =
            declare(
                    ConfigOptions.key("web-port")
                            .intType()
                            .defaultValue(8081)
                            .withDescription("Port of the embedded Flink web UI."),
                    tcpPort());

    public static final ConfigOption<Integer> METRICS_PORT =
            declare(
                    ConfigOptions.key("metrics-port")
                            .intType()
                            .noDefaultValue()
                            .withDescription(
                                    "Embedded runs: expose Flink metrics for Prometheus on this port; absent = off."),
                    tcpPort());

    /**
     * How long a window can still change after its end (late events, then late labels), plus one
     * window: the least --state-retention.
     */
    public static Duration minStateRetention(ReadableConfig conf) {
        Duration wait =
                conf.get(LABEL_TIMEOUT).compareTo(conf.get(ALLOWED_LATENESS)) >= 0
                        ? conf.get(LABEL_TIMEOUT)
                        : conf.get(ALLOWED_LATENESS);
        return wait.plus(conf.get(WINDOW_SIZE));
    }

    /** Where Kafka sources start reading. */
    public enum StartingOffsets {
        EARLIEST,
        LATEST,
        COMMITTED
    }

    /** Keyed state backend. */
    public enum StateBackend {
        HASHMAP,
        ROCKSDB
    }
}
