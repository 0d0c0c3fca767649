package io.scaleout.session.password;

import io.scaleout.common.bus.FailureCode;
import io.scaleout.common.bus.ServiceException;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Password hashing on its own bounded worker pool: never on an event loop, never more than
 * {@code threads} at once, at most {@code queue} waiting, none waiting longer than {@code maxWait}.
 * A flood of logins is refused (503) rather than queued without bound, and cannot starve other
 * requests.
 */
public final class HashingPool {
  private final WorkerExecutor executor;
  private final PasswordHasher hasher;
  private final int capacity;
  private final long maxWaitNanos;
  private final AtomicInteger pending = new AtomicInteger();
  /** Verified against when an email is unknown, so both cases cost one full hash. */
  private volatile String dummyHash;

  private Timer hashTime;

  public HashingPool(Vertx vertx, HashingConfig config) {
    this.executor = vertx.createSharedWorkerExecutor("password-hashing", config.threads(), 2, TimeUnit.MINUTES);
    this.hasher = new PasswordHasher(config);
    this.capacity = config.threads() + config.queue();
    this.maxWaitNanos = config.maxWait().toNanos();
  }

  /** Makes the dummy hash (on the pool: it costs a full hash); call once before serving. */
  public Future<Void> start() {
    return executor.executeBlocking(() -> hasher.hash("not a password: equalizes the work of unknown accounts"), false)
        .onSuccess(hash -> dummyHash = hash)
        .mapEmpty();
  }

  /** session_password_hash_seconds (time on a hashing thread) and session_password_hash_pending. */
  public void bindTo(MeterRegistry registry) {
    hashTime = Timer.builder("session.password.hash").description("Argon2id work per hash").register(registry);
    Gauge.builder("session.password.hash.pending", pending, AtomicInteger::get)
        .description("Hashes running or waiting for a thread").register(registry);
  }

  public Future<String> hash(String password) {
    return run(() -> hasher.hash(password));
  }

  /** Verifies against {@code encoded}, or against a dummy hash when it is null (unknown account). */
  public Future<Boolean> verify(String password, String encoded) {
    return run(() -> hasher.verify(password, encoded == null ? dummyHash : encoded) && encoded != null);
  }

  private <T> Future<T> run(java.util.concurrent.Callable<T> work) {
    if (pending.incrementAndGet() > capacity) {
      pending.decrementAndGet();
      return Future.failedFuture(busy());
    }
    long queuedAt = System.nanoTime();
    return executor.executeBlocking(() -> {
      // the caller has given up by now: do not spend a hash on it
      if (System.nanoTime() - queuedAt > maxWaitNanos) {
        throw busy();
      }
      return hashTime == null ? work.call() : hashTime.recordCallable(work);
    }, false).onComplete(ar -> pending.decrementAndGet());
  }

  private static ServiceException busy() {
    return new ServiceException(FailureCode.UNAVAILABLE, "Too many sign-ins in progress; retry shortly");
  }

  public Future<Void> close() {
    return executor.close();
  }
}
