package io.scaleout.common.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;

/**
 * What makes a member a member: the certificate its event bus presents and accepts (mutual TLS,
 * so a process that joins Hazelcast by cluster name alone can neither receive nor send a message),
 * and the key that signs the identity of the user a request is for.
 *
 * @param tls          whether the event bus speaks mutual TLS; off only on a network nothing else reaches
 * @param certPath     PEM certificate chain this member presents
 * @param keyPath      PEM private key of that certificate (PKCS#8 or PKCS#1)
 * @param caPath       PEM certificates of the authority every member's certificate must be signed by
 * @param identityKey  HMAC-SHA256 key, the same on every member, that signs callers ({@link io.scaleout.common.api.CallerSeal})
 * @param acceptedIdentityKey another key whose signatures are accepted, never used to sign (empty: none), for
 *                     rotating the identity key in rolling restarts (README, Security)
 * @param identityTtl  how long a signed caller stays valid after it was signed: a request's time on the
 *                     bus plus the clock skew between hosts
 */
public record ClusterTrust(boolean tls, String certPath, String keyPath, String caPath, byte[] identityKey,
                           byte[] acceptedIdentityKey, Duration identityTtl) {
  public static final int MIN_KEY_BYTES = 32;

  public static ClusterTrust from(Settings s) {
    String mode = s.string("CLUSTER_TLS");
    if (!mode.equals("required") && !mode.equals("off")) {
      throw new ConfigException("Invalid configuration: CLUSTER_TLS='" + mode + "' must be required or off");
    }
    boolean tls = mode.equals("required");
    if (tls) {
      for (String key : new String[] {"CLUSTER_TLS_CERT", "CLUSTER_TLS_KEY", "CLUSTER_TLS_CA"}) {
        String path = s.optionalString(key);
        if (path.isEmpty()) {
          throw new ConfigException("Invalid configuration: " + key + " is not set; CLUSTER_TLS=required needs "
              + "CLUSTER_TLS_CERT, CLUSTER_TLS_KEY and CLUSTER_TLS_CA (PEM files; deploy/local/cluster-certs.sh makes a "
              + "throw-away set), or CLUSTER_TLS=off on a network no other process reaches");
        }
        if (!Files.isReadable(Path.of(path))) {
          throw new ConfigException("Invalid configuration: " + key + "='" + path + "' is not a readable file");
        }
      }
    }
    return new ClusterTrust(tls, s.optionalString("CLUSTER_TLS_CERT"), s.optionalString("CLUSTER_TLS_KEY"),
        s.optionalString("CLUSTER_TLS_CA"), identityKey("CLUSTER_IDENTITY_KEY", s.optionalString("CLUSTER_IDENTITY_KEY")),
        s.optionalString("CLUSTER_IDENTITY_KEY_ACCEPTED").isEmpty() ? new byte[0]
            : identityKey("CLUSTER_IDENTITY_KEY_ACCEPTED", s.optionalString("CLUSTER_IDENTITY_KEY_ACCEPTED")),
        s.millis("CLUSTER_IDENTITY_TTL_MS", 1000, 600_000));
  }

  private static byte[] identityKey(String name, String base64) {
    String hint = " (base64 of at least " + MIN_KEY_BYTES + " random bytes, the same on every member: "
        + "head -c 32 /dev/urandom | base64)";
    if (base64.isEmpty()) {
      throw new ConfigException("Invalid configuration: " + name + " is not set" + hint);
    }
    byte[] key;
    try {
      key = Base64.getDecoder().decode(base64);
    } catch (IllegalArgumentException e) {
      throw new ConfigException("Invalid configuration: " + name + " is not base64" + hint);
    }
    if (key.length < MIN_KEY_BYTES) {
      throw new ConfigException("Invalid configuration: " + name + " holds " + key.length + " bytes" + hint);
    }
    return key;
  }

  /** Never the key itself, even in a log line. */
  @Override
  public String toString() {
    return "ClusterTrust[tls=" + tls + ", cert=" + certPath + ", key=" + keyPath + ", ca=" + caPath
        + ", identityTtl=" + identityTtl + "]";
  }
}
