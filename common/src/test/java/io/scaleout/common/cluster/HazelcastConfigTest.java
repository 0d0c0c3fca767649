package io.scaleout.common.cluster;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import io.scaleout.common.config.NodeConfig;
import io.scaleout.common.config.Settings;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ServerSocket;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** How the settings become Hazelcast's join configuration, and a DNS join that really forms a cluster. */
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
  void dnsJoinLooksUpTheName() {
    JoinConfig join = join(Map.of("CLUSTER_JOIN", "dns",
        "CLUSTER_DNS_NAME", "scaleout-hazelcast.scaleout.svc.cluster.local"));

    assertThat(join.getKubernetesConfig().isEnabled()).isTrue();
    assertThat(join.getKubernetesConfig().getProperty("service-dns")).isEqualTo("scaleout-hazelcast.scaleout.svc.cluster.local");
    assertThat(join.getKubernetesConfig().getProperty("service-port")).isEqualTo("5701");
    assertThat(join.getTcpIpConfig().isEnabled()).isFalse();
    assertThat(join.getMulticastConfig().isEnabled()).isFalse();
    assertThat(config(Map.of("CLUSTER_JOIN", "dns", "CLUSTER_DNS_NAME", "members")).getProperty("hazelcast.wait.seconds.before.join"))
        .as("a member that finds nobody yet keeps looking before it founds a cluster").isEqualTo("5");
    assertThat(config(Map.of()).getProperty("hazelcast.wait.seconds.before.join")).as("a static list is complete at once").isEqualTo("0");
  }

  /**
   * The second member knows no address, only a name (here localhost) whose records include the
   * first one's: it finds it by looking the name up, as the compose replicas find each other by
   * their network alias.
   */
  @Test
  void dnsJoinFormsOneClusterOfTheMembersTheNameResolvesTo() throws IOException {
    int port;
    try (ServerSocket free = new ServerSocket(0)) {
      port = free.getLocalPort();
    }
    Map<String, String> env = Map.of("CLUSTER_NAME", "dns-join-" + UUID.randomUUID(), "CLUSTER_HOST", "127.0.0.1",
        "CLUSTER_PORT", Integer.toString(port), "CLUSTER_PORT_COUNT", "2", "CLUSTER_JOIN", "dns", "CLUSTER_DNS_NAME", "localhost",
        "CLUSTER_DNS_JOIN_WAIT_SECONDS", "1");
    HazelcastInstance a = Hazelcast.newHazelcastInstance(config(env));
    try {
      HazelcastInstance b = Hazelcast.newHazelcastInstance(config(env));
      try {
        assertThat(b.getCluster().getLocalMember().getAddress().getPort()).isEqualTo(port + 1);
        assertThat(a.getCluster().getMembers()).hasSize(2);
        assertThat(b.getCluster().getMembers()).hasSize(2);
      } finally {
        b.shutdown();
      }
    } finally {
      a.shutdown();
    }
  }

  @Test
  void leavingAndMigrationsAreBoundedInTime() {
    Config config = ClusterBootstrap.hazelcastConfig(NodeConfig.from("unit", Settings.load("unit",
        Map.of("CLUSTER_MIGRATION_TIMEOUT_SECONDS", "7", "CLUSTER_LEAVE_MAX_WAIT_SECONDS", "9"))).cluster());

    assertThat(config.getProperty("hazelcast.partition.migration.timeout")).isEqualTo("7");
    assertThat(config.getProperty("hazelcast.graceful.shutdown.max.wait")).isEqualTo("9");
  }

  private static JoinConfig join(Map<String, String> env) {
    return config(env).getNetworkConfig().getJoin();
  }

  private static Config config(Map<String, String> env) {
    return ClusterBootstrap.hazelcastConfig(NodeConfig.from("unit", Settings.load("unit", env)).cluster());
  }
}
