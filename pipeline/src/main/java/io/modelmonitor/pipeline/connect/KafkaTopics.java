package io.modelmonitor.pipeline.connect;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Whole-topic reads and writes of JSON-line records outside a Flink job: {@code ./monitor report}
 * reading a report stream, and tests checking what the job committed.
 *
 * <pre>{@code
 * Properties client = new Properties();            // bootstrap.servers, security settings ...
 * List<String> reports = KafkaTopics.readToEnd(client, "model-reports", true, Duration.ofSeconds(30));
 * }</pre>
 */
public final class KafkaTopics {
    private KafkaTopics() {}

    /**
     * Every record of {@code topic} from the beginning to its end offsets at the time of the call,
     * partition by partition.
     *
     * @param client bootstrap servers and any security settings
     * @param readCommitted read only committed transactional records (what exactly-once sinks
     *     promise)
     * @return null when the topic does not exist
     */
    public static List<String> readToEnd(
            Properties client, String topic, boolean readCommitted, Duration timeout) {
        Properties p = new Properties();
        p.putAll(client);
        p.put(
                ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                readCommitted ? "read_committed" : "read_uncommitted");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        try (KafkaConsumer<String, String> consumer =
                new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer())) {
            var infos = consumer.partitionsFor(topic, timeout);
            if (infos == null || infos.isEmpty()) {
                return null;
            }
            List<TopicPartition> partitions =
                    infos.stream()
                            .map(i -> new TopicPartition(topic, i.partition()))
                            .collect(Collectors.toList());
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            List<String> out = new ArrayList<>();
            long deadline = System.nanoTime() + timeout.toNanos();
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("timed out reading " + topic);
                }
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                    out.add(r.value());
                }
            }
            return out;
        }
    }

    /** Sends the lines in order to partition 0 and waits for every acknowledgement. */
    public static void produce(Properties client, String topic, List<String> lines) {
        Properties p = new Properties();
        p.putAll(client);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<String, String> producer =
                new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
            for (String line : lines) {
                producer.send(new ProducerRecord<>(topic, 0, null, line));
            }
            producer.flush();
        }
    }
}
