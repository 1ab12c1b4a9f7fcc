package io.modelmonitor.pipeline.testutil;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.MetricOptions;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.WebOptions;

/**
 * A job's figures read from a MiniCluster's REST API, as an operator would read them from a real
 * cluster: vertices and their record counts, checkpoint statistics, task metrics.
 *
 * <pre>{@code
 * FlinkRest rest = new FlinkRest(MINI_CLUSTER.getClientConfiguration(), client.getJobID().toString());
 * long id = rest.latestCompletedCheckpoint();
 * }</pre>
 */
public final class FlinkRest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();
    private final String base;
    private final String job;
    private Map<String, String> vertexNames;

    public FlinkRest(Configuration clientConfiguration, String jobId) {
        this.base =
                "http://"
                        + clientConfiguration.get(RestOptions.ADDRESS)
                        + ":"
                        + clientConfiguration.get(RestOptions.PORT);
        this.job = jobId;
    }

    /**
     * MiniCluster settings under which the REST API answers with current figures: it caches job
     * details, metrics and checkpoint statistics for seconds by default, and keeps only the last 10
     * checkpoints in its history.
     */
    public static Configuration freshFigures() {
        Configuration c = new Configuration();
        c.set(MetricOptions.METRIC_FETCHER_UPDATE_INTERVAL, Duration.ofMillis(100));
        c.set(WebOptions.REFRESH_INTERVAL, Duration.ofMillis(100));
        c.set(RestOptions.CACHE_CHECKPOINT_STATISTICS_TIMEOUT, Duration.ofMillis(100));
        c.set(WebOptions.CHECKPOINTS_HISTORY_SIZE, 100_000);
        return c;
    }

    /** GET of a path under the job, e.g. {@code "/checkpoints"}; {@code ""} is the job itself. */
    public JsonNode job(String path) {
        return get("/jobs/" + job + path);
    }

    /** GET of an absolute REST path; fails the test unless it answers 200. */
    public JsonNode get(String path) {
        try {
            HttpResponse<String> r =
                    http.send(
                            HttpRequest.newBuilder(URI.create(base + path)).GET().build(),
                            HttpResponse.BodyHandlers.ofString());
            assertEquals(200, r.statusCode(), path + ": " + r.body());
            return JSON.readTree(r.body());
        } catch (Exception e) {
            throw new IllegalStateException("GET " + path + ": " + e, e);
        }
    }

    /** Vertex id to name, in the job graph's order. */
    public Map<String, String> vertexNames() {
        if (vertexNames == null) {
            Map<String, String> names = new LinkedHashMap<>();
            for (JsonNode v : job("").get("vertices")) {
                names.put(v.get("id").asText(), v.get("name").asText());
            }
            vertexNames = names;
        }
        return vertexNames;
    }

    /**
     * Records the vertex whose name starts with {@code operator} has received, all its inputs
     * together.
     */
    public long readRecords(String operator) {
        for (JsonNode v : job("").get("vertices")) {
            if (v.get("name").asText().startsWith(operator)) {
                return v.path("metrics").path("read-records").asLong(-1);
            }
        }
        throw new IllegalStateException("no vertex " + operator);
    }

    /** Id of the latest completed checkpoint; -1 before the first. */
    public long latestCompletedCheckpoint() {
        JsonNode completed = job("/checkpoints").path("latest").path("completed");
        return completed.isObject() ? completed.get("id").asLong() : -1;
    }

    /**
     * The task metric {@code metric} (e.g. {@code busyTimeMsPerSecond}) of a vertex, the largest
     * over its subtasks; NaN while the metric is not reported yet.
     */
    public double maxSubtaskMetric(String vertexId, String metric) {
        JsonNode values = job("/vertices/" + vertexId + "/subtasks/metrics?get=" + metric);
        for (JsonNode v : values) {
            if (v.path("id").asText().equals(metric) && v.has("max")) {
                return v.get("max").asDouble();
            }
        }
        return Double.NaN;
    }
}
