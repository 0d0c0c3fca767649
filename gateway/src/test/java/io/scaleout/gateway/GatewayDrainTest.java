package io.scaleout.gateway;

import io.scaleout.testsupport.FreePorts;
import io.scaleout.testsupport.HttpTestClient;
import io.scaleout.testsupport.ServiceProcess;
import io.scaleout.testsupport.TestCluster;
import io.scaleout.testsupport.TestModules;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

/** SIGTERM to a real gateway JVM while an HTTP request waits on a slow service. */
@ExtendWith(VertxExtension.class)
class GatewayDrainTest {
  private static TestCluster cluster;
  private static ServiceProcess gatewayProcess;
  private static HttpTestClient gateway;

  @BeforeAll
  static void start(Vertx vertx) {
    cluster = new TestCluster();
    // a catalog whose ping takes 1.5 s, so a request is surely in flight at SIGTERM
    cluster.startTestNode("slow-catalog", TestModules.slowEcho("catalog.ping", 1500));
    cluster.startTestNode("session", TestModules.none());
    cluster.startTestNode("worker", TestModules.none());
    int port = FreePorts.next();
    gatewayProcess = cluster.spawn(GatewayMain.class.getName(), "gateway",
        Map.of("HTTP_PORT", Integer.toString(port), "SHUTDOWN_GRACE_MS", "200"));
    gateway = new HttpTestClient(vertx, port);
  }

  @AfterAll
  static void stop() {
    cluster.close();
  }

  @Test
  void aRequestInFlightAtSigtermCompletes() throws Exception {
    CompletableFuture<HttpTestClient.Response> inFlight = CompletableFuture.supplyAsync(() -> gateway.get("/api/ping"));
    Thread.sleep(400);

    gatewayProcess.terminate();

    HttpTestClient.Response response = inFlight.get(15, java.util.concurrent.TimeUnit.SECONDS);
    assertThat(response.status()).as(response.body()).isEqualTo(200);
    assertThat(response.json().getJsonObject("services").getString("catalog")).startsWith("slow-catalog-");
    assertThat(gatewayProcess.awaitExit(Duration.ofSeconds(20))).isEqualTo(143);
    // and the request has its access log line, with the request id the gateway answered with
    String requestId = response.headers().get("X-Request-Id");
    assertThat(gatewayProcess.logLines()).anySatisfy(line -> {
      assertThat(line.getString("logger")).isEqualTo("access");
      assertThat(line.getString("path")).isEqualTo("/api/ping");
      assertThat(line.getInteger("status")).isEqualTo(200);
      assertThat(line.getDouble("durationMs")).isGreaterThan(1000.0);
      assertThat(line.getString("requestId")).isEqualTo(requestId);
    });
  }
}
