package io.modelmonitor.pipeline.reliability;

import static io.modelmonitor.pipeline.reliability.ReliabilityFixtures.T0;
import static io.modelmonitor.pipeline.testutil.TestStreams.HOUR;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import io.modelmonitor.pipeline.reliability.ReliabilityFixtures.CliRun;
import io.modelmonitor.pipeline.testutil.JsonLines;
import io.modelmonitor.pipeline.testutil.TestStreams;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.flink.api.common.JobID;
import org.apache.flink.client.program.ClusterClient;
import org.apache.flink.runtime.client.JobStatusMessage;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.InjectClusterClient;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.common.test.JaasUtils;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.Appender;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.WriterAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.layout.PatternLayout;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./monitor run} against a broker that only speaks SASL_PLAINTEXT/PLAIN and denies what its
 * ACLs do not grant, and against one that only speaks TLS with a self-signed certificate: the
 * client settings given as {@code --kafka.*} flags must reach the start-up topic check, the source
 * and the three exactly-once sinks (else nothing arrives), and the password (SASL) or trust store
 * password (TLS) must show up nowhere: not in the command's output, not on the JVM's stdout or
 * stderr, not in anything logged at INFO, not in any output record; also when the SASL setting is
 * read from a file by Kafka's FileConfigProvider. A trust store that does not hold the broker's
 * certificate stops {@code run} at start-up with a one-line reason.
 */
class KafkaSecurityPassThroughTest {
    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(2)
                            .build());

    static final int WINDOWS = 4;
    static final int PER_WINDOW = 100;
    static final int D = 3;
    static final int SHIFT_FROM = 2;

    /** The last window never closes: the Kafka source is unbounded, so no final watermark comes. */
    static final int CLOSED_WINDOWS = WINDOWS - 1;

    static final String USER = JaasUtils.KAFKA_PLAIN_USER1;
    static final String PASSWORD = JaasUtils.KAFKA_PLAIN_USER1_PASSWORD;

    /** Distinctive, so that finding it anywhere in the output cannot be a coincidence. */
    static final String TRUSTSTORE_PASSWORD = "tls-Secret-7c1e9a";

    static final Duration OUTPUT_TIMEOUT = Duration.ofSeconds(120);

    @TempDir Path dir;

    @Test
    void jobReadsAndWritesThroughSaslAndNeverShowsThePassword(
            @InjectClusterClient ClusterClient<?> flink) throws Exception {
        try (SecureKafka kafka = SecureKafka.startSasl()) {
            kafka.createTopics("events", "alerts", "reports", "dead-letters");
            kafka.grantEverything(USER);
            runAndCheck(
                    kafka,
                    flink,
                    "sasl-test",
                    PASSWORD,
                    "sasl.jaas.config = [hidden]",
                    "--kafka.security.protocol",
                    "SASL_PLAINTEXT",
                    "--kafka.sasl.mechanism",
                    "PLAIN",
                    "--kafka.sasl.jaas.config",
                    SecureKafka.jaasConfig(USER, PASSWORD));
        }
    }

    /**
     * The way to keep the password out of the command line (and so out of a FlinkDeployment's args
     * and the JobManager's log of them): Kafka's own FileConfigProvider reads it from a file, such
     * as a mounted Kubernetes Secret, when each client starts.
     */
    @Test
    void jobReadsTheSaslSettingFromAFileThroughKafkasConfigProvider(
            @InjectClusterClient ClusterClient<?> flink) throws Exception {
        Path secrets = dir.resolve("kafka-secrets.properties");
        java.util.Properties file = new java.util.Properties();
        file.setProperty("sasl.jaas.config", SecureKafka.jaasConfig(USER, PASSWORD));
        try (java.io.Writer w = java.nio.file.Files.newBufferedWriter(secrets)) {
            file.store(w, null);
        }
        try (SecureKafka kafka = SecureKafka.startSasl()) {
            kafka.createTopics("events", "alerts", "reports", "dead-letters");
            kafka.grantEverything(USER);
            runAndCheck(
                    kafka,
                    flink,
                    "sasl-provider-test",
                    PASSWORD,
                    "sasl.jaas.config = [hidden]",
                    "--kafka.security.protocol",
                    "SASL_PLAINTEXT",
                    "--kafka.sasl.mechanism",
                    "PLAIN",
                    "--kafka.config.providers",
                    "file",
                    "--kafka.config.providers.file.class",
                    "org.apache.kafka.common.config.provider.FileConfigProvider",
                    "--kafka.sasl.jaas.config",
                    "${file:" + secrets + ":sasl.jaas.config}");
        }
    }

    @Test
    void jobReadsAndWritesThroughTlsAndNeverShowsTheTrustStorePassword(
            @InjectClusterClient ClusterClient<?> flink) throws Exception {
        try (SecureKafka kafka = SecureKafka.startTls(dir.resolve("broker"), TRUSTSTORE_PASSWORD)) {
            kafka.createTopics("events", "alerts", "reports", "dead-letters");
            runAndCheck(
                    kafka,
                    flink,
                    "tls-test",
                    TRUSTSTORE_PASSWORD,
                    "ssl.truststore.password = [hidden]",
                    "--kafka.security.protocol",
                    "SSL",
                    "--kafka.ssl.truststore.type",
                    "PKCS12",
                    "--kafka.ssl.truststore.location",
                    kafka.truststore().toString(),
                    "--kafka.ssl.truststore.password",
                    TRUSTSTORE_PASSWORD);
        }
    }

    @Test
    void aTrustStoreWithoutTheBrokersCertificateStopsStartUpWithAOneLineReason() throws Exception {
        // Another self-signed certificate: the client's trust store is valid, but not for this
        // broker.
        Path stranger =
                SecureKafka.SelfSigned.make(dir.resolve("stranger"), TRUSTSTORE_PASSWORD)
                        .truststore();
        try (SecureKafka kafka = SecureKafka.startTls(dir.resolve("broker"), TRUSTSTORE_PASSWORD)) {
            kafka.createTopics("events", "alerts");
            Path bundle =
                    ReliabilityFixtures.fitNumericBundle(
                            dir.resolve("bundle"),
                            TestStreams.gaussian(200, D, 0, new SplittableRandom(5)),
                            new SplittableRandom(6));
            CliRun run =
                    ReliabilityFixtures.monitor(
                            "run",
                            "--bundle",
                            bundle.toString(),
                            "--events",
                            kafka.uri("events"),
                            "--alerts",
                            kafka.uri("alerts"),
                            "--kafka.security.protocol",
                            "SSL",
                            "--kafka.ssl.truststore.type",
                            "PKCS12",
                            "--kafka.ssl.truststore.location",
                            stranger.toString(),
                            "--kafka.ssl.truststore.password",
                            TRUSTSTORE_PASSWORD);
            // A usage error (status 2) from the start-up topic check, not a job that retries
            // forever.
            assertEquals(2, run.status(), run.err());
            assertEquals(1, run.err().strip().lines().count(), run.err());
            assertTrue(
                    run.err().contains("cannot list Kafka topics at " + kafka.bootstrapServers()),
                    run.err());
            assertTrue(run.err().contains("SSL handshake failed"), run.err());
            assertFalse(
                    run.err().contains(TRUSTSTORE_PASSWORD)
                            || run.out().contains(TRUSTSTORE_PASSWORD),
                    run.err());
        }
    }

    /**
     * Runs the job through {@code kafka} with {@code securityFlags}, checks its outputs, and checks
     * that {@code secret} appears nowhere while {@code hiddenMarker} (the client's masked setting)
     * shows that the client settings were logged at all.
     */
    private void runAndCheck(
            SecureKafka kafka,
            ClusterClient<?> flink,
            String groupId,
            String secret,
            String hiddenMarker,
            String... securityFlags)
            throws Exception {
        SplittableRandom random = new SplittableRandom(31);
        Path bundle =
                ReliabilityFixtures.fitNumericBundle(
                        dir.resolve("bundle"), TestStreams.gaussian(600, D, 0, random), random);
        List<String> events = new ArrayList<>();
        for (int w = 0; w < WINDOWS; w++) {
            double[][] x = TestStreams.gaussian(PER_WINDOW, D, w >= SHIFT_FROM ? 1.5 : 0.0, random);
            for (int j = 0; j < PER_WINDOW; j++) {
                events.add(
                        TestStreams.event(
                                "w" + w + "-" + j,
                                T0 + w * HOUR + j * (HOUR / PER_WINDOW),
                                null,
                                x[j],
                                j % 2 == 0 ? "a" : "b"));
            }
        }
        events.add(PER_WINDOW, "{not json");
        kafka.produce("events", events);

        CliRun run;
        String jvmOutput;
        String logs;
        List<JsonNode> reports;
        List<JsonNode> alerts;
        List<JsonNode> deadLetters;
        try (ConsoleCapture console = ConsoleCapture.start();
                LogCapture log = LogCapture.start()) {
            ExecutorService launcher = Executors.newSingleThreadExecutor();
            List<String> args =
                    new ArrayList<>(
                            List.of(
                                    "run",
                                    "--bundle",
                                    bundle.toString(),
                                    "--events",
                                    kafka.uri("events"),
                                    "--alerts",
                                    kafka.uri("alerts"),
                                    "--reports",
                                    kafka.uri("reports"),
                                    "--dead-letters",
                                    kafka.uri("dead-letters"),
                                    "--window-size",
                                    "1h",
                                    "--permutations",
                                    "200",
                                    "--p-value",
                                    "0.01",
                                    "--starting-offsets",
                                    "earliest",
                                    "--group-id",
                                    groupId,
                                    "--checkpoint-interval",
                                    "1s",
                                    "--parallelism",
                                    "1"));
            args.addAll(List.of(securityFlags));
            Future<CliRun> running =
                    launcher.submit(() -> ReliabilityFixtures.monitor(args.toArray(String[]::new)));
            try {
                long deadline = System.nanoTime() + OUTPUT_TIMEOUT.toNanos();
                // The job never ends by itself (unbounded source): wait for what it must write,
                // then cancel it.
                while (!allOutputsArrived(kafka)) {
                    if (running.isDone()) {
                        CliRun ended = running.get();
                        fail(
                                "the job ended before its outputs arrived: status "
                                        + ended.status()
                                        + ", "
                                        + ended.err());
                    }
                    if (System.nanoTime() > deadline) {
                        fail(
                                "outputs did not arrive within "
                                        + OUTPUT_TIMEOUT
                                        + ": "
                                        + kafka.readCommitted("reports"));
                    }
                    Thread.sleep(500);
                }
            } finally {
                cancelRunningJobs(flink);
                launcher.shutdown();
            }
            run = running.get(60, TimeUnit.SECONDS);
            jvmOutput = console.text();
            logs = log.text();
            reports = JsonLines.parse(kafka.readCommitted("reports"));
            alerts = JsonLines.parse(kafka.readCommitted("alerts"));
            deadLetters = JsonLines.parse(kafka.readCommitted("dead-letters"));
        }

        assertEquals(CLOSED_WINDOWS, reports.size(), reports.toString());
        for (int w = 0; w < CLOSED_WINDOWS; w++) {
            JsonNode r = reports.get(w);
            assertEquals(
                    Instant.ofEpochMilli(T0 + w * HOUR).toString(), r.get("window_start").asText());
            assertEquals(PER_WINDOW, r.get("count").asInt(), r.toString());
            assertEquals(
                    w >= SHIFT_FROM,
                    r.get("drift").get("mmd").get("drift").asBoolean(),
                    r.toString());
        }
        assertTrue(
                alerts.stream().anyMatch(KafkaSecurityPassThroughTest::isShiftAlert),
                alerts.toString());
        assertEquals(1, deadLetters.size(), deadLetters.toString());
        assertEquals("{not json", deadLetters.get(0).get("raw").asText());

        // The check means something only if the log holds the job's Kafka client settings, password
        // field included.
        assertTrue(
                logs.contains(hiddenMarker), "the job's Kafka client settings are logged at INFO");
        Map<String, String> places =
                Map.of(
                        "the command's stdout",
                        run.out(),
                        "the command's stderr",
                        run.err(),
                        "the JVM's stdout and stderr",
                        jvmOutput,
                        "the INFO log",
                        logs,
                        "the output records",
                        reports + "\n" + alerts + "\n" + deadLetters);
        for (Map.Entry<String, String> place : places.entrySet()) {
            assertFalse(
                    place.getValue().contains(secret),
                    "the secret appears in "
                            + place.getKey()
                            + ":\n"
                            + place.getValue()
                                    .lines()
                                    .filter(l -> l.contains(secret))
                                    .collect(Collectors.joining("\n")));
        }
    }

    private static boolean allOutputsArrived(SecureKafka kafka) {
        return kafka.readCommitted("reports").size() >= CLOSED_WINDOWS
                && JsonLines.parse(kafka.readCommitted("alerts")).stream()
                        .anyMatch(KafkaSecurityPassThroughTest::isShiftAlert)
                && !kafka.readCommitted("dead-letters").isEmpty();
    }

    private static boolean isShiftAlert(JsonNode a) {
        return a.get("detector").asText().equals("drift.mmd")
                && a.get("status").asText().equals("open")
                && a.get("window_start")
                        .asText()
                        .equals(Instant.ofEpochMilli(T0 + SHIFT_FROM * HOUR).toString());
    }

    private static void cancelRunningJobs(ClusterClient<?> flink) throws Exception {
        for (JobStatusMessage job : flink.listJobs().get()) {
            if (!job.getJobState().isGloballyTerminalState()) {
                JobID id = job.getJobId();
                flink.cancel(id).get();
            }
        }
    }

    /** Everything written to System.out and System.err while open, still passed on to them. */
    static final class ConsoleCapture implements AutoCloseable {
        private final PrintStream out = System.out;
        private final PrintStream err = System.err;
        private final ByteArrayOutputStream copy = new ByteArrayOutputStream();

        static ConsoleCapture start() {
            ConsoleCapture c = new ConsoleCapture();
            System.setOut(new PrintStream(c.tee(c.out), true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(c.tee(c.err), true, StandardCharsets.UTF_8));
            return c;
        }

        private OutputStream tee(PrintStream original) {
            return new OutputStream() {
                @Override
                public void write(int b) {
                    original.write(b);
                    synchronized (copy) {
                        copy.write(b);
                    }
                }

                @Override
                public void write(byte[] b, int off, int len) {
                    original.write(b, off, len);
                    synchronized (copy) {
                        copy.write(b, off, len);
                    }
                }
            };
        }

        String text() {
            synchronized (copy) {
                return copy.toString(StandardCharsets.UTF_8);
            }
        }

        @Override
        public void close() {
            System.setOut(out);
            System.setErr(err);
        }
    }

    /**
     * Every log event at INFO or above while open, whatever the configured level (the tests log
     * WARN).
     */
    static final class LogCapture implements AutoCloseable {
        private static final String NAME = "password-check";
        private final StringWriter text = new StringWriter();
        private final LoggerContext context = (LoggerContext) LogManager.getContext(false);
        private final Map<String, Appender> configured = new java.util.HashMap<>();
        private Level previousLevel;

        static LogCapture start() {
            LogCapture c = new LogCapture();
            Configuration config = c.context.getConfiguration();
            WriterAppender appender =
                    WriterAppender.newBuilder()
                            .setName(NAME)
                            .setTarget(c.text)
                            .setLayout(
                                    PatternLayout.newBuilder().withPattern("%p %c - %m%n").build())
                            .build();
            appender.start();
            config.addAppender(appender);
            LoggerConfig root = config.getRootLogger();
            c.previousLevel = root.getLevel();
            // The configured appenders keep their level, so the console is not flooded with INFO.
            c.configured.putAll(root.getAppenders());
            for (Appender a : c.configured.values()) {
                root.removeAppender(a.getName());
                root.addAppender(a, c.previousLevel, null);
            }
            root.addAppender(appender, Level.INFO, null);
            root.setLevel(Level.INFO);
            c.context.updateLoggers();
            return c;
        }

        String text() {
            synchronized (text) {
                return text.toString();
            }
        }

        @Override
        public void close() {
            Configuration config = context.getConfiguration();
            LoggerConfig root = config.getRootLogger();
            root.removeAppender(NAME);
            for (Appender a : configured.values()) {
                root.removeAppender(a.getName());
                root.addAppender(a, null, null);
            }
            root.setLevel(previousLevel);
            config.getAppenders().remove(NAME);
            context.updateLoggers();
        }
    }
}
