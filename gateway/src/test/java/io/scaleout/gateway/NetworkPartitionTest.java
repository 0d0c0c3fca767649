package io.scaleout.gateway;

import io.scaleout.common.catalog.CatalogAddresses;
import io.scaleout.common.runtime.ServiceRuntime;
import io.scaleout.testsupport.FreePorts;
import io.scaleout.testsupport.HttpTestClient;
import io.scaleout.testsupport.NetworkHosts;
import io.scaleout.testsupport.ServiceProcess;
import io.scaleout.testsupport.SteadyLoad;
import io.scaleout.testsupport.TestCluster;
import io.scaleout.testsupport.Waiting;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A real network partition: the gateway and a session node in this JVM, a catalog instance on one
 * test host (a network namespace) and a catalog instance and a worker on another, all one Hazelcast
 * cluster over a bridge. The second host's link is cut under load, then restored. Nothing is refused
 * or reset on a cut link: every packet is lost, as with a pulled cable.
 */
@ExtendWith(VertxExtension.class)
class NetworkPartitionTest {
  private NetworkHosts network;
  private TestCluster cluster;
  private AdminView view;
  private int port;
  private Map<String, String> onNetwork;

  @BeforeEach
  void start(Vertx vertx) {
    network = NetworkHosts.create(2);
    cluster = new TestCluster();
    port = FreePorts.next();
    onNetwork = Map.of("CLUSTER_HOST", network.localAddress(), "EVENTBUS_HOST", network.localAddress(),
        "CLUSTER_MEMBERS", network.members());
    cluster.startNode("gateway", "gateway", with(Map.of("HTTP_PORT", Integer.toString(port), "HTTP_INSTANCES", "1",
        "RATE_LIMIT_ENABLED", "false")), GatewayModule::start);
    cluster.startNode("testnode", "session", onNetwork, StandIns::sessions);
    view = new AdminView(new HttpTestClient(vertx, port));
  }

  @AfterEach
  void stop() {
    if (cluster != null) {
      cluster.close();
    }
    if (network != null) {
      network.close();
    }
  }

  @Test
  void theSideCutOffStopsTakingWorkAndLeavesWhileTheMainSideAnswersEveryRequest() {
    NetworkHosts.Host main = network.host(0);
    NetworkHosts.Host cutOff = network.host(1);
    cluster.spawnTestNodeInside(main, "catalog", catalog());
    ServiceProcess isolated = cluster.spawnTestNodeInside(cutOff, "catalog", catalog());
    ServiceProcess isolatedWorker = cluster.spawnTestNodeInside(cutOff, "worker", Map.of());
    view.awaitInRotation(2);
    assertThat(view.members()).isEqualTo(5);
    try (SteadyLoad load = load()) {
      Waiting.pause(1500);
      long cutAt = System.nanoTime();
      network.cut(cutOff);
      Waiting.until("the cut-off catalog ejected", Duration.ofSeconds(2), () -> view.inRotation().size() == 1);
      long ejectedMillis = (System.nanoTime() - cutAt) / 1_000_000;
      // past CLUSTER_MAX_NO_HEARTBEAT_SECONDS (6) each side drops the other; two of five is a minority
      Waiting.until("the main side dropped the cut-off members", Duration.ofSeconds(20), () -> view.members() == 3);
      Waiting.until("the cut-off side knows it is outside the main cluster", Duration.ofSeconds(20),
          () -> isolated.output().contains("Outside the main cluster") && isolatedWorker.output().contains("Outside the main cluster"));
      network.restore(cutOff);
      // outside for CLUSTER_MINORITY_EXIT_MS, or merged back first: either way it leaves, to be restarted
      assertThat(isolated.awaitExit(Duration.ofSeconds(30))).isEqualTo(ServiceRuntime.EXIT_AFTER_SPLIT);
      assertThat(isolatedWorker.awaitExit(Duration.ofSeconds(30))).isEqualTo(ServiceRuntime.EXIT_AFTER_SPLIT);
      assertThat(view.inRotation()).as("never taken back while outside").hasSize(1);
      ServiceProcess restarted = cluster.spawnTestNodeInside(cutOff, "catalog", catalog());
      cluster.spawnTestNodeInside(cutOff, "worker", Map.of());
      view.awaitInRotation(2);
      assertThat(restarted.readiness()).isEqualTo(200);
      Waiting.pause(1000);
      List<SteadyLoad.Outcome> outcomes = load.stop();
      assertThat(AdminView.failures(outcomes)).as("failed requests of %s", outcomes.size()).isEmpty();
      assertThat(ejectedMillis).as("ms from the cut to ejection").isLessThan(2000);
    }
    assertThat(view.members()).isEqualTo(5);
  }

  private Map<String, String> catalog() {
    return with(Map.of("TEST_SLOW_ADDRESS", CatalogAddresses.PRODUCT_GET, "TEST_SLOW_MS", "2"));
  }

  private Map<String, String> with(Map<String, String> extra) {
    Map<String, String> env = new java.util.HashMap<>(onNetwork);
    env.putAll(extra);
    return env;
  }

  private SteadyLoad load() {
    return new SteadyLoad(8, Duration.ofSeconds(5), n -> URI.create("http://127.0.0.1:" + port + "/api/products/" + (n % 50)));
  }
}
