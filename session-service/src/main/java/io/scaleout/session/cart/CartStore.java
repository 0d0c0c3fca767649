package io.scaleout.session.cart;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.scaleout.common.redis.BoundedRedis;
import io.scaleout.common.redis.RedisScript;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** A cart per user: a Redis hash productId → quantity, dropped after a period without change. */
public final class CartStore {
  private final BoundedRedis redis;
  private final String prefix;
  private final Duration ttl;
  private final RedisScript setScript = RedisScript.load("/scaleout/session/cart-set.lua");

  public CartStore(BoundedRedis redis, String prefix, Duration ttl) {
    this.redis = redis;
    this.prefix = prefix + "carts:";
    this.ttl = ttl;
  }

  /** {items:[{productId, quantity}] by product id, count: total quantity}. */
  public Future<JsonObject> get(String userId) {
    return redis.send(Request.cmd(Command.HGETALL).arg(prefix + userId)).map(CartStore::cart);
  }

  /**
   * Sets the product's quantity, unless the product is new to a cart that holds {@code maxProducts}
   * already (then an empty result): one script, so concurrent adds cannot pass the check together.
   */
  public Future<Optional<JsonObject>> set(String userId, long productId, int quantity, int maxProducts) {
    return setScript.run(redis, List.of(prefix + userId), List.of(productId, quantity, maxProducts, ttl.toMillis()))
        .compose(set -> set.toInteger() == 1 ? get(userId).map(Optional::of) : Future.succeededFuture(Optional.empty()));
  }

  public Future<JsonObject> remove(String userId, long productId) {
    return redis.send(Request.cmd(Command.HDEL).arg(prefix + userId).arg(productId)).compose(r -> get(userId));
  }

  private static JsonObject cart(Response hash) {
    List<JsonObject> items = new ArrayList<>();
    long count = 0;
    if (hash != null) {
      for (String field : hash.getKeys()) {
        int quantity = hash.get(field).toInteger();
        items.add(new JsonObject().put("productId", Long.parseLong(field)).put("quantity", quantity));
        count += quantity;
      }
    }
    items.sort((a, b) -> Long.compare(a.getLong("productId"), b.getLong("productId")));
    return new JsonObject().put("items", new JsonArray(new ArrayList<>(items))).put("count", count);
  }

}
