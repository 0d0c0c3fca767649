package io.scaleout.testsupport;

import io.scaleout.common.bus.Service;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** SIGTERM to a real service JVM while it works on a request. */
class GracefulShutdownTest {
  private static TestCluster cluster;
  private static Vertx client;

  @BeforeAll
  static void start() {
    cluster = new TestCluster();
    client = cluster.startClient();
  }

  @AfterAll
  static void stop() {
    cluster.close();
  }

  @Test
  void requestInFlightAtSigtermCompletesThenTheNodeLeaves() throws InterruptedException {
    ServiceProcess node = cluster.spawnTestNode("drain", Map.of(
        "TEST_SLOW_ADDRESS", "drain.slow", "TEST_SLOW_MS", "2000", "SHUTDOWN_GRACE_MS", "300"));
    // a ping there and back first: the TLS connections both ways exist (a cold first handshake
    // took over a second on the CI runner), so the request below is surely in flight at the signal
    Await.result(client.eventBus().request(Service.pingAddress("drain"), null), Duration.ofSeconds(15));
    Future<Message<JsonObject>> inFlight = client.eventBus().request("drain.slow", new JsonObject().put("n", 1),
        new DeliveryOptions().setSendTimeout(15_000));
    Thread.sleep(400);

    node.terminate();

    // not ready first: readiness flips long before the in-flight request ends
    long deadline = System.nanoTime() + Duration.ofSeconds(1).toNanos();
    while (node.readiness() == 200 && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertThat(node.readiness()).isEqualTo(503);

    // after the grace period it takes no new work...
    Thread.sleep(700);
    Future<Message<JsonObject>> late = client.eventBus().request("drain.slow", new JsonObject().put("n", 2),
        new DeliveryOptions().setSendTimeout(5_000));
    assertThatThrownBy(() -> Await.result(late, Duration.ofSeconds(10)))
        .hasCauseInstanceOf(ReplyException.class)
        .satisfies(e -> assertThat(((ReplyException) e.getCause()).failureType()).isEqualTo(ReplyFailure.NO_HANDLERS));

    // ...but finishes what it had accepted, then leaves the cluster and exits
    JsonObject reply = Await.result(inFlight, Duration.ofSeconds(15)).body();
    assertThat(reply.getJsonObject("echo")).isEqualTo(new JsonObject().put("n", 1));
    assertThat(node.awaitExit(Duration.ofSeconds(20))).isEqualTo(143);
    assertThat(node.logLines()).anySatisfy(line -> assertThat(line.getString("message")).endsWith("left the cluster"));
  }

  @Test
  void malformedConfigurationStopsStartupNamingTheVariable() {
    Map<String, String> env = cluster.environment("badconfig", Map.of("MGMT_PORT", "abc", "TEST_SERVICE", "badconfig"));
    try (ServiceProcess node = ServiceProcess.start("badconfig", ServiceNodeMain.class.getName(), env)) {
      assertThat(node.awaitExit(Duration.ofSeconds(30))).isEqualTo(2);
      assertThat(node.output()).contains("MGMT_PORT='abc'").contains("0..65535");
    }
  }
}
