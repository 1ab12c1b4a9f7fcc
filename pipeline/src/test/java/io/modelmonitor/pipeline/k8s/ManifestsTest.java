package io.modelmonitor.pipeline.k8s;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Parses every file in {@code k8s/} and applies {@link ManifestChecks}: the shipped manifests pass,
 * and a deliberately broken copy of each makes the matching rule report it.
 */
class ManifestsTest {
    static Path k8s;
    static JsonNode deployment;
    static List<JsonNode> topics;
    static JsonNode podMonitor;
    static JsonNode dashboard;
    static String dockerfile;
    static String rootPom;

    @BeforeAll
    static void parse() throws IOException {
        Path root = Path.of("").toAbsolutePath();
        while (!Files.isRegularFile(root.resolve("k8s/flink-deployment.yaml"))) {
            root = root.getParent();
            assertNotNull(root, "k8s/flink-deployment.yaml not found above the working directory");
        }
        k8s = root.resolve("k8s");
        YAMLMapper yaml = new YAMLMapper();
        deployment = yaml.readTree(k8s.resolve("flink-deployment.yaml").toFile());
        podMonitor = yaml.readTree(k8s.resolve("pod-monitor.yaml").toFile());
        topics = new ArrayList<>();
        try (var parser =
                new YAMLFactory().createParser(k8s.resolve("kafka-topics.yaml").toFile())) {
            yaml.readValues(parser, JsonNode.class).forEachRemaining(topics::add);
        }
        dashboard = new ObjectMapper().readTree(k8s.resolve("grafana-dashboard.json").toFile());
        dockerfile = Files.readString(k8s.resolve("Dockerfile"));
        rootPom = Files.readString(root.resolve("pom.xml"));
    }

    @Test
    void shippedManifestsPassEveryCheck() {
        assertEquals(5, topics.size(), "events, labels, alerts, reports, dead letters");
        assertEquals(List.of(), ManifestChecks.flinkDeployment(deployment));
        assertEquals(List.of(), ManifestChecks.jobArgs(deployment));
        assertEquals(List.of(), ManifestChecks.javaOpens(deployment, rootPom));
        assertEquals(List.of(), ManifestChecks.topics(deployment, topics));
        assertEquals(List.of(), ManifestChecks.dockerfile(dockerfile, deployment));
        assertEquals(List.of(), ManifestChecks.podMonitor(podMonitor, deployment));
        assertEquals(List.of(), ManifestChecks.dashboard(dashboard));
    }

    @Test
    void unknownFlagInJobArgsIsReported() {
        JsonNode broken =
                withArgs(
                        args -> {
                            args.set(args.size() - 2, "--kafka-transaction-timeout"); // a typo for
                            // --kafka.transaction.timeout.ms
                            return args;
                        });
        assertReported(ManifestChecks.jobArgs(broken), "unknown flag --kafka-transaction-timeout");
    }

    @Test
    void invalidFlagValueAndMissingSubCommandAreReported() {
        assertReported(
                ManifestChecks.jobArgs(
                        withArgs(args -> replaceAfter(args, "--window-size", "an hour"))),
                "invalid value 'an hour' for --window-size");
        assertReported(
                ManifestChecks.jobArgs(withArgs(args -> replaceAfter(args, "--p-value", "5"))),
                "--alpha must be in (0, 1), got 5.0");
        assertReported(
                ManifestChecks.jobArgs(withArgs(args -> args.subList(1, args.size()))),
                "must start with");
    }

    @Test
    void argsThatContradictTheFlinkConfigurationAreReported() {
        assertReported(
                ManifestChecks.jobArgs(
                        withArgs(
                                args ->
                                        replaceAfter(
                                                args, "--checkpoint-dir", "file:///elsewhere"))),
                "--checkpoint-dir file:///elsewhere differs from execution.checkpointing.dir");
        assertReported(
                ManifestChecks.jobArgs(
                        withArgs(
                                args ->
                                        replaceAfter(
                                                args, "--bundle", "sentiment=/data/sentiment"))),
                "--bundle /data/sentiment is not under a volume");
    }

    @Test
    void topicMismatchIsReportedBothWays() {
        JsonNode broken =
                withArgs(
                        args ->
                                replaceAfter(
                                        args,
                                        "--alerts",
                                        "kafka://kafka-kafka-bootstrap:9092/alerts"));
        List<String> problems = ManifestChecks.topics(broken, topics);
        assertReported(problems, "Kafka topic alerts, which kafka-topics.yaml does not declare");
        assertReported(problems, "KafkaTopic model-alerts is declared but no job argument uses it");
        JsonNode otherCluster =
                withArgs(
                        args ->
                                replaceAfter(
                                        args,
                                        "--events",
                                        "kafka://other-kafka-bootstrap:9092/model-events"));
        assertReported(
                ManifestChecks.topics(otherCluster, topics), "belongs to Strimzi cluster kafka");
    }

    @Test
    void missingJarUriIsReported() {
        ObjectNode broken = deployment.deepCopy();
        ((ObjectNode) broken.path("spec").path("job")).remove("jarURI");
        assertReported(ManifestChecks.flinkDeployment(broken), "spec.job.jarURI is missing");
        assertReported(ManifestChecks.dockerfile(dockerfile, broken), "does not copy the job jar");
    }

    @Test
    void jarPathDisagreeingWithTheDockerfileIsReported() {
        ObjectNode broken = deployment.deepCopy();
        ((ObjectNode) broken.path("spec").path("job"))
                .put("jarURI", "local:///opt/flink/usrlib/job.jar");
        assertReported(
                ManifestChecks.dockerfile(dockerfile, broken),
                "does not copy the job jar to /opt/flink/usrlib/job.jar");
    }

    @Test
    void dockerfileWithWrongBaseOrRootUserIsReported() {
        assertReported(
                ManifestChecks.dockerfile(
                        dockerfile.replace("flink:2.2-java17", "flink:1.20-java11"), deployment),
                "final stage must be the official flink:2.2-java17 image");
        assertReported(
                ManifestChecks.dockerfile(
                        dockerfile.replace("USER 9999:9999", "USER root"), deployment),
                "non-root user");
        assertReported(
                ManifestChecks.dockerfile(
                        dockerfile
                                .replace("DJL_OFFLINE=true", "DJL_OFFLINE=false")
                                .replace("-Dai.djl.offline=true", ""),
                        deployment),
                "offline mode");
    }

    @Test
    void brokenFlinkConfigurationIsReported() {
        assertReported(
                ManifestChecks.flinkDeployment(withConf("state.backend.typ", "rocksdb")),
                "flinkConfiguration key state.backend.typ is not a Flink option");
        assertReported(
                ManifestChecks.flinkDeployment(
                        withConf("taskmanager.memory.task.off-heap.size", "64m")),
                "does not cover one ONNX session");
        assertReported(
                ManifestChecks.flinkDeployment(
                        withConf("classloader.parent-first-patterns.additional", "ai.djl.")),
                "must contain ai.onnxruntime.");
        assertReported(
                ManifestChecks.flinkDeployment(withConf("metrics.reporter.prom.port", "9250")),
                "metrics.reporter.prom.port 9250 is not a port");
        assertReported(
                ManifestChecks.javaOpens(withConf("env.java.default-opts.all", "-Xss2m"), rootPom),
                "lacks --add-opens=java.base/java.util=ALL-UNNAMED");
        ObjectNode oldFlink = deployment.deepCopy();
        ((ObjectNode) oldFlink.path("spec")).put("flinkVersion", "v1_20");
        assertReported(ManifestChecks.flinkDeployment(oldFlink), "flinkVersion must be v2_2");
    }

    @Test
    void writableRootOrMissingTmpIsReported() {
        ObjectNode broken = deployment.deepCopy();
        ObjectNode container = (ObjectNode) broken.at("/spec/podTemplate/spec/containers/0");
        ((ObjectNode) container.path("securityContext")).put("readOnlyRootFilesystem", false);
        ArrayNode mounts = (ArrayNode) container.path("volumeMounts");
        for (int i = mounts.size() - 1; i >= 0; i--) {
            if (mounts.get(i).path("mountPath").asText().equals("/tmp")) {
                mounts.remove(i);
            }
        }
        List<String> problems = ManifestChecks.security(broken);
        assertReported(problems, "readOnlyRootFilesystem must be true");
        assertReported(problems, "needs an emptyDir volume mounted at /tmp");
    }

    @Test
    void rootUserOrFlinkDirectoriesOnTheReadOnlyRootAreReported() {
        ObjectNode broken = deployment.deepCopy();
        ObjectNode pod = (ObjectNode) broken.at("/spec/podTemplate/spec");
        ((ObjectNode) pod.path("securityContext")).put("runAsUser", 0).put("runAsNonRoot", false);
        ArrayNode mounts = (ArrayNode) pod.at("/containers/0/volumeMounts");
        for (int i = mounts.size() - 1; i >= 0; i--) {
            String path = mounts.get(i).path("mountPath").asText();
            if (path.equals("/opt/flink/log")) {
                mounts.remove(i);
            } else if (path.equals("/flink-data")) {
                ((ObjectNode) mounts.get(i)).put("readOnly", true);
            }
        }
        List<String> problems = ManifestChecks.security(broken);
        assertReported(problems, "runAsNonRoot must be true");
        assertReported(problems, "runAsUser must be a non-root uid");
        assertReported(problems, "env.log.dir /opt/flink/log is not on a writable volume");
        assertReported(
                problems,
                "execution.checkpointing.dir /flink-data/checkpoints is not on a writable volume");
        assertReported(
                problems,
                "high-availability.storageDir /flink-data/ha is not on a writable volume");
        assertTrue(
                ManifestChecks.security(deployment).isEmpty(),
                ManifestChecks.security(deployment).toString());
    }

    @Test
    void podMonitorOnTheWrongPortIsReported() {
        ObjectNode broken = podMonitor.deepCopy();
        ((ObjectNode) broken.at("/spec/podMetricsEndpoints/0")).put("port", "http");
        assertReported(ManifestChecks.podMonitor(broken, deployment), "scrapes port http");
    }

    @Test
    void dashboardWithUnknownVariableOrBrokenQueryIsReported() {
        ObjectNode broken = dashboard.deepCopy();
        ObjectNode target = (ObjectNode) broken.at("/panels/1/targets/0");
        target.put("expr", target.path("expr").asText().replace("$model", "$modle") + ")");
        List<String> problems = ManifestChecks.dashboard(broken);
        assertReported(problems, "unknown variable $modle");
        assertReported(problems, "malformed expression");
    }

    private static JsonNode withArgs(Function<List<String>, List<String>> edit) {
        ObjectNode copy = deployment.deepCopy();
        List<String> args = edit.apply(new ArrayList<>(ManifestChecks.args(deployment)));
        ArrayNode node = ((ObjectNode) copy.path("spec").path("job")).putArray("args");
        args.forEach(node::add);
        return copy;
    }

    private static JsonNode withConf(String key, String value) {
        ObjectNode copy = deployment.deepCopy();
        ((ObjectNode) copy.path("spec").path("flinkConfiguration")).put(key, value);
        return copy;
    }

    private static List<String> replaceAfter(List<String> args, String flag, String value) {
        int i = args.indexOf(flag);
        assertTrue(i >= 0, flag + " not in the shipped args");
        args.set(i + 1, value);
        return args;
    }

    private static void assertReported(List<String> problems, String expected) {
        assertTrue(
                problems.stream().anyMatch(p -> p.contains(expected)),
                "expected a problem containing '" + expected + "', got " + problems);
    }
}
