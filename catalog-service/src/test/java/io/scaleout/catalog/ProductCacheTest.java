package io.scaleout.catalog;

import io.scaleout.common.api.ApiRequest;
import io.scaleout.common.api.Caller;
import io.scaleout.common.catalog.CatalogAddresses;
import io.scaleout.testsupport.PostgresDatabases;
import io.scaleout.testsupport.RedisServer;
import io.scaleout.testsupport.TestCluster;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Two catalog instances sharing a real Postgres database and a private, killable redis-server. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ProductCacheTest {
  private static final String DB = PostgresDatabases.uniqueName("catalog_cache");
  private static TestCluster cluster;
  private static RedisServer redis;
  private static CatalogModule first;
  private static CatalogModule second;
  private static CatalogClient catalog;

  @BeforeAll
  static void start() {
    redis = RedisServer.start();
    cluster = new TestCluster();
    Map<String, String> env = Map.of("DB_NAME", DB, "REDIS_URL", redis.url(), "CACHE_BREAKER_RESET_MS", "500",
        "KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:1", "KAFKA_TIMEOUT_MS", "1000");
    first = new CatalogModule();
    second = new CatalogModule();
    cluster.startNode("catalog", "catalog", env, first::start);
    cluster.startNode("catalog", "catalog", env, second::start);
    catalog = new CatalogClient(cluster.startClient(), cluster.callerSeal());
  }

  @AfterAll
  static void stop() {
    cluster.close();
    redis.close();
    PostgresDatabases.drop(DB);
  }

  @Test
  @Order(1)
  void aSecondReadIsAHit() {
    long id = create("hit-1");
    redis.restart();
    long loads = loads();

    assertThat(catalog.get(id).status()).isEqualTo(200);
    long hits = hits();
    assertThat(catalog.get(id).status()).isEqualTo(200);
    assertThat(catalog.get(id).status()).isEqualTo(200);

    // the first read loaded (on whichever instance), the next ones hit Redis
    assertThat(loads() - loads).isEqualTo(1);
    assertThat(hits() - hits).isEqualTo(2);
  }

  @Test
  @Order(2)
  void anUpdateIsVisibleOnTheNextReadFromEveryInstance() {
    long id = create("upd-1");
    for (int i = 0; i < 4; i++) {
      assertThat(catalog.get(id).json().getLong("priceCents")).isEqualTo(100);
    }
    JsonObject product = catalog.get(id).json();
    assertThat(catalog.update(id, "\"v1\"", product.put("priceCents", 250), CatalogClient.ADMIN).status()).isEqualTo(200);

    for (int i = 0; i < 10; i++) {
      CatalogClient.Reply read = catalog.get(id);
      assertThat(read.json().getLong("priceCents")).isEqualTo(250);
      assertThat(read.json().getLong("version")).isEqualTo(2);
    }
  }

  @Test
  @Order(3)
  void concurrentMissesOfOneKeyShareOneLoadPerInstance() {
    long id = create("flight-1");
    redis.restart();
    long firstLoads = first.cache().stats().loads();
    long secondLoads = second.cache().stats().loads();

    List<Future<CatalogClient.Reply>> reads = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      reads.add(catalog.send(CatalogAddresses.PRODUCT_GET, new ApiRequest(new JsonObject().put("id", Long.toString(id)), null, null, null), Caller.ANONYMOUS));
    }
    reads.forEach(read -> assertThat(catalog.await(read).status()).isEqualTo(200));

    // each instance loads at most once (the other one may have filled Redis first: then it hits)
    long total = 0;
    for (CatalogModule instance : List.of(first, second)) {
      long loaded = instance.cache().stats().loads() - (instance == first ? firstLoads : secondLoads);
      assertThat(loaded).as("database loads of one instance for 100 concurrent reads").isLessThanOrEqualTo(1);
      total += loaded;
    }
    assertThat(total).isGreaterThanOrEqualTo(1);
  }

  @Test
  @Order(4)
  void unknownIdsAreCachedAsMissingForAWhile() {
    long loads = loads();
    long hits = hits();
    assertThat(catalog.get(987_654_321L).status()).isEqualTo(404);
    assertThat(catalog.get(987_654_321L).status()).isEqualTo(404);
    assertThat(catalog.get(987_654_321L).status()).isEqualTo(404);
    assertThat(loads() - loads).isEqualTo(1);
    assertThat(hits() - hits).isEqualTo(2);
  }

  @Test
  @Order(5)
  void aRedisOutageIsNotACatalogOutage() throws InterruptedException {
    long id = create("outage-1");
    long bypasses = bypasses();

    redis.kill();
    for (int i = 0; i < 30; i++) {
      CatalogClient.Reply read = catalog.get(id);
      assertThat(read.status()).as("read %d with Redis down", i).isEqualTo(200);
    }
    JsonObject product = catalog.get(id).json();
    assertThat(catalog.update(id, "\"v1\"", product.put("stock", 3), CatalogClient.ADMIN).status()).isEqualTo(200);
    assertThat(catalog.get(id).json().getInteger("stock")).isEqualTo(3);
    assertThat(bypasses() - bypasses).isGreaterThanOrEqualTo(30);
    assertThat(first.cache().breakerState()).isEqualTo("OPEN");

    redis.restart();
    Thread.sleep(1500);
    long hits = hits();
    for (int i = 0; i < 6; i++) {
      assertThat(catalog.get(id).json().getInteger("stock")).isEqualTo(3);
    }
    assertThat(hits() - hits).as("the cache is used again once Redis is back").isPositive();
  }

  private static long create(String sku) {
    CatalogClient.Reply created = catalog.create(CatalogClient.product(sku, "cache", 100), CatalogClient.ADMIN);
    assertThat(created.status()).isEqualTo(201);
    return created.json().getLong("id");
  }

  private static long loads() {
    return first.cache().stats().loads() + second.cache().stats().loads();
  }

  private static long hits() {
    return first.cache().stats().hits() + second.cache().stats().hits();
  }

  private static long bypasses() {
    return first.cache().stats().bypasses() + second.cache().stats().bypasses();
  }
}
