package io.scaleout.gateway;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.scaleout.common.bus.Problem;
import io.scaleout.common.runtime.ServiceRuntime;
import io.scaleout.common.session.SessionAddresses;
import io.scaleout.common.session.SessionTokens;
import io.scaleout.common.worker.JobEvent;
import io.scaleout.common.worker.WorkerAddresses;
import io.scaleout.testsupport.Await;
import io.scaleout.testsupport.FreePorts;
import io.scaleout.testsupport.HttpTestClient;
import io.scaleout.testsupport.TestCluster;
import io.scaleout.testsupport.Waiting;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The gateway's side of worker jobs on a real cluster — two gateways, a stand-in session service
 * and a stand-in worker on the real event bus, one workspace folder: uploads streamed into the
 * workspace and submitted as jobs, files served from it, event streams of job changes fed from the
 * bus on the gateway the client is connected to, resumed from the worker, bounded, and ended by a
 * logout and at drain.
 */
@ExtendWith(VertxExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class JobRoutesTest {
  private static final int IMAGE_LIMIT = 4 * 1024 * 1024;
  private static final String ADMIN = "Bearer " + StandIns.ADMIN_TOKEN;
  private static final Duration SUBMIT_TIMEOUT = Duration.ofSeconds(2);
  private static final StandInWorker worker =
      new StandInWorker(List.of(event("job-1", "user-1", 2000), event("job-2", "user-1", 3000)));
  private static final ListAppender<ILoggingEvent> accessLog = new ListAppender<>();
  @TempDir
  static Path workspace;
  private static TestCluster cluster;
  private static ServiceRuntime gatewayB;
  private static ServiceRuntime workerNode;
  private static Vertx vertx;
  private static int portA;
  private static int portB;
  private static HttpTestClient gatewayA;

  @BeforeAll
  static void start(Vertx testVertx) {
    vertx = testVertx;
    accessLog.start();
    ((Logger) LoggerFactory.getLogger("access")).addAppender(accessLog);
    cluster = new TestCluster();
    portA = FreePorts.next();
    portB = FreePorts.next();
    cluster.startNode("gateway", "gateway", gatewaySettings(portA), GatewayModule::start);
    gatewayB = cluster.startNode("gateway", "gateway", gatewaySettings(portB), GatewayModule::start);
    cluster.startTestNode("session", StandIns::sessions);
    workerNode = cluster.startTestNode("worker", worker::register);
    gatewayA = new HttpTestClient(vertx, portA);
  }

  private static Map<String, String> gatewaySettings(int port) {
    return Map.of("HTTP_PORT", Integer.toString(port), "HTTP_INSTANCES", "2", "RATE_LIMIT_ENABLED", "false",
        "WORKSPACE_DIR", workspace.toString(), "IMAGE_UPLOAD_LIMIT_BYTES", Integer.toString(IMAGE_LIMIT),
        "SSE_HEARTBEAT_MS", "300", "SSE_MAX_STREAMS_PER_USER", "3", "SHUTDOWN_DRAIN_TIMEOUT_MS", "30000",
        "JOB_SUBMIT_ROUTE_TIMEOUT_MS", Long.toString(SUBMIT_TIMEOUT.toMillis()));
  }

  @AfterAll
  static void stop() {
    ((Logger) LoggerFactory.getLogger("access")).detachAppender(accessLog);
    cluster.close();
  }

  private static JobEvent event(String jobId, String owner, long updatedAt) {
    return new JobEvent(jobId, owner, "thumbnail", "running", 40, 1, null, null, updatedAt);
  }

  /** A response with its body as bytes. */
  private record Reply(int status, MultiMap headers, Buffer body) {
    JsonObject json() {
      return body.toJsonObject();
    }
  }

  /** An administrator's request with a binary body (or none): with Content-Length, or chunked as a stream of unknown size. */
  private static Reply send(HttpMethod method, String uri, String contentType, byte[] body, boolean chunked) {
    HttpClient client = vertx.createHttpClient();
    RequestOptions options = new RequestOptions().setMethod(method).setHost("127.0.0.1").setPort(portA).setURI(uri)
        .putHeader("Authorization", ADMIN);
    if (contentType != null) {
      options.putHeader("Content-Type", contentType);
    }
    return Await.result(client.request(options)
        .compose(request -> {
          if (body == null) {
            return request.send();
          }
          if (!chunked) {
            return request.send(Buffer.buffer(body));
          }
          request.setChunked(true);
          for (int at = 0; at < body.length; at += 65536) {
            request.write(Buffer.buffer(Arrays.copyOfRange(body, at, Math.min(body.length, at + 65536))));
          }
          request.end();
          return request.response();
        })
        .compose(response -> response.body().map(bytes -> new Reply(response.statusCode(), response.headers(), bytes)))
        .andThen(done -> client.close()), Duration.ofSeconds(30));
  }

  private static byte[] randomBytes(int size) {
    byte[] bytes = new byte[size];
    new Random(size).nextBytes(bytes);
    return bytes;
  }

  private static Set<String> uploads() {
    try (Stream<Path> files = Files.list(workspace.resolve("uploads"))) {
      return files.map(path -> path.getFileName().toString()).collect(Collectors.toSet());
    } catch (IOException e) {
      return Set.of();
    }
  }

  /** The fields of each access log line so far. */
  private static List<String> accessLines() {
    synchronized (accessLog) {
      return accessLog.list.stream().map(line -> List.of(line.getArgumentArray()).toString()).toList();
    }
  }

  @Test
  void anImageIsStoredByteForByteThenSubmittedAsAThumbnailJobForTheCaller() throws IOException {
    byte[] image = randomBytes(3 * 1024 * 1024);

    Reply accepted = send(HttpMethod.POST, "/api/products/42/image", "image/png", image, false);

    assertThat(accepted.status()).as(accepted.body().toString()).isEqualTo(202);
    String jobId = accepted.json().getString("jobId");
    assertThat(accepted.headers().get("Location")).isEqualTo("/api/jobs/" + jobId);
    StandInWorker.Received submission = worker.submissions.get(worker.submissions.size() - 1);
    assertThat(submission.request().pathParam("id")).isEqualTo("42");
    assertThat(submission.caller().userId()).isEqualTo("admin-1");
    assertThat(worker.lastJob()).isEqualTo(new JsonObject().put("jobId", jobId).put("kind", "thumbnail").put("input",
        new JsonObject().put("productId", 42L).put("file", jobId + ".png").put("contentType", "image/png")));
    assertThat(Files.readAllBytes(workspace.resolve("uploads").resolve(jobId + ".png"))).isEqualTo(image);
  }

  @Test
  void anImportOfUnknownSizeIsStreamedThenSubmittedAsAnImportJob() throws IOException {
    byte[] csv = randomBytes(1024 * 1024 + 17);

    Reply accepted = send(HttpMethod.POST, "/api/imports", "text/csv; charset=utf-8", csv, true);

    assertThat(accepted.status()).as(accepted.body().toString()).isEqualTo(202);
    String jobId = accepted.json().getString("jobId");
    assertThat(worker.lastJob().getString("kind")).isEqualTo("import");
    assertThat(worker.lastJob().getJsonObject("input"))
        .isEqualTo(new JsonObject().put("file", jobId + ".csv").put("format", "csv"));
    assertThat(Files.readAllBytes(workspace.resolve("uploads").resolve(jobId + ".csv"))).isEqualTo(csv);
  }

  @Test
  void uploadsOverTheLimitAreRefusedAndLeaveNoFile() {
    Set<String> before = uploads();
    byte[] tooLarge = randomBytes(IMAGE_LIMIT + 1);
    int submissions = worker.submissions.size();

    Reply streamed = send(HttpMethod.POST, "/api/products/42/image", "image/jpeg", tooLarge, true);
    Reply declared = send(HttpMethod.POST, "/api/products/42/image", "image/jpeg", tooLarge, false);

    for (Reply refused : List.of(streamed, declared)) {
      assertThat(refused.status()).isEqualTo(413);
      assertThat(refused.headers().get("Connection")).isEqualToIgnoringCase("close");
      assertThat(refused.headers().get("Content-Type")).isEqualTo(Problem.MEDIA_TYPE);
    }
    Waiting.until("the partial upload deleted", Duration.ofSeconds(5), () -> uploads().equals(before));
    assertThat(worker.submissions).hasSize(submissions);
  }

  @Test
  void badRequestsAreRefusedBeforeTheBodyIsRead() {
    Set<String> before = uploads();
    int submissions = worker.submissions.size();
    MultiMap png = HttpTestClient.headers("Content-Type", "image/png", "Authorization", ADMIN);

    HttpTestClient.Response wrongType = gatewayA.send(HttpMethod.POST, "/api/products/42/image",
        HttpTestClient.headers("Content-Type", "image/gif", "Authorization", ADMIN), "GIF89a");
    HttpTestClient.Response wrongImportType = gatewayA.send(HttpMethod.POST, "/api/imports",
        HttpTestClient.headers("Content-Type", "application/json", "Authorization", ADMIN), "[]");
    HttpTestClient.Response badId = gatewayA.send(HttpMethod.POST, "/api/products/01/image", png, "png");
    HttpTestClient.Response empty = gatewayA.send(HttpMethod.POST, "/api/products/42/image", png, "");
    HttpTestClient.Response notAdmin = gatewayA.send(HttpMethod.POST, "/api/products/42/image",
        HttpTestClient.headers("Content-Type", "image/png", "Authorization", "Bearer " + StandIns.USER_TOKEN), "png");

    assertThat(wrongType.status()).isEqualTo(415);
    assertThat(wrongImportType.status()).isEqualTo(415);
    assertThat(badId.status()).isEqualTo(400);
    assertThat(badId.json().getString("field")).isEqualTo("id");
    assertThat(empty.status()).isEqualTo(400);
    assertThat(empty.json().getString("field")).isEqualTo("body");
    assertThat(notAdmin.status()).isEqualTo(403);
    assertThat(worker.submissions).hasSize(submissions);
    Waiting.until("the empty upload deleted", Duration.ofSeconds(5), () -> uploads().equals(before));
  }

  @Test
  void anUploadTheWorkerDoesNotTakeIsDeleted() {
    Set<String> before = uploads();
    worker.submitFailing.set(true);
    try {
      Reply refused = send(HttpMethod.POST, "/api/products/7/image", "image/png", randomBytes(1000), false);

      assertThat(refused.status()).isEqualTo(503);
      assertThat(refused.json().getString("detail")).isEqualTo("the job queue is down");
      Waiting.until("the upload deleted", Duration.ofSeconds(5), () -> uploads().equals(before));
    } finally {
      worker.submitFailing.set(false);
    }
  }

  @Test
  void anUploadWhoseSubmissionTimesOutIsKeptForTheJobThatMayRunAndTheAnswerNamesTheJob() throws IOException {
    byte[] image = randomBytes(2000);
    worker.submitDelayMillis.set(SUBMIT_TIMEOUT.toMillis() * 2);
    try {
      Reply late = send(HttpMethod.POST, "/api/products/9/image", "image/png", image, false);

      assertThat(late.status()).as(late.body().toString()).isEqualTo(504);
      String jobId = worker.lastJob().getString("jobId");
      assertThat(late.headers().get("Location")).isEqualTo("/api/jobs/" + jobId);
      // the worker took the job and answers after the gateway gave up: once it has, the upload must
      // still be there for the job (a deletion, as for a refused job, takes milliseconds)
      Waiting.pause(SUBMIT_TIMEOUT.toMillis() + 500);
      assertThat(Files.readAllBytes(workspace.resolve("uploads").resolve(jobId + ".png"))).isEqualTo(image);
    } finally {
      worker.submitDelayMillis.set(0);
    }
  }

  @Test
  void filesAreServedImmutableUnderTheirNamesOnly() throws IOException {
    String name = "0123456789abcdef0123456789abcdef-256.png";
    byte[] thumbnail = randomBytes(5000);
    Files.createDirectories(workspace.resolve("files"));
    Files.write(workspace.resolve("files").resolve(name), thumbnail);
    Files.write(workspace.resolve("secret.png"), thumbnail);

    Reply served = send(HttpMethod.GET, "/files/" + name, null, null, false);
    HttpTestClient.Response revalidated = gatewayA.send(HttpMethod.GET, "/files/" + name,
        HttpTestClient.headers("If-None-Match", served.headers().get("ETag")));

    assertThat(served.status()).isEqualTo(200);
    assertThat(served.body().getBytes()).isEqualTo(thumbnail);
    assertThat(served.headers().get("Cache-Control")).isEqualTo("public, max-age=31536000, immutable");
    assertThat(served.headers().get("Content-Type")).isEqualTo("image/png");
    assertThat(revalidated.status()).isEqualTo(304);
    for (String path : List.of("/files/..%2Fsecret.png", "/files/..%2F..%2Fetc%2Fpasswd", "/files/%2E%2E%2Fsecret.png",
        "/files/ffffffffffffffffffff.png")) {
      HttpTestClient.Response missing = gatewayA.get(path);
      assertThat(missing.status()).as(path).isEqualTo(404);
      assertThat(missing.headers().get("Cache-Control")).as(path).isNotEqualTo(served.headers().get("Cache-Control"));
    }
  }

  @Test
  void deadLettersAreForwardedForAdministrators() {
    MultiMap admin = HttpTestClient.headers("Authorization", ADMIN);

    assertThat(gatewayA.send(HttpMethod.GET, "/api/admin/dlq", admin).body()).isEqualTo("[\"letter\"]");
    HttpTestClient.Response replayed = gatewayA.send(HttpMethod.POST, "/api/admin/dlq/42/replay", admin);
    assertThat(replayed.status()).isEqualTo(202);
    assertThat(replayed.json().getString("id")).isEqualTo("42");
    assertThat(gatewayA.send(HttpMethod.DELETE, "/api/admin/dlq/42", admin).status()).isEqualTo(204);
    assertThat(gatewayA.send(HttpMethod.GET, "/api/admin/dlq", HttpTestClient.headers("Authorization",
        "Bearer " + StandIns.USER_TOKEN)).status()).isEqualTo(403);
  }

  @Test
  void aStreamOnTheOtherGatewayGetsItsUsersEventsOnlyAndHeartbeats() {
    try (EventStreamClient stream = EventStreamClient.open(vertx, portB, "/api/events", StandIns.USER_TOKEN,
        "Accept-Encoding", "gzip")) {
      assertThat(stream.status()).isEqualTo(200);
      assertThat(stream.response.getHeader("Content-Type")).isEqualTo("text/event-stream");
      assertThat(stream.response.getHeader("Cache-Control")).isEqualTo("no-store");
      assertThat(stream.response.getHeader("X-Accel-Buffering")).isEqualTo("no");
      assertThat(stream.response.getHeader("Content-Encoding")).as("not compressed").isIn(null, "identity");

      workerNode.vertx().eventBus().publish(WorkerAddresses.JOB_EVENTS, event("job-other", "someone-else", 5000).toJson());
      workerNode.vertx().eventBus().publish(WorkerAddresses.JOB_EVENTS, event("job-mine", "user-1", 5001).toJson());

      Waiting.until("the user's event", Duration.ofSeconds(5), () -> !stream.frames().isEmpty());
      assertThat(stream.frames())
          .containsExactly(new EventStreamClient.Frame("5001", "job", event("job-mine", "user-1", 5001).forOwner()));
      Waiting.until("a heartbeat", Duration.ofSeconds(5), () -> stream.text().contains(": keep-alive\n\n"));
    }
  }

  @Test
  void aReconnectFirstGetsWhatTheWorkerReportsSinceItsLastEvent() {
    try (EventStreamClient stream = EventStreamClient.open(vertx, portB, "/api/events", StandIns.USER_TOKEN,
        "Last-Event-ID", "1000")) {
      Waiting.until("the missed events", Duration.ofSeconds(5), () -> stream.frames().size() == 2);
      StandInWorker.Received resume = worker.resumes.get(worker.resumes.size() - 1);
      assertThat(resume.request().queryParam("since")).isEqualTo("1000");
      assertThat(resume.caller().userId()).isEqualTo("user-1");

      workerNode.vertx().eventBus().publish(WorkerAddresses.JOB_EVENTS, event("job-2", "user-1", 6000).toJson());

      Waiting.until("the live event", Duration.ofSeconds(5), () -> stream.frames().size() == 3);
      assertThat(stream.frames()).extracting(EventStreamClient.Frame::id).containsExactly("2000", "3000", "6000");
    }
    // a browser's EventSource sends no header on its first connection: the query names the id; the worker fails
    String uri = "/api/events?lastEventId=" + StandInWorker.FAILING_SINCE;
    try (EventStreamClient stream = EventStreamClient.open(vertx, portB, uri, StandIns.USER_TOKEN)) {
      Waiting.until("the comment", Duration.ofSeconds(5),
          () -> stream.text().contains(": earlier job events are not available"));
      workerNode.vertx().eventBus().publish(WorkerAddresses.JOB_EVENTS, event("job-3", "user-1", 7000).toJson());
      Waiting.until("the live event", Duration.ofSeconds(5), () -> stream.frames().size() == 1);
      assertThat(worker.resumes.get(worker.resumes.size() - 1).request().queryParam("since"))
          .isEqualTo(StandInWorker.FAILING_SINCE);
    }
  }

  @Test
  void streamsPerUserAreBoundedAndFreedWhenTheClientLeaves() {
    int logged = accessLines().size();
    EventStreamClient first = EventStreamClient.open(vertx, portB, "/api/events", StandIns.ADMIN_TOKEN);
    try (EventStreamClient second = EventStreamClient.open(vertx, portB, "/api/events", StandIns.ADMIN_TOKEN);
         EventStreamClient third = EventStreamClient.open(vertx, portB, "/api/events", StandIns.ADMIN_TOKEN)) {
      assertThat(List.of(first.status(), second.status(), third.status())).containsOnly(200);
      try (EventStreamClient fourth = EventStreamClient.open(vertx, portB, "/api/events", StandIns.ADMIN_TOKEN)) {
        assertThat(fourth.status()).isEqualTo(429);
      }

      first.close();

      Waiting.until("room for a new stream", Duration.ofSeconds(5), () -> {
        try (EventStreamClient again = EventStreamClient.open(vertx, portB, "/api/events", StandIns.ADMIN_TOKEN)) {
          return again.status() == 200;
        }
      });
    }
    Waiting.until("an access log line for a stream that ended", Duration.ofSeconds(5), () -> accessLines().stream()
        .skip(logged).anyMatch(line -> line.contains("path=/api/events, status=200") && line.contains("aborted=true")));
  }

  @Test
  void aLogoutEndsTheStreamsOfItsSession() {
    try (EventStreamClient user = EventStreamClient.open(vertx, portB, "/api/events", StandIns.LEAVING_USER_TOKEN);
         EventStreamClient admin = EventStreamClient.open(vertx, portB, "/api/events", StandIns.ADMIN_TOKEN)) {
      assertThat(user.status()).isEqualTo(200);

      workerNode.vertx().eventBus().publish(SessionAddresses.ENDED,
          new JsonObject().put(SessionAddresses.TOKEN_HASH_FIELD, SessionTokens.hash(StandIns.LEAVING_USER_TOKEN)));

      Waiting.until("the user's stream ended", Duration.ofSeconds(5), user::ended);
      assertThat(admin.ended()).isFalse();
    }
  }

  @Test
  @Order(Integer.MAX_VALUE)
  void atDrainEveryStreamEndsSoShutdownNeedNotWaitForThem() {
    EventStreamClient stream = EventStreamClient.open(vertx, portB, "/api/events", StandIns.USER_TOKEN);
    assertThat(stream.status()).isEqualTo(200);
    long start = System.nanoTime();

    Future<Void> shutdown = gatewayB.shutdown();

    Waiting.until("the stream ended by the gateway", Duration.ofSeconds(10), stream::ended);
    Await.result(shutdown, Duration.ofSeconds(20));
    assertThat(Duration.ofNanos(System.nanoTime() - start)).as("well within SHUTDOWN_DRAIN_TIMEOUT_MS")
        .isLessThan(Duration.ofSeconds(15));
    stream.close();
  }
}
