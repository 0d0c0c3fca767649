package io.scaleout.gateway;

import io.scaleout.common.api.ApiReply;
import io.scaleout.common.api.ApiRequest;
import io.scaleout.common.catalog.CatalogAddresses;
import io.scaleout.common.catalog.CatalogEvent;
import io.scaleout.common.catalog.ChangeNotice;
import io.scaleout.common.session.SessionAddresses;
import io.scaleout.common.runtime.ServiceRuntime;
import io.scaleout.testsupport.FreePorts;
import io.scaleout.testsupport.PrometheusText;
import io.scaleout.testsupport.HttpTestClient;
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

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two real gateways in front of a stand-in catalog that answers, versions and announces changes as
 * the catalog's contract says (the catalog's own tests check it does). The reverse cache: MISS
 * then HIT, 304s, a write through one gateway emptying the other's entry, user replies never kept.
 */
@ExtendWith(VertxExtension.class)
class ReverseCacheTest {
  private static final Map<Long, Long> versions = new ConcurrentHashMap<>();
  private static final AtomicInteger productReads = new AtomicInteger();
  private static final AtomicInteger cartReads = new AtomicInteger();
  private static TestCluster cluster;
  private static HttpTestClient gatewayA;
  private static HttpTestClient gatewayB;
  private static ServiceRuntime runtimeA;

  @BeforeAll
  static void start(Vertx vertx) {
    cluster = new TestCluster();
    int portA = FreePorts.next();
    int portB = FreePorts.next();
    for (int port : new int[] {portA, portB}) {
      ServiceRuntime runtime = cluster.startNode("gateway", "gateway", Map.of("HTTP_PORT", Integer.toString(port),
          "HTTP_INSTANCES", "2", "RATE_LIMIT_ENABLED", "false"), GatewayModule::start);
      runtimeA = runtimeA == null ? runtime : runtimeA;
    }
    cluster.startTestNode("session", context -> Future.all(List.of(StandIns.sessions(context),
        // a cart reply that (wrongly) says shared caches may keep it: the gateway still must not
        context.endpoints().register(SessionAddresses.CART_GET, message -> {
          cartReads.incrementAndGet();
          return Future.succeededFuture(ApiReply.ok(new JsonObject().put("items", new JsonArray()).put("count", 0))
              .cacheControl("public, s-maxage=60"));
        }))).mapEmpty());
    cluster.startTestNode("catalog", context -> Future.all(List.of(
        context.endpoints().register(CatalogAddresses.PRODUCT_GET, message -> {
          productReads.incrementAndGet();
          long id = Long.parseLong(ApiRequest.fromJson(message.body()).pathParam("id"));
          long version = versions.computeIfAbsent(id, k -> 1L);
          return Future.succeededFuture(ApiReply.ok(new JsonObject().put("id", id).put("version", version))
              .etag("\"v" + version + "\"").cacheControl("public, max-age=0, s-maxage=60"));
        }),
        context.endpoints().register(CatalogAddresses.PRODUCTS_LIST, message -> {
          JsonArray items = new JsonArray();
          for (int i = 1; i <= 40; i++) {
            items.add(new JsonObject().put("id", i).put("name", "Product number " + i).put("description", "x".repeat(40)));
          }
          return Future.succeededFuture(ApiReply.ok(new JsonObject().put("items", items).putNull("nextCursor"))
              .cacheControl("public, max-age=0, s-maxage=5"));
        }),
        context.endpoints().register(CatalogAddresses.PRODUCT_UPDATE, message -> {
          long id = Long.parseLong(ApiRequest.fromJson(message.body()).pathParam("id"));
          long version = versions.merge(id, 1L, Long::sum);
          // as the catalog does after its commit: tell every gateway
          context.vertx().eventBus().publish(CatalogAddresses.CHANGED,
              new ChangeNotice(id, version, CatalogEvent.Type.ProductUpdated).toJson());
          return Future.succeededFuture(ApiReply.ok(new JsonObject().put("id", id).put("version", version)).etag("\"v" + version + "\""));
        }))).mapEmpty());
    gatewayA = new HttpTestClient(vertx, portA);
    gatewayB = new HttpTestClient(vertx, portB);
  }

  @AfterAll
  static void stop() {
    cluster.close();
  }

  @Test
  void missThenHitThen304() {
    PrometheusText before = PrometheusText.scrape(runtimeA.vertx(), runtimeA.managementPort());
    HttpTestClient.Response miss = gatewayA.get("/api/products/7");
    HttpTestClient.Response hit = gatewayA.get("/api/products/7");

    assertThat(miss.headers().get("X-Cache")).isEqualTo("MISS");
    assertThat(hit.headers().get("X-Cache")).isEqualTo("HIT");
    assertThat(hit.body()).isEqualTo(miss.body());
    assertThat(hit.headers().get("ETag")).isEqualTo("\"v1\"");
    assertThat(hit.headers().get("Cache-Control")).isEqualTo("public, max-age=0, s-maxage=60");
    assertThat(productReads.get()).isEqualTo(1);
    HttpTestClient.Response notModified = gatewayA.send(HttpMethod.GET, "/api/products/7",
        HttpTestClient.headers("If-None-Match", "\"v0\", \"v1\""));
    assertThat(notModified.status()).isEqualTo(304);
    assertThat(notModified.headers().get("ETag")).isEqualTo("\"v1\"");
    PrometheusText after = PrometheusText.scrape(runtimeA.vertx(), runtimeA.managementPort());
    String requests = "gateway_reverse_cache_requests_total";
    assertThat(after.value(requests, "result=\"miss\"") - before.value(requests, "result=\"miss\"")).isEqualTo(1);
    assertThat(after.value(requests, "result=\"hit\"") - before.value(requests, "result=\"hit\"")).as("the hit and the 304")
        .isEqualTo(2);
    assertThat(after.value("gateway_reverse_cache_entries", "")).isGreaterThanOrEqualTo(1);
  }

  @Test
  void listsGetAHashETagAQueryInAnyOrderAndGzip() {
    HttpTestClient.Response first = gatewayA.get("/api/products?sort=name&limit=40");
    HttpTestClient.Response reordered = gatewayA.get("/api/products?limit=40&sort=name");

    String etag = first.headers().get("ETag");
    assertThat(etag).matches("\"[A-Za-z0-9_-]{22}\"");
    assertThat(reordered.headers().get("X-Cache")).isEqualTo("HIT");
    assertThat(reordered.headers().get("ETag")).isEqualTo(etag);
    assertThat(gatewayA.send(HttpMethod.GET, "/api/products?limit=40&sort=name", HttpTestClient.headers("If-None-Match", etag))
        .status()).isEqualTo(304);
    HttpTestClient.Response gzipped = gatewayA.send(HttpMethod.GET, "/api/products?limit=40&sort=name",
        HttpTestClient.headers("Accept-Encoding", "gzip"));
    assertThat(first.body().length()).isGreaterThan(1024);
    assertThat(gzipped.headers().get("Content-Encoding")).isEqualTo("gzip");
    assertThat(first.headers().get("Content-Encoding")).isNull();
  }

  @Test
  void aValueHoldingAnEncodedSeparatorHasAKeyOfItsOwn() {
    // one parameter, category = "kitchen&sort=price", then the two parameters it spells
    assertThat(gatewayA.get("/api/products?category=kitchen%26sort%3Dprice").headers().get("X-Cache")).isEqualTo("MISS");
    assertThat(gatewayA.get("/api/products?category=kitchen&sort=price").headers().get("X-Cache")).isEqualTo("MISS");
    assertThat(gatewayA.get("/api/products?sort=price&category=kitchen").headers().get("X-Cache")).isEqualTo("HIT");
  }

  @Test
  void anUpdateThroughOneGatewayEmptiesTheOthersEntryBeforeTheNextRead() {
    gatewayB.get("/api/products/42");
    assertThat(gatewayB.get("/api/products/42").headers().get("X-Cache")).isEqualTo("HIT");

    HttpTestClient.Response update = gatewayA.json(HttpMethod.PUT, "/api/products/42",
        HttpTestClient.headers("Authorization", "Bearer " + StandIns.ADMIN_TOKEN, "If-Match", "\"v1\""), new JsonObject().put("name", "n"));
    assertThat(update.status()).isEqualTo(200);

    HttpTestClient.Response afterB = gatewayB.get("/api/products/42");
    assertThat(afterB.headers().get("X-Cache")).isEqualTo("MISS");
    assertThat(afterB.json().getLong("version")).isEqualTo(2L);
    assertThat(gatewayA.get("/api/products/42").json().getLong("version")).isEqualTo(2L);
  }

  @Test
  void aCartReplyIsNeverKept() {
    for (int i = 0; i < 3; i++) {
      HttpTestClient.Response cart = gatewayA.send(HttpMethod.GET, "/api/cart",
          HttpTestClient.headers("Authorization", "Bearer " + StandIns.USER_TOKEN));
      assertThat(cart.status()).isEqualTo(200);
      assertThat(cart.headers().get("X-Cache")).isNull();
      assertThat(cart.headers().get("ETag")).isNotNull();
    }
    assertThat(cartReads.get()).isEqualTo(3);
  }
}
