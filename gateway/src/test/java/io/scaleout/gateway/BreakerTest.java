package io.scaleout.gateway;

import io.scaleout.common.api.ApiReply;
import io.scaleout.common.api.ApiRequest;
import io.scaleout.common.bus.FailureCode;
import io.scaleout.common.bus.ServiceException;
import io.scaleout.common.catalog.CatalogAddresses;
import io.scaleout.common.gateway.BreakerNotice;
import io.scaleout.common.runtime.ServiceRuntime;
import io.scaleout.testsupport.FreePorts;
import io.scaleout.testsupport.PrometheusText;
import io.scaleout.testsupport.HttpTestClient;
import io.scaleout.testsupport.TestCluster;
import io.scaleout.testsupport.Waiting;
import io.vertx.core.Future;
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
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The only catalog instance made to fail behind a real gateway: after the threshold of failures in
 * a row it is ejected, which leaves no instance in rotation, so the breaker opens and answers from
 * the stale cached copy or with a 503 at once without a message reaching the catalog, tells the
 * cluster, and when the ejection runs out probes the instance (a ping to its own address), puts it
 * back in rotation and closes.
 */
@ExtendWith(VertxExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BreakerTest {
  private static final AtomicBoolean failing = new AtomicBoolean();
  private static final AtomicBoolean dependencyDown = new AtomicBoolean();
  private static final AtomicInteger received = new AtomicInteger();
  private static final List<String> notices = new CopyOnWriteArrayList<>();
  private static TestCluster cluster;
  private static HttpTestClient gateway;
  private static ServiceRuntime runtime;

  @BeforeAll
  static void start(Vertx vertx) {
    cluster = new TestCluster();
    int port = FreePorts.next();
    runtime = cluster.startNode("gateway", "gateway", Map.of("HTTP_PORT", Integer.toString(port), "HTTP_INSTANCES", "1",
        "OUTLIER_CONSECUTIVE_FAILURES", "3", "OUTLIER_BASE_EJECTION_MS", "1500", "RETRY_MAX_ATTEMPTS", "2",
        "CALL_TIMEOUT_MS", "1000", "ROUTE_TIMEOUT_MS", "2000",
        "RATE_LIMIT_ENABLED", "false"), GatewayModule::start);
    cluster.startTestNode("session", StandIns::sessions);
    cluster.startTestNode("catalog", context -> context.endpoints().register(CatalogAddresses.PRODUCT_GET, message -> {
      received.incrementAndGet();
      if (dependencyDown.get()) {
        return Future.failedFuture(new ServiceException(FailureCode.UNAVAILABLE, "Redis is down"));
      }
      if (failing.get()) {
        return Future.failedFuture(new ServiceException(FailureCode.INTERNAL, "the database is gone"));
      }
      String id = ApiRequest.fromJson(message.body()).pathParam("id");
      return Future.succeededFuture(ApiReply.ok(new JsonObject().put("id", Long.parseLong(id)).put("version", 1))
          .etag("\"v1\"").cacheControl("public, max-age=0, s-maxage=1"));
    }));
    Vertx listener = cluster.startClient();
    listener.eventBus().<JsonObject>consumer(BreakerNotice.ADDRESS, message -> {
      BreakerNotice notice = BreakerNotice.fromJson(message.body());
      notices.add(notice.service() + ":" + notice.state());
    });
    gateway = new HttpTestClient(vertx, port);
  }

  @AfterAll
  static void stop() {
    cluster.close();
  }

  @Test
  @Order(1)
  void anInstanceAnswering503ForADependencyThatIsDownIsNotEjected() {
    Waiting.until("the catalog instance announced", Duration.ofSeconds(5), () -> catalogInstances().size() == 1);
    dependencyDown.set(true);
    try {
      int before = received.get();
      for (int i = 0; i < 6; i++) {
        HttpTestClient.Response answer = gateway.get("/api/products/3");
        assertThat(answer.status()).isEqualTo(503);
        assertThat(answer.headers().get("Retry-After")).isNotNull();
      }
      // each once: the dependency is every instance's, so another attempt would only wait as long again
      assertThat(received.get() - before).as("every request reached the instance, none twice").isEqualTo(6);
      assertThat(breakerState()).isEqualTo("CLOSED");
      assertThat(catalogInstances().getJsonObject(0).getString("state")).isNotEqualTo("EJECTED");
      PrometheusText metrics = PrometheusText.scrape(runtime.vertx(), runtime.managementPort());
      assertThat(metrics.value("bus_instance_ejections_total", "reason=\"failures\"")).isZero();
    } finally {
      dependencyDown.set(false);
    }
    received.set(0);
  }

  @Test
  @Order(2)
  void opensWhenItsOnlyInstanceIsEjectedAnswersFromStaleOr503WithoutCallingThenProbesAndCloses() {
    Waiting.until("the catalog instance announced", Duration.ofSeconds(5), () -> catalogInstances().size() == 1);
    assertThat(gateway.get("/api/products/1").headers().get("X-Cache")).isEqualTo("MISS");
    assertThat(gateway.get("/api/products/1").headers().get("X-Cache")).isEqualTo("HIT");
    Waiting.pause(1100); // the copy of product 1 is now past its s-maxage of 1 s: only good as a stale answer

    failing.set(true);
    HttpTestClient.Response first = gateway.get("/api/products/2");
    HttpTestClient.Response second = gateway.get("/api/products/2");
    assertThat(first.status()).isEqualTo(500);
    assertThat(second.status()).isEqualTo(500);
    // the first GET was retried once (2 failures), the second's failure was the third: ejected, none left, no retry
    assertThat(received.get()).isEqualTo(1 + 3);
    Waiting.until("the OPEN notice", Duration.ofSeconds(5), () -> notices.contains("catalog:OPEN"));

    int before = received.get();
    List<Long> refusedMillis = new ArrayList<>();
    for (int i = 0; i < 7; i++) {
      HttpTestClient.Response refused = gateway.get("/api/products/2");
      assertThat(refused.status()).isEqualTo(503);
      assertThat(refused.headers().get("Content-Type")).isEqualTo("application/problem+json");
      assertThat(Integer.parseInt(refused.headers().get("Retry-After"))).isBetween(1, 2);
      refusedMillis.add(refused.took().toMillis());
      HttpTestClient.Response stale = gateway.get("/api/products/1");
      assertThat(stale.status()).isEqualTo(200);
      assertThat(stale.headers().get("X-Cache")).isEqualTo("STALE");
      assertThat(stale.json().getLong("id")).isEqualTo(1L);
      refusedMillis.add(stale.took().toMillis());
    }
    assertThat(received.get()).as("no message reached the catalog while open").isEqualTo(before);
    assertThat(refusedMillis.stream().sorted().toList().get(refusedMillis.size() / 2)).as("median ms of %s", refusedMillis)
        .isLessThan(10L);
    assertThat(breakerState()).isEqualTo("OPEN");
    PrometheusText open = PrometheusText.scrape(runtime.vertx(), runtime.managementPort());
    assertThat(open.value("gateway_breaker_state", "downstream=\"catalog\"")).as("2 = open").isEqualTo(2);
    assertThat(open.value("gateway_breaker_rejections_total", "downstream=\"catalog\"")).isGreaterThanOrEqualTo(7);
    assertThat(open.value("gateway_retries_total", "downstream=\"catalog\"")).isGreaterThanOrEqualTo(1);
    assertThat(open.value("gateway_reverse_cache_requests_total", "result=\"stale\"")).isGreaterThanOrEqualTo(7);
    assertThat(open.value("bus_instance_ejections_total", "reason=\"failures\"")).isEqualTo(1);
    assertThat(open.value("bus_instance_ejected", "target=\"catalog\",target_instance=\"catalog-3\"")).isEqualTo(1);
    JsonObject ejected = catalogInstances().getJsonObject(0);
    assertThat(ejected.getString("state")).isEqualTo("EJECTED");
    assertThat(ejected.getInteger("ejections")).isEqualTo(1);

    failing.set(false);
    Waiting.pause(1600);
    HttpTestClient.Response probe = gateway.get("/api/products/2");
    assertThat(probe.status()).isEqualTo(200);
    assertThat(received.get()).isEqualTo(before + 1);
    Waiting.until("the CLOSED notice", Duration.ofSeconds(5), () -> notices.contains("catalog:CLOSED"));
    assertThat(notices).containsSubsequence("catalog:OPEN", "catalog:HALF_OPEN", "catalog:CLOSED");
    assertThat(breakerState()).isEqualTo("CLOSED");
    assertThat(gateway.get("/api/products/1").headers().get("X-Cache")).isEqualTo("MISS");
    PrometheusText closed = PrometheusText.scrape(runtime.vertx(), runtime.managementPort());
    assertThat(closed.value("gateway_breaker_state", "downstream=\"catalog\"")).isZero();
    for (String state : List.of("open", "half_open", "closed")) {
      assertThat(closed.value("gateway_breaker_transitions_total", "state=\"" + state + "\"")).as(state).isGreaterThanOrEqualTo(1);
    }
  }

  private static String breakerState() {
    return clusterView().getJsonObject("breakers").getJsonObject("this").getJsonObject("catalog").getString("state");
  }

  private static JsonArray catalogInstances() {
    return clusterView().getJsonObject("breakers").getJsonObject("this").getJsonObject("catalog").getJsonArray("instances");
  }

  private static JsonObject clusterView() {
    HttpTestClient.Response view = gateway.send(HttpMethod.GET, "/api/admin/cluster",
        HttpTestClient.headers("Authorization", "Bearer " + StandIns.ADMIN_TOKEN));
    assertThat(view.status()).as(view.body()).isEqualTo(200);
    return view.json();
  }
}
