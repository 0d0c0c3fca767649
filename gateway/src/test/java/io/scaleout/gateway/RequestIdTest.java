package io.scaleout.gateway;

import io.scaleout.common.catalog.CatalogAddresses;
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
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * X-Request-Id → the gateway's access log line → event-bus header → the catalog's JSON log line:
 * the gateway and the catalog stand-in each in a child JVM of their own, their stdout read back.
 */
@ExtendWith(VertxExtension.class)
class RequestIdTest {
  private static TestCluster cluster;
  private static HttpTestClient gateway;
  private static ServiceProcess gatewayProcess;
  private static ServiceProcess catalog;

  @BeforeAll
  static void start(Vertx vertx) {
    cluster = new TestCluster();
    int port = FreePorts.next();
    gatewayProcess = cluster.spawn(GatewayMain.class.getName(), "gateway", Map.of("HTTP_PORT", Integer.toString(port),
        "HTTP_INSTANCES", "1"));
    // the catalog stand-in answers ping (logging it) and, by its echo endpoint, the categories route
    catalog = cluster.spawnTestNode("catalog", Map.of("LOG_LEVEL", "DEBUG", "TEST_SLOW_ADDRESS", CatalogAddresses.CATEGORIES_LIST,
        "TEST_SLOW_MS", "0"));
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
    List<JsonObject> access = awaitLogLine(gatewayProcess, "rid-gw-42", RequestIdTest::isAccessLine);
    assertThat(access).anySatisfy(line -> {
      assertThat(line.getString("logger")).isEqualTo("access");
      assertThat(line.getString("method")).isEqualTo("GET");
      assertThat(line.getString("path")).isEqualTo("/api/ping");
      assertThat(line.getInteger("status")).isEqualTo(response.status());
      assertThat(line.getDouble("durationMs")).isPositive();
      assertThat(line.getLong("bytes")).isEqualTo(response.body().length());
      assertThat(line.getString("service")).isEqualTo("gateway");
    });
    List<JsonObject> lines = awaitLogLine(catalog, "rid-gw-42", line -> "Ping answered".equals(line.getString("message")));
    assertThat(lines).anySatisfy(line -> {
      assertThat(line.getString("message")).isEqualTo("Ping answered");
      assertThat(line.getString("service")).isEqualTo("catalog");
      assertThat(line.getString("instance")).isEqualTo(catalogInstance());
      assertThat(line.getString("node")).isNotBlank();
    });
  }

  @Test
  void theAccessLogLineNamesTheInstanceThatAnswered() throws InterruptedException {
    HttpTestClient.Response response = gateway.send(HttpMethod.GET, "/api/categories",
        MultiMap.caseInsensitiveMultiMap().add(RequestId.HEADER, "rid-upstream-7"));

    assertThat(response.status()).isEqualTo(200);
    assertThat(awaitLogLine(gatewayProcess, "rid-upstream-7", RequestIdTest::isAccessLine)).anySatisfy(line -> {
      assertThat(line.getString("logger")).isEqualTo("access");
      assertThat(line.getString("path")).isEqualTo("/api/categories");
      assertThat(line.getString("upstream")).isEqualTo(catalogInstance());
      assertThat(line.getBoolean("aborted")).isFalse();
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

  private static boolean isAccessLine(JsonObject line) {
    return "access".equals(line.getString("logger"));
  }

  /** The process's log lines of the request, once one of them is the awaited one (the access line comes after the response). */
  private static List<JsonObject> awaitLogLine(ServiceProcess process, String requestId, Predicate<JsonObject> awaited)
      throws InterruptedException {
    for (int attempt = 0; attempt < 50; attempt++) {
      List<JsonObject> lines = process.logLines().stream().filter(l -> requestId.equals(l.getString("requestId"))).toList();
      if (lines.stream().anyMatch(awaited)) {
        return lines;
      }
      Thread.sleep(100);
    }
    return List.of();
  }
}
