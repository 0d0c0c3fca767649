package io.scaleout.common.api;

import io.scaleout.common.bus.FailureCode;
import io.scaleout.common.bus.InstanceAddresses;
import io.scaleout.common.bus.ServiceException;
import io.scaleout.common.cluster.ClusterMac;
import io.scaleout.common.config.ClusterTrust;
import io.scaleout.common.session.SessionAddresses;
import io.vertx.core.MultiMap;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.function.LongSupplier;
import java.util.stream.Collectors;

/**
 * The caller of a request, signed where it is established (the gateway, or a worker acting for a
 * job's owner) and checked where it arrives. The signature ({@link ClusterMac}, the cluster's
 * identity key) covers user id, roles, session hash, expiry and the address the request is for,
 * so headers set by anything without the key, copied onto another address, or replayed later are
 * refused, never trusted.
 */
public final class CallerSeal {
  public static final String USER_ID = "x-user-id";
  public static final String ROLES = "x-user-roles";
  public static final String EXPIRES = "x-caller-expires";
  public static final String SIGNATURE = "x-caller-signature";
  private static final String PURPOSE = "scaleout-caller-v1";
  private static final List<String> SIGNED = List.of(USER_ID, ROLES, SessionAddresses.TOKEN_HASH, EXPIRES, SIGNATURE);

  private final ClusterMac mac;
  private final Duration ttl;
  private final LongSupplier clockMillis;

  public CallerSeal(ClusterMac mac, Duration ttl, LongSupplier clockMillis) {
    this.mac = mac;
    this.ttl = ttl;
    this.clockMillis = clockMillis;
  }

  public static CallerSeal of(ClusterMac mac, ClusterTrust trust) {
    return new CallerSeal(mac, trust.identityTtl(), System::currentTimeMillis);
  }

  /** Adds the caller's headers, signed for {@code address} (shared or per instance), to a request; none for an anonymous caller. */
  public DeliveryOptions sign(Caller caller, String address, DeliveryOptions options) {
    if (!caller.authenticated()) {
      return options;
    }
    String roles = canonical(caller.roles());
    String expires = Long.toString(clockMillis.getAsLong() + ttl.toMillis());
    options.addHeader(USER_ID, caller.userId()).addHeader(ROLES, roles).addHeader(EXPIRES, expires)
        .addHeader(SIGNATURE, mac.sign(PURPOSE, InstanceAddresses.shared(address), caller.userId(), roles, caller.sessionHash(), expires));
    if (caller.sessionHash() != null) {
      options.addHeader(SessionAddresses.TOKEN_HASH, caller.sessionHash());
    }
    return options;
  }

  /**
   * The caller a request arrived for: anonymous when it names no user; refused (401) when the
   * signature is missing, does not match, was made for another address, or has expired.
   */
  public Caller open(Message<?> message) {
    return open(message.address(), message.headers());
  }

  /** The signed-in caller of a request ({@link Caller#signedIn}). */
  public Caller user(Message<?> message, String toDo) {
    return open(message).signedIn(toDo);
  }

  /** The administrator a request is for ({@link Caller#administrator}). */
  public Caller admin(Message<?> message, String toDo) {
    return open(message).administrator(toDo);
  }

  /** {@link #open(Message)} of a request that arrived at {@code address} with {@code headers}. */
  public Caller open(String address, MultiMap headers) {
    for (String name : SIGNED) {
      if (headers.getAll(name).size() > 1) {
        throw refused("names its caller more than once");
      }
    }
    String user = headers.get(USER_ID);
    if (user == null || user.isEmpty()) {
      return Caller.ANONYMOUS;
    }
    String roles = headers.get(ROLES) == null ? "" : headers.get(ROLES);
    String hash = headers.get(SessionAddresses.TOKEN_HASH);
    String expires = headers.get(EXPIRES);
    String signature = headers.get(SIGNATURE);
    if (expires == null || signature == null) {
      throw refused("carries an unsigned caller");
    }
    if (!mac.verifies(signature, PURPOSE, InstanceAddresses.shared(address), user, roles, hash, expires)) {
      throw refused("carries a caller signature that does not match");
    }
    long expiresAt;
    try {
      expiresAt = Long.parseLong(expires);
    } catch (NumberFormatException e) {
      throw refused("carries an unreadable caller expiry");
    }
    if (expiresAt < clockMillis.getAsLong()) {
      throw refused("carries a caller signature that has expired");
    }
    Set<String> roleSet = roles.isEmpty() ? Set.of()
        : Arrays.stream(roles.split(",")).collect(Collectors.toUnmodifiableSet());
    return new Caller(user, roleSet, hash);
  }

  private static ServiceException refused(String why) {
    return new ServiceException(FailureCode.UNAUTHORIZED, "The request " + why);
  }

  private static String canonical(Set<String> roles) {
    return roles.stream().sorted().collect(Collectors.joining(","));
  }
}
