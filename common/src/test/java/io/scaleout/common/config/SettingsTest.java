package io.scaleout.common.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SettingsTest {

  @Test
  void defaultsApplyWhenTheEnvironmentIsSilent() {
    NodeConfig node = NodeConfig.from("unit", Settings.load("unit", Map.of()));

    assertThat(node.cluster().name()).isEqualTo("scaleout");
    assertThat(node.cluster().members()).containsExactly("127.0.0.1");
    assertThat(node.managementPort()).isEqualTo(9999);
    assertThat(node.drainTimeout()).isEqualTo(Duration.ofSeconds(10));
    assertThat(node.instanceId()).startsWith("unit-");
  }

  @Test
  void serviceDefaultsOverrideCommonDefaults() {
    Settings settings = Settings.load("unit", Map.of());

    assertThat(settings.port("MGMT_PORT")).isEqualTo(9999);
    assertThat(settings.string("UNIT_ONLY")).isEqualTo("from-service-defaults");
  }

  @Test
  void environmentOverridesDefaults() {
    Settings settings = Settings.load("unit", Map.of(
        "MGMT_PORT", "9123",
        "CLUSTER_MEMBERS", " 10.0.0.1 , 10.0.0.2:5702 ",
        "INSTANCE_ID", "unit-7",
        "SHUTDOWN_DRAIN_TIMEOUT_MS", "2500",
        "UNRELATED_VARIABLE", "ignored"));
    NodeConfig node = NodeConfig.from("unit", settings);

    assertThat(node.managementPort()).isEqualTo(9123);
    assertThat(node.cluster().members()).isEqualTo(List.of("10.0.0.1", "10.0.0.2:5702"));
    assertThat(node.instanceId()).isEqualTo("unit-7");
    assertThat(node.drainTimeout()).isEqualTo(Duration.ofMillis(2500));
    assertThat(settings.describe()).doesNotContainKey("UNRELATED_VARIABLE");
  }

  @Test
  void malformedNumberNamesTheVariable() {
    Settings settings = Settings.load("unit", Map.of("MGMT_PORT", "eighty"));

    assertThatThrownBy(() -> NodeConfig.from("unit", settings))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("MGMT_PORT='eighty'")
        .hasMessageContaining("environment variable")
        .hasMessageContaining("0..65535");
  }

  @Test
  void outOfRangeValuesAreRejected() {
    assertThatThrownBy(() -> NodeConfig.from("unit", Settings.load("unit", Map.of("CLUSTER_PORT", "70000"))))
        .hasMessageContaining("CLUSTER_PORT");
    assertThatThrownBy(() -> NodeConfig.from("unit", Settings.load("unit", Map.of("SHUTDOWN_GRACE_MS", "-1"))))
        .hasMessageContaining("SHUTDOWN_GRACE_MS");
    assertThatThrownBy(() -> NodeConfig.from("unit", Settings.load("unit", Map.of("CLUSTER_MEMBERS", " , "))))
        .hasMessageContaining("CLUSTER_MEMBERS");
  }

  @Test
  void unusableClusterSettingsAreRejected() {
    assertThatThrownBy(() -> NodeConfig.from("unit", Settings.load("unit", Map.of("CLUSTER_MEMBERS", "127.0.0.1:5701-5705"))))
        .hasMessageContaining("port range");
    assertThatThrownBy(() -> NodeConfig.from("unit", Settings.load("unit",
        Map.of("CLUSTER_HEARTBEAT_SECONDS", "5", "CLUSTER_MAX_NO_HEARTBEAT_SECONDS", "5"))))
        .hasMessageContaining("CLUSTER_MAX_NO_HEARTBEAT_SECONDS");
    assertThatThrownBy(() -> NodeConfig.from("unit", Settings.load("unit", Map.of("CLUSTER_JOIN", "multicast"))))
        .hasMessageContaining("CLUSTER_JOIN='multicast'");
    assertThatThrownBy(() -> NodeConfig.from("unit", Settings.load("unit", Map.of("CLUSTER_JOIN", "kubernetes"))))
        .hasMessageContaining("CLUSTER_JOIN=kubernetes is now CLUSTER_JOIN=dns").hasMessageContaining("CLUSTER_DNS_NAME");
    assertThatThrownBy(() -> NodeConfig.from("unit", Settings.load("unit", Map.of("CLUSTER_JOIN", "dns"))))
        .hasMessageContaining("CLUSTER_DNS_NAME");
    assertThatThrownBy(() -> NodeConfig.from("unit", Settings.load("unit", Map.of("INSTANCE_ID", "bad id\n"))))
        .hasMessageContaining("INSTANCE_ID");
    assertThatThrownBy(() -> NodeConfig.from("unit", Settings.load("unit", Map.of("LOG_LEVEL", "chatty"))))
        .hasMessageContaining("LOG_LEVEL");
  }

  @Test
  void booleansAndChoicesAreStrict() {
    Settings settings = Settings.load("unit", Map.of("UNIT_FLAG", "yes"));

    assertThatThrownBy(() -> settings.bool("UNIT_FLAG")).hasMessageContaining("UNIT_FLAG='yes'");
    assertThat(Settings.load("unit", Map.of("UNIT_FLAG", "TRUE")).bool("UNIT_FLAG")).isTrue();
  }

  @Test
  void secretsAreMaskedInTheDescription() {
    Settings settings = Settings.load("unit", Map.of("UNIT_PASSWORD", "hunter2"));

    assertThat(settings.describe()).containsEntry("UNIT_PASSWORD", "***").containsEntry("UNIT_ONLY", "from-service-defaults");
    Settings keys = Settings.load("unit", Map.of("CLUSTER_IDENTITY_KEY_ACCEPTED", "c2VjcmV0LWtleS1vZi0zMi1ieXRlcy0wMTIzNDU2Nzg5MDE="));
    assertThat(keys.describe()).containsEntry("CLUSTER_IDENTITY_KEY", "***").containsEntry("CLUSTER_IDENTITY_KEY_ACCEPTED", "***");
    assertThat(settings.string("UNIT_PASSWORD")).isEqualTo("hunter2");
  }

  @Test
  void aVariableMayBeReadFromTheFileItsFileVariableNames(@TempDir Path dir) throws IOException {
    Path secret = dir.resolve("unit-password");
    Files.writeString(secret, "  s3cret from a file\n");
    Settings settings = Settings.load("unit", Map.of("UNIT_PASSWORD_FILE", secret.toString(), "MGMT_PORT_FILE", write(dir, "9124\n")));

    assertThat(settings.string("UNIT_PASSWORD")).isEqualTo("s3cret from a file");
    assertThat(settings.port("MGMT_PORT")).isEqualTo(9124);
    assertThat(settings.describe()).containsEntry("UNIT_PASSWORD", "***").doesNotContainKey("UNIT_PASSWORD_FILE");
  }

  @Test
  void aFileVariableThatCannotBeReadOrClashesStopsTheStart(@TempDir Path dir) throws IOException {
    assertThatThrownBy(() -> Settings.load("unit", Map.of("UNIT_PASSWORD_FILE", dir.resolve("absent").toString())))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("UNIT_PASSWORD_FILE='" + dir.resolve("absent") + "'")
        .hasMessageContaining("readable file");
    assertThatThrownBy(() -> Settings.load("unit", Map.of("UNIT_PASSWORD_FILE", dir.toString())))
        .as("a directory (what docker makes of a missing secret file)")
        .isInstanceOf(ConfigException.class).hasMessageContaining("UNIT_PASSWORD_FILE");
    assertThatThrownBy(() -> Settings.load("unit", Map.of("UNIT_PASSWORD", "a", "UNIT_PASSWORD_FILE", write(dir, "b"))))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("UNIT_PASSWORD and UNIT_PASSWORD_FILE are both set");
    assertThatThrownBy(() -> Settings.load("unit", Map.of("MGMT_PORT_FILE", write(dir, "eighty"))).port("MGMT_PORT"))
        .hasMessageContaining("MGMT_PORT='eighty' (file of MGMT_PORT_FILE)");
  }

  @Test
  void aSecretIsMaskedInTheMessageOfItsBadValue() {
    assertThatThrownBy(() -> Settings.load("unit", Map.of("UNIT_PASSWORD", "hunter2")).integer("UNIT_PASSWORD", 0, 1))
        .hasMessageContaining("UNIT_PASSWORD='***'")
        .hasMessageNotContaining("hunter2");
  }

  private static String write(Path dir, String content) throws IOException {
    Path file = Files.createTempFile(dir, "value", "");
    Files.writeString(file, content);
    return file.toString();
  }

  @Test
  void aSettingWithoutADefaultIsAProgrammingError() {
    Settings settings = Settings.load("unit", Map.of());

    assertThatThrownBy(() -> settings.string("NOT_DECLARED")).isInstanceOf(IllegalStateException.class);
  }
}
