package io.scaleout.catalog.outbox;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.scaleout.catalog.db.CatalogQueries;
import io.scaleout.common.catalog.CatalogEvent;
import io.scaleout.common.kafka.KafkaConfig;
import io.scaleout.common.kafka.KafkaTopics;
import io.scaleout.common.observability.RequestId;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Publishes the outbox to Kafka ({@link CatalogEvent#TOPIC}, keyed by product id). One batch is one
 * primary transaction holding an advisory lock, so one instance relays at a time. A batch holds
 * the oldest unsent event of each product (per product, outbox order is commit order: writes of one
 * product are serialized by its row lock), so a product's next event leaves only after Kafka
 * acknowledged the previous one. The batch is handed to the producer from one worker thread and
 * awaited whole (a send may block while Kafka is away, so it never runs on an event loop); the
 * acknowledged rows are marked sent, the others are tried again. Nothing is lost, per-product order
 * holds even across failures (at least once: an event may repeat), and writes never wait for Kafka.
 */
public final class OutboxRelay {
  private static final Logger log = LoggerFactory.getLogger(OutboxRelay.class);
  /** Advisory lock id of the relay ("catalog.outbox"). */
  private static final long RELAY_LOCK = 0x6361745f6f7574L;

  private final Vertx vertx;
  private final Pool primary;
  private final KafkaConfig kafka;
  private final Duration pollInterval;
  private final int batchSize;
  private final AtomicLong published = new AtomicLong();
  private KafkaProducer<String, String> producer;
  private boolean topicReady;
  private volatile boolean running;
  private Future<Integer> current = Future.succeededFuture(0);

  public OutboxRelay(Vertx vertx, Pool primary, KafkaConfig kafka, Duration pollInterval, int batchSize) {
    this.vertx = vertx;
    this.primary = primary;
    this.kafka = kafka;
    this.pollInterval = pollInterval;
    this.batchSize = batchSize;
  }

  /** Starts relaying; does not wait for Kafka (it may be down). */
  public void start() {
    producer = new KafkaProducer<>(new HashMap<>(kafka.producerProperties("catalog-outbox")));
    running = true;
    schedule(1);
  }

  /** Stops after the batch in flight. */
  public Future<Void> stop() {
    running = false;
    return current.transform(ar -> producer == null ? Future.<Void>succeededFuture()
        : vertx.executeBlocking(() -> {
          producer.close(kafka.timeout());
          return null;
        }));
  }

  /** catalog_outbox_published_total: events this instance published. */
  public void bindTo(MeterRegistry registry) {
    FunctionCounter.builder("catalog.outbox.published", published, AtomicLong::get)
        .description("Outbox events published to Kafka by this instance").register(registry);
  }

  /** Events published since start (by this instance). */
  public long published() {
    return published.get();
  }

  private void schedule(long delayMillis) {
    if (!running) {
      return;
    }
    vertx.setTimer(Math.max(1, delayMillis), id -> {
      current = relayBatch();
      current.onComplete(ar -> {
        if (ar.failed()) {
          log.warn("Outbox relay: batch not published, will retry ({})", ar.cause().getMessage());
          schedule(pollInterval.toMillis());
        } else {
          // a full batch means more may be waiting: go on at once
          schedule(ar.result() >= batchSize ? 1 : pollInterval.toMillis());
        }
      });
    });
  }

  private Future<Integer> relayBatch() {
    Future<Void> topic = topicReady ? Future.succeededFuture()
        : KafkaTopics.ensure(vertx, kafka, List.of(CatalogEvent.TOPIC)).onSuccess(v -> topicReady = true);
    return topic.compose(v -> primary.withTransaction(conn -> conn.preparedQuery(CatalogQueries.TRY_RELAY_LOCK)
        .execute(Tuple.of(RELAY_LOCK))
        .compose(lock -> lock.iterator().next().getBoolean("locked") ? publishUnsent(conn) : Future.succeededFuture(0))));
  }

  private Future<Integer> publishUnsent(SqlConnection conn) {
    return conn.preparedQuery(CatalogQueries.UNSENT_OUTBOX).execute(Tuple.of(batchSize)).compose(rows -> {
      if (rows.size() == 0) {
        return Future.succeededFuture(0);
      }
      List<Long> ids = new ArrayList<>(rows.size());
      List<ProducerRecord<String, String>> records = new ArrayList<>(rows.size());
      for (Row row : rows) {
        ids.add(row.getLong("id"));
        records.add(record(row));
      }
      return vertx.executeBlocking(() -> sendAll(records), true).compose(acked -> {
        List<Long> sent = new ArrayList<>(ids.size());
        for (int i = 0; i < ids.size(); i++) {
          if (acked.get(i) == null) {
            sent.add(ids.get(i));
          }
        }
        Future<Integer> marked = sent.isEmpty() ? Future.succeededFuture(0)
            : conn.preparedQuery(CatalogQueries.MARK_SENT).execute(Tuple.of(sent.toArray(new Long[0]))).map(r -> sent.size());
        return marked.compose(count -> {
          published.addAndGet(count);
          Throwable failure = acked.stream().filter(java.util.Objects::nonNull).findFirst().orElse(null);
          if (failure != null) {
            log.warn("Outbox relay: {} of {} events not acknowledged, will retry ({})", ids.size() - count, ids.size(),
                failure.getMessage());
            return Future.succeededFuture(0);
          }
          return Future.succeededFuture(count);
        });
      });
    });
  }

  /**
   * Runs on a worker: appends every record in order, then waits for every acknowledgement. The
   * list holds, per record, null when Kafka acknowledged it, else why not.
   */
  private List<Throwable> sendAll(List<ProducerRecord<String, String>> records) throws InterruptedException {
    List<java.util.concurrent.Future<RecordMetadata>> acks = new ArrayList<>(records.size());
    for (ProducerRecord<String, String> record : records) {
      try {
        acks.add(producer.send(record));
      } catch (KafkaException e) {
        acks.add(java.util.concurrent.CompletableFuture.failedFuture(e));
      }
    }
    producer.flush();
    List<Throwable> outcomes = new ArrayList<>(acks.size());
    for (java.util.concurrent.Future<RecordMetadata> ack : acks) {
      try {
        ack.get();
        outcomes.add(null);
      } catch (ExecutionException e) {
        outcomes.add(e.getCause());
      }
    }
    return outcomes;
  }

  private static ProducerRecord<String, String> record(Row row) {
    ProducerRecord<String, String> record = new ProducerRecord<>(CatalogEvent.TOPIC,
        Long.toString(row.getLong("product_id")), row.getValue("payload").toString());
    String requestId = row.getString("request_id");
    if (requestId != null) {
      record.headers().add(RequestId.HEADER, requestId.getBytes(StandardCharsets.UTF_8));
    }
    return record;
  }
}
