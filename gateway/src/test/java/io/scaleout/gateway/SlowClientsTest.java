package io.scaleout.gateway;

import io.scaleout.common.runtime.ServiceRuntime;
import io.scaleout.testsupport.FreePorts;
import io.scaleout.testsupport.PrometheusText;
import io.scaleout.testsupport.TestCluster;
import io.scaleout.testsupport.Waiting;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The bounded edge against hostile clients, on a real gateway: a thousand slowloris connections
 * trickling a header, connections beyond the cap, and two hundred 1 MiB bodies held one byte short,
 * while an ordinary client keeps being served and the heap stays flat.
 */
class SlowClientsTest {
  private static final int MAX_CONNECTIONS = 1200;
  private static final int BODY_BUFFER = 4 * 1024 * 1024;
  private static final int MIB = 1024 * 1024;
  private static TestCluster cluster;
  private static ServiceRuntime gateway;
  private static int port;

  @BeforeAll
  static void start() {
    cluster = new TestCluster();
    port = FreePorts.next();
    gateway = cluster.startNode("gateway", "gateway", Map.of("HTTP_PORT", Integer.toString(port), "HTTP_INSTANCES", "2",
        "RATE_LIMIT_ENABLED", "false", "HTTP_MAX_CONNECTIONS", Integer.toString(MAX_CONNECTIONS),
        "HTTP_HEADER_TIMEOUT_MS", "1500", "HTTP_KEEPALIVE_TIMEOUT_MS", "4000", "HTTP_IDLE_TIMEOUT_SECONDS", "10",
        "HTTP_BODY_TIMEOUT_MS", "2000", "HTTP_BODY_BUFFER_BYTES", Integer.toString(BODY_BUFFER)), GatewayModule::start);
  }

  @AfterAll
  static void stop() {
    cluster.close();
  }

  @Test
  void slowlorisConnectionsAreCutOffAndTheCapHoldsWhileOthersAreServed() throws Exception {
    long heapBefore = usedHeapAfterGc();
    try (Probe probe = new Probe()) {
      List<Socket> trickling = new ArrayList<>();
      for (int i = 0; i < 1000; i++) {
        Socket socket = open();
        socket.getOutputStream().write("GET / HTTP/1.1\r\nHost: slow\r\nX-Slow: ".getBytes(StandardCharsets.US_ASCII));
        trickling.add(socket);
      }
      long openedAt = System.nanoTime();
      // a header byte every 300 ms: never idle, never complete
      List<Socket> open = new ArrayList<>(trickling);
      while (!open.isEmpty() && System.nanoTime() - openedAt < TimeUnit.SECONDS.toNanos(8)) {
        open.removeIf(socket -> !writes(socket, "x"));
        Thread.sleep(300);
      }
      long cutOffMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - openedAt);
      System.out.println("MEASURED 1000 slowloris connections all closed by the gateway within " + cutOffMillis + " ms");
      assertThat(open.size()).as("connections still open after 8 s").isZero();
      trickling.forEach(SlowClientsTest::closeQuietly);

      // the cap: connections beyond it are closed at once (well before the header deadline)
      double refusedBefore = PrometheusText.scrape(gateway.vertx(), gateway.managementPort())
          .value("gateway_http_refused_total", "limit=\"connection\"");
      List<Socket> idle = new ArrayList<>();
      long burstAt = System.nanoTime();
      for (int i = 0; i < MAX_CONNECTIONS + 200; i++) {
        idle.add(open());
      }
      long burstMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - burstAt);
      // the sockets are open on this side before the gateway has accepted them all: count once it has
      Waiting.until("the gateway to take in the burst", Duration.ofSeconds(5), () -> {
        PrometheusText seen = PrometheusText.scrape(gateway.vertx(), gateway.managementPort());
        return seen.value("gateway_http_refused_total", "limit=\"connection\"") - refusedBefore
            + seen.value("gateway_http_connections", "") >= idle.size() - 50;
      });
      PrometheusText during = PrometheusText.scrape(gateway.vertx(), gateway.managementPort());
      double refused = during.value("gateway_http_refused_total", "limit=\"connection\"") - refusedBefore;
      double held = during.value("gateway_http_connections", "");
      idle.forEach(SlowClientsTest::closeQuietly);
      System.out.println("MEASURED " + idle.size() + " connections opened in " + burstMillis + " ms: " + refused
          + " closed at once, " + held + " held (cap " + MAX_CONNECTIONS + ")");
      assertThat(burstMillis).as("the burst came well within the header deadline").isLessThan(1500);
      assertThat(refused).isGreaterThanOrEqualTo(150);
      assertThat(held).isLessThanOrEqualTo(MAX_CONNECTIONS);

      probe.assertServedThroughout();
    }
    PrometheusText metrics = PrometheusText.scrape(gateway.vertx(), gateway.managementPort());
    assertThat(metrics.value("gateway_http_timeouts_total", "waiting=\"headers\"")).isGreaterThanOrEqualTo(1000);
    assertHeapFlat(heapBefore);
  }

  @Test
  void largeBodiesHeldOneByteShortAreBoundedInMemoryAndInTime() throws Exception {
    long heapBefore = usedHeapAfterGc();
    AtomicBoolean sampling = new AtomicBoolean(true);
    List<Double> buffered = new CopyOnWriteArrayList<>();
    Thread sampler = new Thread(() -> {
      while (sampling.get()) {
        buffered.add(PrometheusText.scrape(gateway.vertx(), gateway.managementPort()).value("gateway_http_body_buffered_bytes", ""));
        sleep(100);
      }
    });
    sampler.start();
    ExecutorService senders = Executors.newFixedThreadPool(220);
    try (Probe probe = new Probe()) {
      List<Future<String>> bodies = new ArrayList<>();
      for (int i = 0; i < 200; i++) {
        bodies.add(senders.submit(() -> heldBody("POST /api/users")));
      }
      // an authenticated route refuses before it reads anything
      List<Future<String>> anonymous = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        anonymous.add(senders.submit(() -> heldBody("POST /api/products")));
      }
      Map<String, Long> statuses = count(bodies);
      Map<String, Long> anonymousStatuses = count(anonymous);
      System.out.println("MEASURED 200 bodies of 1 MiB held one byte short: " + statuses + "; unauthenticated: " + anonymousStatuses
          + "; most buffered at once " + buffered.stream().mapToDouble(Double::doubleValue).max().orElse(0) + " bytes");

      assertThat(statuses.getOrDefault("408", 0L)).as("read until the body deadline").isBetween(1L, (long) BODY_BUFFER / MIB);
      assertThat(statuses.getOrDefault("503", 0L)).as("no room to read them").isEqualTo(200 - statuses.getOrDefault("408", 0L));
      assertThat(anonymousStatuses).containsOnlyKeys("401");
      assertThat(buffered).allSatisfy(bytes -> assertThat(bytes).isLessThanOrEqualTo(BODY_BUFFER));
      probe.assertServedThroughout();
    } finally {
      sampling.set(false);
      sampler.join();
      senders.shutdownNow();
    }
    assertHeapFlat(heapBefore);
  }

  @Test
  void aKeptAliveConnectionWaitsTheKeepAliveTimeNotTheHeaderTime() throws Exception {
    try (Socket socket = open()) {
      socket.setSoTimeout(5000);
      assertThat(exchange(socket)).isEqualTo("200");
      Thread.sleep(2500); // past the header deadline (1.5 s), within the keep-alive wait (4 s)
      assertThat(exchange(socket)).as("the same connection, kept alive").isEqualTo("200");
      long idleFrom = System.nanoTime();
      assertThat(closedWithin(socket, 8000)).as("closed once idle for the keep-alive wait").isTrue();
      assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - idleFrom)).isBetween(3500L, 6000L);
    }
  }

  /** One GET of the index page on a kept-alive connection; its status, the body read to its end. */
  private static String exchange(Socket socket) throws IOException {
    socket.getOutputStream().write("GET / HTTP/1.1\r\nHost: kept\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
    InputStream in = socket.getInputStream();
    String status = statusOf(in);
    long length = -1;
    StringBuilder line = new StringBuilder();
    int b;
    while ((b = in.read()) != -1) {
      if (b == '\n') {
        String header = line.toString().trim();
        if (header.isEmpty()) {
          break;
        }
        if (header.toLowerCase().startsWith("content-length:")) {
          length = Long.parseLong(header.substring(15).trim());
        }
        line.setLength(0);
      } else {
        line.append((char) b);
      }
    }
    assertThat(length).as("a sized reply").isNotNegative();
    assertThat(in.readNBytes((int) length)).hasSize((int) length);
    return status;
  }

  /** Sends the request line and headers of a 1 MiB JSON body, all of it but the last byte, and reads the status. */
  private static String heldBody(String requestLine) throws IOException {
    try (Socket socket = open()) {
      socket.setSoTimeout(15_000);
      OutputStream out = socket.getOutputStream();
      out.write((requestLine + " HTTP/1.1\r\nHost: slow\r\nContent-Type: application/json\r\nContent-Length: " + MIB
          + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      byte[] body = new byte[MIB - 1];
      Arrays.fill(body, (byte) ' ');
      body[0] = '[';
      try {
        out.write(body);
        out.flush();
      } catch (IOException closedWhileSending) {
        // the gateway answered and closed before taking it all; the answer is still there to read
      }
      return statusOf(socket.getInputStream());
    }
  }

  private static String statusOf(InputStream in) throws IOException {
    StringBuilder line = new StringBuilder();
    int b;
    while ((b = in.read()) != -1 && b != '\n') {
      line.append((char) b);
    }
    String[] parts = line.toString().split(" ");
    return parts.length > 1 ? parts[1] : "closed";
  }

  private static Map<String, Long> count(List<Future<String>> statuses) throws Exception {
    Map<String, Long> counts = new HashMap<>();
    for (Future<String> status : statuses) {
      counts.merge(status.get(30, TimeUnit.SECONDS), 1L, Long::sum);
    }
    return counts;
  }

  private static Socket open() throws IOException {
    Socket socket = new Socket("127.0.0.1", port);
    socket.setTcpNoDelay(true);
    return socket;
  }

  private static boolean writes(Socket socket, String text) {
    try {
      socket.getOutputStream().write(text.getBytes(StandardCharsets.US_ASCII));
      socket.getOutputStream().flush();
      return !closedWithin(socket, 1);
    } catch (IOException closed) {
      return false;
    }
  }

  /** True when the peer closed (EOF or reset) within {@code millis}; nothing else is ever sent on these. */
  private static boolean closedWithin(Socket socket, int millis) {
    try {
      socket.setSoTimeout(millis);
      return socket.getInputStream().read() == -1;
    } catch (SocketTimeoutException open) {
      return false;
    } catch (IOException reset) {
      return true;
    }
  }

  private static void closeQuietly(Socket socket) {
    try {
      socket.close();
    } catch (IOException ignored) {
      // closing a socket the gateway already closed
    }
  }

  private static long usedHeapAfterGc() {
    System.gc();
    sleep(200);
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  /** The whole test JVM's heap (gateway, cluster and clients) grows by less than a quarter of what the clients sent. */
  private static void assertHeapFlat(long before) {
    long growth = usedHeapAfterGc() - before;
    System.out.println("MEASURED heap growth " + growth / MIB + " MiB");
    assertThat(growth).isLessThan(50L * MIB);
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** An ordinary client reading the storefront's page every 50 ms throughout, over fresh connections. */
  private static final class Probe implements AutoCloseable {
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(5)).build();
    private final List<String> failures = new CopyOnWriteArrayList<>();
    private final List<Long> latencies = new CopyOnWriteArrayList<>();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Thread thread = new Thread(this::run, "probe");

    Probe() {
      thread.start();
    }

    private void run() {
      HttpRequest index = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/"))
          .timeout(Duration.ofSeconds(5)).build();
      while (running.get()) {
        long begin = System.nanoTime();
        try {
          HttpResponse<Void> response = client.send(index, HttpResponse.BodyHandlers.discarding());
          if (response.statusCode() != 200) {
            failures.add("status " + response.statusCode());
          }
        } catch (IOException e) {
          failures.add(e.toString());
        } catch (InterruptedException e) {
          return;
        }
        latencies.add(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - begin));
        sleep(50);
      }
    }

    void assertServedThroughout() {
      List<Long> sorted = latencies.stream().sorted().toList();
      System.out.println("MEASURED ordinary client meanwhile: " + sorted.size() + " requests, " + failures.size()
          + " failed, slowest " + (sorted.isEmpty() ? 0 : sorted.get(sorted.size() - 1)) + " ms");
      assertThat(failures).isEmpty();
      assertThat(sorted).hasSizeGreaterThan(10);
    }

    @Override
    public void close() throws InterruptedException {
      running.set(false);
      thread.join(10_000);
    }
  }
}
