package io.scaleout.common.balance;

import io.micrometer.core.instrument.Meter;
import io.vertx.core.Context;
import io.vertx.core.Promise;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One instance of a called service as this process sees it: what it has in flight from here, when
 * it last answered, and its ejection. Read and counted from every event loop of the caller; the
 * ejection fields change under the instance's lock.
 */
final class RemoteInstance {
  /** One request in flight to this instance, so an ejection can hand its idempotent ones to another. */
  record Attempt(Context context, Promise<Message<Object>> promise, boolean idempotent, long startedNanos) {
  }

  final String id;
  final String nodeId;
  private final long firstSeenNanos = System.nanoTime();
  private final AtomicInteger inFlight = new AtomicInteger();
  private final Set<Attempt> attempts = ConcurrentHashMap.newKeySet();
  private volatile long lastProgressNanos = System.nanoTime();
  volatile long lastAnnouncedNanos = System.nanoTime();
  volatile boolean ready;
  volatile boolean probing;
  /** its ejected gauge, removed with it */
  Meter gauge;
  private volatile boolean ejected;
  private int consecutiveFailures;
  private int ejections;
  private long ejectedUntilNanos;
  private long healthySinceNanos = System.nanoTime();

  RemoteInstance(String id, String nodeId) {
    this.id = id;
    this.nodeId = nodeId;
  }

  /** Heard of for less than {@code periodNanos}. */
  boolean isNew(long now, long periodNanos) {
    return now - firstSeenNanos < periodNanos;
  }

  int inFlight() {
    return inFlight.get();
  }

  boolean ejected() {
    return ejected;
  }

  boolean available() {
    return ready && !ejected;
  }

  void begin(Attempt attempt) {
    if (inFlight.incrementAndGet() == 1) {
      // silence is measured from the first request in flight, not from the last answer before it
      lastProgressNanos = System.nanoTime();
    }
    attempts.add(attempt);
  }

  void end(Attempt attempt) {
    attempts.remove(attempt);
    inFlight.decrementAndGet();
  }

  /** It answered (anything, even a failure reply): it is alive. */
  void answered() {
    lastProgressNanos = System.nanoTime();
  }

  /** It answered something after {@code nanos}: a timeout since then is the request's, not a silent instance's. */
  boolean answeredSince(long nanos) {
    return lastProgressNanos - nanos > 0;
  }

  boolean stalled(long now, long stallNanos) {
    return inFlight.get() > 0 && now - lastProgressNanos > stallNanos;
  }

  synchronized void succeeded() {
    consecutiveFailures = 0;
  }

  /** Counts a failed attempt; true when that makes {@code threshold} in a row. */
  synchronized boolean failed(int threshold) {
    return ++consecutiveFailures >= threshold;
  }

  /** Ejects for base × ejections (capped); false when already ejected. */
  synchronized boolean eject(long now, long baseNanos, long maxNanos) {
    if (ejected) {
      return false;
    }
    ejected = true;
    extend(now, baseNanos, maxNanos);
    return true;
  }

  /** A failed probe: stays out, for longer. */
  synchronized void extend(long now, long baseNanos, long maxNanos) {
    ejections++;
    consecutiveFailures = 0;
    ejectedUntilNanos = now + Math.min(maxNanos, baseNanos * ejections);
  }

  synchronized boolean ejectionOver(long now) {
    return ejected && now - ejectedUntilNanos >= 0;
  }

  synchronized long ejectedForNanos(long now) {
    return ejected ? Math.max(0, ejectedUntilNanos - now) : 0;
  }

  synchronized void readmit(long now) {
    ejected = false;
    healthySinceNanos = now;
    lastProgressNanos = now;
  }

  /** Each stretch of {@code periodNanos} in rotation forgives one past ejection (Envoy's decay). */
  synchronized void decay(long now, long periodNanos) {
    if (!ejected && ejections > 0 && now - healthySinceNanos >= periodNanos) {
      ejections--;
      healthySinceNanos = now;
    }
  }

  /** Hands the idempotent requests in flight to their callers as failed, to be sent elsewhere. */
  void releaseIdempotent() {
    for (Attempt attempt : attempts) {
      if (attempt.idempotent()) {
        attempt.context().runOnContext(v -> attempt.promise().tryFail(
            new ReplyException(ReplyFailure.TIMEOUT, "instance " + id + " stopped answering")));
      }
    }
  }

  synchronized JsonObject toJson(long now) {
    return new JsonObject().put("instance", id).put("node", nodeId)
        .put("state", ejected ? "EJECTED" : ready ? "READY" : "NOT_READY")
        .put("inFlight", inFlight.get()).put("consecutiveFailures", consecutiveFailures).put("ejections", ejections)
        .put("ejectedForMs", ejectedForNanos(now) / 1_000_000);
  }
}
