package io.scaleout.worker.dlq;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.scaleout.worker.consumer.JobConsumer;
import io.scaleout.worker.consumer.Outcome;
import io.scaleout.worker.consumer.RetryInPlace;
import io.scaleout.worker.job.JobRecords;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * Reads the dead-letter topic (its own consumer group) into the dead-letter table, where operators
 * list, replay and discard them; the topic stays the record of what died. Each one is counted and
 * logged at ERROR. A write that fails (database down) is tried again in place until it succeeds.
 */
public final class DeadLetterRecorder implements JobConsumer.Handler {
  private static final Logger log = LoggerFactory.getLogger(DeadLetterRecorder.class);

  private final DeadLetterStore store;
  private final RetryInPlace retry;
  private final Counter recorded;

  public DeadLetterRecorder(Vertx vertx, DeadLetterStore store, Duration retryDelay, MeterRegistry metrics) {
    this.store = store;
    this.retry = new RetryInPlace(vertx, retryDelay);
    this.recorded = Counter.builder("worker.dead.letters").description("job records that reached the dead-letter topic")
        .register(metrics);
  }

  @Override
  public Future<Outcome> handle(ConsumerRecord<String, String> record) {
    DeadLetterStore.Arrival arrival = new DeadLetterStore.Arrival(record.topic(), record.partition(), record.offset(),
        JobRecords.jobId(record.value()).orElse(null), record.key(), record.value() == null ? "" : record.value(),
        header(record, JobConsumer.FAILED_TOPIC_HEADER), String.valueOf(header(record, JobConsumer.ERROR_HEADER)),
        JobConsumer.attempt(record), failedAt(record));
    String what = "record dead letter " + record.topic() + ":" + record.partition() + "@" + record.offset();
    return retry.until(what, () -> store.record(arrival)).map(recordedNow -> {
      Object job = arrival.jobId() == null ? arrival.key() : arrival.jobId();
      if (recordedNow) {
        recorded.increment();
        log.error("Dead letter: job {} from {} after {} attempts: {}", job, arrival.failedTopic(), arrival.attempts(), arrival.reason());
      } else {
        log.info("Dead letter of job {} ({}:{}@{}) was recorded before: delivered again", job, record.topic(),
            record.partition(), record.offset());
      }
      return Outcome.DONE;
    });
  }

  /** Stops retrying: what is left stays uncommitted, for the next member of the group. */
  public void stop() {
    retry.stop();
  }

  private static String header(ConsumerRecord<String, String> record, String name) {
    Header header = record.headers().lastHeader(name);
    return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
  }

  private static Instant failedAt(ConsumerRecord<String, String> record) {
    String value = header(record, JobConsumer.FAILED_AT_HEADER);
    try {
      return value == null ? Instant.ofEpochMilli(record.timestamp()) : Instant.parse(value);
    } catch (DateTimeParseException e) {
      return Instant.ofEpochMilli(record.timestamp());
    }
  }
}
