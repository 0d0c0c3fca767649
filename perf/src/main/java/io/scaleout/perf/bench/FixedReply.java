package io.scaleout.perf.bench;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;

/**
 * The ~200-byte JSON array both sides of the gateway-overhead comparison answer with: the plain
 * server writes it directly, the bench node replies it over the event bus to the gateway.
 */
final class FixedReply {
  static final JsonArray BODY = new JsonArray()
      .add(new io.vertx.core.json.JsonObject().put("slug", "kitchen").put("name", "Kitchen").put("count", 1200))
      .add(new io.vertx.core.json.JsonObject().put("slug", "garden").put("name", "Garden").put("count", 340))
      .add(new io.vertx.core.json.JsonObject().put("slug", "office").put("name", "Office").put("count", 95))
      .add(new io.vertx.core.json.JsonObject().put("slug", "toys").put("name", "Toys and games").put("count", 4096));
  static final Buffer BYTES = BODY.toBuffer();

  private FixedReply() {
  }
}
