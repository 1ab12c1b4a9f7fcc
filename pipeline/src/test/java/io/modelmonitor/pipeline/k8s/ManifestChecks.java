package io.modelmonitor.pipeline.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import io.modelmonitor.pipeline.cli.CommandLine;
import io.modelmonitor.pipeline.cli.RunCommand;
import io.modelmonitor.pipeline.cli.UsageException;
import io.modelmonitor.pipeline.job.ReferenceBundles;
import io.modelmonitor.pipeline.options.ConfigurationException;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.FallbackKey;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.runtime.util.EnvironmentInformation;
import org.apache.flink.util.TimeUtils;

/**
 * The consistency rules of the files in {@code k8s/}, as functions from parsed manifests to a list
 * of problems (empty when all is well), so that a test can feed them a deliberately broken copy and
 * see each rule fire.
 *
 * <p>The rules bind the manifests to the real code rather than to each other only: the job
 * arguments go through the CLI's own parser, the entry class and the Prometheus reporter factory
 * must load, every Flink option key must be one Flink 2.2 declares, and the Flink version must be
 * the one on the class path. The Flink Kubernetes Operator's own API classes cannot serve for this
 * (the version that resolves here predates Flink 2, see docs/architecture.md), so the operator
 * fields are checked structurally.
 */
final class ManifestChecks {
    static final String MAIN_CONTAINER = "flink-main-container";

    /**
     * Native memory of one ONNX Runtime encoder session (docs/architecture.md), which task off-heap
     * must cover.
     */
    static final MemorySize ONNX_SESSION = MemorySize.parse("150m");

    private static final Pattern KAFKA_URI = Pattern.compile("kafka://([^:/]+):(\\d+)/(.+)");

    private ManifestChecks() {}

    /** Required fields of a FlinkDeployment in application mode, and the Flink options it sets. */
    static List<String> flinkDeployment(JsonNode d) {
        List<String> p = new ArrayList<>();
        expect(p, d, "apiVersion", "flink.apache.org/v1beta1");
        expect(p, d, "kind", "FlinkDeployment");
        require(p, d, "metadata", "name");
        JsonNode spec = d.path("spec");
        require(p, spec, "image");
        require(p, spec, "serviceAccount");
        String flink = EnvironmentInformation.getVersion();
        String expectedVersion = "v" + flink.replaceAll("^(\\d+)\\.(\\d+).*", "$1_$2");
        expect(p, spec, "flinkVersion", expectedVersion);
        for (String component : List.of("jobManager", "taskManager")) {
            require(p, spec, component, "resource", "memory");
            require(p, spec, component, "resource", "cpu");
        }
        JsonNode job = spec.path("job");
        String jar = text(job, "jarURI");
        if (jar == null) {
            p.add("spec.job.jarURI is missing");
        } else if (!jar.startsWith("local:///")) {
            p.add("spec.job.jarURI must be a local:/// path inside the image, got " + jar);
        }
        String entry = text(job, "entryClass");
        if (entry == null) {
            p.add("spec.job.entryClass is missing");
        } else {
            try {
                Method main = Class.forName(entry).getMethod("main", String[].class);
                if (!Modifier.isStatic(main.getModifiers())) {
                    p.add("spec.job.entryClass " + entry + " has no static main");
                }
            } catch (ReflectiveOperationException e) {
                p.add("spec.job.entryClass " + entry + " is not a class with main(String[]): " + e);
            }
        }
        String upgrade = text(job, "upgradeMode");
        if (!Set.of("savepoint", "last-state", "stateless").contains(String.valueOf(upgrade))) {
            p.add(
                    "spec.job.upgradeMode must be savepoint, last-state or stateless, got "
                            + upgrade);
        }
        Map<String, String> conf = flinkConfiguration(d);
        if ("savepoint".equals(upgrade) || "last-state".equals(upgrade)) {
            for (String key :
                    List.of(
                            "execution.checkpointing.dir",
                            "execution.checkpointing.savepoint-dir")) {
                if (!conf.containsKey(key)) {
                    p.add("upgradeMode " + upgrade + " needs " + key);
                }
            }
        }
        if (!"rocksdb".equals(conf.get("state.backend.type"))) {
            p.add(
                    "state.backend.type must be rocksdb (window state grows with the window sample), got "
                            + conf.get("state.backend.type"));
        }
        p.addAll(unknownFlinkKeys(conf.keySet()));
        String factory = conf.get("metrics.reporter.prom.factory.class");
        try {
            Class.forName(String.valueOf(factory));
        } catch (ClassNotFoundException e) {
            p.add(
                    "metrics.reporter.prom.factory.class "
                            + factory
                            + " is not a class on Flink's class path");
        }
        String port = conf.get("metrics.reporter.prom.port");
        if (port == null || containerPort(d, port) == null) {
            p.add("metrics.reporter.prom.port " + port + " is not a port of " + MAIN_CONTAINER);
        }
        try {
            MemorySize offHeap =
                    MemorySize.parse(
                            conf.getOrDefault("taskmanager.memory.task.off-heap.size", "0"));
            if (offHeap.compareTo(ONNX_SESSION) < 0) {
                p.add(
                        "taskmanager.memory.task.off-heap.size "
                                + offHeap
                                + " does not cover one ONNX session ("
                                + ONNX_SESSION
                                + ")");
            }
        } catch (IllegalArgumentException e) {
            p.add("taskmanager.memory.task.off-heap.size: " + e.getMessage());
        }
        String patterns = conf.getOrDefault("classloader.parent-first-patterns.additional", "");
        for (String pkg : List.of("ai.djl.", "ai.onnxruntime.")) {
            if (!List.of(patterns.split(";")).contains(pkg)) {
                p.add(
                        "classloader.parent-first-patterns.additional must contain "
                                + pkg
                                + " (native libraries load once per JVM, from lib/)");
            }
        }
        if (!conf.getOrDefault("env.java.opts.all", "").contains("-Dai.djl.offline=true")) {
            p.add("env.java.opts.all must set -Dai.djl.offline=true");
        }
        p.addAll(security(d));
        return p;
    }

    /** Where the Flink image writes its logs unless {@code env.log.dir} says otherwise. */
    static final String FLINK_LOG_DIR = "/opt/flink/log";

    /**
     * Non-root, read-only root file system, a writable emptyDir at /tmp, and a writable volume
     * under every directory Flink writes to (log dir, io.tmp.dirs, checkpoints, savepoints, HA
     * storage).
     */
    static List<String> security(JsonNode d) {
        List<String> p = new ArrayList<>();
        JsonNode pod = d.path("spec").path("podTemplate").path("spec");
        if (!pod.path("securityContext").path("runAsNonRoot").asBoolean(false)) {
            p.add("podTemplate securityContext.runAsNonRoot must be true");
        }
        if (pod.path("securityContext").path("runAsUser").asLong(0) == 0) {
            p.add("podTemplate securityContext.runAsUser must be a non-root uid");
        }
        JsonNode container = mainContainer(d);
        if (container == null) {
            p.add("podTemplate has no container named " + MAIN_CONTAINER);
            return p;
        }
        if (!container.path("securityContext").path("readOnlyRootFilesystem").asBoolean(false)) {
            p.add(MAIN_CONTAINER + " securityContext.readOnlyRootFilesystem must be true");
        }
        Map<String, JsonNode> volumes = new HashMap<>();
        pod.path("volumes").forEach(v -> volumes.put(v.path("name").asText(), v));
        boolean tmp = false;
        for (JsonNode m : container.path("volumeMounts")) {
            if ("/tmp".equals(m.path("mountPath").asText())) {
                JsonNode v = volumes.get(m.path("name").asText());
                tmp = v != null && v.has("emptyDir");
            }
        }
        if (!tmp) {
            p.add(
                    MAIN_CONTAINER
                            + " needs an emptyDir volume mounted at /tmp (read-only root file system)");
        }
        // With a read-only root, every directory Flink writes to must lie on a writable volume.
        List<String> writable = new ArrayList<>();
        for (JsonNode m : container.path("volumeMounts")) {
            if (!m.path("readOnly").asBoolean(false)) {
                writable.add(m.path("mountPath").asText());
            }
        }
        Map<String, String> conf = flinkConfiguration(d);
        Map<String, String> written = new java.util.LinkedHashMap<>();
        written.put("env.log.dir", conf.getOrDefault("env.log.dir", FLINK_LOG_DIR));
        for (String key :
                List.of(
                        "io.tmp.dirs",
                        "execution.checkpointing.dir",
                        "execution.checkpointing.savepoint-dir",
                        "high-availability.storageDir")) {
            String dir = conf.get(key);
            if (dir != null && (dir.startsWith("file:") || dir.startsWith("/"))) {
                written.put(key, dir.replaceFirst("^file:(//)?", ""));
            }
        }
        for (Map.Entry<String, String> w : written.entrySet()) {
            if (writable.stream().noneMatch(m -> Path.of(w.getValue()).startsWith(m))) {
                p.add(
                        w.getKey()
                                + " "
                                + w.getValue()
                                + " is not on a writable volume of "
                                + MAIN_CONTAINER
                                + " (read-only root file system; writable: "
                                + writable
                                + ")");
            }
        }
        return p;
    }

    /**
     * The job arguments: accepted by the real {@code run} command-line parser, agreeing with the
     * Flink configuration they duplicate, and naming bundle directories that a volume provides.
     */
    static List<String> jobArgs(JsonNode d) {
        List<String> p = new ArrayList<>();
        List<String> args = args(d);
        if (args.isEmpty() || !"run".equals(args.get(0))) {
            return List.of("spec.job.args must start with the sub-command 'run', got " + args);
        }
        CommandLine line;
        try {
            line = CommandLine.parse(new RunCommand(), args.subList(1, args.size()));
        } catch (UsageException | ConfigurationException e) {
            return List.of("spec.job.args rejected by ./monitor run: " + e.getMessage());
        }
        Map<String, String> conf = flinkConfiguration(d);
        var c = line.config();
        sameValue(
                p,
                "--parallelism",
                String.valueOf(c.get(io.modelmonitor.pipeline.options.RunOptions.PARALLELISM)),
                "spec.job.parallelism",
                d.path("spec").path("job").path("parallelism").asText(null));
        sameValue(
                p,
                "--checkpoint-dir",
                c.get(io.modelmonitor.pipeline.options.RunOptions.CHECKPOINT_DIR),
                "execution.checkpointing.dir",
                conf.get("execution.checkpointing.dir"));
        sameValue(
                p,
                "--state-backend",
                c.get(io.modelmonitor.pipeline.options.RunOptions.STATE_BACKEND)
                        .name()
                        .toLowerCase(),
                "state.backend.type",
                conf.get("state.backend.type"));
        Duration interval = c.get(io.modelmonitor.pipeline.options.RunOptions.CHECKPOINT_INTERVAL);
        String confInterval = conf.get("execution.checkpointing.interval");
        if (confInterval != null && !TimeUtils.parseDuration(confInterval).equals(interval)) {
            p.add(
                    "--checkpoint-interval "
                            + TimeUtils.formatWithHighestUnit(interval)
                            + " differs from execution.checkpointing.interval "
                            + confInterval);
        }
        List<String> mounts = new ArrayList<>();
        JsonNode container = mainContainer(d);
        if (container != null) {
            container.path("volumeMounts").forEach(m -> mounts.add(m.path("mountPath").asText()));
        }
        for (String bundle : c.get(io.modelmonitor.pipeline.options.SharedOptions.BUNDLE)) {
            Path dir = ReferenceBundles.BundleSpec.parse(bundle).dir();
            if (mounts.stream().noneMatch(dir::startsWith)) {
                p.add(
                        "--bundle "
                                + dir
                                + " is not under a volume mounted in "
                                + MAIN_CONTAINER
                                + " "
                                + mounts);
            }
        }
        return p;
    }

    /**
     * Every Kafka URI of the job names a topic of kafka-topics.yaml on that cluster's bootstrap
     * service, and every topic there is used by the job.
     */
    static List<String> topics(JsonNode deployment, List<JsonNode> kafkaTopics) {
        List<String> p = new ArrayList<>();
        Map<String, String> declared = new LinkedHashMap<>(); // topic name -> Strimzi cluster
        for (JsonNode t : kafkaTopics) {
            if (!"KafkaTopic".equals(t.path("kind").asText())
                    || !t.path("apiVersion").asText().startsWith("kafka.strimzi.io/")) {
                p.add("kafka-topics.yaml: not a Strimzi KafkaTopic: " + t.path("kind").asText());
                continue;
            }
            String name =
                    t.path("spec")
                            .path("topicName")
                            .asText(t.path("metadata").path("name").asText());
            String cluster =
                    t.path("metadata").path("labels").path("strimzi.io/cluster").asText(null);
            if (cluster == null) {
                p.add("KafkaTopic " + name + " has no strimzi.io/cluster label");
            }
            if (t.path("spec").path("partitions").asInt(0) < 1
                    || t.path("spec").path("replicas").asInt(0) < 1) {
                p.add("KafkaTopic " + name + " needs partitions and replicas");
            }
            declared.put(name, cluster);
        }
        Set<String> used = new TreeSet<>();
        for (String arg : args(deployment)) {
            Matcher m = KAFKA_URI.matcher(arg);
            if (!m.matches()) {
                continue;
            }
            String topic = m.group(3);
            used.add(topic);
            if (!declared.containsKey(topic)) {
                p.add(
                        "job writes or reads Kafka topic "
                                + topic
                                + ", which kafka-topics.yaml does not declare "
                                + declared.keySet());
            } else if (declared.get(topic) != null
                    && !m.group(1).equals(declared.get(topic) + "-kafka-bootstrap")) {
                p.add(
                        "topic "
                                + topic
                                + " belongs to Strimzi cluster "
                                + declared.get(topic)
                                + " but the job connects to "
                                + m.group(1));
            }
        }
        for (String topic : declared.keySet()) {
            if (!used.contains(topic)) {
                p.add("KafkaTopic " + topic + " is declared but no job argument uses it");
            }
        }
        return p;
    }

    /**
     * The final stage of the Dockerfile: the official Flink image of the version on the class path
     * (Java 17), the job jar copied where jarURI points, the lib/ jars, DJL offline, a non-root
     * user.
     */
    static List<String> dockerfile(String dockerfile, JsonNode deployment) {
        List<String> p = new ArrayList<>();
        Map<String, String> args = new HashMap<>();
        List<String> finalStage = new ArrayList<>();
        String base = null;
        for (String instruction : instructions(dockerfile)) {
            String[] parts = instruction.split("\\s+", 2);
            String op = parts[0].toUpperCase();
            String rest = parts.length > 1 ? parts[1].trim() : "";
            if (op.equals("ARG") && base == null && rest.contains("=")) {
                args.put(
                        rest.substring(0, rest.indexOf('=')),
                        rest.substring(rest.indexOf('=') + 1));
            } else if (op.equals("FROM")) {
                base = substitute(rest.split("\\s+")[0], args);
                finalStage.clear();
            } else {
                finalStage.add(op + " " + rest);
            }
        }
        String flink = EnvironmentInformation.getVersion().replaceAll("^(\\d+\\.\\d+).*", "$1");
        if (base == null
                || !base.matches(
                        "(docker\\.io/(library/)?)?flink:"
                                + Pattern.quote(flink)
                                + "(\\.\\d+)?-java17")) {
            p.add("final stage must be the official flink:" + flink + "-java17 image, got " + base);
        }
        String jar = text(deployment.path("spec").path("job"), "jarURI");
        String jarPath = jar == null ? null : URI.create(jar).getPath();
        boolean jarCopied = false;
        boolean libCopied = false;
        String user = null;
        boolean offline = false;
        for (String i : finalStage) {
            if (i.startsWith("COPY ")) {
                String[] words = i.split("\\s+");
                String dest = words[words.length - 1];
                jarCopied |= dest.equals(jarPath);
                libCopied |= dest.replaceAll("/$", "").equals("/opt/flink/lib");
            } else if (i.startsWith("USER ")) {
                user = i.substring(5).trim().split(":")[0];
            } else if (i.startsWith("ENV ")) {
                offline |= i.contains("-Dai.djl.offline=true") || i.contains("DJL_OFFLINE=true");
            }
        }
        if (!jarCopied) {
            p.add(
                    "the Dockerfile does not copy the job jar to "
                            + jarPath
                            + " (spec.job.jarURI "
                            + jar
                            + ")");
        }
        if (!libCopied) {
            p.add("the Dockerfile does not copy the DJL / ONNX Runtime jars into /opt/flink/lib");
        }
        if (user == null || user.equals("root") || user.equals("0")) {
            p.add("the image must run as a non-root user (flink, uid 9999), got USER " + user);
        } else {
            long uid =
                    deployment
                            .path("spec")
                            .path("podTemplate")
                            .path("spec")
                            .path("securityContext")
                            .path("runAsUser")
                            .asLong(-1);
            if (!user.equals(String.valueOf(uid)) && !(user.equals("flink") && uid == 9999)) {
                p.add("the image's USER " + user + " differs from the pod's runAsUser " + uid);
            }
        }
        if (!offline) {
            p.add(
                    "the image must switch DJL to offline mode (-Dai.djl.offline=true or DJL_OFFLINE=true)");
        }
        return p;
    }

    /**
     * The PodMonitor scrapes the port the Prometheus reporter listens on, on this deployment's
     * pods.
     */
    static List<String> podMonitor(JsonNode monitor, JsonNode deployment) {
        List<String> p = new ArrayList<>();
        expect(p, monitor, "kind", "PodMonitor");
        if (!monitor.path("apiVersion").asText().startsWith("monitoring.coreos.com/")) {
            p.add("PodMonitor apiVersion must be monitoring.coreos.com/v1");
        }
        String app =
                monitor.path("spec").path("selector").path("matchLabels").path("app").asText(null);
        String name = deployment.path("metadata").path("name").asText();
        if (!name.equals(app)) {
            p.add(
                    "PodMonitor selects app="
                            + app
                            + " but the operator labels the pods app="
                            + name);
        }
        String reporterPort = flinkConfiguration(deployment).get("metrics.reporter.prom.port");
        JsonNode port = reporterPort == null ? null : containerPort(deployment, reporterPort);
        for (JsonNode e : monitor.path("spec").path("podMetricsEndpoints")) {
            String scraped = e.path("port").asText();
            if (port == null || !scraped.equals(port.path("name").asText())) {
                p.add(
                        "PodMonitor scrapes port "
                                + scraped
                                + ", not the reporter port "
                                + reporterPort);
            }
        }
        if (monitor.path("spec").path("podMetricsEndpoints").isEmpty()) {
            p.add("PodMonitor has no podMetricsEndpoints");
        }
        return p;
    }

    /**
     * A Grafana dashboard: unique panel ids, a query per panel on the datasource variable, sane
     * PromQL.
     */
    static List<String> dashboard(JsonNode dash) {
        List<String> p = new ArrayList<>();
        require(p, dash, "title");
        require(p, dash, "uid");
        Set<String> variables = new LinkedHashSet<>();
        dash.path("templating").path("list").forEach(v -> variables.add(v.path("name").asText()));
        for (String v : List.of("datasource", "model")) {
            if (!variables.contains(v)) {
                p.add("dashboard lacks the template variable $" + v);
            }
        }
        Set<Integer> ids = new LinkedHashSet<>();
        for (JsonNode panel : dash.path("panels")) {
            String title = panel.path("title").asText();
            if (!ids.add(panel.path("id").asInt(-1))) {
                p.add("panel " + title + ": duplicate or missing id");
            }
            if (!panel.has("gridPos")) {
                p.add("panel " + title + ": no gridPos");
            }
            if ("row".equals(panel.path("type").asText())) {
                continue;
            }
            if (!"${datasource}".equals(panel.path("datasource").path("uid").asText())) {
                p.add("panel " + title + ": datasource must be ${datasource}");
            }
            if (panel.path("targets").isEmpty()) {
                p.add("panel " + title + ": no queries");
            }
            for (JsonNode t : panel.path("targets")) {
                String expr = t.path("expr").asText("");
                if (expr.isBlank() || !balanced(expr)) {
                    p.add("panel " + title + ": malformed expression " + expr);
                }
                Matcher m = Pattern.compile("\\$(\\w+)").matcher(expr);
                while (m.find()) {
                    if (!variables.contains(m.group(1))) {
                        p.add("panel " + title + ": unknown variable $" + m.group(1));
                    }
                }
                if (!Pattern.compile("\\bflink_(jobmanager|taskmanager)_\\w+")
                        .matcher(expr)
                        .find()) {
                    p.add("panel " + title + ": no Flink metric in " + expr);
                }
            }
        }
        return p;
    }

    /**
     * The operator replaces Flink's configuration file, so the Java 17 module openings of a Flink
     * distribution must be in the manifest: the same list as {@code <flink.jvm.opens>} in the root
     * pom.
     */
    static List<String> javaOpens(JsonNode d, String rootPom) {
        Matcher m =
                Pattern.compile("<flink.jvm.opens>(.*?)</flink.jvm.opens>", Pattern.DOTALL)
                        .matcher(rootPom);
        if (!m.find()) {
            return List.of("root pom.xml has no <flink.jvm.opens>");
        }
        Set<String> configured =
                Set.of(
                        flinkConfiguration(d)
                                .getOrDefault("env.java.default-opts.all", "")
                                .split("\\s+"));
        List<String> p = new ArrayList<>();
        for (String open : m.group(1).trim().split("\\s+")) {
            if (!configured.contains(open)) {
                p.add("env.java.default-opts.all lacks " + open);
            }
        }
        return p;
    }

    /**
     * Keys that no Flink 2.2 option declares (outside the operator's and the reporters'
     * namespaces).
     */
    static List<String> unknownFlinkKeys(Set<String> keys) {
        Set<String> known = knownFlinkKeys();
        List<String> p = new ArrayList<>();
        for (String k : keys) {
            boolean dynamic =
                    k.startsWith("kubernetes.") || k.matches("metrics\\.reporter\\.[^.]+\\..+");
            if (!dynamic && !known.contains(k)) {
                p.add("flinkConfiguration key " + k + " is not a Flink option");
            }
        }
        return p;
    }

    private static Set<String> knownFlinkKeys;

    /**
     * Every key (and fallback key) of the option classes in Flink's org.apache.flink.configuration.
     */
    static synchronized Set<String> knownFlinkKeys() {
        if (knownFlinkKeys != null) {
            return knownFlinkKeys;
        }
        Set<String> keys = new TreeSet<>();
        try (JarFile jar =
                new JarFile(
                        Path.of(
                                        CoreOptions.class
                                                .getProtectionDomain()
                                                .getCodeSource()
                                                .getLocation()
                                                .toURI())
                                .toFile())) {
            for (var e : java.util.Collections.list(jar.entries())) {
                String n = e.getName();
                if (n.startsWith("org/apache/flink/configuration/")
                        && n.endsWith("Options.class")
                        && !n.contains("$")) {
                    Class<?> c = Class.forName(n.replace('/', '.').replaceAll("\\.class$", ""));
                    for (Field f : c.getFields()) {
                        if (Modifier.isStatic(f.getModifiers())
                                && ConfigOption.class.isAssignableFrom(f.getType())) {
                            ConfigOption<?> o = (ConfigOption<?>) f.get(null);
                            keys.add(o.key());
                            for (FallbackKey k : o.fallbackKeys()) {
                                keys.add(k.getKey());
                            }
                        }
                    }
                }
            }
        } catch (IOException | ReflectiveOperationException | java.net.URISyntaxException e) {
            throw new IllegalStateException("cannot list Flink's options", e);
        }
        knownFlinkKeys = keys;
        return keys;
    }

    static Map<String, String> flinkConfiguration(JsonNode d) {
        Map<String, String> conf = new LinkedHashMap<>();
        d.path("spec")
                .path("flinkConfiguration")
                .fields()
                .forEachRemaining(e -> conf.put(e.getKey(), e.getValue().asText().trim()));
        return conf;
    }

    static List<String> args(JsonNode d) {
        List<String> out = new ArrayList<>();
        d.path("spec").path("job").path("args").forEach(a -> out.add(a.asText()));
        return out;
    }

    private static JsonNode mainContainer(JsonNode d) {
        for (JsonNode c : d.path("spec").path("podTemplate").path("spec").path("containers")) {
            if (MAIN_CONTAINER.equals(c.path("name").asText())) {
                return c;
            }
        }
        return null;
    }

    private static JsonNode containerPort(JsonNode d, String port) {
        JsonNode c = mainContainer(d);
        if (c != null) {
            for (JsonNode p : c.path("ports")) {
                if (p.path("containerPort").asText().equals(port)) {
                    return p;
                }
            }
        }
        return null;
    }

    /** Dockerfile instructions: comments dropped, continuation lines joined. */
    private static List<String> instructions(String dockerfile) {
        List<String> out = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String raw : dockerfile.split("\n")) {
            String line = raw.strip();
            if (line.startsWith("#") || (line.isEmpty() && current.length() == 0)) {
                continue;
            }
            boolean continues = line.endsWith("\\");
            current.append(continues ? line.substring(0, line.length() - 1) : line).append(' ');
            if (!continues) {
                if (!current.toString().isBlank()) {
                    out.add(current.toString().trim());
                }
                current.setLength(0);
            }
        }
        return out;
    }

    private static String substitute(String s, Map<String, String> args) {
        Matcher m = Pattern.compile("\\$\\{?(\\w+)}?").matcher(s);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(
                    sb, Matcher.quoteReplacement(args.getOrDefault(m.group(1), m.group())));
        }
        return m.appendTail(sb).toString();
    }

    private static boolean balanced(String expr) {
        int depth = 0;
        for (char c : expr.toCharArray()) {
            depth +=
                    c == '(' || c == '{' || c == '['
                            ? 1
                            : c == ')' || c == '}' || c == ']' ? -1 : 0;
            if (depth < 0) {
                return false;
            }
        }
        return depth == 0;
    }

    private static void sameValue(
            List<String> p, String flag, String flagValue, String field, String fieldValue) {
        if (flagValue != null && fieldValue != null && !flagValue.equals(fieldValue)) {
            p.add(flag + " " + flagValue + " differs from " + field + " " + fieldValue);
        }
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() || v.asText().isBlank() ? null : v.asText();
    }

    private static void expect(List<String> p, JsonNode n, String field, String value) {
        if (!value.equals(n.path(field).asText(null))) {
            p.add(field + " must be " + value + ", got " + n.path(field).asText(null));
        }
    }

    private static void require(List<String> p, JsonNode n, String... path) {
        JsonNode v = n;
        for (String s : path) {
            v = v.path(s);
        }
        if (v.isMissingNode() || v.isNull() || (v.isTextual() && v.asText().isBlank())) {
            p.add(String.join(".", path) + " is missing");
        }
    }
}
