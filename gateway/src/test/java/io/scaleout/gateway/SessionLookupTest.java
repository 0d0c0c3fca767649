package io.scaleout.gateway;

import io.scaleout.common.session.SessionAddresses;
import io.scaleout.common.session.SessionTokens;
import io.scaleout.testsupport.FreePorts;
import io.scaleout.testsupport.HttpTestClient;
import io.scaleout.testsupport.TestCluster;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Made-up bearer tokens cost the session store little: a token the session service did not know
 * is refused by the gateway for a while without asking again, and one client address may cost only
 * AUTH_LOOKUP_BURST lookups at once (then AUTH_LOOKUPS_PER_SECOND), others going on unhindered.
 */
@ExtendWith(VertxExtension.class)
class SessionLookupTest {
  private static final int BURST = 5;
  private static final AtomicInteger lookups = new AtomicInteger();
  private static TestCluster cluster;
  private static HttpTestClient gateway;

  @BeforeAll
  static void start(Vertx vertx) {
    cluster = new TestCluster();
    int port = FreePorts.next();
    cluster.startNode("gateway", "gateway", Map.of("HTTP_PORT", Integer.toString(port), "RATE_LIMIT_ENABLED", "false",
        "TRUSTED_PROXIES", "127.0.0.1", "AUTH_LOOKUP_BURST", Integer.toString(BURST), "AUTH_LOOKUPS_PER_SECOND", "1"),
        io.scaleout.gateway.GatewayModule::start);
    cluster.startTestNode("session", context -> Future.all(StandIns.sessions(context, lookups),
        context.endpoints().register(SessionAddresses.CURRENT, message -> Future.succeededFuture(new JsonObject()))).mapEmpty());
    gateway = new HttpTestClient(vertx, port);
  }

  @AfterAll
  static void stop() {
    cluster.close();
  }

  private static MultiMap from(String address, String token) {
    return HttpTestClient.headers("X-Forwarded-For", address, "Authorization", "Bearer " + token);
  }

  @Test
  void aTokenTheSessionServiceDidNotKnowIsAskedForOnce() {
    String madeUp = SessionTokens.newToken();
    int before = lookups.get();
    for (int i = 0; i < 20; i++) {
      assertThat(gateway.send(HttpMethod.GET, "/api/sessions/current", from("10.1.0.1", madeUp)).status()).isEqualTo(401);
    }
    assertThat(lookups.get() - before).isEqualTo(1);
  }

  @Test
  void oneAddressMayCostOnlyItsBurstOfLookupsAndOthersGoOn() {
    int before = lookups.get();
    List<Integer> statuses = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      HttpTestClient.Response response = gateway.send(HttpMethod.GET, "/api/sessions/current", from("10.2.0.1", SessionTokens.newToken()));
      statuses.add(response.status());
      if (response.status() == 429) {
        assertThat(response.headers().get("Retry-After")).isNotNull();
        assertThat(response.headers().get("Content-Type")).startsWith("application/problem+json");
      }
    }
    // one more may have refilled while the flood ran (1 a second)
    assertThat(lookups.get() - before).isBetween(BURST, BURST + 1);
    assertThat(statuses.stream().filter(s -> s == 429).count()).as(statuses.toString()).isGreaterThanOrEqualTo(30 - BURST - 1);
    assertThat(statuses).containsOnly(401, 429);

    HttpTestClient.Response other = gateway.send(HttpMethod.GET, "/api/sessions/current", from("10.2.0.2", StandIns.USER_TOKEN));
    assertThat(other.status()).as("a user at another address").isEqualTo(200);
  }
}
