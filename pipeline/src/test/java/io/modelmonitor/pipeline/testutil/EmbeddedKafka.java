package io.modelmonitor.pipeline.testutil;

import io.modelmonitor.pipeline.connect.KafkaTopics;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;

/**
 * A real single-node Kafka (KRaft, broker and controller combined) inside the test JVM: start one
 * per test class, create topics, produce lines, read topics back to their end.
 *
 * <pre>{@code
 * try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
 *     kafka.createTopic("events", 1);
 *     kafka.produce("events", lines);
 *     List<String> out = kafka.readAll("alerts", true);
 * }
 * }</pre>
 */
public final class EmbeddedKafka implements AutoCloseable {
    private final KafkaClusterTestKit cluster;

    private EmbeddedKafka(KafkaClusterTestKit cluster) {
        this.cluster = cluster;
    }

    public static EmbeddedKafka start() throws Exception {
        TestKitNodes nodes =
                new TestKitNodes.Builder()
                        .setCombined(true)
                        .setNumBrokerNodes(1)
                        .setNumControllerNodes(1)
                        .build();
        KafkaClusterTestKit cluster = singleNode(nodes).build();
        startAndAwait(cluster);
        return new EmbeddedKafka(cluster);
    }

    /**
     * A test-kit builder for one combined node, with the internal topics a single broker can host
     * (transactions included).
     */
    public static KafkaClusterTestKit.Builder singleNode(TestKitNodes nodes) {
        return new KafkaClusterTestKit.Builder(nodes)
                .setConfigProp("offsets.topic.replication.factor", "1")
                .setConfigProp("transaction.state.log.replication.factor", "1")
                .setConfigProp("transaction.state.log.min.isr", "1")
                .setConfigProp("group.initial.rebalance.delay.ms", "0");
    }

    /** Formats and starts {@code cluster} and waits for its broker; closes it if that fails. */
    public static void startAndAwait(KafkaClusterTestKit cluster) throws Exception {
        try {
            cluster.format();
            cluster.startup();
            cluster.waitForReadyBrokers();
        } catch (Exception e) {
            cluster.close();
            throw e;
        }
    }

    public String bootstrapServers() {
        return cluster.bootstrapServers();
    }

    /** {@code kafka://HOST:PORT/TOPIC} of a topic on this broker. */
    public String uri(String topic) {
        return "kafka://" + bootstrapServers().split(",")[0] + "/" + topic;
    }

    public void createTopic(String topic, int partitions) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1))).all().get();
        }
    }

    /**
     * Sends the lines in order (to partition 0 unless keyed otherwise), and waits for the
     * acknowledgements.
     */
    public void produce(String topic, List<String> lines) throws Exception {
        KafkaTopics.produce(client(), topic, lines);
    }

    /**
     * Every record of the topic, up to its end offsets at the time of the call, partition by
     * partition.
     *
     * @param readCommitted read only committed transactional records (what exactly-once sinks
     *     promise)
     */
    public List<String> readAll(String topic, boolean readCommitted) {
        return KafkaTopics.readToEnd(client(), topic, readCommitted, Duration.ofSeconds(30));
    }

    private Properties client() {
        Properties p = new Properties();
        p.put("bootstrap.servers", bootstrapServers());
        return p;
    }

    @Override
    public void close() throws Exception {
        cluster.close();
    }
}
