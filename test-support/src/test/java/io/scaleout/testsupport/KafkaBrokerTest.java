package io.scaleout.testsupport;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The test broker is a real Kafka: a record produced with a header is consumed back. */
class KafkaBrokerTest {

  @Test
  void producesAndConsumesThroughARealBroker() throws Exception {
    try (KafkaBroker broker = KafkaBroker.start()) {
      String topic = "t-" + UUID.randomUUID();
      broker.createTopic(topic, 3);
      Map<String, Object> common = Map.of("bootstrap.servers", broker.bootstrapServers());

      try (KafkaProducer<String, String> producer = new KafkaProducer<>(common, new StringSerializer(), new StringSerializer())) {
        ProducerRecord<String, String> record = new ProducerRecord<>(topic, "job-1", "{\"kind\":\"thumbnail\"}");
        record.headers().add("X-Request-Id", "rid-kafka".getBytes(StandardCharsets.UTF_8));
        producer.send(record).get(30, TimeUnit.SECONDS);
      }

      Map<String, Object> consumerConfig = new java.util.HashMap<>(common);
      consumerConfig.put("group.id", "g-" + UUID.randomUUID());
      consumerConfig.put("auto.offset.reset", "earliest");
      try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(consumerConfig, new StringDeserializer(), new StringDeserializer())) {
        consumer.subscribe(List.of(topic));
        List<ConsumerRecord<String, String>> received = new ArrayList<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (received.isEmpty() && System.nanoTime() < deadline) {
          consumer.poll(Duration.ofMillis(200)).forEach(received::add);
        }
        assertThat(received).hasSize(1);
        assertThat(received.get(0).key()).isEqualTo("job-1");
        assertThat(new String(received.get(0).headers().lastHeader("X-Request-Id").value(), StandardCharsets.UTF_8))
            .isEqualTo("rid-kafka");
      }
    }
  }
}
