// Small Kafka client helper for scripts/kafka-broker (Java 17 single-file launch, kafka-clients on the class path):
//   java -cp CP KafkaTool.java create-topic BOOTSTRAP TOPIC [PARTITIONS]
//   java -cp CP KafkaTool.java produce BOOTSTRAP TOPIC FILE     (one record per non-empty line, acks=all, idempotent)
//   java -cp CP KafkaTool.java consume BOOTSTRAP TOPIC OUTFILE  (read_committed, from the beginning to the end
//                                                                offsets at start; values one per line, by partition then offset)
import java.io.*;
import java.nio.charset.StandardCharsets;
import java.nio.file.*;
import java.time.Duration;
import java.util.*;
import org.apache.kafka.clients.admin.*;
import org.apache.kafka.clients.consumer.*;
import org.apache.kafka.clients.producer.*;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.*;

public class KafkaTool {
  public static void main(String[] a) throws Exception {
    String cmd = a[0], bootstrap = a[1], topic = a[2];
    switch (cmd) {
      case "create-topic" -> {
        int partitions = a.length > 3 ? Integer.parseInt(a[3]) : 1;
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
          admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1))).all().get();
          System.out.println("created " + topic);
        } catch (java.util.concurrent.ExecutionException e) {
          if (!(e.getCause() instanceof TopicExistsException)) throw e;
          System.out.println("exists " + topic);
        }
      }
      case "produce" -> {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        // Rides out a scripted broker outage of up to 10 minutes, blocked rather than failing: both the
        // wait for an acknowledgement (default 2 min) and send()'s wait for metadata (default 1 min).
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "600000");
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "600000");
        long n = 0;
        try (Producer<String, String> producer = new KafkaProducer<>(p, new StringSerializer(), new StringSerializer());
             BufferedReader in = Files.newBufferedReader(Path.of(a[3]), StandardCharsets.UTF_8)) {
          for (String line; (line = in.readLine()) != null; ) {
            if (line.isBlank()) continue;
            producer.send(new ProducerRecord<>(topic, line)).get(); // in order, one at a time: small files only
            n++;
          }
          producer.flush();
        }
        System.out.println("produced " + n + " records to " + topic);
      }
      case "consume" -> {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        try (Consumer<String, String> c = new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer())) {
          List<TopicPartition> tps = new ArrayList<>();
          c.partitionsFor(topic, Duration.ofSeconds(30)).forEach(i -> tps.add(new TopicPartition(topic, i.partition())));
          tps.sort(Comparator.comparingInt(TopicPartition::partition));
          c.assign(tps);
          c.seekToBeginning(tps);
          Map<TopicPartition, Long> end = c.endOffsets(tps, Duration.ofSeconds(30)); // read_committed: the last stable offset
          Map<TopicPartition, List<String>> out = new TreeMap<>(Comparator.comparingInt(TopicPartition::partition));
          tps.forEach(tp -> out.put(tp, new ArrayList<>()));
          long deadline = System.currentTimeMillis() + 120_000;
          while (tps.stream().anyMatch(tp -> c.position(tp) < end.get(tp))) {
            if (System.currentTimeMillis() > deadline) throw new IllegalStateException("consume timed out: " + end);
            for (ConsumerRecord<String, String> r : c.poll(Duration.ofMillis(500))) out.get(new TopicPartition(r.topic(), r.partition())).add(r.value());
          }
          long n = 0;
          try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(Path.of(a[3]), StandardCharsets.UTF_8))) {
            for (List<String> vs : out.values()) for (String v : vs) { w.println(v); n++; }
          }
          System.out.println("consumed " + n + " committed records from " + topic + " (end offsets " + end.values() + ")");
        }
      }
      default -> throw new IllegalArgumentException("unknown command " + cmd);
    }
  }
}
