package io.scaleout.gateway;

import io.scaleout.common.api.ApiReply;
import io.scaleout.common.catalog.CatalogAddresses;
import io.scaleout.common.runtime.ServiceRuntime;
import io.scaleout.testsupport.Await;
import io.scaleout.testsupport.FreePorts;
import io.scaleout.testsupport.PrometheusText;
import io.scaleout.testsupport.HttpTestClient;
import io.scaleout.testsupport.RedisServer;
import io.scaleout.testsupport.TestCluster;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.junit5.VertxExtension;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
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
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two real gateways sharing token buckets in a private redis-server (1 request/s, bursts of 5 per
 * address); a busy user leasing tokens; then the redis-server is killed and each gateway limits
 * from its own buckets.
 */
@ExtendWith(VertxExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RateLimitTest {
  private static final int BURST = 5;
  private static RedisServer redis;
  private static TestCluster cluster;
  private static HttpTestClient gatewayA;
  private static HttpTestClient gatewayB;
  private static final List<ServiceRuntime> gateways = new ArrayList<>();

  @BeforeAll
  static void start(Vertx vertx) {
    redis = RedisServer.start();
    cluster = new TestCluster();
    int portA = FreePorts.next();
    int portB = FreePorts.next();
    for (int port : new int[] {portA, portB}) {
      gateways.add(cluster.startNode("gateway", "gateway", Map.of("HTTP_PORT", Integer.toString(port), "HTTP_INSTANCES", "2",
          "REDIS_URL", redis.url(), "REDIS_TIMEOUT_MS", "200", "RATE_LIMIT_REDIS_RETRY_MS", "60000", "TRUSTED_PROXIES", "127.0.0.1",
          "RATE_LIMIT_ANON_RATE", "1", "RATE_LIMIT_ANON_BURST", Integer.toString(BURST),
          "RATE_LIMIT_USER_RATE", "1000", "RATE_LIMIT_USER_BURST", "1000"), GatewayModule::start));
    }
    cluster.startTestNode("session", StandIns::sessions);
    cluster.startTestNode("catalog", context -> context.endpoints().register(CatalogAddresses.CATEGORIES_LIST,
        message -> Future.succeededFuture(ApiReply.ok(new JsonArray()))));
    gatewayA = new HttpTestClient(vertx, portA, 32);
    gatewayB = new HttpTestClient(vertx, portB, 32);
    // warm both gateways up on the user budget, which the anonymous one does not share
    for (int i = 0; i < 20; i++) {
      asUser(i % 2 == 0 ? gatewayA : gatewayB);
    }
  }

  @AfterAll
  static void stop() {
    cluster.close();
    redis.close();
  }

  @Test
  @Order(1)
  void twoGatewaysDrawOnOneBudget() {
    long start = System.nanoTime();
    List<HttpTestClient.Response> responses = alternate(12);
    double seconds = (System.nanoTime() - start) / 1e9;

    long allowed = responses.stream().filter(r -> r.status() == 200).count();
    // one shared bucket lets the burst plus the refill through; two separate ones would let twice as many
    assertThat(allowed).as("allowed in %.2f s", seconds).isBetween((long) BURST, BURST + (long) Math.ceil(seconds) + 1);
    HttpTestClient.Response first = responses.get(0);
    assertThat(first.headers().get("RateLimit-Limit")).isEqualTo(Integer.toString(BURST));
    assertThat(Integer.parseInt(first.headers().get("RateLimit-Remaining"))).isEqualTo(BURST - 1);
    assertThat(Integer.parseInt(first.headers().get("RateLimit-Reset"))).isBetween(1, BURST);
    HttpTestClient.Response limited = responses.stream().filter(r -> r.status() == 429).findFirst().orElseThrow();
    assertThat(limited.headers().get("Content-Type")).isEqualTo("application/problem+json");
    assertThat(limited.headers().get("Retry-After")).isEqualTo("1");
    assertThat(limited.headers().get("RateLimit-Remaining")).isEqualTo("0");
    assertThat(responses.subList(0, 6).stream().map(HttpTestClient.Response::status)).contains(429);
    // both gateways refused: they saw the same empty bucket
    assertThat(List.of(responses.get(10).status(), responses.get(11).status())).containsOnly(429);
    assertThat(asUser(gatewayB).status()).as("a user has a budget of their own").isEqualTo(200);
  }

  @Test
  @Order(2)
  void concurrentRequestsOfOneClientTakeExactlyTheTokensThereAre() {
    // one client (an address forwarded by the trusted proxy) with 60 requests at once over both gateways
    List<Future<HttpTestClient.Response>> pending = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      pending.add((i % 2 == 0 ? gatewayA : gatewayB).sendAsync(HttpMethod.GET, "/api/categories",
          HttpTestClient.headers("X-Forwarded-For", "203.0.113.7"), null));
    }
    long start = System.nanoTime();
    List<HttpTestClient.Response> responses = pending.stream().map(f -> Await.result(f, Duration.ofSeconds(30))).toList();
    double seconds = (System.nanoTime() - start) / 1e9;

    List<Integer> remaining = responses.stream().filter(r -> r.status() == 200)
        .map(r -> Integer.parseInt(r.headers().get("RateLimit-Remaining"))).toList();
    assertThat(responses).allSatisfy(r -> assertThat(r.status()).isIn(200, 429));
    assertThat((long) remaining.size()).as("allowed in %.2f s", seconds).isBetween((long) BURST, BURST + (long) Math.ceil(seconds) + 1);
    assertThat(remaining).as("each allowed request took a token of its own").contains(BURST - 1, 0);
    for (ServiceRuntime gateway : gateways) {
      PrometheusText metrics = PrometheusText.scrape(gateway.vertx(), gateway.managementPort());
      assertThat(metrics.value("gateway_ratelimit_decisions_total", "decision=\"limited\"")).isGreaterThanOrEqualTo(1);
      assertThat(metrics.value("gateway_ratelimit_decisions_total", "decision=\"allowed\"")).isGreaterThanOrEqualTo(1);
    }
  }

  @Test
  @Order(3)
  void aBusyClientLeasesTokensInsteadOfARoundTripPerBatch(Vertx vertx) {
    long callsBefore = scriptCalls(vertx);
    // one user, four requests at a time for 200 in all: batching alone takes at least 50 calls of four
    List<Future<List<HttpTestClient.Response>>> chains = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      chains.add(userRequestsInTurn(gatewayA, 50, new ArrayList<>()));
    }
    List<HttpTestClient.Response> responses = chains.stream()
        .flatMap(chain -> Await.result(chain, Duration.ofSeconds(60)).stream()).toList();
    long calls = scriptCalls(vertx) - callsBefore;

    assertThat(responses).hasSize(200).allSatisfy(r -> {
      assertThat(r.status()).isEqualTo(200);
      assertThat(Integer.parseInt(r.headers().get("RateLimit-Remaining"))).isBetween(0, 1000);
    });
    assertThat(calls).as("token-bucket script calls for 200 requests").isBetween(1L, 30L);
  }

  private static Future<List<HttpTestClient.Response>> userRequestsInTurn(HttpTestClient gateway, int left,
                                                                          List<HttpTestClient.Response> responses) {
    if (left == 0) {
      return Future.succeededFuture(responses);
    }
    return gateway.sendAsync(HttpMethod.GET, "/api/categories", HttpTestClient.headers("Authorization", "Bearer " + StandIns.USER_TOKEN), null)
        .compose(response -> {
          responses.add(response);
          return userRequestsInTurn(gateway, left - 1, responses);
        });
  }

  @Test
  @Order(4)
  void withRedisGoneEachGatewayLimitsOnItsOwnAndNothingFails() {
    redis.kill();

    List<HttpTestClient.Response> responses = alternate(14);

    assertThat(responses).allSatisfy(r -> assertThat(r.status()).isIn(200, 429));
    long allowedA = countAllowed(responses, 0);
    long allowedB = countAllowed(responses, 1);
    // each gateway starts a full local bucket: more pass than the shared budget allowed, but still limited
    assertThat(allowedA).isBetween((long) BURST, BURST + 3L);
    assertThat(allowedB).isBetween((long) BURST, BURST + 3L);
    assertThat(responses.get(12).status()).isEqualTo(429);
    assertThat(PrometheusText.scrape(gateways.get(0).vertx(), gateways.get(0).managementPort()).value("gateway_ratelimit_local_decisions_total", ""))
        .isGreaterThanOrEqualTo(7);
  }

  /** EVALSHA and EVAL calls the private redis-server has served so far. */
  private static long scriptCalls(Vertx vertx) {
    Redis client = Redis.createClient(vertx, redis.url());
    String stats;
    try {
      stats = Await.result(client.send(Request.cmd(Command.INFO).arg("commandstats")), Duration.ofSeconds(5)).toString();
    } finally {
      client.close();
    }
    Matcher calls = Pattern.compile("cmdstat_eval(?:sha)?:calls=(\\d+)").matcher(stats);
    long total = 0;
    while (calls.find()) {
      total += Long.parseLong(calls.group(1));
    }
    return total;
  }

  private static long countAllowed(List<HttpTestClient.Response> responses, int parity) {
    long allowed = 0;
    for (int i = parity; i < responses.size(); i += 2) {
      allowed += responses.get(i).status() == 200 ? 1 : 0;
    }
    return allowed;
  }

  private static List<HttpTestClient.Response> alternate(int count) {
    List<HttpTestClient.Response> responses = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      responses.add((i % 2 == 0 ? gatewayA : gatewayB).get("/api/categories"));
    }
    return responses;
  }

  private static HttpTestClient.Response asUser(HttpTestClient gateway) {
    return gateway.send(HttpMethod.GET, "/api/categories", HttpTestClient.headers("Authorization", "Bearer " + StandIns.USER_TOKEN));
  }
}
