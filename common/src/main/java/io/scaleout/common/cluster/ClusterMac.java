package io.scaleout.common.cluster;

import io.scaleout.common.config.ClusterTrust;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;

/**
 * HMAC-SHA256 with the cluster's identity key: what members write for each other (signed callers,
 * sessions kept in the Hazelcast grid) carries one, so a process that joined Hazelcast without the
 * key can read such data but not make any that a member accepts. Each text starts with its purpose,
 * so a signature made for one kind of thing never passes for another.
 */
public final class ClusterMac {
  private static final String ALGORITHM = "HmacSHA256";
  private final ThreadLocal<Mac> macs;
  private final ThreadLocal<Mac> accepted;

  public ClusterMac(byte[] key) {
    this(key, new byte[0]);
  }

  /** Signs with {@code key}; also accepts signatures of {@code acceptedKey} (empty: none), while a rotation rolls. */
  public ClusterMac(byte[] key, byte[] acceptedKey) {
    this.macs = macs(key);
    this.accepted = acceptedKey.length == 0 ? null : macs(acceptedKey);
  }

  public static ClusterMac of(ClusterTrust trust) {
    return new ClusterMac(trust.identityKey(), trust.acceptedIdentityKey());
  }

  private static ThreadLocal<Mac> macs(byte[] key) {
    if (key.length < ClusterTrust.MIN_KEY_BYTES) {
      throw new IllegalArgumentException("an identity key needs " + ClusterTrust.MIN_KEY_BYTES + " bytes or more");
    }
    SecretKeySpec spec = new SecretKeySpec(key.clone(), ALGORITHM);
    return ThreadLocal.withInitial(() -> {
      try {
        Mac mac = Mac.getInstance(ALGORITHM);
        mac.init(spec);
        return mac;
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException("HMAC-SHA256 is part of every JVM", e);
      }
    });
  }

  /** The signature (base64url) of {@code fields} for {@code purpose}; each field length-prefixed, so no two lists sign alike. */
  public String sign(String purpose, String... fields) {
    return sign(macs, purpose, fields);
  }

  private static String sign(ThreadLocal<Mac> with, String purpose, String... fields) {
    StringBuilder text = new StringBuilder(purpose);
    for (String field : fields) {
      String value = field == null ? "" : field;
      text.append('|').append(value.length()).append(':').append(value);
    }
    return Base64.getUrlEncoder().withoutPadding().encodeToString(with.get().doFinal(text.toString().getBytes(StandardCharsets.UTF_8)));
  }

  /** Whether {@code signature} is {@link #sign}'s for these fields (or the accepted key's), compared in constant time. */
  public boolean verifies(String signature, String purpose, String... fields) {
    return signature != null && (matches(macs, signature, purpose, fields)
        || accepted != null && matches(accepted, signature, purpose, fields));
  }

  private static boolean matches(ThreadLocal<Mac> with, String signature, String purpose, String... fields) {
    return MessageDigest.isEqual(sign(with, purpose, fields).getBytes(StandardCharsets.US_ASCII),
        signature.getBytes(StandardCharsets.US_ASCII));
  }
}
