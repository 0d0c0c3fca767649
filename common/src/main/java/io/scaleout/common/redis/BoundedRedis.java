package io.scaleout.common.redis;

import io.vertx.core.Future;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** A Redis client whose every command fails after a timeout instead of waiting on a stuck server. */
public final class BoundedRedis {
  private final Redis redis;
  private final Duration timeout;

  public BoundedRedis(Redis redis, Duration timeout) {
    this.redis = redis;
    this.timeout = timeout;
  }

  public Future<Response> send(Request request) {
    return redis.send(request).timeout(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }
}
