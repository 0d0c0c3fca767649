package io.scaleout.session.store;

import io.scaleout.common.cluster.ClusterMac;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.core.shareddata.AsyncMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Sessions in the Hazelcast data grid: a cluster-wide map (a Hazelcast IMap with backups on other
 * members), entries expiring after their time to live. Sessions survive the restart of every
 * session-service instance as long as other members of the cluster (gateways, catalog…) hold
 * the partitions. Every member can read and write that map, a process that joined Hazelcast
 * without the cluster's key too; each entry is therefore signed with the key ({@link ClusterMac}),
 * and one whose signature does not match is no session.
 */
public final class GridSessionStore implements SessionStore {
  private final Future<AsyncMap<String, String>> map;
  private static final Logger log = LoggerFactory.getLogger(GridSessionStore.class);
  private static final String PURPOSE = "scaleout-grid-session-v1";
  private final Duration timeout;
  private final ClusterMac mac;

  public GridSessionStore(Vertx vertx, String name, Duration timeout, ClusterMac mac) {
    this.map = vertx.sharedData().getClusterWideMap(name);
    this.timeout = timeout;
    this.mac = mac;
  }

  @Override
  public Future<Void> put(String tokenHash, JsonObject session, Duration ttl) {
    String json = session.encode();
    return bounded(map.compose(m -> m.put(tokenHash, mac.sign(PURPOSE, tokenHash, json) + " " + json, ttl.toMillis())));
  }

  @Override
  public Future<JsonObject> get(String tokenHash) {
    return bounded(map.compose(m -> m.get(tokenHash)).map(value -> value == null ? null : verified(tokenHash, value)));
  }

  private JsonObject verified(String tokenHash, String value) {
    int space = value.indexOf(' ');
    String json = space < 0 ? "" : value.substring(space + 1);
    if (space < 0 || !mac.verifies(value.substring(0, space), PURPOSE, tokenHash, json)) {
      log.warn("A grid session entry without a valid signature was ignored: written by a process without the cluster key");
      return null;
    }
    return new JsonObject(json);
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
