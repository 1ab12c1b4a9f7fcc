package io.modelmonitor.pipeline.reliability;

import io.modelmonitor.pipeline.connect.KafkaTopics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.stream.Collectors;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.security.auth.SecurityProtocol;
import org.apache.kafka.common.test.JaasUtils;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;

/**
 * A real single-node KRaft Kafka inside the test JVM whose broker listener is SASL_PLAINTEXT with
 * the PLAIN mechanism and an ACL authorizer (everything denied unless granted). The test kit
 * fixes the accounts: {@link JaasUtils#KAFKA_PLAIN_ADMIN} (super user, what this class's own
 * clients use) and {@link JaasUtils#KAFKA_PLAIN_USER1}, who may do nothing until
 * {@link #grantEverything} is called. Unlike {@code testutil.EmbeddedKafka}, every client here
 * must authenticate.
 */
final class SaslKafka implements AutoCloseable {
    /** The JVM-wide JAAS file property, which the test kit sets for the broker's accounts. */
    private static final String JAVA_LOGIN_CONFIG = "java.security.auth.login.config";

    private final KafkaClusterTestKit cluster;
    private final String previousJaasConfig;

    private SaslKafka(KafkaClusterTestKit cluster, String previousJaasConfig) {
        this.cluster = cluster;
        this.previousJaasConfig = previousJaasConfig;
    }

    static SaslKafka start() throws Exception {
        // Put back on close, so that later tests in this JVM do not inherit the broker's JAAS file.
        String previousJaasConfig = System.getProperty(JAVA_LOGIN_CONFIG);
        TestKitNodes nodes = new TestKitNodes.Builder().setCombined(true).setNumBrokerNodes(1).setNumControllerNodes(1)
                .setBrokerSecurityProtocol(SecurityProtocol.SASL_PLAINTEXT)
                .setControllerSecurityProtocol(SecurityProtocol.SASL_PLAINTEXT).build();
        KafkaClusterTestKit cluster = new KafkaClusterTestKit.Builder(nodes)
                .setConfigProp("offsets.topic.replication.factor", "1")
                .setConfigProp("transaction.state.log.replication.factor", "1")
                .setConfigProp("transaction.state.log.min.isr", "1")
                .setConfigProp("group.initial.rebalance.delay.ms", "0")
                .build();
        try {
            cluster.format();
            cluster.startup();
            cluster.waitForReadyBrokers();
        } catch (Exception e) {
            cluster.close();
            restore(previousJaasConfig);
            throw e;
        }
        return new SaslKafka(cluster, previousJaasConfig);
    }

    String bootstrapServers() {
        return cluster.bootstrapServers();
    }

    /** {@code kafka://HOST:PORT/TOPIC} of a topic on this broker. */
    String uri(String topic) {
        return "kafka://" + bootstrapServers().split(",")[0] + "/" + topic;
    }

    /** The {@code sasl.jaas.config} value that logs a client in as {@code user}. */
    static String jaasConfig(String user, String password) {
        return "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"" + user
                + "\" password=\"" + password + "\";";
    }

    /** Client settings of the super user. */
    private Properties admin() {
        Properties p = new Properties();
        p.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        p.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, SecurityProtocol.SASL_PLAINTEXT.name);
        p.put(SaslConfigs.SASL_MECHANISM, "PLAIN");
        p.put(SaslConfigs.SASL_JAAS_CONFIG, jaasConfig(JaasUtils.KAFKA_PLAIN_ADMIN, JaasUtils.KAFKA_PLAIN_ADMIN_PASSWORD));
        return p;
    }

    void createTopics(String... topics) throws Exception {
        try (Admin admin = Admin.create(admin())) {
            admin.createTopics(java.util.Arrays.stream(topics).map(t -> new NewTopic(t, 1, (short) 1))
                    .collect(Collectors.toList())).all().get();
        }
    }

    /** Lets {@code user} do anything to every topic, consumer group and transactional id, as a job's account needs. */
    void grantEverything(String user) throws Exception {
        AccessControlEntry all = new AccessControlEntry("User:" + user, "*", AclOperation.ALL, AclPermissionType.ALLOW);
        List<AclBinding> bindings = new ArrayList<>();
        for (ResourceType type : List.of(ResourceType.TOPIC, ResourceType.GROUP, ResourceType.TRANSACTIONAL_ID)) {
            bindings.add(new AclBinding(new ResourcePattern(type, "*", PatternType.LITERAL), all));
        }
        bindings.add(new AclBinding(new ResourcePattern(ResourceType.CLUSTER, "kafka-cluster", PatternType.LITERAL), all));
        try (Admin admin = Admin.create(admin())) {
            admin.createAcls(bindings).all().get();
        }
    }

    /** Sends the lines in order to partition 0, and waits for the acknowledgements. */
    void produce(String topic, List<String> lines) {
        KafkaTopics.produce(admin(), topic, lines);
    }

    /** Every committed record of the topic up to its current last stable offset. */
    List<String> readCommitted(String topic) {
        return KafkaTopics.readToEnd(admin(), topic, true, Duration.ofSeconds(30));
    }

    @Override
    public void close() throws Exception {
        try {
            cluster.close();
        } finally {
            restore(previousJaasConfig);
        }
    }

    private static void restore(String jaasConfig) {
        if (jaasConfig == null) {
            System.clearProperty(JAVA_LOGIN_CONFIG);
        } else {
            System.setProperty(JAVA_LOGIN_CONFIG, jaasConfig);
        }
    }
}
