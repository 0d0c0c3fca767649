package io.scaleout.gateway;

import io.scaleout.common.observability.RequestId;
import io.scaleout.testsupport.FreePorts;
import io.scaleout.testsupport.HttpTestClient;
import io.scaleout.testsupport.ServiceProcess;
import io.scaleout.testsupport.TestCluster;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** X-Request-Id → gateway → event-bus header → the catalog's JSON log line, across JVMs. */
@ExtendWith(VertxExtension.class)
class RequestIdTest {
  private static TestCluster cluster;
  private static HttpTestClient gateway;
  private static ServiceProcess catalog;

  @BeforeAll
  static void start(Vertx vertx) {
    cluster = new TestCluster();
    int port = FreePorts.next();
    cluster.startNode("gateway", "gateway", Map.of("HTTP_PORT", Integer.toString(port), "HTTP_INSTANCES", "1"),
        GatewayModule::start);
    catalog = cluster.spawnTestNode("catalog", Map.of("LOG_LEVEL", "DEBUG"));
    gateway = new HttpTestClient(vertx, port);
  }

  @AfterAll
  static void stop() {
    cluster.close();
  }

  @Test
  void theCallersRequestIdReachesTheServiceLog() throws InterruptedException {
    HttpTestClient.Response response = gateway.send(HttpMethod.GET, "/api/ping",
        MultiMap.caseInsensitiveMultiMap().add(RequestId.HEADER, "rid-gw-42"));

    assertThat(response.headers().get(RequestId.HEADER)).isEqualTo("rid-gw-42");
    assertThat(response.json().getJsonObject("services").getString("catalog")).isEqualTo(catalogInstance());
    List<JsonObject> lines = awaitLogLine("rid-gw-42");
    assertThat(lines).anySatisfy(line -> {
      assertThat(line.getString("message")).isEqualTo("Ping answered");
      assertThat(line.getString("service")).isEqualTo("catalog");
      assertThat(line.getString("instance")).isEqualTo(catalogInstance());
      assertThat(line.getString("node")).isNotBlank();
    });
  }

  @Test
  void aMissingOrUnsafeRequestIdIsReplacedByAGeneratedOne() {
    HttpTestClient.Response none = gateway.get("/api/ping");
    HttpTestClient.Response unsafe = gateway.send(HttpMethod.GET, "/api/ping",
        MultiMap.caseInsensitiveMultiMap().add(RequestId.HEADER, "bad id {\"forged\":1}"));

    assertThat(none.headers().get(RequestId.HEADER)).matches("[0-9a-f-]{36}");
    assertThat(unsafe.headers().get(RequestId.HEADER)).matches("[0-9a-f-]{36}");
    assertThat(none.headers().get(RequestId.HEADER)).isNotEqualTo(unsafe.headers().get(RequestId.HEADER));
  }

  private static String catalogInstance() {
    return catalog.logLines().get(0).getString("instance");
  }

  private static List<JsonObject> awaitLogLine(String requestId) throws InterruptedException {
    for (int attempt = 0; attempt < 50; attempt++) {
      List<JsonObject> lines = catalog.logLines().stream().filter(l -> requestId.equals(l.getString("requestId"))).toList();
      if (!lines.isEmpty()) {
        return lines;
      }
      Thread.sleep(100);
    }
    return List.of();
  }
}
