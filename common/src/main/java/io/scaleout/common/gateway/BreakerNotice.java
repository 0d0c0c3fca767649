package io.scaleout.common.gateway;

import io.vertx.core.json.JsonObject;

import java.time.Instant;

/**
 * Published on {@link GatewayAddresses#BREAKER_CHANGED} when a gateway's circuit breaker for a service changes state, so
 * every gateway (and the admin view any of them serves) knows the breakers of all of them.
 *
 * @param gateway the gateway instance whose breaker changed
 * @param service the downstream service the breaker guards
 * @param state   CLOSED, OPEN or HALF_OPEN
 * @param at      when it changed
 */
public record BreakerNotice(String gateway, String service, String state, Instant at) {
  public static final String ADDRESS = GatewayAddresses.BREAKER_CHANGED;

  public JsonObject toJson() {
    return new JsonObject().put("gateway", gateway).put("service", service).put("state", state).put("at", at.toString());
  }

  public static BreakerNotice fromJson(JsonObject json) {
    return new BreakerNotice(json.getString("gateway"), json.getString("service"), json.getString("state"),
        Instant.parse(json.getString("at")));
  }
}
