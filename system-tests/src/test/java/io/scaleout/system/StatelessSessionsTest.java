package io.scaleout.system;

import io.scaleout.testsupport.HttpTestClient;
import io.vertx.core.http.HttpMethod;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * No instance keeps a session: a session made through gateway A works through gateway B, survives
 * the restart of every session-service instance, and a logout through A is seen by B at once.
 * Run for both stores (Redis, the Hazelcast data grid) by the subclasses.
 */
abstract class StatelessSessionsTest {
  private static Shop shop;
  private static HttpTestClient gatewayA;
  private static HttpTestClient gatewayB;

  static void start(String store) {
    shop = new Shop(Map.of("SESSION_STORE", store)).startSessions(2);
    gatewayA = shop.startGateway(Map.of());
    gatewayB = shop.startGateway(Map.of());
  }

  @AfterAll
  static void stop() {
    shop.close();
  }

  @Test
  void aSessionWorksThroughAnyGatewayAndSurvivesRestartingEverySessionInstance() throws InterruptedException {
    String email = "stateless-" + UUID.randomUUID() + "@example.org";
    Shop.register(gatewayA, email, "correct horse battery");
    HttpTestClient.Response login = Shop.login(gatewayA, email, "correct horse battery");
    assertThat(login.status()).isEqualTo(201);
    String token = login.json().getString("token");

    HttpTestClient.Response throughB = gatewayB.send(HttpMethod.GET, "/api/sessions/current", Shop.bearer(token));
    assertThat(throughB.status()).as(throughB.body()).isEqualTo(200);
    assertThat(throughB.json().getJsonObject("user").getString("email")).isEqualTo(email);

    shop.restartSessions();
    // let the gateways' short session cache expire, so the answer really comes from the store
    Thread.sleep(3100);

    assertThat(gatewayB.send(HttpMethod.GET, "/api/sessions/current", Shop.bearer(token)).status()).isEqualTo(200);
    String cookie = "SID=" + token;
    assertThat(gatewayA.send(HttpMethod.GET, "/api/sessions/current", HttpTestClient.headers("Cookie", cookie)).status()).isEqualTo(200);
  }

  @Test
  void aLogoutThroughOneGatewayIsSeenByTheOtherAtOnce() {
    String email = "logout-" + UUID.randomUUID() + "@example.org";
    Shop.register(gatewayA, email, "correct horse battery");
    String token = Shop.token(gatewayA, email, "correct horse battery");
    // B resolves the session and caches the answer
    assertThat(gatewayB.send(HttpMethod.GET, "/api/sessions/current", Shop.bearer(token)).status()).isEqualTo(200);

    assertThat(gatewayA.send(HttpMethod.DELETE, "/api/sessions/current", Shop.bearer(token)).status()).isEqualTo(204);

    assertThat(gatewayB.send(HttpMethod.GET, "/api/sessions/current", Shop.bearer(token)).status()).isEqualTo(401);
    assertThat(gatewayA.send(HttpMethod.GET, "/api/cart", Shop.bearer(token)).status()).isEqualTo(401);
  }
}
