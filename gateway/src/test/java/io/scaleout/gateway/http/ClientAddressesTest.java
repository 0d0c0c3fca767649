package io.scaleout.gateway.http;

import io.scaleout.testsupport.Await;
import io.scaleout.testsupport.FreePorts;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Whose address a request is, on a real listener reached over IPv4 and IPv6 loopback: each server
 * answers with {@link ClientAddresses#of} under its own TRUSTED_PROXIES.
 */
@ExtendWith(VertxExtension.class)
class ClientAddressesTest {
  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();
  private static int loopbackRanges;
  private static int singleAddress;
  private static int otherNetwork;
  private static final List<HttpServer> servers = new java.util.ArrayList<>();

  @BeforeAll
  static void start(Vertx vertx) {
    loopbackRanges = listen(vertx, "127.0.0.0/8", "::1/128", "10.0.0.0/8", "fd00::/8");
    singleAddress = listen(vertx, "127.0.0.1");
    otherNetwork = listen(vertx, "10.0.0.0/8", "fd00::/8");
  }

  private static int listen(Vertx vertx, String... trusted) {
    ClientAddresses clients = new ClientAddresses(TrustedProxies.parse("TRUSTED_PROXIES", List.of(trusted)));
    int port = FreePorts.next();
    servers.add(Await.result(vertx.createHttpServer().requestHandler(request -> request.response().end(clients.of(request)))
        .listen(port, "::"), Duration.ofSeconds(10)));
    return port;
  }

  @AfterAll
  static void stop() {
    servers.forEach(server -> Await.result(server.close(), Duration.ofSeconds(10)));
  }

  private static String client(String host, int port, String forwardedFor) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://" + host + ":" + port + "/")).timeout(Duration.ofSeconds(10));
    if (forwardedFor != null) {
      request.header("X-Forwarded-For", forwardedFor);
    }
    HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(200);
    return response.body();
  }

  @Test
  void aPeerInsideATrustedRangeNamesTheClientPastTheTrustedHops() throws Exception {
    assertThat(client("127.0.0.1", loopbackRanges, "198.51.100.7")).isEqualTo("198.51.100.7");
    // the client's own entries further left are not believed; the trusted hops on the right are skipped
    assertThat(client("127.0.0.1", loopbackRanges, "1.2.3.4, 198.51.100.7, 10.20.30.40, fd00::9")).isEqualTo("198.51.100.7");
    assertThat(client("[::1]", loopbackRanges, "2001:db8::5, fd12::1")).isEqualTo("2001:db8::5");
    assertThat(client("[::1]", loopbackRanges, null)).as("no header: the peer").isIn("0:0:0:0:0:0:0:1", "::1");
    assertThat(client("127.0.0.1", loopbackRanges, "10.0.0.1, 127.0.0.5")).as("every hop trusted: the peer").isEqualTo("127.0.0.1");
  }

  @Test
  void aSingleTrustedAddressStillWorksAsBefore() throws Exception {
    assertThat(client("127.0.0.1", singleAddress, "203.0.113.7")).isEqualTo("203.0.113.7");
    assertThat(client("127.0.0.1", singleAddress, "203.0.113.7, 127.0.0.2")).as("127.0.0.2 is not trusted")
        .isEqualTo("127.0.0.2");
    assertThat(client("[::1]", singleAddress, "203.0.113.7")).as("::1 is not 127.0.0.1").isIn("0:0:0:0:0:0:0:1", "::1");
  }

  @Test
  void aPeerOutsideEveryTrustedRangeIsTheClientWhateverItForwards() throws Exception {
    assertThat(client("127.0.0.1", otherNetwork, "198.51.100.7")).isEqualTo("127.0.0.1");
    assertThat(client("[::1]", otherNetwork, "198.51.100.7")).isIn("0:0:0:0:0:0:0:1", "::1");
  }
}
