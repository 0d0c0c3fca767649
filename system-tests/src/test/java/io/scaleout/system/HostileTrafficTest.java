package io.scaleout.system;

import io.scaleout.catalog.CatalogModule;
import io.scaleout.catalog.replica.ReplicaRouter;
import io.scaleout.common.bus.Problem;
import io.scaleout.common.runtime.ServiceRuntime;
import io.scaleout.gateway.GatewayModule;
import io.scaleout.testsupport.FreePorts;
import io.scaleout.testsupport.PostgresReplicaSet;
import io.scaleout.testsupport.PrometheusText;
import io.scaleout.testsupport.RawHttp;
import io.scaleout.testsupport.TestCluster;
import io.scaleout.testsupport.Waiting;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Hostile requests through a real gateway to a real catalog reading from a real streaming replica:
 * each is a 400 problem, and a burst of them — many times the breaker's threshold — leaves the
 * catalog breaker closed, retries nothing, and takes no replica out of the rotation. Redis is
 * unreachable on purpose ({@link PostgresReplicaSet#onlyPostgres}), so every read goes to Postgres.
 */
class HostileTrafficTest {
  private static final int OUTLIER_FAILURES = 3;
  private static PostgresReplicaSet postgres;
  private static TestCluster cluster;
  private static CatalogModule catalog;
  private static ServiceRuntime gateway;
  private static int port;

  @BeforeAll
  static void start() {
    postgres = PostgresReplicaSet.start();
    cluster = new TestCluster();
    catalog = new CatalogModule();
    cluster.startNode("catalog", "catalog", postgres.onlyPostgres(Map.of()), catalog::start);
    port = FreePorts.next();
    gateway = cluster.startNode("gateway", "gateway", Map.of("HTTP_PORT", Integer.toString(port), "HTTP_INSTANCES", "1",
        "OUTLIER_CONSECUTIVE_FAILURES", Integer.toString(OUTLIER_FAILURES), "RATE_LIMIT_ENABLED", "false"), GatewayModule::start);
    Waiting.until("replica healthy", Duration.ofSeconds(30), () -> replicaState().healthy());
    // a new member's view of the cluster's consumers catches up shortly after it joins
    Waiting.until("the gateway reaches the catalog", Duration.ofSeconds(30), () -> goodRead().status() == 200);
  }

  private static RawHttp.Response goodRead() {
    try {
      return RawHttp.get(port, "/api/products?sort=name&limit=1");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @AfterAll
  static void stop() {
    cluster.close();
    postgres.close();
  }

  private static String cursor(String json) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
  }

  /** The three reproductions first, then more of their kind. */
  private static final List<String> HOSTILE = List.of(
      "/api/products?cursor=%%%",
      "/api/products?q=%zz",
      "/api/products?sort=name&cursor=" + cursor("{\"s\":\"name\",\"k\":\"\\u0000\",\"i\":1}"),
      "/api/products?sort=-name&cursor=" + cursor("{\"s\":\"-name\",\"k\":\"a\\u0007b\",\"i\":1}"),
      "/api/products?sort=newest&cursor=" + cursor("{\"s\":\"newest\",\"k\":\"+294277-01-01T00:00:00Z\",\"i\":1}"),
      "/api/products?sort=price&cursor=" + cursor("{\"s\":\"price\",\"k\":1e300,\"i\":1}"),
      "/api/products?cursor=" + "A".repeat(1100),
      "/api/products?q=%00",
      "/api/products?q=" + "a".repeat(201),
      "/api/products?category=%00",
      "/api/products?limit=-1",
      "/api/products?minPrice=1e3",
      "/api/products?q=%ED%A0%80",
      "/api/products/%00",
      "/api/products/99999999999999999999",
      "/api/products/1.5");

  @Test
  void aBurstOfHostileRequestsIs400ProblemsWithTheBreakerClosedAndTheReplicaInRotation() throws IOException {
    long replicaReads = served(postgres.replicaAddress());
    long primaryReads = served("primary");

    for (int round = 0; round < 3; round++) {
      for (String target : HOSTILE) {
        RawHttp.Response response = RawHttp.get(port, target);
        assertThat(response.status()).as(target + ": " + response.body()).isEqualTo(400);
        assertThat(response.header("content-type")).as(target).isEqualTo(Problem.MEDIA_TYPE);
        assertThat(new JsonObject(response.body()).getInteger("status")).isEqualTo(400);
      }
    }

    assertThat(replicaState().healthy()).as("replica in rotation").isTrue();
    assertThat(served(postgres.replicaAddress())).as("reads on the replica").isEqualTo(replicaReads);
    assertThat(served("primary")).as("reads on the primary").isEqualTo(primaryReads);
    PrometheusText metrics = PrometheusText.scrape(gateway.vertx(), gateway.managementPort());
    assertThat(metrics.value("gateway_breaker_state", "downstream=\"catalog\"")).as("0 = closed").isZero();
    assertThat(metrics.value("bus_instance_ejections_total", "target=\"catalog\"")).as("catalog ejections").isZero();
    assertThat(metrics.value("gateway_retries_total", "downstream=\"catalog\"")).isZero();
    // another query than the warm-up's, which the gateway's reverse cache would answer
    RawHttp.Response good = RawHttp.get(port, "/api/products?sort=-name&limit=1");
    assertThat(good.status()).as(good.body()).isEqualTo(200);
    assertThat(served(postgres.replicaAddress())).as("the next good read goes to the replica").isEqualTo(replicaReads + 1);
  }

  private static ReplicaRouter.Replica replicaState() {
    return catalog.router().replicas().get(0);
  }

  private static long served(String target) {
    return catalog.router().servedCounts().getOrDefault(target, 0L);
  }
}
