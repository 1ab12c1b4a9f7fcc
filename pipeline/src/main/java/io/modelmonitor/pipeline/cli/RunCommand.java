package io.modelmonitor.pipeline.cli;

import static io.modelmonitor.pipeline.options.RunOptions.*;
import static io.modelmonitor.pipeline.options.SharedOptions.*;

import io.modelmonitor.models.bundle.ModelReference;
import io.modelmonitor.pipeline.connect.Connectors;
import io.modelmonitor.pipeline.connect.Endpoint;
import io.modelmonitor.pipeline.embed.EncoderLoader;
import io.modelmonitor.pipeline.job.JobEnvironment;
import io.modelmonitor.pipeline.job.MonitorJob;
import io.modelmonitor.pipeline.job.ReferenceBundles;
import io.modelmonitor.pipeline.options.JobSettings;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/** {@code ./monitor run}: run the monitoring job (embedded Flink by default, or on a cluster). */
public final class RunCommand implements Command {
    /** How long start-up waits for a Kafka broker to answer. */
    static final Duration KAFKA_CHECK_TIMEOUT = Duration.ofSeconds(30);

    @Override
    public boolean runsFlinkJob() {
        return true;
    }

    @Override
    public String name() {
        return "run";
    }

    @Override
    public String summary() {
        return "run the monitoring job (embedded Flink by default, or on a cluster)";
    }

    @Override
    public List<ConfigOption<?>> options() {
        return CommandLine.ordered(
                BUNDLE,
                EVENTS,
                LABELS,
                REFERENCES,
                ALERTS,
                REPORTS,
                DEAD_LETTERS,
                MAX_RECORD_BYTES,
                WINDOW_SIZE,
                WINDOW_SLIDE,
                MAX_OUT_OF_ORDERNESS,
                SOURCE_IDLENESS,
                ALLOWED_LATENESS,
                MIN_WINDOW_COUNT,
                MAX_WINDOW_SAMPLE,
                ALPHA,
                FALSE_ALARM_BUDGET,
                RESOLVE_AFTER,
                PERMUTATIONS,
                MMD_NULL,
                EXEMPLARS,
                SEED,
                LABEL_TIMEOUT,
                STATE_RETENTION,
                MIN_LABELLED,
                LABEL_COVERAGE,
                DATA_QUALITY_MAX_RATE,
                STARTING_OFFSETS,
                GROUP_ID,
                ENCODER,
                DEVICE,
                ENCODER_THREADS,
                BATCH_SIZE,
                BATCH_TIMEOUT,
                PARALLELISM,
                CHECKPOINT_INTERVAL,
                CHECKPOINT_DIR,
                SAVEPOINT,
                STATE_BACKEND,
                CLUSTER,
                WEB_UI,
                WEB_PORT,
                METRICS_PORT);
    }

    @Override
    public java.util.Set<ConfigOption<?>> required() {
        return java.util.Set.of(BUNDLE, EVENTS);
    }

    @Override
    public boolean acceptsKafkaProperties() {
        return true;
    }

    @Override
    public int run(CommandLine line) throws Exception {
        Configuration conf = line.config();
        JobSettings settings = JobSettings.from(conf);
        Map<String, Endpoint> sources = new LinkedHashMap<>();
        sources.put(EVENTS.key(), Endpoint.parse(EVENTS.key(), conf.get(EVENTS), false));
        conf.getOptional(LABELS)
                .ifPresent(
                        uri -> sources.put(LABELS.key(), Endpoint.parse(LABELS.key(), uri, false)));
        conf.getOptional(REFERENCES)
                .ifPresent(
                        uri ->
                                sources.put(
                                        REFERENCES.key(),
                                        Endpoint.parse(REFERENCES.key(), uri, false)));
        Map<String, Endpoint> sinks = new LinkedHashMap<>();
        sinks.put(ALERTS.key(), Endpoint.parse(ALERTS.key(), conf.get(ALERTS), true));
        conf.getOptional(REPORTS)
                .ifPresent(
                        uri -> sinks.put(REPORTS.key(), Endpoint.parse(REPORTS.key(), uri, true)));
        conf.getOptional(DEAD_LETTERS)
                .ifPresent(
                        uri ->
                                sinks.put(
                                        DEAD_LETTERS.key(),
                                        Endpoint.parse(DEAD_LETTERS.key(), uri, true)));

        Connectors connectors =
                new Connectors(
                        line.kafkaProperties(), conf.get(GROUP_ID), conf.get(STARTING_OFFSETS));
        connectors.check(sources, sinks, KAFKA_CHECK_TIMEOUT);
        EncoderLoader loader = new EncoderLoader(settings.encoderThreads, settings.device);
        Map<String, ModelReference> references =
                ReferenceBundles.load(
                        conf.get(BUNDLE), conf.getOptional(ENCODER).orElse(null), loader);

        boolean exactlyOnce = !conf.get(CHECKPOINT_INTERVAL).isZero();
        Endpoint labels = sources.get(LABELS.key());
        Endpoint reports = sinks.get(REPORTS.key());
        Endpoint deadLetters = sinks.get(DEAD_LETTERS.key());
        MonitorJob job =
                new MonitorJob(
                        settings,
                        references,
                        connectors.source(sources.get(EVENTS.key())),
                        labels == null ? null : connectors.source(labels),
                        connectors.sink(sinks.get(ALERTS.key()), exactlyOnce, "alerts"),
                        reports == null ? null : connectors.sink(reports, exactlyOnce, "reports"),
                        deadLetters == null
                                ? null
                                : connectors.sink(deadLetters, exactlyOnce, "dead-letters"));
        job.withBundleDirs(ReferenceBundles.dirs(conf.get(BUNDLE)))
                .withEncoderOverride(conf.getOptional(ENCODER).orElse(null));
        Endpoint updates = sources.get(REFERENCES.key());
        if (updates != null) {
            // The updates are the history of which bundle is in force: a job that starts without
            // state reads them all, whatever --starting-offsets says of the events.
            job.withReferenceUpdates(
                    new Connectors(
                                    line.kafkaProperties(),
                                    conf.get(GROUP_ID),
                                    StartingOffsets.EARLIEST)
                            .source(updates));
        }
        StreamExecutionEnvironment env = JobEnvironment.create(conf);
        job.addTo(env);
        env.execute("model-monitor");
        return 0;
    }
}
