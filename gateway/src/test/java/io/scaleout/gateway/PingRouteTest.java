package io.scaleout.gateway;

import io.scaleout.common.bus.Problem;
import io.scaleout.testsupport.FreePorts;
import io.scaleout.testsupport.HttpTestClient;
import io.scaleout.testsupport.TestCluster;
import io.scaleout.testsupport.TestModules;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The walking skeleton over a real cluster: the gateway node, two catalog nodes and a session node,
 * each a separate Hazelcast member; the worker joins later.
 */
@ExtendWith(VertxExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PingRouteTest {
  private static TestCluster cluster;
  private static HttpTestClient gateway;

  @BeforeAll
  static void start(Vertx vertx) {
    cluster = new TestCluster();
    int port = FreePorts.next();
    cluster.startNode("gateway", "gateway", Map.of("HTTP_PORT", Integer.toString(port), "HTTP_INSTANCES", "2"),
        GatewayModule::start);
    cluster.startTestNode("catalog", TestModules.none());
    cluster.startTestNode("catalog", TestModules.none());
    cluster.startTestNode("session", TestModules.none());
    gateway = new HttpTestClient(vertx, port);
  }

  @AfterAll
  static void stop() {
    cluster.close();
  }

  @Test
  @Order(1)
  void aMissingServiceAnswersItsSectionWithAProblemNotAHang() {
    HttpTestClient.Response response = gateway.get("/api/ping");

    assertThat(response.status()).isEqualTo(503);
    // answered without waiting for the 3 s bus timeout, even on a cold JVM; and fast once warm
    assertThat(response.took()).isLessThan(Duration.ofMillis(2500));
    assertThat(gateway.get("/api/ping").took()).isLessThan(Duration.ofMillis(500));
    JsonObject services = response.json().getJsonObject("services");
    assertThat(services.getString("catalog")).startsWith("catalog-");
    assertThat(services.getString("session")).startsWith("session-");
    JsonObject worker = services.getJsonObject("worker");
    assertThat(worker.getInteger("status")).isEqualTo(503);
    assertThat(worker.getString("type")).isEqualTo("urn:scaleout:problem:service-unavailable");
  }

  @Test
  @Order(2)
  void pingsReachBothCatalogInstances() {
    cluster.startTestNode("worker", TestModules.none());

    Map<String, Integer> catalogs = pingCatalogs(100);

    assertThat(catalogs).hasSize(2);
    assertThat(catalogs.values()).allSatisfy(count -> assertThat(count).isGreaterThan(30));
  }

  @Test
  @Order(3)
  void aNewInstanceGetsTrafficWithNoConfigurationChange() {
    String added = cluster.startTestNode("catalog", TestModules.none()).node().instanceId();

    Map<String, Integer> catalogs = pingCatalogs(90);

    assertThat(catalogs).hasSize(3);
    assertThat(catalogs.get(added)).isGreaterThanOrEqualTo(20);
  }

  @Test
  @Order(4)
  void unknownRoutesAndMethodsAreProblems() {
    HttpTestClient.Response missing = gateway.get("/api/nothing-here");
    HttpTestClient.Response wrongMethod = gateway.send(HttpMethod.DELETE, "/api/ping", MultiMap.caseInsensitiveMultiMap());

    assertThat(missing.status()).isEqualTo(404);
    assertThat(missing.headers().get("Content-Type")).isEqualTo(Problem.MEDIA_TYPE);
    assertThat(missing.json().getString("type")).isEqualTo("urn:scaleout:problem:not-found");
    assertThat(wrongMethod.status()).isEqualTo(405);
    assertThat(wrongMethod.headers().get("Content-Type")).isEqualTo(Problem.MEDIA_TYPE);
  }

  private static Map<String, Integer> pingCatalogs(int pings) {
    Map<String, Integer> counts = new HashMap<>();
    for (int i = 0; i < pings; i++) {
      HttpTestClient.Response response = gateway.get("/api/ping");
      assertThat(response.status()).as(response.body()).isEqualTo(200);
      counts.merge(response.json().getJsonObject("services").getString("catalog"), 1, Integer::sum);
    }
    return counts;
  }
}
