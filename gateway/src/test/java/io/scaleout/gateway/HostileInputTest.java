package io.scaleout.gateway;

import io.scaleout.common.api.ApiReply;
import io.scaleout.common.bus.Problem;
import io.scaleout.common.catalog.CatalogAddresses;
import io.scaleout.testsupport.FreePorts;
import io.scaleout.testsupport.HttpTestClient;
import io.scaleout.testsupport.RawHttp;
import io.scaleout.testsupport.TestCluster;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Requests the gateway must refuse itself, as problems with a 4xx status, before anything reaches
 * a service: escapes that do not decode, request lines and headers beyond the listener's limits.
 * The catalog is a stand-in that counts what arrives.
 */
@ExtendWith(VertxExtension.class)
class HostileInputTest {
  private static final int MAX_REQUEST_LINE = 2048;
  private static final int MAX_HEADER_SIZE = 4096;
  private static final AtomicInteger received = new AtomicInteger();
  private static TestCluster cluster;
  private static HttpTestClient gateway;
  private static int port;

  @BeforeAll
  static void start(Vertx vertx) {
    cluster = new TestCluster();
    port = FreePorts.next();
    cluster.startNode("gateway", "gateway", Map.of("HTTP_PORT", Integer.toString(port), "HTTP_INSTANCES", "1",
        "HTTP_MAX_REQUEST_LINE", Integer.toString(MAX_REQUEST_LINE), "HTTP_MAX_HEADER_SIZE", Integer.toString(MAX_HEADER_SIZE),
        "BREAKER_FAILURES", "3", "RATE_LIMIT_ENABLED", "false"), GatewayModule::start);
    cluster.startTestNode("session", StandIns::sessions);
    cluster.startTestNode("catalog", context -> Future.all(List.of(
        context.endpoints().register(CatalogAddresses.PRODUCTS_LIST, message -> {
          received.incrementAndGet();
          return Future.succeededFuture(ApiReply.ok(new JsonObject().put("items", new JsonArray()).putNull("nextCursor")));
        }),
        context.endpoints().register(CatalogAddresses.PRODUCT_GET, message -> {
          received.incrementAndGet();
          return Future.succeededFuture(ApiReply.ok(new JsonObject().put("id", 1)));
        }))).mapEmpty());
    gateway = new HttpTestClient(vertx, port);
  }

  @AfterAll
  static void stop() {
    cluster.close();
  }

  @ParameterizedTest
  @ValueSource(strings = {"/api/products?cursor=%%%", "/api/products?q=%zz", "/api/products?sort=name&q=%",
      "/api/products?%zz=1", "/api/products?q=ok&limit=1%2", "/api/products/1?fields=%g0", "/api/categories?x=%%",
      "/api/sessions/current?x=%zz", "/api/products?q=%C3"})
  void anEscapeThatDoesNotDecodeIs400AndReachesNoService(String target) throws IOException {
    int before = received.get();

    RawHttp.Response response = RawHttp.get(port, target);

    assertThat(response.status()).as(target + ": " + response.body()).isEqualTo(400);
    assertProblem(response, "urn:scaleout:problem:bad-request");
    assertThat(received.get()).as("requests that reached the catalog").isEqualTo(before);
  }

  @ParameterizedTest
  @ValueSource(strings = {"/api/products/%zz", "/api/products/%", "/api/products/1%"})
  void aPathEscapeThatDoesNotDecodeIsAProblemWithA4xx(String target) throws IOException {
    RawHttp.Response response = RawHttp.get(port, target);

    assertThat(response.status()).as(target + ": " + response.body()).isBetween(400, 499);
    assertThat(response.header("content-type")).isEqualTo(Problem.MEDIA_TYPE);
  }

  @Test
  void aRequestLineBeyondTheLimitIs414() throws IOException {
    RawHttp.Response response = RawHttp.get(port, "/api/products?q=" + "a".repeat(MAX_REQUEST_LINE));

    assertThat(response.status()).isEqualTo(414);
    assertProblem(response, "urn:scaleout:problem:uri-too-long");
  }

  @Test
  void headersBeyondTheLimitAre431() throws IOException {
    RawHttp.Response response = RawHttp.get(port, "/api/products", "X-Padding: " + "p".repeat(MAX_HEADER_SIZE));

    assertThat(response.status()).isEqualTo(431);
    assertProblem(response, "urn:scaleout:problem:header-fields-too-large");
  }

  @Test
  void aBurstOfBadRequestsLeavesTheCatalogBreakerClosed() throws IOException {
    for (int i = 0; i < 20; i++) {
      assertThat(RawHttp.get(port, "/api/products?cursor=%%%" + i).status()).isEqualTo(400);
    }

    assertThat(breakerState()).isEqualTo("CLOSED");
    assertThat(gateway.get("/api/products").status()).isEqualTo(200);
  }

  private static void assertProblem(RawHttp.Response response, String type) {
    assertThat(response.header("content-type")).isEqualTo(Problem.MEDIA_TYPE);
    JsonObject problem = new JsonObject(response.body());
    assertThat(problem.getString("type")).isEqualTo(type);
    assertThat(problem.getInteger("status")).isEqualTo(response.status());
    assertThat(problem.getString("detail")).isNotBlank();
  }

  private static String breakerState() {
    HttpTestClient.Response view = gateway.send(HttpMethod.GET, "/api/admin/cluster",
        HttpTestClient.headers("Authorization", "Bearer " + StandIns.ADMIN_TOKEN));
    assertThat(view.status()).as(view.body()).isEqualTo(200);
    return view.json().getJsonObject("breakers").getJsonObject("this").getJsonObject("catalog").getString("state");
  }
}
