package io.scaleout.gateway.auth;

import io.scaleout.common.gateway.GatewayAddresses;
import io.scaleout.common.runtime.ServiceContext;
import io.scaleout.common.session.SessionAddresses;
import io.scaleout.gateway.events.JobEventStreams;
import io.scaleout.gateway.peers.EveryGateway;
import io.vertx.core.Future;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

import java.time.Duration;
import java.util.List;

/**
 * A session's end on every gateway: its cached copy forgotten (the token is unknown from then on)
 * and its event streams ended. A logout through this gateway is answered only once every other
 * gateway acknowledged ({@link #everywhere}); the session service's published notice covers the
 * ends no gateway took, and any gateway that missed the acknowledgement window.
 */
public final class SessionEnds {
  private final ServiceContext context;
  private final SessionCache cache;
  private final JobEventStreams streams;
  private final EveryGateway gateways;
  private final Duration ackTimeout;

  public SessionEnds(ServiceContext context, SessionCache cache, JobEventStreams streams, EveryGateway gateways,
                     Duration ackTimeout) {
    this.context = context;
    this.cache = cache;
    this.streams = streams;
    this.gateways = gateways;
    this.ackTimeout = ackTimeout;
  }

  public Future<Void> register() {
    return Future.all(List.of(
        context.endpoints().register(SessionAddresses.ENDED, this::noticed),
        context.endpoints().register(GatewayAddresses.sessionEnded(context.nodeId()), this::noticed))).mapEmpty();
  }

  /** After a logout: the caller's session ended on every gateway ({@link #everywhere}). */
  public Future<Void> ofCaller(RoutingContext ctx) {
    String tokenHash = Authenticator.caller(ctx).sessionHash();
    return tokenHash == null ? Future.succeededFuture() : everywhere(tokenHash);
  }

  /** Ends the session here, then on every other gateway; completes when they acknowledged (or timed out). */
  public Future<Void> everywhere(String tokenHash) {
    ended(tokenHash);
    return gateways.ask(GatewayAddresses::sessionEnded, new JsonObject().put(SessionAddresses.TOKEN_HASH_FIELD, tokenHash), ackTimeout);
  }

  private Future<JsonObject> noticed(Message<JsonObject> message) {
    ended(message.body().getString(SessionAddresses.TOKEN_HASH_FIELD));
    return Future.succeededFuture(new JsonObject());
  }

  private void ended(String tokenHash) {
    if (tokenHash != null) {
      cache.drop(tokenHash);
      streams.sessionEnded(tokenHash);
    }
  }
}
