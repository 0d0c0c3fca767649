package io.scaleout.session.api;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.scaleout.common.api.ApiReply;
import io.scaleout.common.api.ApiRequest;
import io.scaleout.common.api.CallerSeal;
import io.scaleout.common.cluster.ClusterMac;
import io.scaleout.common.session.ResolvedSession;
import io.scaleout.common.bus.BusEndpoints;
import io.scaleout.common.bus.FailureCode;
import io.scaleout.common.bus.ServiceException;
import io.scaleout.common.session.SessionAddresses;
import io.scaleout.common.session.SessionTokens;
import io.scaleout.session.SessionConfig;
import io.scaleout.session.password.HashingPool;
import io.scaleout.session.store.LoginThrottle;
import io.scaleout.session.store.SessionStore;
import io.scaleout.session.user.Credentials;
import io.scaleout.session.user.UserStore;
import io.vertx.core.Future;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** Registration, login, session resolution (for gateways), the current session, logout. */
public final class SessionEndpoints {
  private static final String WRONG_CREDENTIALS = "Email or password is wrong";

  private final SessionConfig config;
  private final Credentials credentials;
  private final UserStore users;
  private final HashingPool hashing;
  private final SessionStore sessions;
  private final LoginThrottle throttle;
  private final EventBus bus;
  private final CallerSeal callers;
  private final ClusterMac mac;
  private MeterRegistry registry;

  public SessionEndpoints(SessionConfig config, UserStore users, HashingPool hashing, SessionStore sessions,
                          LoginThrottle throttle, EventBus bus, CallerSeal callers, ClusterMac mac) {
    this.config = config;
    this.credentials = new Credentials(config.passwordMinLength(), config.passwordMaxBytes());
    this.users = users;
    this.hashing = hashing;
    this.sessions = sessions;
    this.throttle = throttle;
    this.bus = bus;
    this.callers = callers;
    this.mac = mac;
  }

  /** session_logins_total{outcome=success|failure|throttled}. */
  public void bindTo(MeterRegistry registry) {
    for (String outcome : List.of("success", "failure", "throttled")) {
      Counter.builder("session.logins").tag("outcome", outcome).description("Login attempts by outcome").register(registry);
    }
    this.registry = registry;
  }

  private void countLogin(String outcome) {
    if (registry != null) {
      registry.counter("session.logins", "outcome", outcome).increment();
    }
  }

  public Future<Void> register(BusEndpoints endpoints) {
    return Future.all(List.of(
        endpoints.register(SessionAddresses.REGISTER, this::registerUser),
        endpoints.register(SessionAddresses.LOGIN, this::login),
        endpoints.register(SessionAddresses.RESOLVE, this::resolve),
        endpoints.register(SessionAddresses.CURRENT, this::current),
        endpoints.register(SessionAddresses.LOGOUT, this::logout))).mapEmpty();
  }

  private Future<ApiReply> registerUser(Message<JsonObject> message) {
    Credentials.Registration registration = credentials.registration(ApiRequest.fromJson(message.body()).body());
    return hashing.hash(registration.password())
        .compose(hash -> users.insert(registration.email(), registration.name(), hash, List.of("user")))
        .map(user -> ApiReply.created(user.json(), "/api/users/" + user.id()));
  }

  private Future<ApiReply> login(Message<JsonObject> message) {
    ApiRequest request = ApiRequest.fromJson(message.body());
    String sessionHash = message.headers().get(SessionAddresses.NEW_SESSION_HASH);
    if (!SessionTokens.wellFormedHash(sessionHash)) {
      // the gateway makes the token and sends its hash only: a login without one is not from a gateway
      throw new ServiceException(FailureCode.BAD_REQUEST, "A login needs the hash of the new session's token ("
          + SessionAddresses.NEW_SESSION_HASH + ")");
    }
    Credentials.Login login = credentials.login(request.body());
    String address = request.header(SessionAddresses.CLIENT_ADDRESS) == null ? "unknown" : request.header(SessionAddresses.CLIENT_ADDRESS);
    return Dependencies.guard("login throttle", throttle.attempt(login.email(), address))
        .onFailure(failure -> {
          if (failure instanceof ServiceException refused && refused.code() == FailureCode.RATE_LIMITED) {
            countLogin("throttled");
          }
        })
        .compose(counted -> checkPassword(login, address))
        .compose(checked -> {
          if (!checked.matches()) {
            countLogin("failure");
            return Dependencies.guard("login throttle", throttle.failed(login.email(), address))
                .compose(x -> Future.failedFuture(new ServiceException(FailureCode.UNAUTHORIZED, WRONG_CREDENTIALS)));
          }
          countLogin("success");
          return throttle.succeeded(login.email(), address).otherwiseEmpty().compose(x -> startSession(checked.user(), sessionHash));
        });
  }

  private record Checked(UserStore.User user, boolean matches) {
  }

  /** The password checked against the account; an attempt never decided (a dependency failed) is taken back. */
  private Future<Checked> checkPassword(Credentials.Login login, String address) {
    return users.byEmail(login.email())
        .compose(user -> hashing.verify(login.password(), user == null ? null : user.passwordHash())
            .map(matches -> new Checked(user, matches)))
        .onFailure(failure -> throttle.undecided(login.email(), address));
  }

  /** The token itself stays with the gateway, which adds it to the reply it writes. */
  private Future<ApiReply> startSession(UserStore.User user, String hash) {
    Instant now = Instant.now();
    Instant absolute = now.plus(config.absoluteTimeout());
    JsonObject session = new JsonObject().put("user", user.json()).put("createdAt", now.toEpochMilli())
        .put("absoluteExpiresAt", absolute.toEpochMilli());
    Duration ttl = min(config.idleTimeout(), config.absoluteTimeout());
    return Dependencies.guard("session store", sessions.create(hash, session, ttl))
        .map(created -> {
          if (!created) {
            throw new ServiceException(FailureCode.CONFLICT, "A session of that token exists already");
          }
          return created;
        })
        .map(v -> ApiReply.created(new JsonObject()
            .put("user", user.json())
            .put("expiresAt", now.plus(ttl).toString())
            .put("absoluteExpiresAt", absolute.toString()), "/api/sessions/current"));
  }

  /** For gateways: {tokenHash} → the session's user and expiry, signed; extends the idle timeout. */
  private Future<JsonObject> resolve(Message<JsonObject> message) {
    String hash = message.body() == null ? null : message.body().getString(SessionAddresses.TOKEN_HASH_FIELD);
    if (!SessionTokens.wellFormedHash(hash)) {
      return Future.failedFuture(noSession());
    }
    return live(hash).compose(session -> {
      Instant now = Instant.now();
      Duration ttl = min(config.idleTimeout(), Duration.between(now, absoluteExpiry(session)));
      return Dependencies.guard("session store", sessions.touch(hash, session, ttl))
          .map(v -> new ResolvedSession(session.getJsonObject("user"), now.plus(ttl).toString(), hash).toJson(mac));
    });
  }

  private Future<ApiReply> current(Message<JsonObject> message) {
    String hash = callers.open(message).sessionHash();
    if (hash == null) {
      return Future.failedFuture(noSession());
    }
    return live(hash).map(session -> ApiReply.ok(new JsonObject().put("user", session.getJsonObject("user"))
        .put("absoluteExpiresAt", absoluteExpiry(session).toString())));
  }

  /** Deletes the session, then tells every gateway to forget it. */
  private Future<ApiReply> logout(Message<JsonObject> message) {
    String hash = callers.open(message).sessionHash();
    if (hash == null) {
      return Future.failedFuture(noSession());
    }
    return Dependencies.guard("session store", sessions.delete(hash)).map(v -> {
      bus.publish(SessionAddresses.ENDED, new JsonObject().put(SessionAddresses.TOKEN_HASH_FIELD, hash));
      return ApiReply.noContent();
    });
  }

  /** The stored session when it exists and its absolute lifetime has not passed. */
  private Future<JsonObject> live(String hash) {
    return Dependencies.guard("session store", sessions.get(hash)).compose(session -> {
      if (session == null) {
        return Future.failedFuture(noSession());
      }
      if (!absoluteExpiry(session).isAfter(Instant.now())) {
        return sessions.delete(hash).otherwiseEmpty().compose(v -> Future.failedFuture(noSession()));
      }
      return Future.succeededFuture(session);
    });
  }

  private static Instant absoluteExpiry(JsonObject session) {
    return Instant.ofEpochMilli(session.getLong("absoluteExpiresAt"));
  }

  private static ServiceException noSession() {
    return new ServiceException(FailureCode.UNAUTHORIZED, "No valid session: sign in");
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }
}
