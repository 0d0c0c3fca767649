package io.scaleout.system;

import io.scaleout.common.runtime.ServiceRuntime;
import io.scaleout.testsupport.HttpTestClient;
import io.scaleout.testsupport.KafkaBroker;
import io.scaleout.testsupport.PostgresDatabases;
import io.scaleout.testsupport.RawHttp;
import io.scaleout.testsupport.ServiceProcess;
import io.scaleout.testsupport.Waiting;
import io.scaleout.worker.WorkerMain;
import io.scaleout.worker.WorkerModule;
import io.scaleout.common.api.ApiRequest;
import io.scaleout.common.api.Caller;
import io.scaleout.common.catalog.CatalogAddresses;
import io.scaleout.common.config.Settings;
import io.scaleout.common.db.DatabaseConfig;
import io.scaleout.common.db.Databases;
import io.scaleout.common.worker.JobSubmission;
import io.scaleout.common.worker.WorkerAddresses;
import io.scaleout.testsupport.Await;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.sqlclient.Pool;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Worker jobs end to end on a real cluster — two gateways, catalog, session service and two
 * workers — with a real broker, Postgres and Redis and one shared workspace: thumbnails uploaded
 * through one gateway and followed over the other's event stream, imports with rejected rows and
 * the facets they lead to, a job that fails until its fault is removed, then replayed, and a
 * garbage record discarded from the dead letters.
 */
class JobsTest {
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private static KafkaBroker broker;
  private static Shop shop;
  private static HttpTestClient gatewayA;
  private static HttpTestClient gatewayB;
  private static String admin;
  private static Path workspace;
  private static Map<String, String> catalogSettings;
  /** The second worker, in a JVM of its own so that it can be killed. */
  private static ServiceProcess workerProcess;
  private static final String JOBS_DB = PostgresDatabases.uniqueName("jobs_sys");

  @BeforeAll
  static void start() throws IOException {
    broker = KafkaBroker.start();
    workspace = Files.createTempDirectory("scaleout-workspace-");
    shop = new Shop(Map.of());
    catalogSettings = Map.of("KAFKA_BOOTSTRAP_SERVERS", broker.bootstrapServers(), "KAFKA_PARTITIONS", "2",
        "OUTBOX_POLL_MS", "50");
    shop.startCatalog(catalogSettings).startSessions(1);
    shop.cluster.startNode("worker", "worker", workerSettings(), WorkerModule::start);
    workerProcess = shop.cluster.spawn(WorkerMain.class.getName(), "worker", workerSettings());
    gatewayA = shop.startGateway(Map.of("WORKSPACE_DIR", workspace.toString()));
    gatewayB = shop.startGateway(Map.of("WORKSPACE_DIR", workspace.toString()));
    admin = Shop.token(gatewayA, Shop.ADMIN_EMAIL, Shop.ADMIN_PASSWORD);
  }

  static Map<String, String> workerSettings() {
    Map<String, String> env = new HashMap<>();
    env.put("KAFKA_BOOTSTRAP_SERVERS", broker.bootstrapServers());
    env.put("KAFKA_PARTITIONS", "2");
    env.put("DB_NAME", JOBS_DB);
    env.put("WORKSPACE_DIR", workspace.toString());
    env.put("JOB_RETRY_DELAYS_MS", "300,600");
    env.put("JOB_PROGRESS_INTERVAL_MS", "0");
    env.put("PROJECTION_KEY_PREFIX", shop.redisPrefix + "facets:");
    env.put("PROJECTION_GROUP", "projection-" + JOBS_DB);
    return env;
  }

  @AfterAll
  static void stop() throws Exception {
    shop.close();
    broker.close();
    PostgresDatabases.drop(JOBS_DB);
  }

  private static HttpResponse<byte[]> send(int port, String method, String path, String contentType, byte[] body) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .timeout(Duration.ofSeconds(30)).header("Authorization", "Bearer " + admin)
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
    if (contentType != null) {
      request.header("Content-Type", contentType);
    }
    try {
      return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static JsonObject json(HttpResponse<byte[]> response) {
    return new JsonObject(new String(response.body(), StandardCharsets.UTF_8));
  }

  static byte[] png(int width, int height) {
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    for (int x = 0; x < width; x++) {
      for (int y = 0; y < height; y++) {
        image.setRGB(x, y, (x * 255 / width) << 16 | (y * 255 / height) << 8 | 0x40);
      }
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      ImageIO.write(image, "png", out);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    return out.toByteArray();
  }

  private static long createProduct(String sku, String category, long price) {
    HttpTestClient.Response created = gatewayA.json(HttpMethod.POST, "/api/products", Shop.bearer(admin), new JsonObject()
        .put("sku", sku).put("name", "Product " + sku).put("category", category).put("priceCents", price)
        .put("currency", "EUR").put("stock", 5));
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    return created.json().getLong("id");
  }

  private static JsonObject job(HttpTestClient gateway, String id) {
    return gateway.send(HttpMethod.GET, "/api/jobs/" + id, Shop.bearer(admin)).json();
  }

  private static JsonObject awaitJob(String id, String status, Duration timeout) {
    Waiting.until("job " + id + " " + status, timeout, () -> status.equals(job(gatewayB, id).getString("status")));
    return job(gatewayB, id);
  }

  private static String upload(long productId, byte[] image) {
    HttpResponse<byte[]> accepted = send(gatewayA.port(), "POST", "/api/products/" + productId + "/image", "image/png", image);
    assertThat(accepted.statusCode()).as(new String(accepted.body(), StandardCharsets.UTF_8)).isEqualTo(202);
    return json(accepted).getString("jobId");
  }

  /**
   * Generated malformed requests (HostileRequests; the same every run, HOSTILE_SEED and HOSTILE_COUNT vary them)
   * over every public route of the whole platform: none answers 5xx, the gateway stays live and
   * fast, and this JVM's heap, which holds every node of the test, is no fuller after them.
   */
  @Test
  void generatedHostileRequestsOverEveryRouteGetNo5xx() {
    long seed = Long.parseLong(System.getenv().getOrDefault("HOSTILE_SEED", "20261204"));
    int count = Integer.parseInt(System.getenv().getOrDefault("HOSTILE_COUNT", "1500"));
    HostileRequests requests = new HostileRequests(seed, admin);
    long heapBefore = usedHeapAfterGc();
    Map<String, Integer> byStatus = new TreeMap<>();
    List<String> serverErrors = new ArrayList<>();
    List<String> unanswered = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      HostileRequests.Request request = requests.next();
      try {
        int status = RawHttp.send(gatewayA.port(), request.text()).status();
        byStatus.merge(request.category() + " " + status, 1, Integer::sum);
        if (status >= 500) {
          serverErrors.add(status + " for " + request.text().substring(0, Math.min(300, request.text().length())));
        }
      } catch (IOException | RuntimeException e) {
        unanswered.add(request.category() + ": " + request.text().substring(0, Math.min(120, request.text().length())) + " (" + e + ")");
      }
    }
    long heapAfter = usedHeapAfterGc();
    System.out.printf("MEASURED %d hostile requests (seed %d): %s; %d closed without an answer; heap %d -> %d MiB%n",
        count, seed, byStatus, unanswered.size(), heapBefore >> 20, heapAfter >> 20);

    assertThat(serverErrors).as("5xx answers (seed %d)", seed).isEmpty();
    // a connection may be closed without an answer only for what is not HTTP at all
    assertThat(unanswered).as("closed without an answer (seed %d)", seed)
        .allMatch(line -> line.startsWith("method") || line.startsWith("header"));
    HttpTestClient.Response ping = gatewayA.get("/api/ping");
    assertThat(ping.status()).isEqualTo(200);
    assertThat(ping.took()).isLessThan(Duration.ofSeconds(2));
    assertThat(heapAfter - heapBefore).as("heap growth in bytes").isLessThan(64L << 20);
  }

  private static long usedHeapAfterGc() {
    System.gc();
    Waiting.pause(200);
    Runtime runtime = Runtime.getRuntime();
    return runtime.totalMemory() - runtime.freeMemory();
  }

  @Test
  void aThumbnailUploadedThroughOneGatewayIsFollowedOnTheOthersEventStream() throws IOException {
    long id = createProduct("thumb-" + UUID.randomUUID().toString().substring(0, 8), "thumbs", 1200);
    try (EventStream events = EventStream.open(gatewayB.port(), admin, null)) {
      assertThat(events.status()).isEqualTo(200);
      assertThat(events.header("Content-Type")).startsWith("text/event-stream");
      String jobId = upload(id, png(2000, 1000));

      Waiting.until("completion on gateway B's stream", Duration.ofSeconds(60),
          () -> events.of(jobId).stream().anyMatch(e -> "succeeded".equals(e.getString("status"))));
      List<JsonObject> seen = events.of(jobId);
      assertThat(seen).extracting(e -> e.getString("status")).contains("running").endsWith("succeeded");
      assertThat(seen).as("progress on the way").anyMatch(e -> e.getInteger("progress") > 0 && e.getInteger("progress") < 100);
      assertThat(seen).extracting(e -> e.getInteger("progress")).isSorted();
    }
    JsonObject product = gatewayB.get("/api/products/" + id).json();
    JsonArray images = product.getJsonArray("images");
    assertThat(images).hasSize(3);
    assertThat(product.getLong("version")).as("the images set once").isEqualTo(2L);
    int[] longest = {64, 256, 1024};
    for (int i = 0; i < 3; i++) {
      HttpResponse<byte[]> file = send(gatewayB.port(), "GET", "/files/" + images.getString(i), null, null);
      assertThat(file.statusCode()).isEqualTo(200);
      assertThat(file.headers().firstValue("Cache-Control").orElse("")).contains("immutable");
      BufferedImage thumbnail = ImageIO.read(new ByteArrayInputStream(file.body()));
      assertThat(thumbnail.getWidth()).isEqualTo(longest[i]);
      assertThat(thumbnail.getHeight()).isEqualTo(longest[i] / 2);
    }
  }

  @Test
  void badUploadsAreRefusedClearlyAndLeaveNothingInTheWorkspace() throws IOException {
    long id = createProduct("refused-" + UUID.randomUUID().toString().substring(0, 8), "thumbs", 100);
    String path = "/api/products/" + id + "/image";
    assertThat(send(gatewayA.port(), "POST", path, "image/gif", png(10, 10)).statusCode()).as("media type").isEqualTo(415);
    assertThat(send(gatewayA.port(), "POST", "/api/products/x1/image", "image/png", png(10, 10)).statusCode()).isEqualTo(400);
    HttpResponse<byte[]> tooLarge = send(gatewayA.port(), "POST", path, "image/png", new byte[10 * 1024 * 1024 + 1]);
    assertThat(tooLarge.statusCode()).isEqualTo(413);
    assertThat(tooLarge.headers().firstValue("Content-Type").orElse("")).isEqualTo("application/problem+json");
    assertThat(send(gatewayA.port(), "POST", "/api/imports", "application/json", "{}".getBytes(StandardCharsets.UTF_8))
        .statusCode()).isEqualTo(415);
    String shopper = "shopper-" + UUID.randomUUID().toString().substring(0, 8) + "@example.org";
    Shop.register(gatewayA, shopper, "a shopper's password");
    HttpTestClient.Response forbidden = gatewayA.send(HttpMethod.POST, "/api/imports",
        Shop.bearer(Shop.token(gatewayA, shopper, "a shopper's password")).add("Content-Type", "text/csv"), "sku\n");
    assertThat(forbidden.status()).as("only administrators").isEqualTo(403);
    Waiting.pause(200);
    Files.createDirectories(workspace.resolve("uploads"));
    try (var uploads = Files.list(workspace.resolve("uploads"))) {
      assertThat(uploads.filter(file -> !finishedJobUpload(file)).toList()).as("no refused upload left").isEmpty();
    }
    for (String name : List.of("..%2F..%2Fetc%2Fpasswd", "abc.png", "0123456789abcdef0123456789abcdef-64.gif")) {
      assertThat(send(gatewayB.port(), "GET", "/files/" + name, null, null).statusCode()).as(name).isEqualTo(404);
    }
  }

  /** Uploads of jobs other tests left running or dead (kept for a replay) are not this test's. */
  private static boolean finishedJobUpload(Path file) {
    String id = file.getFileName().toString().replaceAll("\\..*$", "");
    return job(gatewayB, id).getValue("status") instanceof String;
  }

  @Test
  void anotherUsersStreamHearsNothingOfTheJob() {
    String shopper = "listener-" + UUID.randomUUID().toString().substring(0, 8) + "@example.org";
    Shop.register(gatewayB, shopper, "a listener's password");
    long id = createProduct("private-" + UUID.randomUUID().toString().substring(0, 8), "thumbs", 100);
    try (EventStream others = EventStream.open(gatewayB.port(), Shop.token(gatewayB, shopper, "a listener's password"), null)) {
      String jobId = upload(id, png(64, 64));
      awaitJob(jobId, "succeeded", Duration.ofSeconds(60));
      Waiting.pause(300);
      assertThat(others.of(jobId)).isEmpty();
    }
  }

  @Test
  void aReconnectingStreamIsToldTheCurrentStateOfItsJobs() {
    long id = createProduct("resume-" + UUID.randomUUID().toString().substring(0, 8), "thumbs", 900);
    String jobId = upload(id, png(300, 200));
    awaitJob(jobId, "succeeded", Duration.ofSeconds(60));
    try (EventStream resumed = EventStream.open(gatewayA.port(), admin, "1")) {
      Waiting.until("the finished job's state on resume", Duration.ofSeconds(10),
          () -> resumed.of(jobId).stream().anyMatch(e -> "succeeded".equals(e.getString("status"))));
    }
  }

  @Test
  void anImportReportsItsBadRowsByLineAndTheFacetsFollowTheCatalog() {
    String category = "imp-" + UUID.randomUUID().toString().substring(0, 8);
    String run = category.substring(4);
    String csv = "sku,name,description,category,priceCents,currency,stock\n"
        + "a-" + run + ",Anvil,Heavy," + category + ",1500,EUR,3\n"
        + "b-" + run + ",Bellows,\"Leather, with a\nsecond line\"," + category + ",700,EUR,1\n"
        + "c-" + run + ",Chisel,," + category + ",12.5,EUR,1\n"
        + "bad sku!,Drill,," + category + ",100,EUR,1\n"
        + "e-" + run + ",Emery,," + category + ",250,EUR\n"
        + "\n"
        + "f-" + run + ",File,\"Flat \"\"bastard\"\" cut\"," + category + ",2500,EUR,10\n";
    String jobId = json(send(gatewayA.port(), "POST", "/api/imports", "text/csv", csv.getBytes(StandardCharsets.UTF_8)))
        .getString("jobId");
    JsonObject result = awaitJob(jobId, "succeeded", Duration.ofSeconds(60)).getJsonObject("result");

    assertThat(result.getLong("imported")).isEqualTo(3L);
    assertThat(result.getLong("created")).isEqualTo(3L);
    assertThat(result.getJsonArray("rejected").stream().map(r -> ((JsonObject) r).getLong("line")).toList())
        .containsExactly(5L, 6L, 7L);
    assertThat(result.getJsonArray("rejected").getJsonObject(1).getString("reason")).contains("sku");
    JsonArray listed = gatewayA.get("/api/products?category=" + category + "&sort=price").json().getJsonArray("items");
    assertThat(listed.stream().map(p -> ((JsonObject) p).getString("name")).toList()).containsExactly("Bellows", "Anvil", "File");
    assertThat(listed.getJsonObject(0).getString("description")).isEqualTo("Leather, with a\nsecond line");
    assertThat(listed.getJsonObject(2).getString("description")).isEqualTo("Flat \"bastard\" cut");

    List<Long> prices = listed.stream().map(p -> ((JsonObject) p).getLong("priceCents")).toList();
    JsonObject expected = new JsonObject().put("category", category).put("count", listed.size())
        .put("minPriceCents", prices.get(0)).put("maxPriceCents", prices.get(prices.size() - 1));
    Waiting.until("facets of " + category + " as the catalog has it", Duration.ofSeconds(30), () -> facets().contains(expected));

    String again = json(send(gatewayB.port(), "POST", "/api/imports", "text/csv", csv.getBytes(StandardCharsets.UTF_8)))
        .getString("jobId");
    JsonObject repeated = awaitJob(again, "succeeded", Duration.ofSeconds(60)).getJsonObject("result");
    assertThat(repeated.getLong("unchanged")).as("a repeated import leaves the same catalog").isEqualTo(3L);
    assertThat(gatewayA.get("/api/products?category=" + category + "&sort=price").json().getJsonArray("items"))
        .isEqualTo(listed);

    String ndjson = "{\"sku\":\"g-" + run + "\",\"name\":\"Gauge\",\"category\":\"" + category
        + "\",\"priceCents\":300,\"currency\":\"EUR\",\"stock\":2}\n{not json\n[1,2]\n";
    JsonObject lines = awaitJob(json(send(gatewayA.port(), "POST", "/api/imports", "application/x-ndjson",
        ndjson.getBytes(StandardCharsets.UTF_8))).getString("jobId"), "succeeded", Duration.ofSeconds(60)).getJsonObject("result");
    assertThat(lines.getLong("created")).isEqualTo(1L);
    assertThat(lines.getJsonArray("rejected").stream().map(r -> ((JsonObject) r).getLong("line")).toList()).containsExactly(2L, 3L);
  }

  private static List<JsonObject> facets() {
    return new JsonArray(gatewayB.get("/api/catalog/facets").body()).stream().map(JsonObject.class::cast).toList();
  }

  @Test
  void aDeletedProductLeavesTheFacets() {
    String category = "del-" + UUID.randomUUID().toString().substring(0, 8);
    long kept = createProduct("kept-" + category, category, 800);
    long deleted = createProduct("gone-" + category, category, 200);
    Waiting.until("facets of " + category + " counting both", Duration.ofSeconds(30), () -> facets().contains(
        new JsonObject().put("category", category).put("count", 2).put("minPriceCents", 200).put("maxPriceCents", 800)));

    assertThat(send(gatewayA.port(), "DELETE", "/api/products/" + deleted, null, null).statusCode()).isEqualTo(204);

    Waiting.until("facets of " + category + " without the deleted product", Duration.ofSeconds(30), () -> facets().contains(
        new JsonObject().put("category", category).put("count", 1).put("minPriceCents", 800).put("maxPriceCents", 800)));
    assertThat(gatewayA.get("/api/products/" + kept).status()).isEqualTo(200);
  }

  @Test
  void aJobFailingUntilItsFaultIsRemovedIsDeadLetteredThenReplayed() {
    long id = createProduct("retry-" + UUID.randomUUID().toString().substring(0, 8), "thumbs", 400);
    ServiceRuntime catalog = shop.catalogNode;
    Await.result(catalog.shutdown(), Duration.ofSeconds(60));
    String jobId;
    try {
      jobId = upload(id, png(120, 60));
      JsonObject dead = awaitJob(jobId, "dead", Duration.ofSeconds(90));
      assertThat(dead.getInteger("attempts")).as("the main topic and two retry tiers").isEqualTo(3);
    } finally {
      shop.startCatalog(catalogSettings);
    }
    JsonObject letter = deadLetters().stream().filter(l -> jobId.equals(l.getString("jobId"))).findFirst().orElseThrow();
    assertThat(letter.getInteger("attempts")).isEqualTo(3);
    assertThat(letter.getString("reason")).isNotBlank();
    assertThat(letter.getString("failedAt")).isNotNull();

    HttpResponse<byte[]> replay = send(gatewayB.port(), "POST", "/api/admin/dlq/" + letter.getLong("id") + "/replay", null, null);
    assertThat(replay.statusCode()).as(new String(replay.body(), StandardCharsets.UTF_8)).isEqualTo(202);
    JsonObject done = awaitJob(jobId, "succeeded", Duration.ofSeconds(60));
    assertThat(done.getInteger("attempts")).as("attempts start over").isEqualTo(1);
    assertThat(gatewayA.get("/api/products/" + id).json().getJsonArray("images")).hasSize(3);
    assertThat(send(gatewayB.port(), "POST", "/api/admin/dlq/" + letter.getLong("id") + "/replay", null, null).statusCode())
        .as("a dead letter is replayed once").isEqualTo(409);
  }

  @Test
  void aGarbageRecordIsDeadLetteredAtOnceWithoutStoppingTheConsumer() throws Exception {
    String marker = "garbage-" + UUID.randomUUID();
    try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of("bootstrap.servers", broker.bootstrapServers(),
        "key.serializer", "org.apache.kafka.common.serialization.StringSerializer",
        "value.serializer", "org.apache.kafka.common.serialization.StringSerializer"))) {
      producer.send(new ProducerRecord<>("jobs", marker, "{not a job " + marker)).get();
    }
    Waiting.until("the garbage among the dead letters", Duration.ofSeconds(30),
        () -> deadLetters().stream().anyMatch(l -> marker.equals(l.getString("key"))));
    JsonObject letter = deadLetters().stream().filter(l -> marker.equals(l.getString("key"))).findFirst().orElseThrow();
    assertThat(letter.getString("jobId")).isNull();
    assertThat(letter.getInteger("attempts")).isEqualTo(1);

    long id = createProduct("after-" + UUID.randomUUID().toString().substring(0, 8), "thumbs", 100);
    awaitJob(upload(id, png(50, 50)), "succeeded", Duration.ofSeconds(60));

    assertThat(send(gatewayA.port(), "POST", "/api/admin/dlq/" + letter.getLong("id") + "/replay", null, null).statusCode())
        .as("not a job: nothing to replay").isEqualTo(409);
    assertThat(send(gatewayA.port(), "DELETE", "/api/admin/dlq/" + letter.getLong("id"), null, null).statusCode()).isEqualTo(204);
    assertThat(deadLetters()).noneMatch(l -> marker.equals(l.getString("key")));
    JsonObject discarded = new JsonObject(new String(send(gatewayA.port(), "GET", "/api/admin/dlq?includeHandled=true", null, null)
        .body(), StandardCharsets.UTF_8)).getJsonArray("items").stream().map(JsonObject.class::cast)
        .filter(l -> marker.equals(l.getString("key"))).findFirst().orElseThrow();
    assertThat(discarded.getString("discardedAt")).isNotNull();
    assertThat(discarded.getString("discardedBy")).isNotBlank();
  }

  private static List<JsonObject> deadLetters() {
    HttpResponse<byte[]> list = send(gatewayA.port(), "GET", "/api/admin/dlq", null, null);
    assertThat(list.statusCode()).isEqualTo(200);
    return json(list).getJsonArray("items").stream().map(JsonObject.class::cast).toList();
  }

  @Test
  void twoThousandJobsOverTwoWorkersAllSucceedWhenOneIsKilledMidRun() {
    Vertx client = shop.cluster.startClient();
    Caller operator = new Caller("crash-test-admin", Set.of("admin"));
    String run = UUID.randomUUID().toString().substring(0, 8);
    List<Long> products = new ArrayList<>();
    for (int batch = 0; batch < 2; batch++) {
      JsonArray rows = new JsonArray();
      for (int i = 0; i < 1000; i++) {
        rows.add(new JsonObject().put("sku", "crash-" + run + "-" + (batch * 1000 + i)).put("name", "Crash " + i)
            .put("category", "crash").put("priceCents", 100 + i).put("currency", "EUR").put("stock", 1));
      }
      JsonObject reply = (JsonObject) Await.result(client.eventBus().request(CatalogAddresses.PRODUCTS_UPSERT,
          new JsonObject().put("products", rows), shop.cluster.callerSeal().sign(operator, CatalogAddresses.PRODUCTS_UPSERT,
              new DeliveryOptions().setSendTimeout(60_000))),
          Duration.ofSeconds(90)).body();
      reply.getJsonArray("results").forEach(r -> products.add(((JsonObject) r).getLong("id")));
    }
    byte[] image = png(40, 20);
    long started = System.nanoTime();
    for (int from = 0; from < products.size(); from += 50) {
      List<Future<Object>> submitted = new ArrayList<>();
      for (long productId : products.subList(from, Math.min(products.size(), from + 50))) {
        String jobId = UUID.randomUUID().toString();
        writeUpload(jobId + ".png", image);
        JsonObject input = new JsonObject().put("productId", productId).put("file", jobId + ".png").put("contentType", "image/png");
        submitted.add(client.eventBus().request(WorkerAddresses.JOB_SUBMIT,
            new ApiRequest(new JsonObject(), new JsonObject(), new JobSubmission(jobId, JobSubmission.THUMBNAIL, input).toJson(),
                new JsonObject()).toJson(), shop.cluster.callerSeal().sign(operator, WorkerAddresses.JOB_SUBMIT, new DeliveryOptions())).map(m -> m.body()));
      }
      Await.result(Future.all(submitted), Duration.ofSeconds(60));
    }
    Pool jobs = pool(client, JOBS_DB);
    Pool catalog = pool(client, shop.catalog);
    try {
      String succeeded = "SELECT count(*) AS n FROM jobs WHERE owner = 'crash-test-admin' AND status = 'succeeded'";
      Waiting.until("a quarter of the jobs done", Duration.ofSeconds(120), () -> count(jobs, succeeded) >= 500);
      workerProcess.kill();
      long atKill = count(jobs, succeeded);
      Waiting.until("every job succeeded", Duration.ofSeconds(300), () -> count(jobs, succeeded) == 2000);
      double seconds = (System.nanoTime() - started) / 1e9;
      long rerun = count(jobs, "SELECT count(*) AS n FROM jobs WHERE owner = 'crash-test-admin' AND attempts > 1");
      System.out.printf("2000 thumbnail jobs in %.1f s (%.0f jobs/s); %d done at the kill, %d run more than once%n",
          seconds, 2000 / seconds, atKill, rerun);
      assertThat(atKill).as("the kill came mid-run").isLessThan(2000);
      assertThat(count(catalog, "SELECT count(*) AS n FROM products WHERE sku LIKE 'crash-" + run
          + "-%' AND version = 2 AND jsonb_array_length(images) = 3")).as("each product's images set once in effect").isEqualTo(2000);
    } finally {
      Await.result(Future.join(jobs.close(), catalog.close()), Duration.ofSeconds(10));
      workerProcess = shop.cluster.spawn(WorkerMain.class.getName(), "worker", workerSettings());
    }
  }

  private static Pool pool(Vertx vertx, String database) {
    return Databases.primaryPool(vertx, DatabaseConfig.from(Settings.load("worker", Map.of("DB_NAME", database))));
  }

  private static long count(Pool pool, String sql) {
    return Await.result(pool.query(sql).execute().map(rows -> rows.iterator().next().getLong("n")), Duration.ofSeconds(10));
  }

  private static void writeUpload(String name, byte[] content) {
    try {
      Files.createDirectories(workspace.resolve("uploads"));
      Files.write(workspace.resolve("uploads").resolve(name), content);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
