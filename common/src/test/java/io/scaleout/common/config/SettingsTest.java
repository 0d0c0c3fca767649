package io.scaleout.common.config;

import org.junit.jupiter.api.Test;

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
        .hasMessageContaining("CLUSTER_KUBERNETES_SERVICE_DNS");
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
    assertThat(settings.string("UNIT_PASSWORD")).isEqualTo("hunter2");
  }

  @Test
  void aSettingWithoutADefaultIsAProgrammingError() {
    Settings settings = Settings.load("unit", Map.of());

    assertThatThrownBy(() -> settings.string("NOT_DECLARED")).isInstanceOf(IllegalStateException.class);
  }
}
