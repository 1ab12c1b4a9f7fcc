package io.modelmonitor.pipeline.reliability;

import io.modelmonitor.pipeline.connect.KafkaTopics;
import io.modelmonitor.pipeline.testutil.EmbeddedKafka;
import java.nio.file.Path;
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
import org.apache.kafka.common.config.SslConfigs;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.security.auth.SecurityProtocol;
import org.apache.kafka.common.test.JaasUtils;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;

/**
 * A real single-node KRaft Kafka inside the test JVM whose client listener is secured, in one of
 * two ways:
 *
 * <ul>
 *   <li>{@link #startSasl()}: SASL_PLAINTEXT with the PLAIN mechanism and an ACL authorizer
 *       (everything denied unless granted). The test kit fixes the accounts: {@link
 *       JaasUtils#KAFKA_PLAIN_ADMIN} (super user, what this class's own clients use) and {@link
 *       JaasUtils#KAFKA_PLAIN_USER1}, who may do nothing until {@link #grantEverything} is called.
 *   <li>{@link #startTls(Path, String)}: SSL, with a self-signed certificate for {@code localhost}
 *       made at start by the JDK's own {@code keytool} (no key is committed); a client connects
 *       only if it trusts {@link #truststore()}.
 * </ul>
 *
 * Unlike {@code testutil.EmbeddedKafka}, a client with default settings cannot talk to it.
 */
final class SecureKafka implements AutoCloseable {
    /** The JVM-wide JAAS file property, which the test kit sets for the broker's accounts. */
    private static final String JAVA_LOGIN_CONFIG = "java.security.auth.login.config";

    private final KafkaClusterTestKit cluster;
    private final String previousJaasConfig;

    /**
     * Settings with which this class's own clients connect (super user for SASL, trusting the
     * broker for TLS).
     */
    private final Properties client;

    private final Path truststore;

    private SecureKafka(
            KafkaClusterTestKit cluster,
            String previousJaasConfig,
            Properties client,
            Path truststore) {
        this.cluster = cluster;
        this.previousJaasConfig = previousJaasConfig;
        this.client = client;
        this.truststore = truststore;
    }

    static SecureKafka startSasl() throws Exception {
        // Put back on close, so that later tests in this JVM do not inherit the broker's JAAS file.
        String previousJaasConfig = System.getProperty(JAVA_LOGIN_CONFIG);
        TestKitNodes nodes =
                new TestKitNodes.Builder()
                        .setCombined(true)
                        .setNumBrokerNodes(1)
                        .setNumControllerNodes(1)
                        .setBrokerSecurityProtocol(SecurityProtocol.SASL_PLAINTEXT)
                        .setControllerSecurityProtocol(SecurityProtocol.SASL_PLAINTEXT)
                        .build();
        KafkaClusterTestKit cluster = EmbeddedKafka.singleNode(nodes).build();
        try {
            EmbeddedKafka.startAndAwait(cluster);
        } catch (Exception e) {
            restore(previousJaasConfig);
            throw e;
        }
        Properties client = new Properties();
        client.put(
                CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, SecurityProtocol.SASL_PLAINTEXT.name);
        client.put(SaslConfigs.SASL_MECHANISM, "PLAIN");
        client.put(
                SaslConfigs.SASL_JAAS_CONFIG,
                jaasConfig(JaasUtils.KAFKA_PLAIN_ADMIN, JaasUtils.KAFKA_PLAIN_ADMIN_PASSWORD));
        return new SecureKafka(cluster, previousJaasConfig, client, null);
    }

    /**
     * A broker whose client listener speaks TLS only, with a key and certificate made in {@code
     * dir}; {@code password} protects the key store and the trust store.
     */
    static SecureKafka startTls(Path dir, String password) throws Exception {
        SelfSigned certificate = SelfSigned.make(dir, password);
        Path keystore = certificate.keystore();
        Path truststore = certificate.truststore();
        // The test kit only builds PLAINTEXT and SASL_PLAINTEXT listeners, but leaves a protocol
        // map
        // given here in place: its client (and inter-broker) listener EXTERNAL becomes SSL.
        TestKitNodes nodes =
                new TestKitNodes.Builder()
                        .setCombined(true)
                        .setNumBrokerNodes(1)
                        .setNumControllerNodes(1)
                        .build();
        KafkaClusterTestKit cluster =
                EmbeddedKafka.singleNode(nodes)
                        .setConfigProp(
                                "listener.security.protocol.map",
                                "EXTERNAL:SSL,CONTROLLER:PLAINTEXT")
                        .setConfigProp("ssl.keystore.type", "PKCS12")
                        .setConfigProp("ssl.keystore.location", keystore.toString())
                        .setConfigProp("ssl.keystore.password", password)
                        .setConfigProp("ssl.key.password", password)
                        .setConfigProp("ssl.truststore.type", "PKCS12")
                        .setConfigProp("ssl.truststore.location", truststore.toString())
                        .setConfigProp("ssl.truststore.password", password)
                        .build();
        EmbeddedKafka.startAndAwait(cluster);
        Properties client = new Properties();
        client.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, SecurityProtocol.SSL.name);
        client.put(SslConfigs.SSL_TRUSTSTORE_TYPE_CONFIG, "PKCS12");
        client.put(SslConfigs.SSL_TRUSTSTORE_LOCATION_CONFIG, truststore.toString());
        client.put(SslConfigs.SSL_TRUSTSTORE_PASSWORD_CONFIG, password);
        return new SecureKafka(cluster, null, client, truststore);
    }

    /**
     * A key store holding a fresh RSA key with a self-signed certificate for {@code localhost} and
     * {@code 127.0.0.1}, and a trust store holding only that certificate, both PKCS12 files in
     * {@code dir} protected by {@code password}; made by the JDK's own {@code keytool}, so no key
     * is ever committed. Example: {@code SelfSigned.make(tempDir, "changeit").truststore()}.
     */
    record SelfSigned(Path keystore, Path truststore) {
        static SelfSigned make(Path dir, String password) throws Exception {
            java.nio.file.Files.createDirectories(dir);
            Path keystore = dir.resolve("broker-keystore.p12");
            Path certificate = dir.resolve("broker.crt");
            Path truststore = dir.resolve("client-truststore.p12");
            keytool(
                    "-genkeypair",
                    "-alias",
                    "broker",
                    "-keyalg",
                    "RSA",
                    "-keysize",
                    "2048",
                    "-validity",
                    "2",
                    "-dname",
                    "CN=localhost",
                    "-ext",
                    "SAN=dns:localhost,ip:127.0.0.1",
                    "-storetype",
                    "PKCS12",
                    "-keystore",
                    keystore.toString(),
                    "-storepass",
                    password,
                    "-keypass",
                    password);
            keytool(
                    "-exportcert",
                    "-alias",
                    "broker",
                    "-keystore",
                    keystore.toString(),
                    "-storepass",
                    password,
                    "-file",
                    certificate.toString());
            keytool(
                    "-importcert",
                    "-noprompt",
                    "-alias",
                    "broker",
                    "-file",
                    certificate.toString(),
                    "-storetype",
                    "PKCS12",
                    "-keystore",
                    truststore.toString(),
                    "-storepass",
                    password);
            return new SelfSigned(keystore, truststore);
        }

        private static void keytool(String... args) throws Exception {
            List<String> command = new ArrayList<>();
            command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
            command.addAll(List.of(args));
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output =
                    new String(
                            p.getInputStream().readAllBytes(),
                            java.nio.charset.StandardCharsets.UTF_8);
            if (p.waitFor() != 0) {
                throw new IllegalStateException("keytool " + args[0] + " failed: " + output);
            }
        }
    }

    /** The trust store holding the broker's certificate (TLS brokers only). */
    Path truststore() {
        return truststore;
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
        return "org.apache.kafka.common.security.plain.PlainLoginModule required username=\""
                + user
                + "\" password=\""
                + password
                + "\";";
    }

    /** Client settings of this class's own clients. */
    private Properties admin() {
        Properties p = new Properties();
        p.putAll(client);
        p.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        return p;
    }

    void createTopics(String... topics) throws Exception {
        try (Admin admin = Admin.create(admin())) {
            admin.createTopics(
                            java.util.Arrays.stream(topics)
                                    .map(t -> new NewTopic(t, 1, (short) 1))
                                    .collect(Collectors.toList()))
                    .all()
                    .get();
        }
    }

    /**
     * Lets {@code user} do anything to every topic, consumer group and transactional id, as a job's
     * account needs.
     */
    void grantEverything(String user) throws Exception {
        AccessControlEntry all =
                new AccessControlEntry(
                        "User:" + user, "*", AclOperation.ALL, AclPermissionType.ALLOW);
        List<AclBinding> bindings = new ArrayList<>();
        for (ResourceType type :
                List.of(ResourceType.TOPIC, ResourceType.GROUP, ResourceType.TRANSACTIONAL_ID)) {
            bindings.add(new AclBinding(new ResourcePattern(type, "*", PatternType.LITERAL), all));
        }
        bindings.add(
                new AclBinding(
                        new ResourcePattern(
                                ResourceType.CLUSTER, "kafka-cluster", PatternType.LITERAL),
                        all));
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
            if (client.containsKey(SaslConfigs.SASL_JAAS_CONFIG)) {
                restore(previousJaasConfig);
            }
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
