package io.scaleout.worker.projection;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.scaleout.common.catalog.CatalogEvent;
import io.scaleout.worker.consumer.JobConsumer;
import io.scaleout.worker.consumer.Outcome;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;

/**
 * Applies catalog events to the facets. An event that cannot be parsed is dead-lettered; an apply
 * that fails (Redis down) is tried again after a pause, in place, for as long as it takes: a
 * product's later events must not overtake it into the model, and the consumer's bound on work in
 * flight keeps the backlog in Kafka meanwhile.
 */
public final class ProjectionHandler implements JobConsumer.Handler {
  private static final Logger log = LoggerFactory.getLogger(ProjectionHandler.class);

  private final Vertx vertx;
  private final Facets facets;
  private final Duration retryDelay;
  private final Timer lag;
  private final Counter applied;
  private final Counter ignored;
  private final Counter unreadable;
  private volatile boolean running = true;

  public ProjectionHandler(Vertx vertx, Facets facets, Duration retryDelay, MeterRegistry metrics) {
    this.vertx = vertx;
    this.facets = facets;
    this.retryDelay = retryDelay;
    this.lag = Timer.builder("worker.projection.lag").description("catalog event written → applied to the facets")
        .publishPercentiles(0.5, 0.99).register(metrics);
    this.applied = Counter.builder("worker.projection.events").tag("result", "applied").register(metrics);
    this.ignored = Counter.builder("worker.projection.events").tag("result", "ignored").register(metrics);
    this.unreadable = Counter.builder("worker.projection.events").tag("result", "dead").register(metrics);
  }

  @Override
  public Future<Outcome> handle(ConsumerRecord<String, String> record) {
    CatalogEvent event;
    try {
      event = CatalogEvent.fromJson(new JsonObject(record.value()));
    } catch (RuntimeException e) {
      unreadable.increment();
      return Future.succeededFuture(new Outcome.Dead("not a catalog event: " + e.getMessage()));
    }
    Promise<Outcome> done = Promise.promise();
    attempt(event, done);
    return done.future();
  }

  /** Stops retrying applies (shutdown): what is left stays uncommitted and is applied again later. */
  public void stop() {
    running = false;
  }

  private void attempt(CatalogEvent event, Promise<Outcome> done) {
    facets.apply(event).onComplete(ar -> {
      if (ar.succeeded()) {
        (ar.result() ? applied : ignored).increment();
        lag.record(Duration.between(event.occurredAt(), Instant.now()));
        done.complete(Outcome.DONE);
      } else if (running) {
        log.warn("Cannot apply catalog event {} to the facets yet: {}", event.eventId(), ar.cause().toString());
        vertx.setTimer(retryDelay.toMillis(), id -> attempt(event, done));
      }
      // stopping: the event is left unfinished, so it is not committed (a failure would dead-letter it)
    });
  }
}
