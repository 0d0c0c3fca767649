package io.scaleout.session.store;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.scaleout.common.redis.BoundedRedis;
import io.vertx.redis.client.Request;

import java.time.Duration;

/** Sessions as Redis strings with an expiry; every call bounded by the Redis timeout. */
public final class RedisSessionStore implements SessionStore {
  private final BoundedRedis redis;
  private final String prefix;

  public RedisSessionStore(BoundedRedis redis, String prefix) {
    this.redis = redis;
    this.prefix = prefix + "sessions:";
  }

  @Override
  public Future<Boolean> create(String tokenHash, JsonObject session, Duration ttl) {
    return redis.send(Request.cmd(Command.SET).arg(prefix + tokenHash).arg(session.encode()).arg("NX").arg("PX").arg(ttl.toMillis()))
        .map(response -> response != null);
  }

  @Override
  public Future<JsonObject> get(String tokenHash) {
    return redis.send(Request.cmd(Command.GET).arg(prefix + tokenHash))
        .map(response -> response == null ? null : new JsonObject(response.toString()));
  }

  @Override
  public Future<Void> touch(String tokenHash, JsonObject session, Duration ttl) {
    return redis.send(Request.cmd(Command.PEXPIRE).arg(prefix + tokenHash).arg(ttl.toMillis())).mapEmpty();
  }

  @Override
  public Future<Void> delete(String tokenHash) {
    return redis.send(Request.cmd(Command.DEL).arg(prefix + tokenHash)).mapEmpty();
  }

}
