package io.scaleout.catalog.product;

import io.scaleout.common.catalog.CatalogEvent;
import io.vertx.core.json.JsonObject;

/**
 * What a write that may find nothing to change did to one product.
 *
 * @param id      the product
 * @param product the product as committed; null when it was left unchanged
 * @param type    the event recorded for it; null when it was left unchanged
 */
public record ProductChange(long id, JsonObject product, CatalogEvent.Type type) {
  public boolean changed() {
    return type != null;
  }

  /** The outcome an upsert reports for the product. */
  public String outcome() {
    if (type == null) {
      return "unchanged";
    }
    return type == CatalogEvent.Type.ProductCreated ? "created" : "updated";
  }
}
