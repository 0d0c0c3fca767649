package io.scaleout.common.api;

import java.util.Set;

/**
 * Who a request is for, as the gateway established it. It travels in event-bus headers signed by
 * {@link CallerSeal}, and a service knows it only from {@link CallerSeal#open}: clients cannot set
 * event-bus headers, and nothing without the cluster's identity key can make ones a service
 * accepts. The session hash names the caller's session (never the token itself).
 */
public record Caller(String userId, Set<String> roles, String sessionHash) {
  public static final String ADMIN = "admin";
  public static final Caller ANONYMOUS = new Caller(null, Set.of(), null);

  public Caller(String userId, Set<String> roles) {
    this(userId, roles, null);
  }

  public boolean authenticated() {
    return userId != null;
  }

  public boolean isAdmin() {
    return roles.contains(ADMIN);
  }
}
