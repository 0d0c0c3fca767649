package io.scaleout.common.cluster;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import io.scaleout.common.config.NodeConfig;
import io.scaleout.common.config.Settings;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** How the settings become Hazelcast's join configuration. */
class HazelcastConfigTest {

  @Test
  void tcpIpJoinListsTheMembersAndNothingElse() {
    JoinConfig join = join(Map.of("CLUSTER_MEMBERS", "10.0.0.1,10.0.0.2:5702"));

    assertThat(join.getTcpIpConfig().isEnabled()).isTrue();
    assertThat(join.getTcpIpConfig().getMembers()).containsExactly("10.0.0.1", "10.0.0.2:5702");
    assertThat(join.getKubernetesConfig().isEnabled()).isFalse();
    assertThat(join.getMulticastConfig().isEnabled()).isFalse();
    assertThat(join.getAutoDetectionConfig().isEnabled()).isFalse();
  }

  @Test
  void kubernetesJoinLooksUpTheHeadlessService() {
    JoinConfig join = join(Map.of("CLUSTER_JOIN", "kubernetes",
        "CLUSTER_KUBERNETES_SERVICE_DNS", "scaleout-hazelcast.scaleout.svc.cluster.local"));

    assertThat(join.getKubernetesConfig().isEnabled()).isTrue();
    assertThat(join.getKubernetesConfig().getProperty("service-dns")).isEqualTo("scaleout-hazelcast.scaleout.svc.cluster.local");
    assertThat(join.getKubernetesConfig().getProperty("service-port")).isEqualTo("5701");
    assertThat(join.getTcpIpConfig().isEnabled()).isFalse();
    assertThat(join.getMulticastConfig().isEnabled()).isFalse();
  }

  @Test
  void leavingAndMigrationsAreBoundedInTime() {
    Config config = ClusterBootstrap.hazelcastConfig(NodeConfig.from("unit", Settings.load("unit",
        Map.of("CLUSTER_MIGRATION_TIMEOUT_SECONDS", "7", "CLUSTER_LEAVE_MAX_WAIT_SECONDS", "9"))).cluster());

    assertThat(config.getProperty("hazelcast.partition.migration.timeout")).isEqualTo("7");
    assertThat(config.getProperty("hazelcast.graceful.shutdown.max.wait")).isEqualTo("9");
  }

  private static JoinConfig join(Map<String, String> env) {
    Config config = ClusterBootstrap.hazelcastConfig(NodeConfig.from("unit", Settings.load("unit", env)).cluster());
    return config.getNetworkConfig().getJoin();
  }
}
