package io.scaleout.common.catalog;

import io.vertx.core.json.JsonObject;

import java.time.Instant;
import java.util.UUID;

/**
 * A domain event of the catalog, stored in its outbox in the write's transaction and published to
 * the Kafka topic {@link #TOPIC}, keyed by product id. {@code product} is the product as committed
 * (null for a deletion); {@code stockDelta} is set for {@link Type#StockChanged}. {@code version} is
 * the product's version after the change; a deletion counts as one more version than the deleted
 * row's, so readers that apply only newer versions apply it.
 */
public record CatalogEvent(UUID eventId, Type type, long productId, long version, Instant occurredAt,
                           JsonObject product, Integer stockDelta) {
  public static final String TOPIC = "catalog.events";

  public enum Type { ProductCreated, ProductUpdated, ProductDeleted, StockChanged }

  public JsonObject toJson() {
    return new JsonObject()
        .put("eventId", eventId.toString())
        .put("type", type.name())
        .put("productId", productId)
        .put("version", version)
        .put("occurredAt", occurredAt.toString())
        .put("product", product)
        .put("stockDelta", stockDelta);
  }

  public static CatalogEvent fromJson(JsonObject json) {
    return new CatalogEvent(
        UUID.fromString(json.getString("eventId")),
        Type.valueOf(json.getString("type")),
        json.getLong("productId"),
        json.getLong("version"),
        Instant.parse(json.getString("occurredAt")),
        json.getJsonObject("product"),
        json.getInteger("stockDelta"));
  }
}
