package io.scaleout.worker.projection;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.scaleout.common.catalog.CatalogEvent;
import io.scaleout.worker.consumer.JobConsumer;
import io.scaleout.worker.consumer.Outcome;
import io.scaleout.worker.consumer.RetryInPlace;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.apache.kafka.clients.consumer.ConsumerRecord;

import java.time.Duration;
import java.time.Instant;

/**
 * Applies catalog events to the facets. An event that cannot be parsed is dead-lettered; an apply
 * that fails (Redis down) is tried again after a pause, in place, for as long as it takes: a
 * product's later events must not overtake it into the model, and the consumer's bound on work in
 * flight keeps the backlog in Kafka meanwhile.
 */
public final class ProjectionHandler implements JobConsumer.Handler {
  private final Facets facets;
  private final RetryInPlace retry;
  private final Timer lag;
  private final Counter applied;
  private final Counter ignored;
  private final Counter unreadable;

  public ProjectionHandler(Vertx vertx, Facets facets, Duration retryDelay, MeterRegistry metrics) {
    this.facets = facets;
    this.retry = new RetryInPlace(vertx, retryDelay);
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
    return retry.until("apply catalog event " + event.eventId() + " to the facets", () -> facets.apply(event)).map(changed -> {
      (changed ? applied : ignored).increment();
      lag.record(Duration.between(event.occurredAt(), Instant.now()));
      return Outcome.DONE;
    });
  }

  /** Stops retrying applies (shutdown): what is left stays uncommitted and is applied again later. */
  public void stop() {
    retry.stop();
  }
}
