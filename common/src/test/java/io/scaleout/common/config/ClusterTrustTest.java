package io.scaleout.common.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ClusterTrustTest {

  private static ClusterTrust trust(Map<String, String> env) {
    return ClusterTrust.from(Settings.load("unit", env));
  }

  private static Map<String, String> tls(Path dir) throws IOException {
    Map<String, String> env = new HashMap<>(Map.of("CLUSTER_TLS", "required"));
    for (String name : new String[] {"CERT", "KEY", "CA"}) {
      Path file = Files.writeString(dir.resolve(name.toLowerCase() + ".pem"), "-----BEGIN-----");
      env.put("CLUSTER_TLS_" + name, file.toString());
    }
    return env;
  }

  @Test
  void requiredTlsNamesEachMissingFile(@TempDir Path dir) throws IOException {
    Map<String, String> env = tls(dir);
    env.remove("CLUSTER_TLS_KEY");
    assertThatThrownBy(() -> trust(env)).isInstanceOf(ConfigException.class)
        .hasMessageContaining("CLUSTER_TLS_KEY is not set").hasMessageContaining("CLUSTER_TLS=off");

    env.put("CLUSTER_TLS_KEY", dir.resolve("absent.pem").toString());
    assertThatThrownBy(() -> trust(env)).isInstanceOf(ConfigException.class)
        .hasMessageContaining("CLUSTER_TLS_KEY='" + dir.resolve("absent.pem") + "' is not a readable file");
  }

  @Test
  void requiredTlsWithItsFilesIsTaken(@TempDir Path dir) throws IOException {
    ClusterTrust trust = trust(tls(dir));
    assertThat(trust.tls()).isTrue();
    assertThat(trust.caPath()).isEqualTo(dir.resolve("ca.pem").toString());
    assertThat(trust.toString()).doesNotContain("identityKey=");
  }

  @Test
  void tlsIsRequiredUnlessTurnedOffByName() {
    assertThatThrownBy(() -> trust(Map.of("CLUSTER_TLS", "required"))).isInstanceOf(ConfigException.class)
        .hasMessageContaining("CLUSTER_TLS_CERT is not set");
    assertThatThrownBy(() -> trust(Map.of("CLUSTER_TLS", "no"))).isInstanceOf(ConfigException.class)
        .hasMessageContaining("CLUSTER_TLS='no' must be required or off");
    assertThat(trust(Map.of()).tls()).isFalse();
  }

  @Test
  void theIdentityKeyIsBase64OfAtLeast32Bytes() {
    assertThatThrownBy(() -> trust(Map.of("CLUSTER_IDENTITY_KEY", ""))).isInstanceOf(ConfigException.class)
        .hasMessageContaining("CLUSTER_IDENTITY_KEY is not set");
    assertThatThrownBy(() -> trust(Map.of("CLUSTER_IDENTITY_KEY", "not base64!"))).isInstanceOf(ConfigException.class)
        .hasMessageContaining("CLUSTER_IDENTITY_KEY is not base64");
    assertThatThrownBy(() -> trust(Map.of("CLUSTER_IDENTITY_KEY", "c2hvcnQ="))).isInstanceOf(ConfigException.class)
        .hasMessageContaining("holds 5 bytes");
    assertThat(trust(Map.of()).identityKey()).hasSizeGreaterThanOrEqualTo(32);
  }
}
