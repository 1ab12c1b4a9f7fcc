package io.modelmonitor.pipeline.cli;

import static io.modelmonitor.pipeline.options.SharedOptions.ALERTS;
import static io.modelmonitor.pipeline.options.SharedOptions.ALPHA;
import static io.modelmonitor.pipeline.options.SharedOptions.EVENTS;
import static io.modelmonitor.pipeline.options.SharedOptions.OUT;
import static io.modelmonitor.pipeline.options.SharedOptions.REPORTS;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelmonitor.pipeline.connect.KafkaTopics;
import io.modelmonitor.pipeline.options.ConfigurationException;
import io.modelmonitor.pipeline.report.HtmlReport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;
import org.apache.kafka.clients.consumer.ConsumerConfig;

/**
 * {@code ./monitor report}: turns a report stream (and optionally the alert stream) into one
 * self-contained HTML page. Streams are {@code file:PATH} (or a plain path) or {@code
 * kafka://HOST:PORT/TOPIC}, read from the beginning to the current end (read_committed).
 */
public final class ReportCommand implements Command {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public String name() {
        return "report";
    }

    @Override
    public String summary() {
        return "turn a report stream into a self-contained HTML page";
    }

    @Override
    public List<ConfigOption<?>> options() {
        return CommandLine.ordered(REPORTS, ALERTS, EVENTS, OUT, ALPHA);
    }

    @Override
    public Set<ConfigOption<?>> required() {
        return Set.of(REPORTS, OUT);
    }

    @Override
    public boolean acceptsKafkaProperties() {
        return true;
    }

    @Override
    public int run(CommandLine line) throws Exception {
        Configuration conf = line.config();
        HtmlReport.Builder report =
                HtmlReport.builder()
                        .addReports(read(conf.get(REPORTS), line.kafkaProperties()))
                        .optPValueThreshold(conf.get(ALPHA));
        if (conf.contains(ALERTS) && !conf.get(ALERTS).equals("stdout")) {
            report.optAlerts(read(conf.get(ALERTS), line.kafkaProperties()));
        }
        if (conf.contains(EVENTS)) {
            String events = conf.get(EVENTS);
            if (!events.startsWith("file:")) {
                throw new ConfigurationException(
                        "report --events takes file:PATH (the event file the reports came from), got "
                                + events);
            }
            Path file = Path.of(events.substring("file:".length()));
            if (!Files.isReadable(file)) {
                throw new ConfigurationException("report --events " + events + ": no such file");
            }
            report.optEvents(file);
        }
        Path out = Path.of(conf.get(OUT));
        report.build().write(out);
        System.out.println("report: wrote " + out.toAbsolutePath());
        return 0;
    }

    /**
     * Every JSON record of a stream; lines that are not JSON are skipped (a file may be
     * half-written).
     */
    static List<JsonNode> read(String uri, Properties kafka) throws Exception {
        List<String> lines = uri.startsWith("kafka://") ? readKafka(uri, kafka) : readFile(uri);
        List<JsonNode> out = new ArrayList<>(lines.size());
        for (String l : lines) {
            if (l.isBlank()) {
                continue;
            }
            try {
                out.add(JSON.readTree(l));
            } catch (Exception e) {
                // skipped, as HtmlReport does for files
            }
        }
        return out;
    }

    private static List<String> readFile(String uri) throws Exception {
        Path p = Path.of(uri.startsWith("file:") ? uri.substring("file:".length()) : uri);
        if (!Files.isRegularFile(p)) {
            throw new ConfigurationException(uri + ": no such file");
        }
        return Files.readAllLines(p);
    }

    private static List<String> readKafka(String uri, Properties kafka) {
        String rest = uri.substring("kafka://".length());
        int slash = rest.indexOf('/');
        if (slash <= 0 || slash == rest.length() - 1) {
            throw new ConfigurationException(uri + ": expected kafka://HOST:PORT/TOPIC");
        }
        Properties client = new Properties();
        client.putAll(kafka);
        client.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, rest.substring(0, slash));
        List<String> out =
                KafkaTopics.readToEnd(
                        client, rest.substring(slash + 1), true, Duration.ofSeconds(30));
        if (out == null) {
            throw new ConfigurationException(uri + ": no such topic");
        }
        return out;
    }
}
