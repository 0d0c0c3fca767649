package io.scaleout.worker.projection;

import io.scaleout.common.catalog.CatalogEvent;
import io.scaleout.common.redis.BoundedRedis;
import io.scaleout.common.redis.RedisScript;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;

import java.util.ArrayList;
import java.util.List;

/**
 * The facets read model in Redis: per category, a sorted set of its products scored by price
 * (count and price range in O(log n)), and per product the version and category last applied, so
 * that a repeated or late event changes nothing.
 */
public final class Facets {
  private final BoundedRedis redis;
  private final String products;
  private final String categories;
  private final String categoryPrefix;
  private final RedisScript script = RedisScript.load("/scaleout/worker/apply-product.lua");

  public Facets(BoundedRedis redis, String keyPrefix) {
    this.redis = redis;
    this.products = keyPrefix + "products";
    this.categories = keyPrefix + "categories";
    this.categoryPrefix = keyPrefix + "category:";
  }

  /** Applies an event; true when it changed the model, false when it was not newer than what is there. */
  public Future<Boolean> apply(CatalogEvent event) {
    JsonObject product = event.type() == CatalogEvent.Type.ProductDeleted ? null : event.product();
    String category = product == null ? "" : product.getString("category");
    long price = product == null ? 0 : product.getLong("priceCents");
    return script.run(redis, List.of(products, categories),
            List.of(event.productId(), event.version(), category, price, categoryPrefix))
        .map(reply -> reply.toInteger() == 1);
  }

  /** [{category, count, minPriceCents, maxPriceCents}] by category slug, empty categories left out. */
  public Future<JsonArray> read() {
    return redis.send(Request.cmd(Command.SMEMBERS).arg(categories)).compose(members -> {
      List<String> slugs = new ArrayList<>();
      members.forEach(member -> slugs.add(member.toString()));
      slugs.sort(String::compareTo);
      List<Future<JsonObject>> rows = slugs.stream().map(this::facet).toList();
      return Future.all(new ArrayList<>(rows)).map(all -> {
        JsonArray facets = new JsonArray();
        rows.forEach(row -> {
          if (row.result() != null) {
            facets.add(row.result());
          }
        });
        return facets;
      });
    });
  }

  private Future<JsonObject> facet(String slug) {
    String key = categoryPrefix + slug;
    Future<Response> count = redis.send(Request.cmd(Command.ZCARD).arg(key));
    Future<Response> cheapest = redis.send(Request.cmd(Command.ZRANGE).arg(key).arg(0).arg(0).arg("WITHSCORES"));
    Future<Response> dearest = redis.send(Request.cmd(Command.ZRANGE).arg(key).arg(-1).arg(-1).arg("WITHSCORES"));
    return Future.all(count, cheapest, dearest).map(all -> {
      long products = count.result().toLong();
      if (products == 0) {
        return null;
      }
      return new JsonObject().put("category", slug).put("count", products)
          .put("minPriceCents", score(cheapest.result())).put("maxPriceCents", score(dearest.result()));
    });
  }

  /** The score of a one-member ZRANGE ... WITHSCORES reply (RESP2: [member, score]; RESP3: [[member, score]]). */
  private static long score(Response range) {
    Response last = range.get(range.size() - 1);
    Response score = last.size() > 0 ? last.get(1) : last;
    return (long) Double.parseDouble(score.toString());
  }
}
