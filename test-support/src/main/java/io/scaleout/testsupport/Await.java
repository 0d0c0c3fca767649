package io.scaleout.testsupport;

import io.vertx.core.Future;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/** Waits for a Vert.x future from a test thread (never from an event loop). */
public final class Await {
  private Await() {
  }

  public static <T> T result(Future<T> future, Duration timeout) {
    CountDownLatch done = new CountDownLatch(1);
    AtomicReference<Throwable> failure = new AtomicReference<>();
    future.onComplete(ar -> {
      failure.set(ar.cause());
      done.countDown();
    });
    try {
      if (!done.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new IllegalStateException("not completed within " + timeout);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    if (failure.get() != null) {
      throw new IllegalStateException(failure.get().getMessage(), failure.get());
    }
    return future.result();
  }
}
