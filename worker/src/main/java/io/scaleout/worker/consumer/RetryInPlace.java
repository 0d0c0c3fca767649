package io.scaleout.worker.consumer;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.function.Supplier;

/**
 * Tries a write again after a pause, in place, for as long as it takes (its store is down): the
 * record stays in flight meanwhile, so the consumer's bound on work in flight keeps the backlog in
 * Kafka and nothing overtakes it. Once stopped (shutdown) a failing write is left unfinished: its
 * record is not committed and is handled again later, never dead-lettered for an outage.
 */
public final class RetryInPlace {
  private static final Logger log = LoggerFactory.getLogger(RetryInPlace.class);

  private final Vertx vertx;
  private final Duration delay;
  private volatile boolean running = true;

  public RetryInPlace(Vertx vertx, Duration delay) {
    this.vertx = vertx;
    this.delay = delay;
  }

  /** The first success of {@code write}; never fails. */
  public <T> Future<T> until(String what, Supplier<Future<T>> write) {
    Promise<T> done = Promise.promise();
    attempt(what, write, done);
    return done.future();
  }

  public void stop() {
    running = false;
  }

  private <T> void attempt(String what, Supplier<Future<T>> write, Promise<T> done) {
    write.get().onSuccess(done::complete).onFailure(failure -> {
      if (running) {
        log.warn("Cannot {} yet: {}", what, failure.toString());
        vertx.setTimer(delay.toMillis(), id -> attempt(what, write, done));
      }
    });
  }
}
