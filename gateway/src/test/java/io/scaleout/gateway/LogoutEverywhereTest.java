package io.scaleout.gateway;

import io.scaleout.common.api.ApiReply;
import io.scaleout.common.bus.FailureCode;
import io.scaleout.common.bus.ServiceException;
import io.scaleout.common.runtime.ServiceContext;
import io.scaleout.common.session.ResolvedSession;
import io.scaleout.common.session.SessionAddresses;
import io.scaleout.common.session.SessionTokens;
import io.scaleout.testsupport.FreePorts;
import io.scaleout.testsupport.HttpTestClient;
import io.scaleout.testsupport.TestCluster;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A logout through one gateway is answered only once the other gateways forgot the session: the
 * very next request with the token, on another gateway that had it cached (for a minute here), is
 * refused. The stand-in session service publishes no notice of the end, so nothing but the
 * gateways' own acknowledgements can make that hold.
 */
@ExtendWith(VertxExtension.class)
class LogoutEverywhereTest {
  private static final Set<String> liveHashes = ConcurrentHashMap.newKeySet();
  private static TestCluster cluster;
  private static HttpTestClient gatewayA;
  private static HttpTestClient gatewayB;

  @BeforeAll
  static void start(Vertx vertx) {
    cluster = new TestCluster();
    int portA = FreePorts.next();
    int portB = FreePorts.next();
    cluster.startNode("gateway", "gateway", settings(portA), GatewayModule::start);
    cluster.startNode("gateway", "gateway", settings(portB), GatewayModule::start);
    cluster.startTestNode("session", LogoutEverywhereTest::sessions);
    gatewayA = new HttpTestClient(vertx, portA);
    gatewayB = new HttpTestClient(vertx, portB);
  }

  private static Map<String, String> settings(int port) {
    return Map.of("HTTP_PORT", Integer.toString(port), "RATE_LIMIT_ENABLED", "false", "AUTH_CACHE_MS", "60000");
  }

  @AfterAll
  static void stop() {
    cluster.close();
  }

  /** Sessions live until their logout; the end is not published. */
  private static Future<Void> sessions(ServiceContext context) {
    return Future.all(List.of(
        context.endpoints().register(SessionAddresses.RESOLVE, message -> {
          String hash = message.body().getString(SessionAddresses.TOKEN_HASH_FIELD);
          if (!liveHashes.contains(hash)) {
            return Future.failedFuture(new ServiceException(FailureCode.UNAUTHORIZED, "No valid session"));
          }
          return Future.succeededFuture(new ResolvedSession(new JsonObject().put("id", "user-" + hash.substring(0, 6))
              .put("roles", new JsonArray().add("user")), Instant.now().plusSeconds(3600).toString(), hash)
              .toJson(context.clusterMac()));
        }),
        context.endpoints().register(SessionAddresses.CURRENT, message -> Future.succeededFuture(new JsonObject())),
        context.endpoints().register(SessionAddresses.LOGOUT, message -> {
          liveHashes.remove(message.headers().get(SessionAddresses.TOKEN_HASH));
          return Future.succeededFuture(ApiReply.noContent());
        }))).mapEmpty();
  }

  private static MultiMap bearer(String token) {
    return HttpTestClient.headers("Authorization", "Bearer " + token);
  }

  @Test
  void theNextRequestOnAnotherGatewayThatHadTheSessionCachedIsRefused() {
    for (int round = 0; round < 20; round++) {
      String token = SessionTokens.newToken();
      liveHashes.add(SessionTokens.hash(token));
      assertThat(gatewayB.send(HttpMethod.GET, "/api/sessions/current", bearer(token)).status()).isEqualTo(200);
      assertThat(gatewayA.send(HttpMethod.GET, "/api/sessions/current", bearer(token)).status()).isEqualTo(200);

      assertThat(gatewayA.send(HttpMethod.DELETE, "/api/sessions/current", bearer(token)).status()).isEqualTo(204);

      assertThat(gatewayB.send(HttpMethod.GET, "/api/sessions/current", bearer(token)).status())
          .as("round %d: gateway B after the logout through A", round).isEqualTo(401);
      assertThat(gatewayA.send(HttpMethod.GET, "/api/sessions/current", bearer(token)).status()).isEqualTo(401);
    }
  }
}
