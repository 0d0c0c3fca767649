package io.scaleout.common.kafka;

import io.scaleout.common.config.Settings;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * The Kafka cluster a service talks to.
 *
 * @param bootstrapServers host:port list
 * @param timeout          bound on a send (delivery), on metadata waits and on admin calls
 * @param partitions       partitions of the topics a service creates when they are missing
 */
public record KafkaConfig(String bootstrapServers, Duration timeout, int partitions) {

  public static KafkaConfig from(Settings s) {
    return new KafkaConfig(
        String.join(",", s.list("KAFKA_BOOTSTRAP_SERVERS")),
        s.millis("KAFKA_TIMEOUT_MS", 1000, 600_000),
        s.integer("KAFKA_PARTITIONS", 1, 1000));
  }

  /** An idempotent producer: acks from all replicas, per-partition order kept across retries. */
  public Map<String, String> producerProperties(String clientId) {
    long timeoutMs = timeout.toMillis();
    Map<String, String> props = new HashMap<>();
    props.put("bootstrap.servers", bootstrapServers);
    props.put("client.id", clientId);
    props.put("acks", "all");
    props.put("enable.idempotence", "true");
    props.put("max.in.flight.requests.per.connection", "5");
    props.put("linger.ms", "5");
    props.put("request.timeout.ms", Long.toString(Math.min(5000, timeoutMs / 2)));
    props.put("delivery.timeout.ms", Long.toString(timeoutMs));
    props.put("max.block.ms", Long.toString(timeoutMs));
    props.put("key.serializer", "org.apache.kafka.common.serialization.StringSerializer");
    props.put("value.serializer", "org.apache.kafka.common.serialization.StringSerializer");
    return props;
  }

  /**
   * A consumer of a group that commits by itself, only what is done (no auto commit), from the
   * earliest record when the group is new.
   */
  public Map<String, String> consumerProperties(String groupId, String clientId, int maxPollRecords) {
    Map<String, String> props = new HashMap<>();
    props.put("bootstrap.servers", bootstrapServers);
    props.put("group.id", groupId);
    props.put("client.id", clientId);
    props.put("enable.auto.commit", "false");
    props.put("auto.offset.reset", "earliest");
    props.put("max.poll.records", Integer.toString(maxPollRecords));
    props.put("request.timeout.ms", Long.toString(Math.min(5000, timeout.toMillis() / 2)));
    props.put("default.api.timeout.ms", Long.toString(timeout.toMillis()));
    props.put("key.deserializer", "org.apache.kafka.common.serialization.StringDeserializer");
    props.put("value.deserializer", "org.apache.kafka.common.serialization.StringDeserializer");
    return props;
  }

  public Map<String, String> adminProperties() {
    Map<String, String> props = new HashMap<>();
    props.put("bootstrap.servers", bootstrapServers);
    props.put("request.timeout.ms", Long.toString(timeout.toMillis()));
    props.put("default.api.timeout.ms", Long.toString(timeout.toMillis()));
    return props;
  }
}
