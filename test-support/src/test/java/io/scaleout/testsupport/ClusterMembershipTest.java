package io.scaleout.testsupport;

import io.scaleout.common.bus.PingReply;
import io.scaleout.common.bus.Service;
import io.scaleout.common.observability.RequestId;
import io.scaleout.common.runtime.ServiceRuntime;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Three real Hazelcast members: a client node and a service node in this JVM, and a service node
 * in a child JVM that the last test kills with SIGKILL.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterMembershipTest {
  private static final String WORK = "echo.work";
  private static TestCluster cluster;
  private static Vertx client;
  private static ServiceRuntime local;
  private static ServiceProcess remote;

  @BeforeAll
  static void startThreeNodes() {
    cluster = new TestCluster();
    client = cluster.startClient();
    local = cluster.startTestNode("echo-a", TestModules.slowEcho(WORK, 0));
    remote = cluster.spawnTestNode("echo-b", Map.of("TEST_SLOW_ADDRESS", WORK, "TEST_SLOW_MS", "0"));
  }

  @AfterAll
  static void stop() {
    cluster.close();
  }

  @Test
  @Order(1)
  void requestReplyCrossesJvmsCarryingTheRequestId() {
    Message<JsonObject> reply = Await.result(client.eventBus().<JsonObject>request(Service.pingAddress("echo-b"), null,
        new DeliveryOptions().addHeader(RequestId.HEADER, "rid-cross-1").setSendTimeout(5000)), Duration.ofSeconds(10));

    PingReply ping = PingReply.fromJson(reply.body());
    assertThat(ping.service()).isEqualTo("echo-b");
    assertThat(ping.node()).isNotEqualTo(local.nodeId());
    // the remote bound the id to its handler's context, and its reply carried it back
    assertThat(reply.headers().get(RequestId.HEADER)).isEqualTo("rid-cross-1");
  }

  @Test
  @Order(2)
  void requestsRoundRobinOverTheConsumersOfOneAddress() {
    Map<String, Long> byInstance = send(100).stream()
        .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));

    assertThat(byInstance).hasSize(2);
    assertThat(byInstance.values()).allSatisfy(count -> assertThat(count).isGreaterThan(30));
  }

  @Test
  @Order(3)
  void aKilledNodeIsDroppedAndSurvivorsServeEveryRequest() throws InterruptedException {
    String remoteNode = PingReply.fromJson(Await.result(
        client.eventBus().<JsonObject>request(Service.pingAddress("echo-b"), null), Duration.ofSeconds(10)).body()).node();
    List<String> members = ((VertxInternal) client).clusterManager().getNodes();
    assertThat(members).contains(remoteNode).hasSize(3);

    long killedAt = System.nanoTime();
    remote.kill();
    while (((VertxInternal) client).clusterManager().getNodes().contains(remoteNode)) {
      assertThat(Duration.ofNanos(System.nanoTime() - killedAt)).as("time to drop a killed node").isLessThan(Duration.ofSeconds(20));
      Thread.sleep(100);
    }
    long droppedMillis = Duration.ofNanos(System.nanoTime() - killedAt).toMillis();
    System.out.println("MEASURED killed node dropped after " + droppedMillis + " ms");

    // Until every member has cleaned the dead node's subscriptions, a request may still be routed
    // to it and time out; it must never fail for want of a handler, and it must settle quickly.
    int consecutive = 0;
    int timeouts = 0;
    long lastFailure = 0;
    while (consecutive < 200) {
      assertThat(Duration.ofNanos(System.nanoTime() - killedAt)).as("time to settle").isLessThan(Duration.ofSeconds(30));
      Future<Message<JsonObject>> reply = client.eventBus().request(WORK, new JsonObject(), new DeliveryOptions().setSendTimeout(1000));
      try {
        assertThat(Await.result(reply, Duration.ofSeconds(5)).body().getString("instance")).isEqualTo(local.node().instanceId());
        consecutive++;
      } catch (IllegalStateException failed) {
        ReplyException cause = (ReplyException) failed.getCause();
        assertThat(cause.failureType()).as("a survivor serves the address all along").isEqualTo(ReplyFailure.TIMEOUT);
        timeouts++;
        consecutive = 0;
        lastFailure = System.nanoTime();
      }
    }
    long settledMillis = lastFailure == 0 ? droppedMillis : Duration.ofNanos(lastFailure - killedAt).toMillis();
    System.out.println("MEASURED requests to the killed node: " + timeouts + " timed out, the last " + settledMillis + " ms after the kill");
    assertThat(settledMillis).isLessThan(10_000);
  }

  @Test
  @Order(4)
  void aFrozenNodeIsDroppedByHeartbeatWithinSeconds() throws Exception {
    ServiceProcess frozen = cluster.spawnTestNode("echo-c", Map.of());
    String frozenNode = PingReply.fromJson(Await.result(
        client.eventBus().<JsonObject>request(Service.pingAddress("echo-c"), null), Duration.ofSeconds(10)).body()).node();

    // SIGSTOP keeps its sockets open: only the missing heartbeats can reveal it
    long stoppedAt = System.nanoTime();
    new ProcessBuilder("kill", "-STOP", Long.toString(frozen.pid())).start().waitFor();
    while (((VertxInternal) client).clusterManager().getNodes().contains(frozenNode)) {
      assertThat(Duration.ofNanos(System.nanoTime() - stoppedAt)).as("time to drop a frozen node").isLessThan(Duration.ofSeconds(15));
      Thread.sleep(100);
    }
    System.out.println("MEASURED frozen node dropped after " + Duration.ofNanos(System.nanoTime() - stoppedAt).toMillis() + " ms");
    frozen.kill();
  }

  /** Sends n sequential requests to the shared address; every one must succeed. */
  private static List<String> send(int n) {
    List<String> instances = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      Future<Message<JsonObject>> reply = client.eventBus().request(WORK, new JsonObject().put("n", i),
          new DeliveryOptions().setSendTimeout(5000));
      instances.add(Await.result(reply, Duration.ofSeconds(10)).body().getString("instance"));
    }
    return instances;
  }
}
