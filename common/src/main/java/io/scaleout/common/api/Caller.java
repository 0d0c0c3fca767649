package io.scaleout.common.api;

import io.scaleout.common.session.SessionAddresses;
import io.vertx.core.MultiMap;
import io.vertx.core.eventbus.DeliveryOptions;

import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Who a request is for, as the gateway established it, carried in event-bus headers. Services
 * trust only these headers (clients cannot set event-bus headers; the gateway does). The session
 * hash names the caller's session (never the token itself).
 */
public record Caller(String userId, Set<String> roles, String sessionHash) {
  public static final String USER_ID = "x-user-id";
  public static final String ROLES = "x-user-roles";
  public static final String ADMIN = "admin";
  public static final Caller ANONYMOUS = new Caller(null, Set.of(), null);

  public Caller(String userId, Set<String> roles) {
    this(userId, roles, null);
  }

  public static Caller from(MultiMap headers) {
    String user = headers.get(USER_ID);
    if (user == null || user.isEmpty()) {
      return ANONYMOUS;
    }
    String roles = headers.get(ROLES);
    return new Caller(user, roles == null ? Set.of()
        : Arrays.stream(roles.split(",")).map(String::trim).filter(r -> !r.isEmpty()).collect(Collectors.toUnmodifiableSet()),
        headers.get(SessionAddresses.TOKEN_HASH));
  }

  public boolean authenticated() {
    return userId != null;
  }

  public boolean isAdmin() {
    return roles.contains(ADMIN);
  }

  /** Adds this caller's headers to a request the gateway (or a service acting for it) sends. */
  public DeliveryOptions applyTo(DeliveryOptions options) {
    if (authenticated()) {
      options.addHeader(USER_ID, userId).addHeader(ROLES, String.join(",", roles));
      if (sessionHash != null) {
        options.addHeader(SessionAddresses.TOKEN_HASH, sessionHash);
      }
    }
    return options;
  }
}
