package io.scaleout.catalog.product;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;

/** The product representation of the API (and of catalog events), built from a products row. */
public final class Product {
  private Product() {
  }

  public static JsonObject fromRow(Row row) {
    Object images = row.getValue("images");
    return new JsonObject()
        .put("id", row.getLong("id"))
        .put("sku", row.getString("sku"))
        .put("name", row.getString("name"))
        .put("description", row.getString("description"))
        .put("category", row.getString("category"))
        .put("priceCents", row.getLong("price_cents"))
        .put("currency", row.getString("currency"))
        .put("stock", row.getInteger("stock"))
        .put("images", images instanceof JsonArray array ? array : new JsonArray())
        .put("version", row.getLong("version"))
        .put("createdAt", row.getOffsetDateTime("created_at").toInstant().toString())
        .put("updatedAt", row.getOffsetDateTime("updated_at").toInstant().toString());
  }

  public static long id(JsonObject product) {
    return product.getLong("id");
  }

  public static long version(JsonObject product) {
    return product.getLong("version");
  }

  /** The strong ETag of a product version: {@code "v7"}; If-Match must carry exactly this. */
  public static String etag(long version) {
    return "\"v" + version + "\"";
  }

  /** Parses an If-Match value made by {@link #etag}; null when it is not one. */
  public static Long versionFromEtag(String ifMatch) {
    if (ifMatch == null) {
      return null;
    }
    String value = ifMatch.trim();
    if (value.startsWith("W/")) {
      return null;
    }
    if (value.matches("\"v[0-9]{1,18}\"")) {
      return Long.parseLong(value.substring(2, value.length() - 1));
    }
    return null;
  }
}
