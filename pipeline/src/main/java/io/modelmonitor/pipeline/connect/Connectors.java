package io.modelmonitor.pipeline.connect;

import io.modelmonitor.pipeline.options.ConfigurationException;
import io.modelmonitor.pipeline.options.RunOptions;
import java.nio.file.Files;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.file.src.FileSource;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.streaming.api.functions.sink.PrintSink;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;

/**
 * Builds the job's sources and sinks from {@link Endpoint}s, and checks at start-up what would
 * otherwise fail later and forever (a missing file, a missing Kafka topic: a Kafka source restarts
 * endlessly on one).
 */
public final class Connectors {
    /**
     * Kafka's default {@code transaction.max.timeout.ms}: a producer asking for more is refused.
     */
    static final long MAX_TRANSACTION_TIMEOUT_MS = Duration.ofMinutes(15).toMillis();

    private final Properties kafkaProperties;
    private final String groupId;
    private final RunOptions.StartingOffsets startingOffsets;

    /**
     * @param kafkaProperties pass-through client settings ({@code --kafka.<property>}), for every
     *     source and sink
     */
    public Connectors(
            Properties kafkaProperties,
            String groupId,
            RunOptions.StartingOffsets startingOffsets) {
        this.kafkaProperties = kafkaProperties;
        this.groupId = groupId;
        this.startingOffsets = startingOffsets;
    }

    /** A source of raw records: bounded for files, unbounded for Kafka. */
    public Source<String, ?, ?> source(Endpoint e) {
        switch (e.kind()) {
            case FILE:
                return FileSource.forRecordStreamFormat(
                                new JsonLinesFormat(),
                                new org.apache.flink.core.fs.Path(e.path().toUri()))
                        .build();
            case KAFKA:
                return KafkaSource.<String>builder()
                        .setBootstrapServers(e.bootstrapServers())
                        .setTopics(e.topic())
                        .setGroupId(groupId)
                        .setStartingOffsets(offsets())
                        .setValueOnlyDeserializer(new RawRecordSchema())
                        .setProperties(kafkaProperties)
                        .build();
            default:
                throw new ConfigurationException(e + " cannot be read from");
        }
    }

    private OffsetsInitializer offsets() {
        switch (startingOffsets) {
            case EARLIEST:
                return OffsetsInitializer.earliest();
            case LATEST:
                return OffsetsInitializer.latest();
            default:
                return OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST);
        }
    }

    /**
     * A sink of JSON lines.
     *
     * @param exactlyOnce Kafka: transactional writes committed on checkpoints (readers use {@code
     *     isolation.level=read_committed}); otherwise at-least-once
     * @param name distinguishes transactional ids of the job's several Kafka sinks
     */
    public Sink<String> sink(Endpoint e, boolean exactlyOnce, String name) {
        switch (e.kind()) {
            case FILE:
                return new JsonLinesFileSink(e.path());
            case STDOUT:
                return new PrintSink<>();
            default:
                Properties props = new Properties();
                props.putAll(kafkaProperties);
                long timeout =
                        Long.parseLong(
                                props.getProperty(
                                        "transaction.timeout.ms",
                                        Long.toString(MAX_TRANSACTION_TIMEOUT_MS)));
                props.setProperty(
                        "transaction.timeout.ms",
                        Long.toString(Math.min(timeout, MAX_TRANSACTION_TIMEOUT_MS)));
                return KafkaSink.<String>builder()
                        .setBootstrapServers(e.bootstrapServers())
                        .setKafkaProducerConfig(props)
                        .setRecordSerializer(
                                KafkaRecordSerializationSchema.<String>builder()
                                        .setTopic(e.topic())
                                        .setValueSerializationSchema(new RawRecordSchema())
                                        .build())
                        .setDeliveryGuarantee(
                                exactlyOnce
                                        ? DeliveryGuarantee.EXACTLY_ONCE
                                        : DeliveryGuarantee.AT_LEAST_ONCE)
                        .setTransactionalIdPrefix(groupId + "-" + name)
                        .build();
        }
    }

    /**
     * Fails fast on what cannot work: an input file that does not exist, a Kafka topic that does
     * not exist or a broker that cannot be reached (within {@code timeout}).
     *
     * @param endpoints flag name to endpoint
     * @throws ConfigurationException with a one-line reason
     */
    public void check(
            Map<String, Endpoint> sources, Map<String, Endpoint> sinks, Duration timeout) {
        for (Map.Entry<String, Endpoint> s : sources.entrySet()) {
            Endpoint e = s.getValue();
            if (e.kind() == Endpoint.Kind.FILE && !Files.isRegularFile(e.path())) {
                throw new ConfigurationException("--" + s.getKey() + " " + e + ": no such file");
            }
        }
        Map<String, Map<String, String>> topicsByServers = new LinkedHashMap<>();
        Map<String, Endpoint> all = new LinkedHashMap<>(sources);
        all.putAll(sinks);
        for (Map.Entry<String, Endpoint> s : all.entrySet()) {
            Endpoint e = s.getValue();
            if (e.kind() == Endpoint.Kind.KAFKA) {
                topicsByServers
                        .computeIfAbsent(e.bootstrapServers(), k -> new LinkedHashMap<>())
                        .put(e.topic(), s.getKey());
            }
        }
        for (Map.Entry<String, Map<String, String>> servers : topicsByServers.entrySet()) {
            checkTopics(servers.getKey(), servers.getValue(), timeout);
        }
    }

    private void checkTopics(
            String bootstrapServers, Map<String, String> topicToFlag, Duration timeout) {
        Properties props = new Properties();
        props.putAll(kafkaProperties);
        props.setProperty(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.setProperty(
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, Long.toString(timeout.toMillis()));
        props.setProperty(
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, Long.toString(timeout.toMillis()));
        for (String consumerOnly :
                List.of(
                        "group.id",
                        "isolation.level",
                        "auto.offset.reset",
                        "transaction.timeout.ms")) {
            props.remove(consumerOnly);
        }
        Set<String> existing;
        try (Admin admin = Admin.create(props)) {
            existing = admin.listTopics().names().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException ex) {
            throw new ConfigurationException(
                    "cannot reach Kafka at "
                            + bootstrapServers
                            + " within "
                            + timeout.toSeconds()
                            + " s",
                    ex);
        } catch (ExecutionException ex) {
            throw new ConfigurationException(
                    "cannot list Kafka topics at "
                            + bootstrapServers
                            + ": "
                            + ex.getCause().getMessage(),
                    ex.getCause());
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new ConfigurationException(
                    "interrupted while checking Kafka topics at " + bootstrapServers, ex);
        }
        for (Map.Entry<String, String> t : topicToFlag.entrySet()) {
            if (!existing.contains(t.getKey())) {
                throw new ConfigurationException(
                        "--"
                                + t.getValue()
                                + ": Kafka topic '"
                                + t.getKey()
                                + "' does not exist on "
                                + bootstrapServers);
            }
        }
    }
}
