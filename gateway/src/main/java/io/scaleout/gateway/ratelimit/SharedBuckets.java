package io.scaleout.gateway.ratelimit;

import io.scaleout.common.redis.BoundedRedis;
import io.scaleout.common.redis.RedisScript;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Response;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The token buckets in Redis, with at most one script call in flight per key: the requests for a
 * key that arrive meanwhile wait and are taken together by the next call, which asks for as many
 * tokens as they are. Every request takes exactly one token of the shared budget, in arrival order.
 *
 * <p>A key busy enough that requests queued during a call also leases tokens on top of the next
 * call's, given out here without a round trip until they are spent or {@link #LEASE_NANOS} old:
 * {@link #LEASE_FACTOR} times as many as queued, twice the last lease when that was all given out
 * before it expired, half of it when it expired with tokens left (at most {@link #LEASE_MAX}).
 * The script leases only from what is left above half the bucket, so near exhaustion every token
 * is asked for in Redis again and no gateway sits on the last ones; a lease that expires unspent
 * only ever leaves a client fewer tokens, never more.
 */
final class SharedBuckets {
  static final int LEASE_FACTOR = 8;
  static final int LEASE_MAX = 1024;
  static final long LEASE_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
  private static final long SWEEP_NANOS = TimeUnit.SECONDS.toNanos(1);

  private record Waiter(Promise<Decision> promise, Context context) {
  }

  /** One key's state here: the requests waiting for the next call, whether a call is out, the lease. */
  private static final class Queue {
    List<Waiter> waiting = new ArrayList<>();
    boolean calling;
    /** Leased tokens not given out yet, valid until {@link #stockUntil} (nanoTime). */
    long stock;
    long stockUntil;
    /** What the shared bucket had left, and its microseconds until full, when the stock was leased. */
    long left;
    long fullMicros;
    /** Tokens to lease on top of the next call's waiters. */
    int lease;

    /** The lease of a call starting now: the last one given out in time doubles, one left to expire halves. */
    int nextLease(long now) {
      if (stock == 0 && now - stockUntil < 0) {
        lease = Math.min(LEASE_MAX, lease * 2);
      } else if (stock > 0) {
        lease /= 2;
      }
      return lease;
    }

    boolean stocked(long now) {
      return stock > 0 && now - stockUntil < 0;
    }
  }

  private final BoundedRedis redis;
  private final RedisScript script = RedisScript.load("/scaleout/gateway/token-bucket.lua");
  private final Map<String, Queue> queues = new ConcurrentHashMap<>();
  private final AtomicLong nextSweep = new AtomicLong(System.nanoTime() + SWEEP_NANOS);

  SharedBuckets(BoundedRedis redis) {
    this.redis = redis;
  }

  /** One token of {@code key}'s bucket; completes on the caller's context, fails when Redis does. */
  Future<Decision> take(String key, RateLimitConfig.Budget budget) {
    long now = System.nanoTime();
    sweepIfDue(now);
    Queue queue = queues.computeIfAbsent(key, k -> new Queue());
    Promise<Decision> promise = Promise.promise();
    List<Waiter> batch = null;
    int lease = 0;
    synchronized (queue) {
      if (queue.stocked(now)) {
        return Future.succeededFuture(fromStock(queue, budget));
      }
      queue.waiting.add(new Waiter(promise, Vertx.currentContext()));
      if (!queue.calling) {
        queue.calling = true;
        batch = next(queue);
        lease = queue.nextLease(now);
      }
    }
    if (batch != null) {
      call(key, budget, queue, batch, lease);
    }
    return promise.future();
  }

  private static List<Waiter> next(Queue queue) {
    List<Waiter> batch = queue.waiting;
    queue.waiting = new ArrayList<>();
    return batch;
  }

  private static Decision fromStock(Queue queue, RateLimitConfig.Budget budget) {
    queue.stock--;
    return Decision.of(true, budget.burst(), queue.left + queue.stock, 0, queue.fullMicros);
  }

  private void call(String key, RateLimitConfig.Budget budget, Queue queue, List<Waiter> batch, int lease) {
    script.run(redis, List.of(key), List.of(budget.ratePerSecond(), budget.burst(), batch.size(), lease))
        .onComplete(ar -> {
          List<Waiter> served = new ArrayList<>();
          List<Decision> servedDecisions = new ArrayList<>();
          List<Waiter> following = null;
          int nextLease = 0;
          synchronized (queue) {
            if (ar.succeeded()) {
              queue.stock = ar.result().get(4).toLong();
              queue.stockUntil = System.nanoTime() + LEASE_NANOS;
              queue.left = ar.result().get(1).toLong();
              queue.fullMicros = ar.result().get(3).toLong();
            }
            // requests queued during the call: the key is busy, lease for several times as many
            int queued = queue.waiting.size();
            queue.lease = Math.max(queue.lease, Math.min(LEASE_MAX, queued * LEASE_FACTOR));
            while (servedDecisions.size() < queue.waiting.size() && queue.stocked(System.nanoTime())) {
              servedDecisions.add(fromStock(queue, budget));
            }
            List<Waiter> fromStock = queue.waiting.subList(0, servedDecisions.size());
            served.addAll(fromStock);
            fromStock.clear();
            if (!queue.waiting.isEmpty()) {
              following = next(queue);
              nextLease = queue.nextLease(System.nanoTime());
            } else {
              queue.calling = false;
              if (!queue.stocked(System.nanoTime())) {
                // a request holding this queue after its removal finds it idle and calls on its own
                queues.remove(key, queue);
              }
            }
          }
          if (ar.succeeded()) {
            share(ar.result(), budget, batch);
          } else {
            batch.forEach(waiter -> complete(waiter, Future.failedFuture(ar.cause())));
          }
          for (int i = 0; i < served.size(); i++) {
            complete(served.get(i), Future.succeededFuture(servedDecisions.get(i)));
          }
          if (following != null) {
            call(key, budget, queue, following, nextLease);
          }
        });
  }

  /** The first {@code granted} waiters have a token each; the others are refused. */
  private static void share(Response reply, RateLimitConfig.Budget budget, List<Waiter> batch) {
    long granted = reply.get(0).toLong();
    long left = reply.get(1).toLong() + reply.get(4).toLong();
    long waitMicros = reply.get(2).toLong();
    long fullMicros = reply.get(3).toLong();
    for (int i = 0; i < batch.size(); i++) {
      boolean allowed = i < granted;
      long remaining = allowed ? left + granted - 1 - i : left;
      complete(batch.get(i), Future.succeededFuture(
          Decision.of(allowed, budget.burst(), remaining, allowed ? 0 : waitMicros, fullMicros)));
    }
  }

  /** Drops, at most once a second, the keys with nothing waiting and no stock left. */
  private void sweepIfDue(long now) {
    long due = nextSweep.get();
    if (now - due < 0 || !nextSweep.compareAndSet(due, now + SWEEP_NANOS)) {
      return;
    }
    queues.forEach((key, queue) -> {
      synchronized (queue) {
        if (!queue.calling && queue.waiting.isEmpty() && !queue.stocked(now)) {
          queues.remove(key, queue);
        }
      }
    });
  }

  private static void complete(Waiter waiter, Future<Decision> outcome) {
    if (waiter.context() == null || waiter.context() == Vertx.currentContext()) {
      waiter.promise().handle(outcome);
    } else {
      waiter.context().runOnContext(v -> waiter.promise().handle(outcome));
    }
  }
}
