package io.scaleout.system;

import io.scaleout.testsupport.Await;
import io.scaleout.testsupport.HttpTestClient;
import io.scaleout.testsupport.PrometheusText;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A flood of sign-ins that saturates the password-hashing pool (one thread, four waiting) is
 * refused with 503 and Retry-After, but never opens the gateway's breaker for the session service:
 * everyone else's carts, session checks and logouts go on during the flood.
 */
class LoginFloodTest {
  private static final String PASSWORD = "correct horse battery";
  private static Shop shop;
  private static HttpTestClient gateway;
  private static Vertx vertx;

  @BeforeAll
  static void start() {
    shop = new Shop(Map.of("PASSWORD_HASH_THREADS", "1", "PASSWORD_HASH_QUEUE", "4", "PASSWORD_HASH_MAX_WAIT_MS", "1000"))
        .startCatalog().startSessions(1);
    gateway = shop.startGateway(Map.of());
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void stop() {
    shop.close();
    vertx.close();
  }

  @Test
  void aHashingFloodIsRefusedButNeverCutsTheSessionServiceOff() {
    List<String> tokens = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      String email = "flood-bystander-" + i + "-" + UUID.randomUUID() + "@example.org";
      Shop.register(gateway, email, PASSWORD);
      tokens.add(Shop.token(gateway, email, PASSWORD));
    }

    HttpTestClient flood = new HttpTestClient(vertx, gateway.port(), 100);
    List<Future<HttpTestClient.Response>> logins = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      // every sign-in a different account (none is throttled), each costing a hash
      String body = new JsonObject().put("email", "flood-" + i + "-" + UUID.randomUUID() + "@example.org")
          .put("password", "not the password").encode();
      logins.add(flood.sendAsync(HttpMethod.POST, "/api/sessions", HttpTestClient.headers("Content-Type", "application/json"), body));
    }
    List<Integer> bystanders = new ArrayList<>();
    for (String token : tokens) {
      bystanders.add(gateway.send(HttpMethod.GET, "/api/cart", Shop.bearer(token)).status());
      bystanders.add(gateway.send(HttpMethod.GET, "/api/sessions/current", Shop.bearer(token)).status());
    }
    List<HttpTestClient.Response> answers = logins.stream().map(login -> Await.result(login, Duration.ofSeconds(60))).toList();
    for (String token : tokens) {
      bystanders.add(gateway.send(HttpMethod.DELETE, "/api/sessions/current", Shop.bearer(token)).status());
    }

    List<Integer> statuses = answers.stream().map(HttpTestClient.Response::status).toList();
    long refused = statuses.stream().filter(status -> status == 503).count();
    System.out.println("MEASURED 200 sign-ins at once on one hashing thread: " + statuses.stream().filter(s -> s == 401).count()
        + " x 401, " + refused + " x 503");
    assertThat(statuses).containsOnly(401, 503);
    assertThat(refused).as("the pool was saturated").isGreaterThan(0);
    answers.stream().filter(answer -> answer.status() == 503)
        .forEach(answer -> assertThat(answer.headers().get("Retry-After")).isNotNull());
    assertThat(bystanders).as("carts, session checks and logouts during the flood").containsOnly(200, 204);
    PrometheusText metrics = PrometheusText.scrape(vertx, shop.gatewayNodes.get(0).managementPort());
    assertThat(metrics.value("gateway_breaker_state", "downstream=\"session\"")).as("0 = closed").isZero();
    assertThat(metrics.value("gateway_breaker_rejections_total", "downstream=\"session\"")).isZero();
  }
}
