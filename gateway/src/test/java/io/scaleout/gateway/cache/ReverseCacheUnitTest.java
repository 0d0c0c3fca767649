package io.scaleout.gateway.cache;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The reverse cache's bookkeeping on its own: byte bound, tags, and the fetch-versus-invalidation race. */
class ReverseCacheUnitTest {
  private final ReverseCache cache = new ReverseCache(
      new ReverseCacheConfig(4096, 2048, Duration.ofMinutes(10), Duration.ofMillis(250)), new SimpleMeterRegistry());

  private void put(String key, int bytes, List<String> tags, long fetchedAt) {
    cache.put(key, List.of(), key, Buffer.buffer(new byte[bytes]), "\"e\"", "public, s-maxage=60", 60, tags, fetchedAt);
  }

  @Test
  void aReplyFetchedBeforeAnInvalidationOfItsTagIsNotKept() {
    long fetchStarted = cache.generation();
    // the product changes while the fetch is on its way: the reply may hold the old version
    cache.invalidate(List.of("product:1"));
    put("/api/products/1", 100, List.of("product:1"), fetchStarted);

    assertThat(cache.get("/api/products/1")).isNull();
    put("/api/products/2", 100, List.of("product:2"), fetchStarted);
    assertThat(cache.get("/api/products/2")).as("another product's reply is not affected").isNotNull();
    put("/api/products/1", 100, List.of("product:1"), cache.generation());
    assertThat(cache.get("/api/products/1")).as("a fetch started after the change is kept").isNotNull();
  }

  @Test
  void theLeastRecentlyUsedEntriesLeaveFirstWithinTheByteBound() {
    put("/a", 1000, List.of("a"), cache.generation());
    put("/b", 1000, List.of("b"), cache.generation());
    put("/c", 1000, List.of("c"), cache.generation());
    cache.get("/a");
    put("/d", 1000, List.of("d"), cache.generation());

    assertThat(cache.bytes()).isLessThanOrEqualTo(4096);
    assertThat(cache.get("/b")).as("least recently used").isNull();
    assertThat(cache.get("/a")).isNotNull();
    assertThat(cache.get("/d")).isNotNull();
    put("/huge", 3000, List.of("x"), cache.generation());
    assertThat(cache.get("/huge")).as("larger than one entry may be").isNull();
  }

  @Test
  void invalidatingATagDropsEveryEntryCarryingIt() {
    put("/api/products?limit=5", 100, List.of("lists"), cache.generation());
    put("/api/categories", 100, List.of("lists"), cache.generation());
    put("/api/products/3", 100, List.of("product:3"), cache.generation());

    cache.invalidate(List.of("lists"));

    assertThat(cache.get("/api/products?limit=5")).isNull();
    assertThat(cache.get("/api/categories")).isNull();
    assertThat(cache.get("/api/products/3")).isNotNull();
    assertThat(cache.entryCount()).isEqualTo(1);
  }
}
