package io.scaleout.gateway;

import io.scaleout.common.bus.FailureCode;
import io.scaleout.common.bus.ServiceException;
import io.scaleout.common.runtime.ServiceContext;
import io.scaleout.common.session.ResolvedSession;
import io.scaleout.common.session.SessionAddresses;
import io.scaleout.common.session.SessionTokens;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Stand-ins for the session service's RESOLVE contract in gateway tests: two sessions it knows, an
 * administrator's and a user's, looked up by the token's hash (a raw token on the bus is a failure). The session service itself is tested against Redis in its module.
 */
final class StandIns {
  static final String ADMIN_TOKEN = "a".repeat(43);
  static final String USER_TOKEN = "u".repeat(43);
  /** A second user's, for tests that end its session (an ended token stays refused). */
  static final String LEAVING_USER_TOKEN = "l".repeat(43);

  private StandIns() {
  }

  static Future<Void> sessions(ServiceContext context) {
    return sessions(context, new AtomicInteger());
  }

  /** As {@link #sessions(ServiceContext)}, counting the lookups in {@code lookups}. */
  static Future<Void> sessions(ServiceContext context, AtomicInteger lookups) {
    return context.endpoints().register(SessionAddresses.RESOLVE, message -> {
      lookups.incrementAndGet();
      if (message.body().containsKey("token")) {
        return Future.failedFuture(new IllegalStateException("a raw session token came over the bus"));
      }
      String hash = message.body().getString(SessionAddresses.TOKEN_HASH_FIELD);
      if (SessionTokens.hash(ADMIN_TOKEN).equals(hash)) {
        return Future.succeededFuture(session(context, hash, "admin-1", new JsonArray().add("user").add("admin")));
      }
      if (SessionTokens.hash(USER_TOKEN).equals(hash)) {
        return Future.succeededFuture(session(context, hash, "user-1", new JsonArray().add("user")));
      }
      if (SessionTokens.hash(LEAVING_USER_TOKEN).equals(hash)) {
        return Future.succeededFuture(session(context, hash, "user-2", new JsonArray().add("user")));
      }
      return Future.failedFuture(new ServiceException(FailureCode.UNAUTHORIZED, "No valid session"));
    });
  }

  /** Signed as the session service signs it: the gateway trusts no other answer. */
  private static JsonObject session(ServiceContext context, String hash, String id, JsonArray roles) {
    return new ResolvedSession(new JsonObject().put("id", id).put("roles", roles), Instant.now().plusSeconds(3600).toString(), hash)
        .toJson(context.clusterMac());
  }
}
