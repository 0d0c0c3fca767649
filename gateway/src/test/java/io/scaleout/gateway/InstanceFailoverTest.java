package io.scaleout.gateway;

import io.scaleout.common.catalog.CatalogAddresses;
import io.scaleout.common.runtime.ServiceRuntime;
import io.scaleout.testsupport.FreePorts;
import io.scaleout.testsupport.HttpTestClient;
import io.scaleout.testsupport.ServiceProcess;
import io.scaleout.testsupport.SteadyLoad;
import io.scaleout.testsupport.TestCluster;
import io.scaleout.testsupport.Waiting;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Instances of a service lost under load, behind a real gateway, on a real Hazelcast cluster whose
 * catalog instances are child JVMs: killed (SIGKILL), hung (SIGSTOP), and hung long enough to be
 * dropped from the cluster, then resumed (never ready outside it, it leaves once merged back, to be
 * restarted); and a slow instance among fast ones. Eight clients that
 * retry nothing read all along.
 */
@ExtendWith(VertxExtension.class)
class InstanceFailoverTest {
  private static final Map<String, String> CATALOG = Map.of("TEST_SLOW_ADDRESS", CatalogAddresses.PRODUCT_GET, "TEST_SLOW_MS", "2");
  private TestCluster cluster;
  private HttpTestClient gateway;
  private AdminView view;
  private int port;

  @BeforeEach
  void start(Vertx vertx) {
    cluster = new TestCluster();
    port = FreePorts.next();
    cluster.startNode("gateway", "gateway", Map.of("HTTP_PORT", Integer.toString(port), "HTTP_INSTANCES", "1",
        "RATE_LIMIT_ENABLED", "false"), GatewayModule::start);
    cluster.startTestNode("session", StandIns::sessions);
    gateway = new HttpTestClient(vertx, port);
    view = new AdminView(gateway);
  }

  @AfterEach
  void stop() {
    cluster.close();
  }

  @Test
  void aSlowInstanceGetsLessWork() {
    AtomicInteger fast = new AtomicInteger();
    AtomicInteger slow = new AtomicInteger();
    cluster.startTestNode("catalog", counting(fast, 2));
    cluster.startTestNode("catalog", counting(slow, 40));
    view.awaitInRotation(2);
    try (SteadyLoad load = load()) {
      Waiting.pause(3000);
      assertThat(AdminView.failures(load.stop())).isEmpty();
    }
    // round robin would give both the same number; two choices on in-flight requests favour the fast one
    assertThat(fast.get()).as("requests to the fast instance, the slow one had %s", slow.get()).isGreaterThan(3 * slow.get());
  }

  /** A catalog stand-in answering product reads after {@code delayMillis}, counting them. */
  private static ServiceRuntime.Module counting(AtomicInteger requests, long delayMillis) {
    return context -> context.endpoints().register(CatalogAddresses.PRODUCT_GET, message -> {
      requests.incrementAndGet();
      Promise<JsonObject> reply = Promise.promise();
      context.vertx().setTimer(delayMillis, id -> reply.complete(new JsonObject().put("id", 1)));
      return reply.future();
    });
  }

  @Test
  void aKilledInstanceCostsNoRequest() {
    ServiceProcess doomed = cluster.spawnTestNode("catalog", CATALOG);
    cluster.spawnTestNode("catalog", CATALOG);
    view.awaitInRotation(2);
    try (SteadyLoad load = load()) {
      Waiting.pause(1500);
      long killedAt = load.now();
      doomed.kill();
      Waiting.pause(4000);
      List<SteadyLoad.Outcome> outcomes = load.stop();
      assertThat(AdminView.failures(outcomes)).as("failed requests of %s", outcomes.size()).isEmpty();
      assertThat(SteadyLoad.p99(outcomes, killedAt, killedAt + 2000)).as("p99 ms in the 2 s after the kill").isLessThan(1000);
      assertThat(outcomes.stream().filter(o -> o.startMillis() > killedAt + 1000).count())
          .as("requests in the last 3 s: full throughput back").isGreaterThan(100);
    }
    assertThat(view.inRotation()).hasSize(1);
  }

  @Test
  void aHungInstanceIsEjectedWithinTwoSecondsAndTakesWorkAgainAfterItResumes() {
    ServiceProcess hung = cluster.spawnTestNode("catalog", CATALOG);
    cluster.spawnTestNode("catalog", CATALOG);
    view.awaitInRotation(2);
    String hungInstance = "catalog-3";
    try (SteadyLoad load = load()) {
      Waiting.pause(1500);
      long stoppedAt = System.nanoTime();
      hung.pause();
      Waiting.until("the hung instance ejected", Duration.ofSeconds(2), () -> !view.inRotation().contains(hungInstance));
      long ejectedMillis = (System.nanoTime() - stoppedAt) / 1_000_000;
      // at most 4 s stopped in all: under CLUSTER_PAUSE_EXIT_MS (5 s), it runs on when resumed
      Waiting.pause(2000);
      hung.resume();
      long resumedAt = System.nanoTime();
      Waiting.until("the resumed instance back in rotation", Duration.ofSeconds(10), () -> view.inRotation().contains(hungInstance));
      long backMillis = (System.nanoTime() - resumedAt) / 1_000_000;
      Waiting.pause(1000);
      List<SteadyLoad.Outcome> outcomes = load.stop();
      assertThat(AdminView.failures(outcomes)).as("failed requests of %s", outcomes.size()).isEmpty();
      assertThat(ejectedMillis).as("ms from SIGSTOP to ejection").isLessThan(2000);
      assertThat(backMillis).as("ms from SIGCONT to rotation").isLessThan(10_000);
    }
  }

  @Test
  void anInstanceFrozenUntilTheClusterDroppedItHaltsTheMomentItRuns() {
    ServiceProcess frozen = cluster.spawnTestNode("catalog", CATALOG);
    cluster.spawnTestNode("catalog", CATALOG);
    view.awaitInRotation(2);
    frozen.pause();
    Waiting.until("the paused member dropped", Duration.ofSeconds(20), () -> view.members() == 3);
    frozen.resume();
    long resumedAt = System.nanoTime();
    // frozen past CLUSTER_PAUSE_EXIT_MS (5 s): it halts before its Hazelcast threads act on their stale view
    assertThat(frozen.awaitExit(Duration.ofSeconds(5))).isEqualTo(ServiceRuntime.EXIT_AFTER_SPLIT);
    assertThat((System.nanoTime() - resumedAt) / 1_000_000).as("ms from SIGCONT to exit").isLessThan(2000);
    assertThat(frozen.output()).contains("Leaving, frozen for");
    assertThat(view.members()).isEqualTo(3);
    cluster.spawnTestNode("catalog", CATALOG);
    view.awaitInRotation(2);
    assertThat(gateway.get("/api/products/7").status()).isEqualTo(200);
  }

  @Test
  void anInstanceLeftOutsideTheClusterIsNeverReadyAndLeavesToBeRestartedBeforeItIsMergedBack() {
    // without the pause watch, so the membership watch's own path is what acts
    Map<String, String> catalog = new java.util.HashMap<>(CATALOG);
    catalog.put("CLUSTER_PAUSE_EXIT_MS", "0");
    ServiceProcess straggler = cluster.spawnTestNode("catalog", catalog);
    cluster.spawnTestNode("catalog", CATALOG);
    cluster.spawnTestNode("worker", Map.of());
    view.awaitInRotation(2);
    straggler.pause();
    // past CLUSTER_MAX_NO_HEARTBEAT_SECONDS (6): the others drop it from the cluster
    Waiting.until("the paused member dropped", Duration.ofSeconds(20), () -> view.members() == 4);
    straggler.resume();
    Waiting.until("the straggler not ready (outside the main cluster)", Duration.ofSeconds(10),
        () -> straggler.readiness() == 503);
    assertThat(view.inRotation()).doesNotContain("catalog-3");
    // outside for CLUSTER_MINORITY_EXIT_MS, or merged back sooner by a merge check that fell in that
    // time, it cannot trust its view of the others' registrations: it leaves, to be restarted
    assertThat(straggler.awaitExit(Duration.ofSeconds(30))).isEqualTo(ServiceRuntime.EXIT_AFTER_SPLIT);
    assertThat(straggler.output()).contains("Outside the main cluster").contains("Leaving, ");
    ServiceProcess restarted = cluster.spawnTestNode("catalog", CATALOG);
    view.awaitInRotation(2);
    assertThat(restarted.readiness()).isEqualTo(200);
    assertThat(view.members()).isEqualTo(5);
    HttpTestClient.Response read = gateway.get("/api/products/7");
    assertThat(read.status()).isEqualTo(200);
  }

  private SteadyLoad load() {
    return new SteadyLoad(8, Duration.ofSeconds(5), n -> URI.create("http://127.0.0.1:" + port + "/api/products/" + (n % 50)));
  }
}
