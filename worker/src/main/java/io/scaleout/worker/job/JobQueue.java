package io.scaleout.worker.job;

import io.scaleout.common.kafka.KafkaConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.kafka.client.producer.KafkaProducer;
import io.vertx.kafka.client.producer.KafkaProducerRecord;

import java.util.UUID;

/** Puts a job on the main job topic, keyed by its id; done once Kafka acknowledged it. */
public final class JobQueue {
  private final KafkaProducer<String, String> producer;
  private final String topic;

  public JobQueue(Vertx vertx, KafkaConfig kafka, String clientId, String topic) {
    this.producer = KafkaProducer.create(vertx, kafka.producerProperties(clientId));
    this.topic = topic;
  }

  public Future<Void> enqueue(UUID jobId) {
    return producer.send(KafkaProducerRecord.create(topic, jobId.toString(), JobRecords.value(jobId))).mapEmpty();
  }

  public Future<Void> close() {
    return producer.close();
  }
}
