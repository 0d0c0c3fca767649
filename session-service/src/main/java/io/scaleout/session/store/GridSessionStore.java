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
  private static final Logger log = LoggerFactory.getLogger(GridSessionStore.class);
  private static final String PURPOSE = "scaleout-grid-session-v1";
  private final Future<AsyncMap<String, String>> map;
  private final Duration timeout;
  private final ClusterMac mac;

  public GridSessionStore(Vertx vertx, String name, Duration timeout, ClusterMac mac) {
    this.map = vertx.sharedData().getClusterWideMap(name);
    this.timeout = timeout;
    this.mac = mac;
  }

  @Override
  public Future<Boolean> create(String tokenHash, JsonObject session, Duration ttl) {
    return bounded(map.compose(m -> m.putIfAbsent(tokenHash, signed(tokenHash, session, ttl), ttl.toMillis()))
        .map(previous -> previous == null));
  }

  @Override
  public Future<JsonObject> get(String tokenHash) {
    return bounded(map.compose(m -> m.get(tokenHash)).map(value -> value == null ? null : verified(tokenHash, value)));
  }

  @Override
  public Future<Void> touch(String tokenHash, JsonObject session, Duration ttl) {
    return bounded(map.compose(m -> m.put(tokenHash, signed(tokenHash, session, ttl), ttl.toMillis())));
  }

  @Override
  public Future<Void> delete(String tokenHash) {
    return bounded(map.compose(m -> m.remove(tokenHash)).mapEmpty());
  }

  /**
   * "signature deadline json": the deadline (ms) is the entry's own expiry, signed with it, so an
   * entry saved and put back after a logout or without its time to live is no session past it.
   */
  private String signed(String tokenHash, JsonObject session, Duration ttl) {
    String json = session.encode();
    String deadline = Long.toString(System.currentTimeMillis() + ttl.toMillis());
    return mac.sign(PURPOSE, tokenHash, deadline, json) + " " + deadline + " " + json;
  }

  private JsonObject verified(String tokenHash, String value) {
    String[] parts = value.split(" ", 3);
    if (parts.length < 3 || !mac.verifies(parts[0], PURPOSE, tokenHash, parts[1], parts[2])) {
      log.warn("A grid session entry without a valid signature was ignored: written by a process without the cluster key");
      return null;
    }
    long deadline;
    try {
      deadline = Long.parseLong(parts[1]);
    } catch (NumberFormatException e) {
      return null;
    }
    return deadline > System.currentTimeMillis() ? new JsonObject(parts[2]) : null;
  }

  private <T> Future<T> bounded(Future<T> future) {
    return future.timeout(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }
}
