package io.scaleout.session.cart;

import io.scaleout.common.redis.BoundedRedis;
import io.scaleout.testsupport.Await;
import io.scaleout.testsupport.RedisServer;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** Carts in a private redis-server: lines by product, the count as the total quantity, the cap on products checked as it adds, the idle expiry. */
class CartStoreTest {
  private static final Duration WAIT = Duration.ofSeconds(5);
  private static RedisServer redis;
  private static Vertx vertx;
  private static BoundedRedis client;
  private static CartStore carts;

  @BeforeAll
  static void start() {
    redis = RedisServer.start();
    vertx = Vertx.vertx();
    client = new BoundedRedis(Redis.createClient(vertx, redis.url()), Duration.ofSeconds(2));
    carts = new CartStore(client, "test-" + UUID.randomUUID() + ":", Duration.ofMinutes(30));
  }

  @AfterAll
  static void stop() {
    Await.result(vertx.close(), WAIT);
    redis.close();
  }

  @Test
  void linesAreSetChangedAndRemovedAndTheCountIsTheTotalQuantity() {
    String user = UUID.randomUUID().toString();
    assertThat(Await.result(carts.get(user), WAIT)).isEqualTo(new JsonObject("{\"items\":[],\"count\":0}"));
    Await.result(carts.set(user, 42, 2, 5), WAIT);
    Await.result(carts.set(user, 7, 1, 5), WAIT);
    JsonObject cart = Await.result(carts.set(user, 42, 5, 5), WAIT).orElseThrow();
    assertThat(cart).isEqualTo(new JsonObject("{\"items\":[{\"productId\":7,\"quantity\":1},{\"productId\":42,\"quantity\":5}],\"count\":6}"));
    assertThat(Await.result(carts.remove(user, 7), WAIT).getLong("count")).isEqualTo(5);
  }

  @Test
  void concurrentAddsToAFullCartCannotPassTheCapTogether() {
    String user = UUID.randomUUID().toString();
    List<Future<Optional<JsonObject>>> adds = new ArrayList<>();
    for (long product = 1; product <= 15; product++) {
      adds.add(carts.set(user, product, 1, 5));
    }
    Await.result(Future.join(adds), WAIT);
    assertThat(adds.stream().filter(add -> add.result().isPresent()).count()).isEqualTo(5);
    JsonObject full = Await.result(carts.get(user), WAIT);
    assertThat(full.getJsonArray("items")).hasSize(5);
    long inCart = full.getJsonArray("items").getJsonObject(0).getLong("productId");
    assertThat(Await.result(carts.set(user, inCart, 9, 5), WAIT)).as("changing a line already in a full cart").isPresent();
  }

  @Test
  void aCartExpiresAfterItsIdleTime() {
    String user = UUID.randomUUID().toString();
    Await.result(carts.set(user, 1, 1, 5), WAIT);
    Request ttl = Request.cmd(Command.PTTL).arg(keyOf(user));
    long left = Await.result(client.send(ttl), WAIT).toLong();
    assertThat(left).isBetween(Duration.ofMinutes(29).toMillis(), Duration.ofMinutes(30).toMillis());
  }

  private static String keyOf(String user) {
    // the store's key: its prefix, "carts:", the user; found by the one key holding this user
    return Await.result(client.send(Request.cmd(Command.KEYS).arg("*carts:" + user)), WAIT).get(0).toString();
  }
}
