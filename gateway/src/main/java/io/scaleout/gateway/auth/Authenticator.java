package io.scaleout.gateway.auth;

import io.scaleout.common.api.Caller;
import io.scaleout.common.api.ClientNetworks;
import io.scaleout.common.bus.BusClient;
import io.scaleout.common.bus.BusEndpoints;
import io.scaleout.common.cluster.ClusterMac;
import io.scaleout.common.session.ResolvedSession;
import io.scaleout.common.bus.Service;
import io.scaleout.common.bus.FailureCode;
import io.scaleout.common.bus.Problem;
import io.scaleout.common.session.SessionAddresses;
import io.scaleout.common.session.SessionTokens;
import io.scaleout.gateway.http.ClientAddresses;
import io.scaleout.gateway.http.ProblemResponses;
import io.vertx.core.Handler;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

/**
 * Who is calling: `Authorization: Bearer` or the SID cookie, resolved through the session service
 * and cached for a few seconds; a token it did not know is refused here for a while without
 * asking, and each client address may cost only so many lookups a second (429 beyond). Routes choose {@link #optional()}, {@link #user()} or
 * {@link #admin()}. An unsafe method authenticated by cookie must carry X-Requested-With (a
 * cross-site form cannot set it); bearer requests need not.
 */
public final class Authenticator {
  private static final Logger log = LoggerFactory.getLogger(Authenticator.class);
  private static final String CALLER = Caller.class.getName();
  private static final String PROBLEM = Authenticator.class.getName() + ".problem";
  private static final String VIA_COOKIE = Authenticator.class.getName() + ".cookie";
  private static final Set<HttpMethod> SAFE = Set.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.OPTIONS);

  private static final String NO_SESSION = "The session token is not valid: sign in";

  private final BusClient bus;
  private final SessionCache cache;
  private final SessionLookups lookups;
  private final ClientAddresses clients;
  private final ClusterMac mac;

  public Authenticator(BusClient bus, SessionCache cache, SessionLookups lookups, ClientAddresses clients, ClusterMac mac) {
    this.bus = bus;
    this.cache = cache;
    this.lookups = lookups;
    this.clients = clients;
    this.mac = mac;
  }

  /** The caller established for this request (anonymous when none). */
  public static Caller caller(RoutingContext ctx) {
    Caller caller = ctx.get(CALLER);
    return caller == null ? Caller.ANONYMOUS : caller;
  }

  /**
   * Resolves credentials when present; the request goes on even without a valid session. Run for
   * every API request, so the rate limiter knows the user; later checks reuse the answer.
   */
  public Handler<RoutingContext> optional() {
    return ctx -> resolve(ctx, () -> ctx.next());
  }

  /** 401 without a valid session (503 when the session service cannot tell). */
  public Handler<RoutingContext> user() {
    return ctx -> resolve(ctx, () -> requireCaller(ctx, false));
  }

  /** As {@link #user()}, then 403 unless the caller is an administrator. */
  public Handler<RoutingContext> admin() {
    return ctx -> resolve(ctx, () -> requireCaller(ctx, true));
  }

  private static void requireCaller(RoutingContext ctx, boolean admin) {
    Caller caller = caller(ctx);
    if (!caller.authenticated()) {
      Problem problem = ctx.get(PROBLEM);
      ProblemResponses.send(ctx, problem != null ? problem : Problem.of(FailureCode.UNAUTHORIZED, "Sign in first"));
    } else if (Boolean.TRUE.equals(ctx.get(VIA_COOKIE)) && !SAFE.contains(ctx.request().method())
        && ctx.request().getHeader("X-Requested-With") == null) {
      ProblemResponses.send(ctx, Problem.of(FailureCode.FORBIDDEN,
          "A request authenticated by cookie that changes something must carry the X-Requested-With header"));
    } else if (admin && !caller.isAdmin()) {
      ProblemResponses.send(ctx, Problem.of(FailureCode.FORBIDDEN, "Only administrators may do this"));
    } else {
      ctx.next();
    }
  }

  private void resolve(RoutingContext ctx, Runnable then) {
    if (ctx.get(CALLER) != null || ctx.get(PROBLEM) != null) {
      then.run();
      return;
    }
    HttpServerRequest request = ctx.request();
    String token = bearer(request);
    boolean viaCookie = false;
    if (token == null) {
      Cookie cookie = request.getCookie(SessionTokens.COOKIE);
      token = cookie == null ? null : cookie.getValue();
      viaCookie = token != null;
    }
    if (token == null) {
      then.run();
      return;
    }
    if (!SessionTokens.wellFormed(token)) {
      ctx.put(PROBLEM, Problem.of(FailureCode.UNAUTHORIZED, NO_SESSION));
      then.run();
      return;
    }
    String hash = SessionTokens.hash(token);
    Caller cached = cache.get(hash);
    if (cached != null) {
      accept(ctx, cached, viaCookie, then);
      return;
    }
    if (cache.isUnknown(hash)) {
      ctx.put(PROBLEM, Problem.of(FailureCode.UNAUTHORIZED, NO_SESSION));
      then.run();
      return;
    }
    String client = ClientNetworks.limitKey(clients.of(request));
    if (!lookups.tryTake(client)) {
      ctx.put(PROBLEM, Problem.of(FailureCode.RATE_LIMITED, "Too many session lookups from this address; retry shortly"));
      then.run();
      return;
    }
    boolean cookie = viaCookie;
    bus.<JsonObject>requestIdempotent(Service.SESSION, SessionAddresses.RESOLVE,
        new JsonObject().put(SessionAddresses.TOKEN_HASH_FIELD, hash)).onComplete(ar -> {
      if (ar.failed()) {
        if (FailureCode.UNAUTHORIZED.answered(ar.cause())) {
          cache.putUnknown(hash);
        }
        ctx.put(PROBLEM, Problem.fromFailure(ar.cause(), "session"));
        then.run();
        return;
      }
      Optional<ResolvedSession> verified = ResolvedSession.verified(ar.result().body(), hash, mac);
      if (verified.isEmpty()) {
        log.warn("A session lookup's answer was not signed with the cluster key (instance {}): refused",
            ar.result().headers().get(BusEndpoints.INSTANCE_HEADER));
        ctx.put(PROBLEM, Problem.of(FailureCode.UNAVAILABLE, "The session service's answer could not be verified"));
        then.run();
        return;
      }
      // a session that exists costs this address no lookup: only made-up tokens draw on its bucket
      lookups.giveBack(client);
      JsonObject user = verified.get().user();
      Caller caller = new Caller(user.getString("id"), roles(user.getJsonArray("roles")), hash);
      cache.put(hash, caller, Duration.between(Instant.now(), Instant.parse(verified.get().expiresAt())));
      accept(ctx, caller, cookie, then);
    });
  }

  private static void accept(RoutingContext ctx, Caller caller, boolean viaCookie, Runnable then) {
    ctx.put(VIA_COOKIE, viaCookie);
    ctx.put(CALLER, caller);
    then.run();
  }

  private static String bearer(HttpServerRequest request) {
    String header = request.getHeader(HttpHeaders.AUTHORIZATION);
    if (header == null || header.length() < 7 || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return null;
    }
    return header.substring(7).trim();
  }

  private static Set<String> roles(JsonArray roles) {
    Set<String> set = new HashSet<>();
    if (roles != null) {
      roles.forEach(role -> set.add(role.toString()));
    }
    return Set.copyOf(set);
  }
}
