package io.scaleout.worker.consumer;

import io.scaleout.common.kafka.KafkaConfig;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * At-least-once processing of the job topics by one member of the consumer group. A thread of its
 * own polls (the Kafka consumer is not thread-safe); each record is handled on a Vert.x context;
 * handled records come back through a queue. Offsets are committed per partition only up to the
 * lowest record still in flight. With {@code maxInFlight} records in flight every partition is
 * paused, and polling goes on, so the member stays in its group. A retry-tier record is taken up
 * only once its delay has passed since it was written (its partition waits, paused, meanwhile). A
 * transient failure is forwarded to the next tier, a dead one to the DLQ, each with the attempt
 * count and error in headers; only once Kafka acknowledged the forward does the record count as
 * handled.
 */
public final class JobConsumer {
  public static final String ATTEMPT_HEADER = "attempt";
  public static final String ERROR_HEADER = "error";
  public static final String FAILED_TOPIC_HEADER = "failed-topic";
  public static final String FAILED_AT_HEADER = "failed-at";
  private static final Logger log = LoggerFactory.getLogger(JobConsumer.class);
  private static final Duration POLL = Duration.ofMillis(100);
  private static final Duration FORWARD_RETRY = Duration.ofSeconds(1);
  private static final Duration LAG_INTERVAL = Duration.ofSeconds(1);

  /** Handles one record; a failed future counts as a transient failure. */
  @FunctionalInterface
  public interface Handler {
    Future<Outcome> handle(ConsumerRecord<String, String> record);
  }

  private record Handled(TopicPartition partition, long offset) {
  }

  private final Vertx vertx;
  private final Map<String, Object> consumerProperties;
  private final String clientId;
  private final RetryTiers tiers;
  private final int maxInFlight;
  private final Handler handler;
  private final KafkaProducer<String, String> producer;
  private final BlockingQueue<Handled> handled = new LinkedBlockingQueue<>();
  private final OffsetTracker tracker = new OffsetTracker();
  private final Map<TopicPartition, Long> delayedUntil = new HashMap<>();
  /** Records past this member's position in each partition it reads. */
  private final Map<TopicPartition, Long> lag = new ConcurrentHashMap<>();
  private final Promise<Void> stopped = Promise.promise();
  private volatile boolean running;
  private volatile Duration drainTimeout = Duration.ZERO;
  private Context context;
  private KafkaConsumer<String, String> consumer;
  private long nextLagAt = System.nanoTime();

  /**
   * @param overrides consumer properties over the defaults of {@link KafkaConfig#consumerProperties}
   *                  (e.g. max.poll.interval.ms)
   */
  public JobConsumer(Vertx vertx, KafkaConfig kafka, String groupId, String clientId, Map<String, String> overrides,
                     RetryTiers tiers, int maxInFlight, Handler handler) {
    this.vertx = vertx;
    this.consumerProperties = new HashMap<>(kafka.consumerProperties(groupId, clientId, Math.max(1, maxInFlight)));
    this.consumerProperties.putAll(overrides);
    this.clientId = clientId;
    this.tiers = tiers;
    this.maxInFlight = maxInFlight;
    this.handler = handler;
    this.producer = new KafkaProducer<>(new HashMap<>(kafka.producerProperties(clientId + "-forward")));
  }

  /**
   * Registers the gauge {@code worker_consumer_lag_records{group,topic}}: the records of each consumed
   * topic past this member's position (not yet taken up), summed over the partitions it reads,
   * measured once a second.
   */
  public JobConsumer reportLag(MeterRegistry metrics) {
    String group = String.valueOf(consumerProperties.get("group.id"));
    for (String topic : tiers.consumed()) {
      Gauge.builder("worker.consumer.lag", lag, byPartition -> topicLag(byPartition, topic))
          .description("records past this member's position")
          .baseUnit("records").tag("group", group).tag("topic", topic).register(metrics);
    }
    return this;
  }

  private static double topicLag(Map<TopicPartition, Long> byPartition, String topic) {
    long sum = 0;
    for (Map.Entry<TopicPartition, Long> entry : byPartition.entrySet()) {
      if (entry.getKey().topic().equals(topic)) {
        sum += entry.getValue();
      }
    }
    return sum;
  }

  /** Joins the group and starts polling on a thread of its own. */
  public void start() {
    context = vertx.getOrCreateContext();
    running = true;
    Thread thread = new Thread(this::run, "job-consumer-" + clientId);
    thread.setDaemon(true);
    thread.start();
  }

  /**
   * Stops fetching, waits up to {@code drain} for the records in flight, commits what is handled
   * (never past a record that is not) and leaves the group. Records still in flight are abandoned
   * uncommitted: another member gets them again.
   */
  public Future<Void> stop(Duration drain) {
    drainTimeout = drain;
    running = false;
    if (consumer != null) {
      consumer.wakeup();
    }
    return stopped.future();
  }

  private void run() {
    try {
      consumer = new KafkaConsumer<>(consumerProperties);
      consumer.subscribe(tiers.consumed(), new Rebalance());
      while (running) {
        takeHandled(Duration.ZERO);
        commit();
        updatePauses();
        try {
          dispatch(consumer.poll(POLL));
          measureLag();
        } catch (WakeupException wakeup) {
          // stop() asked: leave the loop
        }
      }
      drain();
      commitSync();
      consumer.close(Duration.ofSeconds(5));
      producer.close(Duration.ofSeconds(5));
      stopped.tryComplete();
    } catch (RuntimeException e) {
      log.error("The job consumer {} stopped on an error", clientId, e);
      stopped.tryFail(e);
    }
  }

  private void dispatch(ConsumerRecords<String, String> records) {
    long now = System.currentTimeMillis();
    for (TopicPartition partition : records.partitions()) {
      for (ConsumerRecord<String, String> record : records.records(partition)) {
        long due = record.timestamp() + tiers.delayOf(record.topic()).toMillis();
        if (due > now || tracker.inFlight() >= maxInFlight) {
          // not yet, or no room: read it again once the partition is resumed
          consumer.seek(partition, record.offset());
          if (due > now) {
            delayedUntil.put(partition, due);
          }
          break;
        }
        tracker.started(partition, record.offset());
        context.runOnContext(v -> handle(record));
      }
    }
  }

  /** On the Vert.x context: handles the record, then forwards it when it failed. */
  private void handle(ConsumerRecord<String, String> record) {
    Future<Outcome> outcome;
    try {
      outcome = handler.handle(record);
    } catch (RuntimeException e) {
      outcome = Future.failedFuture(e);
    }
    outcome.otherwise(failure -> new Outcome.Retry(String.valueOf(failure.getMessage()))).onSuccess(result -> {
      if (result instanceof Outcome.Retry retry) {
        forward(record, tiers.nextAfter(record.topic()), retry.error());
      } else if (result instanceof Outcome.Dead dead) {
        forward(record, tiers.dlq(), dead.error());
      } else {
        handled.add(new Handled(new TopicPartition(record.topic(), record.partition()), record.offset()));
      }
    });
  }

  private void forward(ConsumerRecord<String, String> record, String topic, String error) {
    if (topic.equals(tiers.dlq())) {
      log.error("Job record {} dead-lettered after attempt {}: {}", record.key(), attempt(record), error);
    }
    ProducerRecord<String, String> next = new ProducerRecord<>(topic, record.key(), record.value());
    for (Header header : record.headers()) {
      if (!Set.of(ATTEMPT_HEADER, ERROR_HEADER, FAILED_TOPIC_HEADER, FAILED_AT_HEADER).contains(header.key())) {
        next.headers().add(header);
      }
    }
    // a retry tier's record names the attempt it is; a dead letter, the attempts it had
    int attempts = topic.equals(tiers.dlq()) ? attempt(record) : attempt(record) + 1;
    next.headers().add(ATTEMPT_HEADER, Integer.toString(attempts).getBytes(StandardCharsets.UTF_8));
    next.headers().add(ERROR_HEADER, error.getBytes(StandardCharsets.UTF_8));
    next.headers().add(FAILED_TOPIC_HEADER, record.topic().getBytes(StandardCharsets.UTF_8));
    next.headers().add(FAILED_AT_HEADER, Instant.now().toString().getBytes(StandardCharsets.UTF_8));
    // on a worker thread: send waits up to max.block.ms when Kafka has no metadata for the topic or
    // its buffer is full, which must not hold this event loop
    vertx.executeBlocking(() -> producer.send(next, (metadata, failure) -> {
      if (failure == null) {
        handled.add(new Handled(new TopicPartition(record.topic(), record.partition()), record.offset()));
      } else {
        forwardAgain(record, topic, error, failure);
      }
    }), false).onFailure(failure -> forwardAgain(record, topic, error, failure));
  }

  /** Not handled until Kafka has it: tried again later, the offset stays uncommitted meanwhile. */
  private void forwardAgain(ConsumerRecord<String, String> record, String topic, String error, Throwable failure) {
    if (running) {
      log.warn("Cannot forward job record {} to {} yet: {}", record.key(), topic, failure.toString());
      vertx.setTimer(FORWARD_RETRY.toMillis(), id -> forward(record, topic, error));
    }
  }

  /** The attempts a record has had (1 for a record fresh on the main topic). */
  public static int attempt(ConsumerRecord<String, String> record) {
    Header header = record.headers().lastHeader(ATTEMPT_HEADER);
    if (header == null) {
      return 1;
    }
    try {
      return Integer.parseInt(new String(header.value(), StandardCharsets.UTF_8));
    } catch (NumberFormatException e) {
      return 1;
    }
  }

  /**
   * On the polling thread, once a {@link #LAG_INTERVAL}: the end offsets asked of the broker (a
   * paused partition is not fetched, so the lag known from fetches would stand still exactly while
   * this member is behind) against this member's positions.
   */
  private void measureLag() {
    long now = System.nanoTime();
    if (now - nextLagAt < 0) {
      return;
    }
    nextLagAt = now + LAG_INTERVAL.toNanos();
    Set<TopicPartition> assigned = consumer.assignment();
    try {
      Map<TopicPartition, Long> ends = consumer.endOffsets(assigned, LAG_INTERVAL);
      for (TopicPartition partition : assigned) {
        Long end = ends.get(partition);
        if (end != null) {
          lag.put(partition, Math.max(0, end - consumer.position(partition, LAG_INTERVAL)));
        }
      }
    } catch (TimeoutException e) {
      log.debug("No lag figure for {} this time: {}", clientId, e.toString());
    }
  }

  private void takeHandled(Duration wait) {
    try {
      Handled first = wait.isZero() ? handled.poll() : handled.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
      for (Handled done = first; done != null; done = handled.poll()) {
        tracker.finished(done.partition(), done.offset());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void updatePauses() {
    long now = System.currentTimeMillis();
    delayedUntil.values().removeIf(due -> due <= now);
    Set<TopicPartition> assigned = consumer.assignment();
    Set<TopicPartition> wanted = new HashSet<>(tracker.inFlight() >= maxInFlight ? assigned : delayedUntil.keySet());
    wanted.retainAll(assigned);
    Set<TopicPartition> paused = consumer.paused();
    Set<TopicPartition> resume = new HashSet<>(paused);
    resume.removeAll(wanted);
    wanted.removeAll(paused);
    if (!wanted.isEmpty()) {
      consumer.pause(wanted);
    }
    if (!resume.isEmpty()) {
      consumer.resume(resume);
    }
  }

  private Map<TopicPartition, OffsetAndMetadata> committable(Collection<TopicPartition> partitions) {
    Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
    for (TopicPartition partition : partitions) {
      tracker.committable(partition).ifPresent(offset -> offsets.put(partition, new OffsetAndMetadata(offset)));
    }
    return offsets;
  }

  private void commit() {
    Map<TopicPartition, OffsetAndMetadata> offsets = committable(tracker.partitions());
    if (!offsets.isEmpty()) {
      consumer.commitAsync(offsets, (done, failure) -> {
        if (failure != null) {
          log.warn("Commit of {} failed (the records will be handled again): {}", done, failure.toString());
        }
      });
    }
  }

  private void commitSync() {
    Map<TopicPartition, OffsetAndMetadata> offsets = committable(tracker.partitions());
    if (!offsets.isEmpty()) {
      try {
        consumer.commitSync(offsets, Duration.ofSeconds(5));
      } catch (RuntimeException e) {
        log.warn("Final commit failed (the records will be handled again): {}", e.toString());
      }
    }
  }

  private void drain() {
    long deadline = System.nanoTime() + drainTimeout.toNanos();
    while (tracker.inFlight() > 0 && System.nanoTime() < deadline) {
      takeHandled(Duration.ofMillis(50));
    }
    takeHandled(Duration.ZERO);
    if (tracker.inFlight() > 0) {
      log.info("Leaving {} job records in flight uncommitted: another member takes them up", tracker.inFlight());
    }
  }

  /** Before partitions leave: commit what is handled there, and forget them. */
  private final class Rebalance implements ConsumerRebalanceListener {
    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
      takeHandled(Duration.ZERO);
      Map<TopicPartition, OffsetAndMetadata> offsets = committable(partitions);
      if (!offsets.isEmpty()) {
        try {
          consumer.commitSync(offsets, Duration.ofSeconds(5));
        } catch (RuntimeException e) {
          log.warn("Commit on revocation failed: {}", e.toString());
        }
      }
      partitions.forEach(partition -> {
        tracker.revoked(partition);
        delayedUntil.remove(partition);
        lag.remove(partition);
      });
    }

    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
      log.info("Job consumer {} now reads {}", clientId, partitions);
    }
  }
}
