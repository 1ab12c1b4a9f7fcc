package io.modelmonitor.pipeline.upgrade;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.modelmonitor.pipeline.connect.Connectors;
import io.modelmonitor.pipeline.connect.Endpoint;
import io.modelmonitor.pipeline.job.MonitorJob;
import io.modelmonitor.pipeline.options.JobSettings;
import io.modelmonitor.pipeline.options.RunOptions;
import io.modelmonitor.pipeline.testutil.TestStreams;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.graph.StreamGraph;
import org.apache.flink.streaming.api.graph.StreamNode;
import org.apache.flink.streaming.api.operators.AbstractUdfStreamOperator;
import org.apache.flink.streaming.api.operators.SimpleOperatorFactory;
import org.apache.flink.streaming.api.operators.SourceOperatorFactory;
import org.apache.flink.streaming.api.operators.StreamOperator;
import org.apache.flink.streaming.api.operators.StreamOperatorFactory;
import org.apache.flink.streaming.runtime.operators.TimestampsAndWatermarksOperatorFactory;
import org.apache.flink.streaming.runtime.operators.sink.CommitterOperatorFactory;
import org.apache.flink.streaming.runtime.operators.sink.SinkWriterOperatorFactory;
import org.junit.jupiter.api.Test;

/**
 * Savepoints map operator state to operators by uid: a build whose stateful operators keep their
 * uids restores the savepoints of earlier builds; one that renames, drops or forgets a uid loses
 * that operator's state (or refuses to start). The production job's stateful operators (Kafka in
 * and out, labels on, exactly-once) are compared with a committed golden list.
 */
class OperatorUidsTest {
    static final String GOLDEN = "/upgrade/operator-uids.txt";

    @Test
    void statefulOperatorsKeepTheUidsOfTheGoldenList() throws IOException {
        List<String> actual =
                statefulNodes(productionStreamGraph()).stream()
                        .map(n -> n.getTransformationUID() + "\t" + n.getOperatorName())
                        .collect(Collectors.toCollection(TreeSet::new))
                        .stream()
                        .toList();
        List<String> golden = golden();
        assertEquals(
                golden,
                actual,
                "The (uid, operator name) pairs of the job's stateful operators changed. Changing "
                        + "or removing a uid breaks restoring savepoints of earlier builds: their state no longer finds its "
                        + "operator. If that is deliberate (or an operator was added), replace pipeline/src/test/resources"
                        + GOLDEN
                        + " with exactly these lines (tab-separated, sorted) and say so in the release notes:\n"
                        + String.join("\n", actual)
                        + "\n");
    }

    @Test
    void everyStatefulOperatorHasAnExplicitUid() {
        List<StreamNode> stateful = statefulNodes(productionStreamGraph());
        assertFalse(stateful.isEmpty());
        for (StreamNode n : stateful) {
            // Without an explicit uid Flink hashes the operator's position in the graph, which
            // moves
            // with any change of the topology upstream: state would not be found after an upgrade.
            String uid = n.getTransformationUID();
            assertTrue(
                    uid != null && !uid.isBlank(),
                    "operator '"
                            + n.getOperatorName()
                            + "' has state but no explicit uid (see Uids)");
        }
    }

    /**
     * The job as {@code ./monitor run} builds it for a Kafka deployment: every source and sink
     * present (reference updates too), labels joined, exactly-once sinks. The broker is never
     * contacted while building.
     */
    static StreamGraph productionStreamGraph() {
        double[][] reference = TestStreams.gaussian(50, 3, 0, new SplittableRandom(1));
        String kafka = "kafka://127.0.0.1:9/";
        Connectors connectors =
                new Connectors(new Properties(), "uids", RunOptions.StartingOffsets.COMMITTED);
        MonitorJob job =
                new MonitorJob(
                                JobSettings.of(),
                                Map.of("m", TestStreams.numericReference("m", reference, 0.9)),
                                connectors.source(
                                        Endpoint.parse("events", kafka + "events", false)),
                                connectors.source(
                                        Endpoint.parse("labels", kafka + "labels", false)),
                                connectors.sink(
                                        Endpoint.parse("alerts", kafka + "alerts", true),
                                        true,
                                        "alerts"),
                                connectors.sink(
                                        Endpoint.parse("reports", kafka + "reports", true),
                                        true,
                                        "reports"),
                                connectors.sink(
                                        Endpoint.parse(
                                                "dead-letters", kafka + "dead-letters", true),
                                        true,
                                        "dead-letters"))
                        .withReferenceUpdates(
                                connectors.source(
                                        Endpoint.parse("references", kafka + "references", false)));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.enableCheckpointing(1000);
        job.addTo(env);
        return env.getStreamGraph();
    }

    /**
     * Nodes that can have state in a checkpoint: keyed operators (keyed state and timers), sources
     * (split offsets), sink writers and committers (transactions), and other operators whose
     * function or own class takes part in checkpoints.
     */
    static List<StreamNode> statefulNodes(StreamGraph graph) {
        return graph.getStreamNodes().stream()
                .filter(OperatorUidsTest::hasState)
                .collect(Collectors.toList());
    }

    private static boolean hasState(StreamNode n) {
        if (n.getStateKeySerializer() != null) {
            return true;
        }
        StreamOperatorFactory<?> factory = n.getOperatorFactory();
        if (factory instanceof SourceOperatorFactory
                || factory instanceof SinkWriterOperatorFactory
                || factory instanceof CommitterOperatorFactory) {
            return true;
        }
        if (factory instanceof TimestampsAndWatermarksOperatorFactory) {
            return false; // watermark generators start afresh after a restore: nothing is
            // checkpointed
        }
        if (factory instanceof SimpleOperatorFactory<?> simple) {
            StreamOperator<?> operator = simple.getOperator();
            if (operator instanceof AbstractUdfStreamOperator<?, ?> udf) {
                return udf.getUserFunction() instanceof CheckpointedFunction;
            }
            return overridesStateHooks(operator.getClass());
        }
        return true; // an unknown kind of operator: assume it has state, so it must have a uid
    }

    /**
     * Whether one of the job's own operator classes snapshots or restores operator state itself.
     */
    private static boolean overridesStateHooks(Class<?> c) {
        for (; c != null && !c.getName().startsWith("org.apache.flink."); c = c.getSuperclass()) {
            if (Arrays.stream(c.getDeclaredMethods())
                    .map(Method::getName)
                    .anyMatch(m -> m.equals("initializeState") || m.equals("snapshotState"))) {
                return true;
            }
        }
        return false;
    }

    private static List<String> golden() throws IOException {
        try (InputStream in = OperatorUidsTest.class.getResourceAsStream(GOLDEN)) {
            assertTrue(in != null, GOLDEN + " is missing");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8)
                    .lines()
                    .filter(l -> !l.isBlank() && !l.startsWith("#"))
                    .collect(Collectors.toList());
        }
    }
}
