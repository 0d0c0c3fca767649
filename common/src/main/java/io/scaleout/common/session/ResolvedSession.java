package io.scaleout.common.session;

import io.scaleout.common.cluster.ClusterMac;
import io.vertx.core.json.JsonObject;

import java.util.Optional;

/**
 * The reply of {@link SessionAddresses#RESOLVE}: whose session a token hash names, until when.
 * Signed by the session service with the cluster's identity key, since the gateway signs the
 * caller it makes of it: a process with a member's certificate but not the key that answered
 * lookups would otherwise choose whose roles a request gets.
 *
 * @param user      {id, email, name, roles}
 * @param expiresAt ISO-8601 instant the session idles out unless used again
 * @param tokenHash the SHA-256 (hex) of the token
 */
public record ResolvedSession(JsonObject user, String expiresAt, String tokenHash) {
  private static final String PURPOSE = "scaleout-resolved-session-v1";
  private static final String SIGNATURE = "signature";

  public JsonObject toJson(ClusterMac mac) {
    return new JsonObject().put("user", user).put("expiresAt", expiresAt).put(SessionAddresses.TOKEN_HASH_FIELD, tokenHash)
        .put(SIGNATURE, mac.sign(PURPOSE, tokenHash, user.encode(), expiresAt));
  }

  /** The reply when its signature matches and it is about {@code tokenHash}; empty otherwise. */
  public static Optional<ResolvedSession> verified(JsonObject json, String tokenHash, ClusterMac mac) {
    JsonObject user = json.getJsonObject("user");
    String expiresAt = json.getString("expiresAt");
    if (user == null || expiresAt == null || !tokenHash.equals(json.getString(SessionAddresses.TOKEN_HASH_FIELD))
        || !mac.verifies(json.getString(SIGNATURE), PURPOSE, tokenHash, user.encode(), expiresAt)) {
      return Optional.empty();
    }
    return Optional.of(new ResolvedSession(user, expiresAt, tokenHash));
  }
}
