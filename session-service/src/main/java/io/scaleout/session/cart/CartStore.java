package io.scaleout.session.cart;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.scaleout.common.redis.BoundedRedis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** A cart per user: a Redis hash productId → quantity, dropped after a period without change. */
public final class CartStore {
  private final BoundedRedis redis;
  private final String prefix;
  private final Duration ttl;

  public CartStore(BoundedRedis redis, String prefix, Duration ttl) {
    this.redis = redis;
    this.prefix = prefix + "carts:";
    this.ttl = ttl;
  }

  /** {items:[{productId, quantity}] by product id, count: total quantity}. */
  public Future<JsonObject> get(String userId) {
    return redis.send(Request.cmd(Command.HGETALL).arg(prefix + userId)).map(CartStore::cart);
  }

  public Future<Integer> size(String userId) {
    return redis.send(Request.cmd(Command.HLEN).arg(prefix + userId)).map(Response::toInteger);
  }

  public Future<Boolean> contains(String userId, long productId) {
    return redis.send(Request.cmd(Command.HEXISTS).arg(prefix + userId).arg(productId)).map(Response::toBoolean);
  }

  public Future<JsonObject> set(String userId, long productId, int quantity) {
    String key = prefix + userId;
    return redis.send(Request.cmd(Command.HSET).arg(key).arg(productId).arg(quantity))
        .compose(r -> redis.send(Request.cmd(Command.PEXPIRE).arg(key).arg(ttl.toMillis())))
        .compose(r -> get(userId));
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
