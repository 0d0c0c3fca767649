package io.scaleout.catalog;

import io.scaleout.common.api.ApiRequest;
import io.scaleout.common.catalog.CatalogAddresses;
import io.scaleout.common.catalog.CatalogEvent;
import io.scaleout.testsupport.KafkaBrokerProcess;
import io.scaleout.testsupport.PostgresDatabases;
import io.scaleout.testsupport.TestCluster;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** The transactional outbox with two catalog instances and a real broker that goes away for a while. */
class OutboxTest {
  private static final String DB = PostgresDatabases.uniqueName("catalog_outbox");
  private static final int PRODUCTS = 100;
  private static final int UPDATE_ROUNDS = 9;
  private static KafkaBrokerProcess kafka;
  private static TestCluster cluster;
  private static CatalogClient catalog;

  @BeforeAll
  static void start() {
    kafka = KafkaBrokerProcess.start();
    cluster = new TestCluster();
    Map<String, String> env = Map.of("DB_NAME", DB, "CACHE_KEY_PREFIX", "t-" + DB + ":",
        "KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers(), "KAFKA_TIMEOUT_MS", "3000", "OUTBOX_POLL_MS", "50");
    cluster.startNode("catalog", "catalog", env, new CatalogModule()::start);
    cluster.startNode("catalog", "catalog", env, new CatalogModule()::start);
    catalog = new CatalogClient(cluster.startClient(), cluster.callerSeal());
  }

  @AfterAll
  static void stop() {
    cluster.close();
    kafka.close();
    PostgresDatabases.drop(DB);
  }

  @Test
  void everyEventArrivesInOrderPerProductThoughKafkaWasDown() {
    String category = "outbox-" + UUID.randomUUID().toString().substring(0, 6);
    List<Future<CatalogClient.Reply>> creates = new ArrayList<>();
    for (int i = 0; i < PRODUCTS; i++) {
      creates.add(catalog.send(CatalogAddresses.PRODUCT_CREATE,
          new ApiRequest(null, null, CatalogClient.product(category + "-" + i, category, 100), null), CatalogClient.ADMIN));
    }
    Map<Long, JsonObject> products = new HashMap<>();
    creates.forEach(f -> {
      JsonObject product = catalog.await(f).json();
      products.put(product.getLong("id"), product);
    });

    for (int round = 1; round <= UPDATE_ROUNDS; round++) {
      if (round == 4) {
        kafka.stop();
      }
      if (round == 7) {
        kafka.restart();
      }
      List<Future<CatalogClient.Reply>> updates = new ArrayList<>();
      for (JsonObject product : products.values()) {
        JsonObject body = product.copy().put("priceCents", 100 + round);
        updates.add(catalog.send(CatalogAddresses.PRODUCT_UPDATE, new ApiRequest(
            new JsonObject().put("id", product.getString("id", product.getLong("id").toString())), null, body,
            new JsonObject().put(ApiRequest.IF_MATCH, "\"v" + product.getLong("version") + "\"")), CatalogClient.ADMIN));
      }
      for (Future<CatalogClient.Reply> update : updates) {
        CatalogClient.Reply reply = catalog.await(update);
        assertThat(reply.status()).as("writes succeed whether Kafka is up or not: " + reply.problem()).isEqualTo(200);
        products.put(reply.json().getLong("id"), reply.json());
      }
    }

    Map<Long, List<Long>> versionsByProduct = consumeUntil(PRODUCTS * (1 + UPDATE_ROUNDS), products.keySet());
    assertThat(versionsByProduct).hasSize(PRODUCTS);
    versionsByProduct.forEach((id, versions) -> {
      List<Long> firstSeen = versions.stream().distinct().toList();
      assertThat(firstSeen).as("versions of product %d in the order first published", id)
          .containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L);
    });
  }

  /** Reads catalog.events from the start until every expected event (by id) arrived, at most 90 s. */
  private static Map<Long, List<Long>> consumeUntil(int expected, Set<Long> ours) {
    Map<String, Object> config = Map.of("bootstrap.servers", kafka.bootstrapServers(), "group.id", "outbox-test-" + UUID.randomUUID(),
        "auto.offset.reset", "earliest");
    Map<Long, List<Long>> versions = new HashMap<>();
    Set<String> eventIds = new HashSet<>();
    try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer())) {
      consumer.subscribe(List.of(CatalogEvent.TOPIC));
      long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
      while (eventIds.size() < expected && System.nanoTime() < deadline) {
        consumer.poll(Duration.ofMillis(500)).forEach(record -> {
          CatalogEvent event = CatalogEvent.fromJson(new JsonObject(record.value()));
          assertThat(record.key()).isEqualTo(Long.toString(event.productId()));
          if (ours.contains(event.productId())) {
            eventIds.add(event.eventId().toString());
            versions.computeIfAbsent(event.productId(), k -> new ArrayList<>()).add(event.version());
          }
        });
      }
    }
    assertThat(eventIds).as("distinct events received").hasSize(expected);
    return versions;
  }
}
