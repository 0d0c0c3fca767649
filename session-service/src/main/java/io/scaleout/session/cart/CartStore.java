package io.scaleout.session.cart;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A cart per user: a Redis hash productId → quantity, dropped after a period without change. */
public final class CartStore {
  private final Redis redis;
  private final String prefix;
  private final Duration ttl;
  private final Duration timeout;

  public CartStore(Redis redis, String prefix, Duration ttl, Duration timeout) {
    this.redis = redis;
    this.prefix = prefix + "carts:";
    this.ttl = ttl;
    this.timeout = timeout;
  }

  /** {items:[{productId, quantity}] by product id, count: total quantity}. */
  public Future<JsonObject> get(String userId) {
    return send(Request.cmd(Command.HGETALL).arg(prefix + userId)).map(CartStore::cart);
  }

  public Future<Integer> size(String userId) {
    return send(Request.cmd(Command.HLEN).arg(prefix + userId)).map(Response::toInteger);
  }

  public Future<Boolean> contains(String userId, long productId) {
    return send(Request.cmd(Command.HEXISTS).arg(prefix + userId).arg(productId)).map(Response::toBoolean);
  }

  public Future<JsonObject> set(String userId, long productId, int quantity) {
    String key = prefix + userId;
    return send(Request.cmd(Command.HSET).arg(key).arg(productId).arg(quantity))
        .compose(r -> send(Request.cmd(Command.PEXPIRE).arg(key).arg(ttl.toMillis())))
        .compose(r -> get(userId));
  }

  public Future<JsonObject> remove(String userId, long productId) {
    return send(Request.cmd(Command.HDEL).arg(prefix + userId).arg(productId)).compose(r -> get(userId));
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

  private Future<Response> send(Request request) {
    return redis.send(request).timeout(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }
}
