package io.scaleout.worker.job;

import io.scaleout.common.bus.FailureCode;
import io.scaleout.common.bus.ServiceException;
import io.scaleout.common.kafka.KafkaConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.kafka.client.producer.KafkaProducer;
import io.vertx.kafka.client.producer.KafkaProducerRecord;

import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * Puts a job on the main job topic, keyed by its id; done once Kafka acknowledged it within the
 * enqueue timeout. Refused at once while Kafka is known not to take jobs. A send given up on may
 * still reach Kafka later: its job record is withdrawn by then, and the runner skips such a record.
 */
public final class JobQueue {
  private final KafkaProducer<String, String> producer;
  private final QueueReachability reachability;
  private final String topic;
  private final long timeoutMs;

  public JobQueue(Vertx vertx, KafkaConfig kafka, String clientId, JobConfig config, QueueReachability reachability) {
    this.producer = KafkaProducer.create(vertx, kafka.producerProperties(clientId));
    this.reachability = reachability;
    this.topic = config.tiers().main();
    this.timeoutMs = config.enqueueTimeout().toMillis();
  }

  public Future<Void> enqueue(UUID jobId) {
    if (!reachability.reachable()) {
      return Future.failedFuture(new ServiceException(FailureCode.UNAVAILABLE, "Kafka does not take jobs now"));
    }
    return producer.send(KafkaProducerRecord.create(topic, jobId.toString(), JobRecords.value(jobId)))
        .timeout(timeoutMs, TimeUnit.MILLISECONDS)
        .onFailure(reachability::suspect)
        .mapEmpty();
  }

  public Future<Void> close() {
    return Future.join(producer.close(), reachability.close()).mapEmpty();
  }
}
