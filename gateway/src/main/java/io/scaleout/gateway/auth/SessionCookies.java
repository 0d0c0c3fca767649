package io.scaleout.gateway.auth;

import io.scaleout.common.session.SessionAddresses;
import io.scaleout.common.session.SessionTokens;
import io.scaleout.gateway.route.Route;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;
import io.vertx.core.json.JsonObject;

import java.time.Duration;
import java.time.Instant;

/** The SID cookie: set from a login reply (HttpOnly, SameSite=Lax, Secure when configured), cleared at logout. */
public final class SessionCookies {
  private static final String NEW_TOKEN = SessionCookies.class.getName() + ".token";
  private final boolean secure;

  public SessionCookies(boolean secure) {
    this.secure = secure;
  }

  /** A login's new token is made here, and only its hash goes to the session service. */
  public Route.RequestHook newSession() {
    return (ctx, options) -> {
      String token = SessionTokens.newToken();
      ctx.put(NEW_TOKEN, token);
      options.addHeader(SessionAddresses.NEW_SESSION_HASH, SessionTokens.hash(token));
    };
  }

  /** The client gets the token in the body ({token, user, expiresAt, absoluteExpiresAt}) and as the cookie. */
  public Route.ReplyHook onLogin() {
    return (ctx, reply) -> {
      String token = ctx.get(NEW_TOKEN);
      JsonObject body = (JsonObject) reply.body();
      body.put("token", token);
      long maxAge = Math.max(0, Duration.between(Instant.now(), Instant.parse(body.getString("absoluteExpiresAt"))).toSeconds());
      ctx.response().addCookie(cookie(token).setMaxAge(maxAge));
    };
  }

  /** The cookie is cleared (the session itself is ended on every gateway by {@link SessionEnds}). */
  public Route.ReplyHook onLogout() {
    return (ctx, reply) -> ctx.response().addCookie(cookie("").setMaxAge(0));
  }

  private Cookie cookie(String value) {
    return Cookie.cookie(SessionTokens.COOKIE, value).setPath("/").setHttpOnly(true).setSameSite(CookieSameSite.LAX).setSecure(secure);
  }
}
