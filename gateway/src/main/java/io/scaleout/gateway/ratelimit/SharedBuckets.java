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

/**
 * The token buckets in Redis, with at most one script call in flight per key: the requests for a
 * key that arrive meanwhile wait and are taken together by the next call, which asks for as many
 * tokens as they are. A busy client (one address, one user) then costs a Redis round trip per
 * batch instead of per request, and every request still takes exactly one token of the shared
 * budget, in arrival order.
 */
final class SharedBuckets {
  private record Waiter(Promise<Decision> promise, Context context) {
  }

  /** The requests of one key: those waiting for the next call, and whether a call is out. */
  private static final class Queue {
    List<Waiter> waiting = new ArrayList<>();
    boolean calling;
  }

  private final BoundedRedis redis;
  private final RedisScript script = RedisScript.load("/scaleout/gateway/token-bucket.lua");
  private final Map<String, Queue> queues = new ConcurrentHashMap<>();

  SharedBuckets(BoundedRedis redis) {
    this.redis = redis;
  }

  /** One token of {@code key}'s bucket; completes on the caller's context, fails when Redis does. */
  Future<Decision> take(String key, RateLimitConfig.Budget budget) {
    Context context = Vertx.currentContext();
    Promise<Decision> promise = Promise.promise();
    Queue queue = queues.computeIfAbsent(key, k -> new Queue());
    List<Waiter> batch = null;
    synchronized (queue) {
      queue.waiting.add(new Waiter(promise, context));
      if (!queue.calling) {
        queue.calling = true;
        batch = next(queue);
      }
    }
    if (batch != null) {
      call(key, budget, queue, batch);
    }
    return promise.future();
  }

  private static List<Waiter> next(Queue queue) {
    List<Waiter> batch = queue.waiting;
    queue.waiting = new ArrayList<>();
    return batch;
  }

  private void call(String key, RateLimitConfig.Budget budget, Queue queue, List<Waiter> batch) {
    script.run(redis, List.of(key), List.of(budget.ratePerSecond(), budget.burst(), batch.size()))
        .onComplete(ar -> {
          if (ar.succeeded()) {
            share(ar.result(), budget, batch);
          } else {
            batch.forEach(waiter -> complete(waiter, Future.failedFuture(ar.cause())));
          }
          List<Waiter> following;
          synchronized (queue) {
            if (queue.waiting.isEmpty()) {
              queue.calling = false;
              // a request holding this queue after its removal finds it idle and calls on its own
              queues.remove(key, queue);
              return;
            }
            following = next(queue);
          }
          call(key, budget, queue, following);
        });
  }

  /** The first {@code granted} waiters have a token each; the others are refused. */
  private static void share(Response reply, RateLimitConfig.Budget budget, List<Waiter> batch) {
    long granted = reply.get(0).toLong();
    long left = reply.get(1).toLong();
    long waitMicros = reply.get(2).toLong();
    long fullMicros = reply.get(3).toLong();
    for (int i = 0; i < batch.size(); i++) {
      boolean allowed = i < granted;
      long remaining = allowed ? left + granted - 1 - i : left;
      complete(batch.get(i), Future.succeededFuture(
          Decision.of(allowed, budget.burst(), remaining, allowed ? 0 : waitMicros, fullMicros)));
    }
  }

  private static void complete(Waiter waiter, Future<Decision> outcome) {
    if (waiter.context() == null || waiter.context() == Vertx.currentContext()) {
      waiter.promise().handle(outcome);
    } else {
      waiter.context().runOnContext(v -> waiter.promise().handle(outcome));
    }
  }
}
