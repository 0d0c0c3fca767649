package io.scaleout.catalog.outbox;

import io.scaleout.catalog.db.CatalogQueries;
import io.scaleout.common.catalog.CatalogEvent;
import io.scaleout.common.kafka.KafkaConfig;
import io.scaleout.common.kafka.KafkaTopics;
import io.scaleout.common.observability.RequestId;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.kafka.client.producer.KafkaProducer;
import io.vertx.kafka.client.producer.KafkaProducerRecord;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Publishes the outbox to Kafka ({@link CatalogEvent#TOPIC}, keyed by product id). One batch is one
 * primary transaction holding an advisory lock, so one instance relays at a time and events leave
 * in outbox order (per product, that is commit order: writes of one product are serialized by its
 * row lock). Rows are marked sent only after Kafka acknowledged them; when Kafka is down the batch
 * rolls back and is tried again, so nothing is lost and writes never wait for Kafka.
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
    producer = KafkaProducer.create(vertx, kafka.producerProperties("catalog-outbox"));
    running = true;
    schedule(1);
  }

  /** Stops after the batch in flight. */
  public Future<Void> stop() {
    running = false;
    return current.transform(ar -> producer == null ? Future.<Void>succeededFuture() : producer.close());
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
      List<Future<?>> sends = new ArrayList<>(rows.size());
      for (Row row : rows) {
        ids.add(row.getLong("id"));
        sends.add(producer.send(record(row)));
      }
      return Future.all(sends)
          .compose(sent -> conn.preparedQuery(CatalogQueries.MARK_SENT).execute(Tuple.of(ids.toArray(new Long[0]))))
          .map(marked -> {
            published.addAndGet(ids.size());
            return ids.size();
          });
    });
  }

  private static KafkaProducerRecord<String, String> record(Row row) {
    Object payload = row.getValue("payload");
    KafkaProducerRecord<String, String> record = KafkaProducerRecord.create(CatalogEvent.TOPIC,
        Long.toString(row.getLong("product_id")), payload.toString());
    String requestId = row.getString("request_id");
    if (requestId != null) {
      record.addHeader(RequestId.HEADER, requestId);
    }
    return record;
  }
}
