package io.scaleout.session.store;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

import java.time.Duration;

/**
 * Where sessions live, keyed by the SHA-256 of their token (never the token). Implemented over
 * Redis and over the Hazelcast data grid; both expire an entry after its time to live.
 */
public interface SessionStore {

  /**
   * Stores a new session; false, storing nothing, when one of that hash exists (the gateway makes
   * the token, so a hash met twice is a request to overwrite someone's session).
   */
  Future<Boolean> create(String tokenHash, JsonObject session, Duration ttl);

  /** The session, or null when there is none (or it expired). */
  Future<JsonObject> get(String tokenHash);

  /** Sets a new time to live (sliding idle timeout). */
  Future<Void> touch(String tokenHash, JsonObject session, Duration ttl);

  Future<Void> delete(String tokenHash);
}
