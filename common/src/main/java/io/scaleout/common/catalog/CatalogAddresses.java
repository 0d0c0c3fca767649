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
  /**
   * Admin (the worker's import, acting for the administrator who started it). Body:
   * {products:[product fields]} with sku as the key: each is created, or updated when it differs
   * from what is stored (an identical row leaves the product and its version as they are).
   * → {results:[{index, id, outcome: created|updated|unchanged} or {index, field, error}]}, in order.
   */
  public static final String PRODUCTS_UPSERT = "catalog.products.upsert";
  /** Admin (the worker's thumbnail job). Body: {id, images:[name]} → the product, images replaced. */
  public static final String PRODUCT_SET_IMAGES = "catalog.products.set-images";
  /** → [{slug, name, count}]. */
  public static final String CATEGORIES_LIST = "catalog.categories.list";
  /** Publish: {@link ChangeNotice} after every committed write, for caches to drop copies. */
  public static final String CHANGED = "catalog.changed";

  private CatalogAddresses() {
  }
}
