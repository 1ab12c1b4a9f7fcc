package io.modelmonitor.pipeline.testutil;

import com.fasterxml.jackson.databind.JsonNode;
import io.modelmonitor.models.bundle.ModelReference;
import io.modelmonitor.pipeline.connect.Connectors;
import io.modelmonitor.pipeline.connect.Endpoint;
import io.modelmonitor.pipeline.connect.JsonLinesFileSink;
import io.modelmonitor.pipeline.job.MonitorJob;
import io.modelmonitor.pipeline.options.JobSettings;
import io.modelmonitor.pipeline.options.RunOptions;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The whole job run once on the test's MiniCluster (parallelism 2) from an events file and a labels
 * file, as {@code ./monitor run} wires it, with its three outputs read back.
 */
public final class FileJob {
    private FileJob() {}

    /** What the job wrote: reports, alerts and dead letters, one JSON object a line. */
    public record Outputs(
            List<JsonNode> reports, List<JsonNode> alerts, List<JsonNode> deadLetters) {}

    /**
     * Runs the job; its outputs go to {@code dir}/reports.jsonl, alerts.jsonl and
     * dead-letters.jsonl.
     */
    public static Outputs run(
            Path dir,
            JobSettings settings,
            Map<String, ModelReference> references,
            Path events,
            Path labels)
            throws Exception {
        Connectors connectors =
                new Connectors(new Properties(), "test", RunOptions.StartingOffsets.EARLIEST);
        MonitorJob job =
                new MonitorJob(
                        settings,
                        references,
                        connectors.source(Endpoint.parse("events", "file:" + events, false)),
                        connectors.source(Endpoint.parse("labels", "file:" + labels, false)),
                        new JsonLinesFileSink(dir.resolve("alerts.jsonl")),
                        new JsonLinesFileSink(dir.resolve("reports.jsonl")),
                        new JsonLinesFileSink(dir.resolve("dead-letters.jsonl")));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        job.addTo(env);
        env.execute("monitor-file-job");
        return new Outputs(
                JsonLines.read(dir.resolve("reports.jsonl")),
                JsonLines.read(dir.resolve("alerts.jsonl")),
                JsonLines.read(dir.resolve("dead-letters.jsonl")));
    }
}
