package io.scaleout.common.catalog;

/**
 * Event-bus addresses of the catalog. Request-reply addresses take an
 * {@link io.scaleout.common.api.ApiRequest} and answer an {@link io.scaleout.common.api.ApiReply}
 * (or fail with a {@link io.scaleout.common.bus.FailureCode}).
 */
public final class CatalogAddresses {
  /** Query: category, q, minPrice, maxPrice, sort, limit, cursor → {items, nextCursor}. */
  public static final String PRODUCTS_LIST = "catalog.products.list";
  /** Path: id → product, with ETag "v{version}". */
  public static final String PRODUCT_GET = "catalog.products.get";
  /** Admin. Body: product fields → 201 with Location. */
  public static final String PRODUCT_CREATE = "catalog.products.create";
  /** Admin. Path: id; header if-match "v{version}"; body: product fields. */
  public static final String PRODUCT_UPDATE = "catalog.products.update";
  /** Admin. Path: id; optional if-match. → 204. */
  public static final String PRODUCT_DELETE = "catalog.products.delete";
  /** Internal. Body: {id, delta}; stock never goes below zero (409). → product. */
  public static final String STOCK_ADJUST = "catalog.products.adjust-stock";
  /** → [{slug, name, count}]. */
  public static final String CATEGORIES_LIST = "catalog.categories.list";
  /** Publish: {@link ChangeNotice} after every committed write, for caches to drop copies. */
  public static final String CHANGED = "catalog.changed";

  private CatalogAddresses() {
  }
}
