package io.scaleout.gateway;

import io.scaleout.common.bus.FailureCode;
import io.scaleout.common.bus.ServiceException;
import io.scaleout.common.runtime.ServiceContext;
import io.scaleout.common.session.SessionAddresses;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.Instant;

/**
 * Stand-ins for the session service's RESOLVE contract in gateway tests: two sessions it knows, an
 * administrator's and a user's. The session service itself is tested against Redis in its module.
 */
final class StandIns {
  static final String ADMIN_TOKEN = "a".repeat(43);
  static final String USER_TOKEN = "u".repeat(43);

  private StandIns() {
  }

  static Future<Void> sessions(ServiceContext context) {
    return context.endpoints().register(SessionAddresses.RESOLVE, message -> {
      String token = message.body().getString("token");
      if (ADMIN_TOKEN.equals(token)) {
        return Future.succeededFuture(session("admin-1", new JsonArray().add("user").add("admin")));
      }
      if (USER_TOKEN.equals(token)) {
        return Future.succeededFuture(session("user-1", new JsonArray().add("user")));
      }
      return Future.failedFuture(new ServiceException(FailureCode.UNAUTHORIZED, "No valid session"));
    });
  }

  private static JsonObject session(String id, JsonArray roles) {
    return new JsonObject()
        .put("user", new JsonObject().put("id", id).put("roles", roles))
        .put("expiresAt", Instant.now().plusSeconds(3600).toString());
  }
}
