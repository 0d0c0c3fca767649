package io.scaleout.common.session;

/**
 * Event-bus addresses of the session service. API addresses take an
 * {@link io.scaleout.common.api.ApiRequest} (the caller in {@link io.scaleout.common.api.Caller}
 * headers) and answer an {@link io.scaleout.common.api.ApiReply}.
 */
public final class SessionAddresses {
  /** Body {email, password, name} → 201 user. */
  public static final String REGISTER = "session.users.register";
  /**
   * Body {email, password}; request header {@link #CLIENT_ADDRESS}, bus header {@link #NEW_SESSION_HASH}
   * → 201 {user, expiresAt, absoluteExpiresAt}. The gateway made the token and adds it to its answer.
   */
  public static final String LOGIN = "session.sessions.create";
  /** Internal, for gateways: {tokenHash} → a signed {@link ResolvedSession}; 401 when none. */
  public static final String RESOLVE = "session.sessions.resolve";
  /** The caller's session (header {@link #TOKEN_HASH}) → {user, expiresAt}. */
  public static final String CURRENT = "session.sessions.current";
  /** Ends the caller's session (header {@link #TOKEN_HASH}) → 204, then publishes {@link #ENDED}. */
  public static final String LOGOUT = "session.sessions.delete";
  /** Publish: {tokenHash} of a session that ended; gateways drop their cached copy at once. */
  public static final String ENDED = "session.ended";
  /** The caller's cart → {items:[{productId, quantity}], count}. */
  public static final String CART_GET = "session.cart.get";
  /** Path productId, body {quantity 1..99} → the cart. */
  public static final String CART_SET = "session.cart.set";
  /** Path productId → the cart. */
  public static final String CART_REMOVE = "session.cart.remove";

  /** Body field of RESOLVE requests and replies and of ENDED notices: a token's SHA-256 (hex). */
  public static final String TOKEN_HASH_FIELD = "tokenHash";
  /** Request header (lower case) with the client's address, for login throttling. */
  public static final String CLIENT_ADDRESS = "x-client-address";
  /** Bus header of a login: the SHA-256 (hex) of the token the gateway made for the session it starts. */
  public static final String NEW_SESSION_HASH = "x-new-session-hash";
  /** Bus header with the SHA-256 of the caller's session token, set by the gateway. */
  public static final String TOKEN_HASH = "x-session-hash";

  private SessionAddresses() {
  }
}
