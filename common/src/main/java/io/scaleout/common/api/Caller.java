package io.scaleout.common.api;

import io.scaleout.common.bus.FailureCode;
import io.scaleout.common.bus.ServiceException;

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

  /** This caller when signed in; 401 ("Sign in to ...") when anonymous. */
  public Caller signedIn(String toDo) {
    if (!authenticated()) {
      throw new ServiceException(FailureCode.UNAUTHORIZED, "Sign in to " + toDo);
    }
    return this;
  }

  /** This caller when an administrator: 401 when anonymous, 403 for any other user. */
  public Caller administrator(String toDo) {
    if (!authenticated()) {
      throw new ServiceException(FailureCode.UNAUTHORIZED, "Sign in as an administrator to " + toDo);
    }
    if (!isAdmin()) {
      throw new ServiceException(FailureCode.FORBIDDEN, "Only administrators may " + toDo);
    }
    return this;
  }
}
