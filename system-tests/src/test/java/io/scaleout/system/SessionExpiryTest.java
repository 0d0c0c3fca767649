package io.scaleout.system;

import io.scaleout.testsupport.HttpTestClient;
import io.scaleout.testsupport.Waiting;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** A session that expires (here: its idle timeout passes) ends its event streams as a logout does. */
class SessionExpiryTest {
  private static final int IDLE_SECONDS = 10;
  private static Shop shop;
  private static HttpTestClient gateway;

  @BeforeAll
  static void start() {
    shop = new Shop(Map.of("SESSION_IDLE_TIMEOUT_SECONDS", Integer.toString(IDLE_SECONDS))).startSessions(1).startWorkerStandIn();
    gateway = shop.startGateway(Map.of("SSE_SESSION_CHECK_MS", "500"));
  }

  @AfterAll
  static void stop() {
    shop.close();
  }

  @Test
  void anExpiredSessionEndsItsEventStreams() {
    String email = "expiry-" + UUID.randomUUID() + "@example.org";
    Shop.register(gateway, email, "correct horse battery");
    String token = Shop.token(gateway, email, "correct horse battery");
    long opened = System.nanoTime();
    try (EventStream stream = EventStream.open(gateway.port(), token, null)) {
      assertThat(stream.status()).isEqualTo(200);

      Waiting.pause((IDLE_SECONDS - 3) * 1000L);
      assertThat(stream.ended()).as("ended while the session was alive").isFalse();

      Waiting.until("the stream of the expired session ended", Duration.ofSeconds(8), stream::ended);
      assertThat(Duration.ofNanos(System.nanoTime() - opened)).isGreaterThanOrEqualTo(Duration.ofSeconds(IDLE_SECONDS - 1));
      assertThat(gateway.send(io.vertx.core.http.HttpMethod.GET, "/api/sessions/current", Shop.bearer(token)).status())
          .isEqualTo(401);
    }
  }
}
