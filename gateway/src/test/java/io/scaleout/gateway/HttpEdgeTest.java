package io.scaleout.gateway;

import io.scaleout.testsupport.FreePorts;
import io.scaleout.testsupport.RawHttp;
import io.scaleout.testsupport.TestCluster;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.cert.CertificateFactory;
import java.util.HexFormat;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The listener and the web UI: cache headers of index.html and fingerprinted assets, path
 * traversal in every spelling, h2c on the plain port, and h2 over TLS with a PEM certificate.
 */
@ExtendWith(VertxExtension.class)
class HttpEdgeTest {
  private static final Pattern ASSET = Pattern.compile("/assets/([A-Za-z0-9_-]+)\\.([0-9a-f]{8,})\\.([a-z0-9]+)");
  private static TestCluster cluster;
  private static int plainPort;
  private static int tlsPort;
  private static Path certificate;

  @BeforeAll
  static void start(@TempDir Path dir) throws Exception {
    certificate = dir.resolve("cert.pem");
    Path key = dir.resolve("key.pem");
    Process openssl = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
        "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
        "-keyout", key.toString(), "-out", certificate.toString()).redirectErrorStream(true).start();
    assertThat(openssl.waitFor()).as(new String(openssl.getInputStream().readAllBytes())).isZero();
    cluster = new TestCluster();
    plainPort = FreePorts.next();
    tlsPort = FreePorts.next();
    cluster.startNode("gateway", "gateway", Map.of("HTTP_PORT", Integer.toString(plainPort), "HTTP_INSTANCES", "1",
        "RATE_LIMIT_ENABLED", "false", "HTTP_H2C", "true"), GatewayModule::start);
    cluster.startNode("gateway", "gateway", Map.of("HTTP_PORT", Integer.toString(tlsPort), "HTTP_INSTANCES", "1",
        "RATE_LIMIT_ENABLED", "false", "TLS_CERT_PATH", certificate.toString(), "TLS_KEY_PATH", key.toString()), GatewayModule::start);
  }

  @AfterAll
  static void stop() {
    cluster.close();
  }

  @Test
  void indexIsRevalidatedAndFingerprintedAssetsAreImmutable() throws Exception {
    RawHttp.Response index = RawHttp.get(plainPort, "/");
    assertThat(index.status()).isEqualTo(200);
    assertThat(index.header("cache-control")).isEqualTo("no-cache");
    assertThat(index.header("content-type")).startsWith("text/html");

    Matcher assets = ASSET.matcher(index.body());
    int found = 0;
    while (assets.find()) {
      found++;
      RawHttp.Response asset = RawHttp.get(plainPort, assets.group());
      assertThat(asset.status()).as(assets.group()).isEqualTo(200);
      assertThat(asset.header("cache-control")).isEqualTo("public, max-age=31536000, immutable");
      // the name's hash is the content's: an edited asset must be renamed, or browsers keep the old one
      String hash = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(asset.bodyBytes()));
      assertThat(hash).as("content hash of " + assets.group()).startsWith(assets.group(2));
    }
    // the style sheet and every module of the import map, each under its fingerprinted name
    assertThat(found).isGreaterThanOrEqualTo(3);
    assertThat(index.body()).contains("<script type=\"importmap\">").doesNotContain("<!-- importmap -->");
  }

  @ParameterizedTest
  @ValueSource(strings = {"/../scaleout/gateway-defaults.json", "/%2e%2e/scaleout/gateway-defaults.json",
      "/%2e%2e%2fscaleout%2fgateway-defaults.json", "/assets/..%2f..%2fscaleout/gateway-defaults.json",
      "/..%5cscaleout%5cgateway-defaults.json", "/assets/%252e%252e/%252e%252e/scaleout/gateway-defaults.json",
      "/%c0%ae%c0%ae/scaleout/gateway-defaults.json", "/../../../../etc/passwd", "/assets/../../../../etc/passwd",
      "//etc/passwd", "/assets/%2e%2e/%2e%2e/%2e%2e/etc/passwd", "/.%2e/.%2e/etc/passwd", "/logback.xml",
      "/../logback.xml", "/scaleout-webroot/../logback.xml"})
  void noPathLeavesTheWebRoot(String path) throws Exception {
    RawHttp.Response response = RawHttp.get(plainPort, path);

    assertThat(response.status()).as(path).isIn(400, 404);
    assertThat(response.body()).doesNotContain("HTTP_PORT", "root:", "<configuration");
  }

  @Test
  void thePlainPortSpeaksH2c() throws Exception {
    HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).build();
    // the first request upgrades the connection, the next ones use it
    client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + plainPort + "/")).build(), HttpResponse.BodyHandlers.discarding());
    HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + plainPort + "/")).build(),
        HttpResponse.BodyHandlers.ofString());

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.version()).isEqualTo(HttpClient.Version.HTTP_2);
  }

  @Test
  void withAPemCertificateTheListenerSpeaksH2OverTls() throws Exception {
    KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
    trusted.load(null, null);
    try (InputStream pem = Files.newInputStream(certificate)) {
      trusted.setCertificateEntry("gateway", CertificateFactory.getInstance("X.509").generateCertificate(pem));
    }
    TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    trust.init(trusted);
    SSLContext tls = SSLContext.getInstance("TLS");
    tls.init(null, trust.getTrustManagers(), null);
    HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).sslContext(tls).build();

    HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + tlsPort + "/")).build(),
        HttpResponse.BodyHandlers.ofString());

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.version()).isEqualTo(HttpClient.Version.HTTP_2);
    assertThat(response.body()).contains("scaleout shop");
  }
}
