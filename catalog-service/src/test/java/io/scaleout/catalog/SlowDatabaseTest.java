package io.scaleout.catalog;

import io.scaleout.testsupport.PostgresDatabases;
import io.scaleout.testsupport.Waiting;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A database that stalls: another session holds an exclusive lock on the products table, so every
 * statement on it waits (the connections stay open, nothing is refused). The catalog answers a
 * clear 503 within its read or write timeout, at once once its breaker is open, still serves what
 * its cache holds, and recovers by itself when the lock goes.
 */
class SlowDatabaseTest {
  private static OwnCatalog own;
  private static CatalogClient catalog;

  @BeforeAll
  static void start() {
    own = new OwnCatalog("slowdb", Map.of("DB_READ_TIMEOUT_MS", "400", "DB_WRITE_TIMEOUT_MS", "600",
        "DB_BREAKER_FAILURES", "3", "DB_BREAKER_RESET_MS", "1000"));
    catalog = own.client();
  }

  @AfterAll
  static void stop() {
    own.close();
  }

  @Test
  void aStalledDatabaseGivesA503InTimeThenAtOnceWhileCachedReadsGoOnAndItRecovers() throws Exception {
    long id = catalog.create(CatalogClient.product("slow-1", "slow", 100), CatalogClient.ADMIN).json().getLong("id");
    assertThat(catalog.get(id).status()).isEqualTo(200);
    try (AutoCloseable lock = PostgresDatabases.lockTable(own.database(), "products")) {
      for (int i = 0; i < 3; i++) {
        int n = i;
        Timed read = timed(() -> catalog.list(Map.of("q", "stalled" + n)));
        assertThat(read.reply.status()).as(String.valueOf(read.reply.problem())).isEqualTo(503);
        assertThat(read.reply.problem().detail()).contains("catalog database (primary) is unavailable");
        assertThat(read.millis).as("ms to a 503 while the database stalls").isLessThan(1500);
      }
      Timed refused = timed(() -> catalog.list(Map.of("q", "stalled-open")));
      assertThat(refused.reply.status()).isEqualTo(503);
      assertThat(refused.reply.problem().detail()).contains("breaker is open");
      assertThat(refused.millis).as("ms to a 503 with the breaker open").isLessThan(200);
      assertThat(catalog.get(id).status()).as("a product the cache holds").isEqualTo(200);
      Timed write = timed(() -> catalog.create(CatalogClient.product("slow-2", "slow", 100), CatalogClient.ADMIN));
      assertThat(write.reply.status()).isEqualTo(503);
      assertThat(write.millis).as("ms to a 503 for a write").isLessThan(1500);
    }
    Waiting.until("lists answered again once the database answers", Duration.ofSeconds(10),
        () -> catalog.list(Map.of("q", "after-" + System.nanoTime())).status() == 200);
  }

  private record Timed(CatalogClient.Reply reply, long millis) {
  }

  private static Timed timed(Supplier<CatalogClient.Reply> call) {
    long start = System.nanoTime();
    CatalogClient.Reply reply = call.get();
    return new Timed(reply, (System.nanoTime() - start) / 1_000_000);
  }
}
