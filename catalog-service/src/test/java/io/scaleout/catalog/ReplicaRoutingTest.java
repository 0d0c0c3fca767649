package io.scaleout.catalog;

import io.scaleout.catalog.replica.ReplicaRouter;
import io.scaleout.testsupport.Await;
import io.scaleout.testsupport.PostgresReplicaSet;
import io.scaleout.testsupport.TestCluster;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Tuple;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.time.Duration;
import java.util.Map;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Query offloading against a real streaming replica (a private primary and standby). Redis is
 * unreachable here on purpose, so every read really goes to Postgres.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ReplicaRoutingTest {
  private static PostgresReplicaSet postgres;
  private static TestCluster cluster;
  private static CatalogModule module;
  private static CatalogClient catalog;
  private static String replica;

  @BeforeAll
  static void start() {
    postgres = PostgresReplicaSet.start();
    replica = postgres.replicaAddress();
    cluster = new TestCluster();
    module = new CatalogModule();
    cluster.startNode("catalog", "catalog", postgres.onlyPostgres(Map.of("REPLICA_MAX_LAG_MS", "1000")), module::start);
    catalog = new CatalogClient(cluster.startClient(), cluster.callerSeal());
    awaitThat("replica healthy", () -> replicaState().healthy());
  }

  @AfterAll
  static void stop() {
    cluster.close();
    postgres.close();
  }

  @Test
  @Order(1)
  void listReadsAreServedByTheHealthyReplica() {
    long before = served(replica);
    long primaryBefore = served("primary");
    for (int i = 0; i < 20; i++) {
      assertThat(catalog.list(Map.of("limit", "5")).status()).isEqualTo(200);
    }
    assertThat(served(replica) - before).isEqualTo(20);
    assertThat(served("primary") - primaryBefore).isZero();
  }

  @Test
  @Order(2)
  void aWriterReadsItsWriteBackWhileTheReplicaLags() {
    long id = catalog.create(CatalogClient.product("ryw-1", "replica", 100), CatalogClient.ADMIN).json().getLong("id");
    awaitThat("replica has the product", () -> replicaState().healthy() && replicaState().lagMillis() == 0);
    postgres.pauseReplay();

    JsonObject product = catalog.get(id).json();
    assertThat(catalog.update(id, "\"v1\"", product.put("priceCents", 777), CatalogClient.ADMIN).status()).isEqualTo(200);
    JsonObject readBack = catalog.get(id).json();
    assertThat(readBack.getLong("priceCents")).isEqualTo(777);
    assertThat(readBack.getLong("version")).isEqualTo(2);

    // a replica that stays behind leaves the rotation; reads still see the write (on the primary)
    awaitThat("lagging replica leaves the rotation", () -> !replicaState().healthy());
    assertThat(replicaState().lagMillis()).isGreaterThan(1000);
    long primaryBefore = served("primary");
    assertThat(catalog.list(Map.of("category", "replica")).json().getJsonArray("items").getJsonObject(0).getLong("priceCents"))
        .isEqualTo(777);
    assertThat(served("primary")).isGreaterThan(primaryBefore);

    postgres.resumeReplay();
    awaitThat("caught-up replica rejoins", () -> replicaState().healthy());
  }

  @Test
  @Order(3)
  void readsFailOverToThePrimaryWhenTheReplicaStopsAndComeBackAfter() {
    postgres.stopReplica();
    for (int i = 0; i < 40; i++) {
      assertThat(catalog.list(Map.of("limit", "3")).status()).as("read %d with the replica gone", i).isEqualTo(200);
    }
    assertThat(replicaState().healthy()).isFalse();

    postgres.startReplica();
    awaitThat("restarted replica rejoins", () -> replicaState().healthy());
    long before = served(replica);
    for (int i = 0; i < 10; i++) {
      assertThat(catalog.list(Map.of("limit", "3")).status()).isEqualTo(200);
    }
    assertThat(served(replica) - before).isEqualTo(10);
  }

  @Test
  @Order(4)
  void aBurstOfForgedCursorsIsRefusedBeforeAnyQueryAndLeavesTheReplicaInRotation() {
    awaitThat("replica healthy", () -> replicaState().healthy());
    long replicaBefore = served(replica);
    long primaryBefore = served("primary");
    for (int i = 0; i < 20; i++) {
      CatalogClient.Reply reply = catalog.list(Map.of("sort", "name",
          "cursor", HostileQueriesTest.cursor("name", i % 2 == 0 ? "\u0000" : "x\u0000" + i, i + 1)));
      assertThat(reply.status()).as(String.valueOf(reply.problem())).isEqualTo(400);
    }

    assertThat(replicaState().healthy()).isTrue();
    assertThat(served(replica)).as("reads that reached the replica").isEqualTo(replicaBefore);
    assertThat(served("primary")).as("reads that reached the primary").isEqualTo(primaryBefore);
  }

  @Test
  @Order(5)
  void aReadFailingOnItsOwnValuesLeavesTheReplicaInRotationAndIsNotRepeatedOnThePrimary() {
    awaitThat("replica healthy", () -> replicaState().healthy());
    long primaryBefore = served("primary");

    // Postgres refuses NUL in text: SQLSTATE 22021, a data exception the statement's value caused
    Throwable failure = Await.failure(module.router().read("SELECT $1::text AS t", Tuple.of("a\u0000b")), Duration.ofSeconds(10));

    assertThat(failure).isInstanceOf(PgException.class);
    assertThat(((PgException) failure).getSqlState()).startsWith("22");
    assertThat(replicaState().healthy()).as("replica in rotation").isTrue();
    assertThat(served("primary")).as("reads repeated on the primary").isEqualTo(primaryBefore);
    assertThat(catalog.list(Map.of("limit", "1")).status()).isEqualTo(200);
  }

  private static ReplicaRouter.Replica replicaState() {
    return module.router().replicas().get(0);
  }

  private static long served(String target) {
    return module.router().servedCounts().getOrDefault(target, 0L);
  }

  private static void awaitThat(String what, BooleanSupplier condition) {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as("waiting for: " + what).isLessThan(deadline);
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }
}
