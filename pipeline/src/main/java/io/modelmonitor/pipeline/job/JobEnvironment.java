package io.modelmonitor.pipeline.job;

import io.modelmonitor.pipeline.options.ConfigurationException;
import io.modelmonitor.pipeline.options.RunOptions;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.stream.Stream;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.ExternalizedCheckpointRetention;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.core.execution.CheckpointingMode;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The Flink execution environment of {@code ./monitor run}: embedded (a local MiniCluster, with the
 * web UI and a Prometheus endpoint on request) or a remote session cluster ({@code --cluster
 * HOST:PORT}, submitting the job jar this class was loaded from).
 */
public final class JobEnvironment {
    static final String PROMETHEUS_FACTORY =
            "org.apache.flink.metrics.prometheus.PrometheusReporterFactory";

    private JobEnvironment() {}

    /**
     * The Flink settings the monitor's options imply: checkpoints, state backend, restore path,
     * parallelism, metrics.
     */
    public static Configuration flinkConfiguration(ReadableConfig conf) {
        Configuration flink = new Configuration();
        flink.set(CoreOptions.DEFAULT_PARALLELISM, conf.get(RunOptions.PARALLELISM));
        Duration interval = conf.get(RunOptions.CHECKPOINT_INTERVAL);
        if (!interval.isZero()) {
            flink.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, interval);
            flink.set(
                    CheckpointingOptions.CHECKPOINTING_CONSISTENCY_MODE,
                    CheckpointingMode.EXACTLY_ONCE);
        }
        conf.getOptional(RunOptions.CHECKPOINT_DIR)
                .ifPresent(
                        dir -> {
                            flink.set(CheckpointingOptions.CHECKPOINT_STORAGE, "filesystem");
                            flink.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, dir);
                            // Kept after a cancel, so --savepoint can restart from the latest
                            // checkpoint.
                            flink.set(
                                    CheckpointingOptions.EXTERNALIZED_CHECKPOINT_RETENTION,
                                    ExternalizedCheckpointRetention.RETAIN_ON_CANCELLATION);
                        });
        flink.set(
                StateBackendOptions.STATE_BACKEND,
                conf.get(RunOptions.STATE_BACKEND).name().toLowerCase());
        conf.getOptional(RunOptions.SAVEPOINT)
                .ifPresent(p -> flink.set(StateRecoveryOptions.SAVEPOINT_PATH, p));
        conf.getOptional(RunOptions.METRICS_PORT)
                .ifPresent(
                        port -> {
                            flink.setString(
                                    "metrics.reporter.prom.factory.class", PROMETHEUS_FACTORY);
                            flink.setString("metrics.reporter.prom.port", Integer.toString(port));
                        });
        return flink;
    }

    /** The environment to run the job in. */
    public static StreamExecutionEnvironment create(ReadableConfig conf) {
        Configuration flink = flinkConfiguration(conf);
        String cluster = conf.getOptional(RunOptions.CLUSTER).orElse(null);
        if (cluster != null) {
            int colon = cluster.lastIndexOf(':');
            int port;
            try {
                port = Integer.parseInt(cluster.substring(colon + 1));
            } catch (NumberFormatException | IndexOutOfBoundsException e) {
                throw new ConfigurationException(
                        "--cluster "
                                + cluster
                                + ": expected HOST:PORT (the JobManager's REST port)",
                        e);
            }
            if (colon <= 0) {
                throw new ConfigurationException(
                        "--cluster "
                                + cluster
                                + ": expected HOST:PORT (the JobManager's REST port)");
            }
            return StreamExecutionEnvironment.createRemoteEnvironment(
                    cluster.substring(0, colon), port, flink, jobJar());
        }
        embeddedCheckpointStorage(flink, conf);
        if (conf.get(RunOptions.WEB_UI)) {
            flink.set(RestOptions.PORT, conf.get(RunOptions.WEB_PORT));
            return StreamExecutionEnvironment.createLocalEnvironmentWithWebUI(flink);
        }
        return StreamExecutionEnvironment.getExecutionEnvironment(flink);
    }

    /**
     * Embedded runs without {@code --checkpoint-dir} checkpoint to a temporary directory, removed
     * at exit. Flink's default keeps checkpoints in the JobManager's memory with a 5 MB limit per
     * operator, and replaying two files (events, labels) lets the label join buffer whichever
     * source reads ahead: a few days of events already exceed it, the checkpoint fails and the job
     * restarts from the beginning, again and again.
     */
    static void embeddedCheckpointStorage(Configuration flink, ReadableConfig conf) {
        if (conf.getOptional(RunOptions.CHECKPOINT_DIR).isPresent()
                || conf.get(RunOptions.CHECKPOINT_INTERVAL).isZero()) {
            return;
        }
        try {
            Path dir = Files.createTempDirectory("model-monitor-checkpoints");
            Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteTree(dir)));
            flink.set(CheckpointingOptions.CHECKPOINT_STORAGE, "filesystem");
            flink.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, dir.toUri().toString());
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "cannot create a temporary checkpoint directory: " + e.getMessage(), e);
        }
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // best effort at exit: a temporary directory left behind is harmless
        }
    }

    /** The jar holding this class: what a remote cluster needs to run the job. */
    static String jobJar() {
        try {
            File f =
                    new File(
                            JobEnvironment.class
                                    .getProtectionDomain()
                                    .getCodeSource()
                                    .getLocation()
                                    .toURI());
            if (!f.isFile() || !f.getName().endsWith(".jar")) {
                throw new ConfigurationException(
                        "--cluster needs the packaged job jar (pipeline/target/model-monitor-job.jar, "
                                + "built by mvn package); this run loads classes from "
                                + f);
            }
            return f.getAbsolutePath();
        } catch (URISyntaxException | SecurityException e) {
            throw new ConfigurationException(
                    "--cluster: cannot locate the job jar: " + e.getMessage(), e);
        }
    }
}
