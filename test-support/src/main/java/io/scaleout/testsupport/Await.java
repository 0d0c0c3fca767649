package io.scaleout.testsupport;

import io.vertx.core.Future;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** Waits for a Vert.x future from a test thread (never from an event loop). */
public final class Await {
  private Await() {
  }

  public static <T> T result(Future<T> future, Duration timeout) {
    completion(future, timeout);
    if (future.failed()) {
      throw new IllegalStateException(future.cause().getMessage(), future.cause());
    }
    return future.result();
  }

  /** The failure of a future that must fail; an assertion error when it succeeds. */
  public static Throwable failure(Future<?> future, Duration timeout) {
    completion(future, timeout);
    if (future.succeeded()) {
      throw new AssertionError("expected a failure, got " + future.result());
    }
    return future.cause();
  }

  private static void completion(Future<?> future, Duration timeout) {
    CountDownLatch done = new CountDownLatch(1);
    future.onComplete(ar -> done.countDown());
    try {
      if (!done.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new IllegalStateException("not completed within " + timeout);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
