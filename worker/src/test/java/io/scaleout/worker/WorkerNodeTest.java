package io.scaleout.worker;

import io.scaleout.common.api.ApiRequest;
import io.scaleout.common.catalog.CatalogEvent;
import io.scaleout.common.kafka.KafkaConfig;
import io.scaleout.common.worker.WorkerAddresses;
import io.scaleout.testsupport.Await;
import io.scaleout.testsupport.KafkaBroker;
import io.scaleout.testsupport.TestCluster;
import io.scaleout.testsupport.Waiting;
import io.scaleout.common.api.Caller;
import io.scaleout.common.config.Settings;
import io.scaleout.common.db.DatabaseConfig;
import io.scaleout.common.db.Databases;
import io.scaleout.testsupport.PostgresDatabases;
import io.scaleout.worker.job.JobStore;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.sqlclient.Pool;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A real worker node with a real broker, Postgres and Redis: the facets it builds from catalog
 * events (repeated or late events changing nothing, an unreadable one dead-lettered without
 * stopping it), and the job records it shows to their owner only.
 */
class WorkerNodeTest {
  private static final String PREFIX = "test-facets-" + UUID.randomUUID().toString().substring(0, 8) + ":";
  private static final String DB = PostgresDatabases.uniqueName("worker_node");
  private static KafkaBroker broker;
  private static TestCluster cluster;
  private static Vertx client;
  private static KafkaProducer<String, String> producer;
  private static KafkaConfig kafka;

  @BeforeAll
  static void start() {
    broker = KafkaBroker.start();
    cluster = new TestCluster();
    cluster.startNode("worker", "worker", Map.of("KAFKA_BOOTSTRAP_SERVERS", broker.bootstrapServers(),
        "KAFKA_PARTITIONS", "2", "PROJECTION_KEY_PREFIX", PREFIX, "PROJECTION_GROUP", "projection-" + PREFIX, "DB_NAME", DB),
        WorkerModule::start);
    client = cluster.startClient();
    kafka = new KafkaConfig(broker.bootstrapServers(), Duration.ofSeconds(10), 2);
    producer = new KafkaProducer<>(new HashMap<>(kafka.producerProperties("test")));
  }

  @AfterAll
  static void stop() throws Exception {
    producer.close();
    cluster.close();
    broker.close();
    PostgresDatabases.drop(DB);
  }

  private static void publish(long id, long version, CatalogEvent.Type type, String category, long price) {
    JsonObject product = type == CatalogEvent.Type.ProductDeleted ? null
        : new JsonObject().put("id", id).put("version", version).put("category", category).put("priceCents", price);
    CatalogEvent event = new CatalogEvent(UUID.randomUUID(), type, id, version, Instant.now(), product, null);
    send(Long.toString(id), event.toJson().encode());
  }

  private static void send(String key, String value) {
    try {
      producer.send(new ProducerRecord<>(CatalogEvent.TOPIC, key, value)).get();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static Message<Object> getJob(String id, Caller caller) {
    return Await.result(client.eventBus().request(WorkerAddresses.JOB_GET,
        new ApiRequest(new JsonObject().put("id", id), new JsonObject(), null, null).toJson(),
        cluster.callerSeal().sign(caller, WorkerAddresses.JOB_GET, new DeliveryOptions())), Duration.ofSeconds(10));
  }

  private static int failureCode(String id, Caller caller) {
    Throwable failure = Await.failure(client.eventBus().request(WorkerAddresses.JOB_GET,
        new ApiRequest(new JsonObject().put("id", id), new JsonObject(), null, null).toJson(),
        cluster.callerSeal().sign(caller, WorkerAddresses.JOB_GET, new DeliveryOptions())), Duration.ofSeconds(10));
    return ((ReplyException) failure).failureCode();
  }

  @Test
  void aJobIsShownToItsOwnerAndAnAdministratorOnly() {
    Vertx vertx = Vertx.vertx();
    DatabaseConfig database = DatabaseConfig.from(Settings.load("worker", Map.of("DB_NAME", DB)));
    Pool pool = Databases.primaryPool(vertx, database);
    try {
      UUID id = UUID.randomUUID();
      Await.result(new JobStore(pool).create(id, "import", "user-7", new JsonObject().put("file", "a.csv")), Duration.ofSeconds(10));

      JsonObject job = (JsonObject) getJob(id.toString(), new Caller("user-7", Set.of("user"))).body();
      assertThat(job.getString("status")).isEqualTo("queued");
      assertThat(job.getString("owner")).isEqualTo("user-7");
      assertThat(job.containsKey("payload")).as("the payload stays inside").isFalse();
      assertThat(getJob(id.toString(), new Caller("admin-1", Set.of("user", "admin"))).body()).isEqualTo(job);
      assertThat(failureCode(id.toString(), new Caller("user-8", Set.of("user")))).as("someone else's").isEqualTo(404);
      assertThat(failureCode(id.toString(), Caller.ANONYMOUS)).isEqualTo(401);
      assertThat(failureCode("not-a-uuid", new Caller("user-7", Set.of("user")))).isEqualTo(400);
      assertThat(failureCode(UUID.randomUUID().toString(), new Caller("user-7", Set.of("user")))).isEqualTo(404);
    } finally {
      Await.result(pool.close(), Duration.ofSeconds(10));
      Await.result(vertx.close(), Duration.ofSeconds(10));
    }
  }

  private static JsonArray facets() {
    Message<Object> reply = Await.result(client.eventBus().request(WorkerAddresses.CATALOG_FACETS,
        new ApiRequest(new JsonObject(), new JsonObject(), null, null).toJson()), Duration.ofSeconds(10));
    return (JsonArray) reply.body();
  }

  @Test
  void facetsFollowTheCatalogEventsAndIgnoreRepeatsAndLateOnes() {
    long base = System.nanoTime() % 1_000_000;
    publish(base + 1, 1, CatalogEvent.Type.ProductCreated, "kitchen", 500);
    publish(base + 2, 1, CatalogEvent.Type.ProductCreated, "kitchen", 1500);
    publish(base + 3, 1, CatalogEvent.Type.ProductCreated, "garden", 300);
    send("garbage", "{this is not an event");
    publish(base + 2, 2, CatalogEvent.Type.ProductUpdated, "garden", 2000);
    publish(base + 1, 1, CatalogEvent.Type.ProductCreated, "kitchen", 500);
    publish(base + 3, 2, CatalogEvent.Type.ProductDeleted, null, 0);
    publish(base + 3, 1, CatalogEvent.Type.ProductUpdated, "garden", 100);

    JsonArray expected = new JsonArray()
        .add(new JsonObject().put("category", "garden").put("count", 1).put("minPriceCents", 2000).put("maxPriceCents", 2000))
        .add(new JsonObject().put("category", "kitchen").put("count", 1).put("minPriceCents", 500).put("maxPriceCents", 500));
    Waiting.until("facets " + expected, Duration.ofSeconds(60), () -> facets().equals(expected));

    Map<String, Object> props = new HashMap<>(kafka.consumerProperties("dlq-reader-" + PREFIX, "dlq-reader", 100));
    List<String> dead = new ArrayList<>();
    try (KafkaConsumer<String, String> reader = new KafkaConsumer<>(props)) {
      reader.subscribe(List.of(WorkerModule.PROJECTION_DLQ));
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (dead.isEmpty() && System.nanoTime() < deadline) {
        reader.poll(Duration.ofMillis(200)).forEach(record -> dead.add(record.value()));
      }
    }
    assertThat(dead).containsExactly("{this is not an event");
  }
}
