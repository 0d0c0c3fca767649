package io.scaleout.common.catalog;

import io.vertx.core.json.JsonObject;

/** The small notice published on {@link CatalogAddresses#CHANGED} after a committed write. */
public record ChangeNotice(long productId, long version, CatalogEvent.Type type) {

  public JsonObject toJson() {
    return new JsonObject().put("productId", productId).put("version", version).put("type", type.name());
  }

  public static ChangeNotice fromJson(JsonObject json) {
    return new ChangeNotice(json.getLong("productId"), json.getLong("version"), CatalogEvent.Type.valueOf(json.getString("type")));
  }
}
