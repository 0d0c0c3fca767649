package io.scaleout.session.store;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.core.shareddata.AsyncMap;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Sessions in the Hazelcast data grid: a cluster-wide map (a Hazelcast IMap with backups on other
 * members), entries expiring after their time to live. Sessions survive the restart of every
 * session-service instance as long as other members of the cluster (gateways, catalog…) hold
 * the partitions.
 */
public final class GridSessionStore implements SessionStore {
  private final Future<AsyncMap<String, String>> map;
  private final Duration timeout;

  public GridSessionStore(Vertx vertx, String name, Duration timeout) {
    this.map = vertx.sharedData().getClusterWideMap(name);
    this.timeout = timeout;
  }

  @Override
  public Future<Void> put(String tokenHash, JsonObject session, Duration ttl) {
    return bounded(map.compose(m -> m.put(tokenHash, session.encode(), ttl.toMillis())));
  }

  @Override
  public Future<JsonObject> get(String tokenHash) {
    return bounded(map.compose(m -> m.get(tokenHash)).map(value -> value == null ? null : new JsonObject(value)));
  }

  @Override
  public Future<Void> touch(String tokenHash, JsonObject session, Duration ttl) {
    return put(tokenHash, session, ttl);
  }

  @Override
  public Future<Void> delete(String tokenHash) {
    return bounded(map.compose(m -> m.remove(tokenHash)).mapEmpty());
  }

  private <T> Future<T> bounded(Future<T> future) {
    return future.timeout(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }
}
