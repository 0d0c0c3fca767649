package io.scaleout.gateway;

import io.scaleout.common.api.ApiReply;
import io.scaleout.common.api.Caller;
import io.scaleout.common.bus.FailureCode;
import io.scaleout.common.bus.ServiceException;
import io.scaleout.common.catalog.CatalogAddresses;
import io.scaleout.common.session.SessionAddresses;
import io.scaleout.common.runtime.ServiceRuntime;
import io.scaleout.testsupport.FreePorts;
import io.scaleout.testsupport.PrometheusText;
import io.scaleout.testsupport.HttpTestClient;
import io.scaleout.testsupport.TestCluster;
import io.scaleout.testsupport.Waiting;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The bulkhead in front of a service that never answers, and the storefront composition degrading
 * section by section, through a real gateway on a real cluster.
 */
@ExtendWith(VertxExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BulkheadAndStorefrontTest {
  private static final int CAP = 4;
  private static final AtomicInteger hanging = new AtomicInteger();
  private static final AtomicBoolean catalogFailing = new AtomicBoolean();
  private static final AtomicBoolean cartFailing = new AtomicBoolean();
  private static TestCluster cluster;
  private static HttpTestClient gateway;
  private static ServiceRuntime runtime;

  @BeforeAll
  static void start(Vertx vertx) {
    cluster = new TestCluster();
    int port = FreePorts.next();
    runtime = cluster.startNode("gateway", "gateway", Map.of("HTTP_PORT", Integer.toString(port), "HTTP_INSTANCES", "2",
        "BULKHEAD_MAX_IN_FLIGHT", Integer.toString(CAP), "ROUTE_TIMEOUT_MS", "4000", "CALL_TIMEOUT_MS", "4000",
        "OUTLIER_CONSECUTIVE_FAILURES", "1000", "OUTLIER_STALL_MS", "600000", "RATE_LIMIT_ENABLED", "false"), GatewayModule::start);
    cluster.startTestNode("session", context -> Future.all(List.of(StandIns.sessions(context),
        context.endpoints().register(SessionAddresses.CART_GET, message -> cartFailing.get()
            ? Future.failedFuture(new ServiceException(FailureCode.UNAVAILABLE, "the cart store is down"))
            : Future.succeededFuture(ApiReply.ok(new JsonObject().put("count", 3).put("items", new JsonArray()
                .add(new JsonObject().put("productId", 1).put("quantity", 2))
                .add(new JsonObject().put("productId", 2).put("quantity", 1)))
                .put("owner", context.callerSeal().open(message).userId())))))).mapEmpty());
    cluster.startTestNode("catalog", context -> Future.all(List.of(
        // the product reads of this catalog never answer
        context.endpoints().register(CatalogAddresses.PRODUCT_GET, message -> {
          hanging.incrementAndGet();
          return Promise.<ApiReply>promise().future();
        }),
        context.endpoints().register(CatalogAddresses.PRODUCTS_LIST, message -> catalogFailing.get()
            ? Future.failedFuture(new ServiceException(FailureCode.INTERNAL, "boom"))
            : Future.succeededFuture(ApiReply.ok(new JsonObject().put("items", new JsonArray().add(new JsonObject().put("id", 1)))
                .put("query", message.body().getJsonObject("query")))))))
        .mapEmpty());
    gateway = new HttpTestClient(vertx, port, CAP + 2);
  }

  @AfterAll
  static void stop() {
    cluster.close();
  }

  @Test
  @Order(1)
  void theRequestOverTheCapIsRefusedAtOnce() throws Exception {
    List<Future<HttpTestClient.Response>> stuck = new ArrayList<>();
    for (int i = 0; i < CAP; i++) {
      stuck.add(gateway.sendAsync(HttpMethod.GET, "/api/products/" + (i + 1), MultiMap.caseInsensitiveMultiMap(), null));
    }
    Waiting.until(CAP + " requests held by the catalog", Duration.ofSeconds(3), () -> hanging.get() == CAP);

    HttpTestClient.Response refused = gateway.get("/api/products/99");

    assertThat(refused.status()).isEqualTo(503);
    assertThat(refused.headers().get("Retry-After")).isEqualTo("1");
    assertThat(refused.json().getString("detail")).contains(CAP + " requests in flight to catalog");
    assertThat(refused.took()).isLessThan(Duration.ofMillis(500));
    assertThat(hanging.get()).as("the refused request never reached the catalog").isEqualTo(CAP);
    assertThat(stuck).noneMatch(Future::isComplete);
    PrometheusText metrics = PrometheusText.scrape(runtime.vertx(), runtime.managementPort());
    assertThat(metrics.value("gateway_bulkhead_rejections_total", "downstream=\"catalog\"")).isEqualTo(1);
    assertThat(metrics.value("gateway_bulkhead_in_flight", "downstream=\"catalog\"")).isEqualTo(CAP);
    // the held requests end with the route's timeout, and free the bulkhead
    for (Future<HttpTestClient.Response> request : stuck) {
      assertThat(request.toCompletionStage().toCompletableFuture().get(10, java.util.concurrent.TimeUnit.SECONDS).status()).isEqualTo(504);
    }
    assertThat(gateway.get("/api/products/5").status()).isEqualTo(504);
  }

  @Test
  @Order(2)
  void theStorefrontComposesFeaturedProductsAndTheCallersCart() {
    HttpTestClient.Response anonymous = gateway.get("/api/storefront");
    assertThat(anonymous.status()).isEqualTo(200);
    assertThat(anonymous.json().getJsonArray("featured")).hasSize(1);
    assertThat(anonymous.json().getValue("cart")).isNull();
    assertThat(anonymous.json().getJsonArray("degraded")).isEmpty();

    JsonObject signedIn = storefrontAsUser();
    assertThat(signedIn.getJsonObject("cart")).isEqualTo(new JsonObject().put("count", 3).put("lines", 2));
    assertThat(signedIn.getJsonArray("degraded")).isEmpty();
  }

  @Test
  @Order(3)
  void aFailedSectionIsLeftOutAndNamed() {
    cartFailing.set(true);
    JsonObject withoutCart = storefrontAsUser();
    assertThat(withoutCart.getJsonArray("featured")).hasSize(1);
    assertThat(withoutCart.containsKey("cart")).isFalse();
    assertThat(withoutCart.getJsonArray("degraded")).containsExactly("cart");

    catalogFailing.set(true);
    JsonObject neither = storefrontAsUser();
    assertThat(neither.containsKey("featured")).isFalse();
    assertThat(neither.getJsonArray("degraded")).containsExactly("featured", "cart");
    cartFailing.set(false);
    catalogFailing.set(false);
  }

  private static JsonObject storefrontAsUser() {
    HttpTestClient.Response response = gateway.send(HttpMethod.GET, "/api/storefront",
        HttpTestClient.headers("Authorization", "Bearer " + StandIns.USER_TOKEN));
    assertThat(response.status()).as(response.body()).isEqualTo(200);
    assertThat(response.headers().get("ETag")).isNotNull();
    return response.json();
  }
}
