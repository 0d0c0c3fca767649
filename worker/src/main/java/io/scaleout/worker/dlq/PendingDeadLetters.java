package io.scaleout.worker.dlq;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The gauge {@code worker.dead.letters.pending}: dead letters no operator has replayed or
 * discarded yet, counted in the database every {@code refresh} (every worker counts the same
 * table, so readers take one worker's figure, not the sum). Counted on the event loop it was
 * started on (the query is asynchronous; {@code counting} is only touched there). A count that
 * fails keeps the last figure and says so in the log.
 */
public final class PendingDeadLetters {
  private static final Logger log = LoggerFactory.getLogger(PendingDeadLetters.class);
  private final AtomicLong pending = new AtomicLong();
  private final Vertx vertx;
  private final DeadLetterStore letters;
  private long timer = -1;
  private boolean counting;

  public PendingDeadLetters(Vertx vertx, DeadLetterStore letters, MeterRegistry metrics) {
    this.vertx = vertx;
    this.letters = letters;
    Gauge.builder("worker.dead.letters.pending", pending, AtomicLong::get)
        .description("dead letters not replayed or discarded yet").register(metrics);
  }

  public void start(Duration refresh) {
    count();
    timer = vertx.setPeriodic(refresh.toMillis(), id -> count());
  }

  public void stop() {
    vertx.cancelTimer(timer);
  }

  private void count() {
    if (counting) {
      return; // the last count is still running (a slow database): one at a time
    }
    counting = true;
    letters.countPending().onSuccess(pending::set)
        .onFailure(failure -> log.warn("Cannot count the pending dead letters (the gauge keeps {}): {}", pending.get(),
            failure.getMessage()))
        .onComplete(done -> counting = false);
  }
}
