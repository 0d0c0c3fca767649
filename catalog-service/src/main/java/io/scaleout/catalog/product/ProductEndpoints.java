package io.scaleout.catalog.product;

import io.scaleout.catalog.cache.ProductCache;
import io.scaleout.catalog.replica.ReadRouter;
import io.scaleout.common.api.ApiReply;
import io.scaleout.common.api.ApiRequest;
import io.scaleout.common.api.Ids;
import io.scaleout.common.api.CallerSeal;
import io.scaleout.common.bus.BusEndpoints;
import io.scaleout.common.bus.FailureCode;
import io.scaleout.common.bus.ServiceException;
import io.scaleout.common.catalog.CatalogAddresses;
import io.scaleout.common.catalog.CatalogEvent;
import io.scaleout.common.catalog.ChangeNotice;
import io.vertx.core.Future;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;

/** The catalog's event-bus API: parse and check a request, run it, shape the reply. */
public final class ProductEndpoints {
  /** Products per upsert: bounds one transaction and one bus message. */
  static final int MAX_UPSERT = 1000;

  private final ProductStore store;
  private final ProductCache cache;
  private final ReadRouter reads;
  private final EventBus bus;
  private final String productCacheControl;
  private final String listCacheControl;
  private final CallerSeal callers;

  public ProductEndpoints(ProductStore store, ProductCache cache, ReadRouter reads, EventBus bus,
                          String productCacheControl, String listCacheControl, CallerSeal callers) {
    this.store = store;
    this.cache = cache;
    this.reads = reads;
    this.bus = bus;
    this.productCacheControl = productCacheControl;
    this.listCacheControl = listCacheControl;
    this.callers = callers;
  }

  /** Registers every address on the calling context; completes once all are known cluster-wide. */
  public Future<Void> register(BusEndpoints endpoints) {
    return Future.all(List.of(
        endpoints.register(CatalogAddresses.PRODUCTS_LIST, this::list),
        endpoints.register(CatalogAddresses.PRODUCT_GET, this::get),
        endpoints.register(CatalogAddresses.PRODUCT_CREATE, this::create),
        endpoints.register(CatalogAddresses.PRODUCT_UPDATE, this::update),
        endpoints.register(CatalogAddresses.PRODUCT_DELETE, this::delete),
        endpoints.register(CatalogAddresses.STOCK_ADJUST, this::adjustStock),
        endpoints.register(CatalogAddresses.PRODUCTS_UPSERT, this::upsert),
        endpoints.register(CatalogAddresses.PRODUCT_SET_IMAGES, this::setImages),
        endpoints.register(CatalogAddresses.CATEGORIES_LIST, this::categories),
        endpoints.register(CatalogAddresses.CHANGED, this::changed))).mapEmpty();
  }

  private Future<ApiReply> list(Message<JsonObject> message) {
    ListQuery query = ListQuery.parse(ApiRequest.fromJson(message.body()));
    return cache.listPage(query.cacheKey(), () -> store.list(query))
        .map(page -> ApiReply.ok(page).cacheControl(listCacheControl));
  }

  private Future<ApiReply> get(Message<JsonObject> message) {
    long id = productId(ApiRequest.fromJson(message.body()));
    return cache.product(id, () -> store.get(id)).map(product -> {
      if (product == null) {
        throw new ServiceException(FailureCode.NOT_FOUND, "No product " + id);
      }
      return productReply(product);
    });
  }

  private Future<ApiReply> create(Message<JsonObject> message) {
    requireAdmin(message);
    ProductInput input = ProductInput.parse(ApiRequest.fromJson(message.body()).body());
    return store.create(input)
        .compose(product -> committed(CatalogEvent.Type.ProductCreated, product))
        .map(product -> ApiReply.created(product, "/api/products/" + Product.id(product))
            .etag(Product.etag(Product.version(product))));
  }

  private Future<ApiReply> update(Message<JsonObject> message) {
    requireAdmin(message);
    ApiRequest request = ApiRequest.fromJson(message.body());
    long id = productId(request);
    long expected = requiredVersion(request);
    ProductInput input = ProductInput.parse(request.body());
    return store.update(id, expected, input)
        .compose(product -> committed(CatalogEvent.Type.ProductUpdated, product))
        .map(this::productReply);
  }

  private Future<ApiReply> delete(Message<JsonObject> message) {
    requireAdmin(message);
    ApiRequest request = ApiRequest.fromJson(message.body());
    long id = productId(request);
    Long expected = request.header(ApiRequest.IF_MATCH) == null ? null : requiredVersion(request);
    return store.delete(id, expected)
        .compose(product -> committed(CatalogEvent.Type.ProductDeleted, product))
        .map(product -> ApiReply.noContent());
  }

  /** Internal: {@code {id, delta}}, from services acting for a caller (not mapped by the gateway). */
  private Future<JsonObject> adjustStock(Message<JsonObject> message) {
    JsonObject body = message.body();
    // bounded by the stock range, so stock + delta cannot overflow Postgres's integer
    if (body == null || !(body.getValue("id") instanceof Number id) || !(body.getValue("delta") instanceof Integer delta)
        || Math.abs(delta) > ProductInput.MAX_STOCK) {
      throw ServiceException.badField("delta", "A stock change needs a numeric id and an integer delta in -"
          + ProductInput.MAX_STOCK + ".." + ProductInput.MAX_STOCK);
    }
    return store.adjustStock(id.longValue(), delta).compose(product -> committed(CatalogEvent.Type.StockChanged, product));
  }

  /**
   * Internal, for an administrator's import: {@code {products:[...]}} → {@code {results:[...]}} in
   * order, each product valid or refused on its own (a refused one names its field and why).
   */
  private Future<JsonObject> upsert(Message<JsonObject> message) {
    requireAdmin(message);
    JsonArray products = message.body() == null ? null : message.body().getJsonArray("products");
    if (products == null || products.size() > MAX_UPSERT) {
      throw ServiceException.badField("products", "An upsert takes a products array of at most " + MAX_UPSERT);
    }
    JsonObject[] results = new JsonObject[products.size()];
    List<ProductInput> valid = new ArrayList<>();
    List<Integer> validIndexes = new ArrayList<>();
    for (int i = 0; i < products.size(); i++) {
      try {
        valid.add(ProductInput.parse(products.getValue(i)));
        validIndexes.add(i);
      } catch (ServiceException refused) {
        results[i] = new JsonObject().put("index", i).put("field", refused.extensions().getString("field"))
            .put("error", refused.getMessage());
      }
    }
    return store.upsert(valid).compose(changes -> {
      List<Future<JsonObject>> published = new ArrayList<>();
      for (int k = 0; k < changes.size(); k++) {
        ProductChange change = changes.get(k);
        int index = validIndexes.get(k);
        results[index] = new JsonObject().put("index", index).put("id", change.id()).put("outcome", change.outcome());
        if (change.changed()) {
          published.add(committed(change.type(), change.product()));
        }
      }
      return Future.all(published);
    }).map(v -> new JsonObject().put("results", new JsonArray(List.of(results))));
  }

  /** Internal, for the thumbnail job: {@code {id, images}} → the product; unchanged when they are its images. */
  private Future<JsonObject> setImages(Message<JsonObject> message) {
    requireAdmin(message);
    JsonObject body = message.body() == null ? new JsonObject() : message.body();
    if (!(body.getValue("id") instanceof Number id)) {
      throw ServiceException.badField("id", "A product id is a positive integer");
    }
    JsonArray images = ProductInput.images(body);
    return store.setImages(id.longValue(), images)
        .compose(change -> change.changed() ? committed(change.type(), change.product()) : Future.succeededFuture(change.product()));
  }

  private Future<ApiReply> categories(Message<JsonObject> message) {
    return store.categories().map(categories -> ApiReply.ok(categories).cacheControl(listCacheControl));
  }

  /** A notice published by any catalog instance (this one included). */
  private Future<Void> changed(Message<JsonObject> message) {
    ChangeNotice notice = ChangeNotice.fromJson(message.body());
    reads.written(notice.productId());
    cache.changed(notice.productId(), notice.type() == CatalogEvent.Type.ProductDeleted ? notice.version() + 1 : notice.version());
    return Future.succeededFuture();
  }

  /** After commit: route reads of this product to the primary, refresh the cache, tell the cluster. */
  private Future<JsonObject> committed(CatalogEvent.Type type, JsonObject product) {
    long id = Product.id(product);
    long version = Product.version(product);
    reads.written(id);
    bus.publish(CatalogAddresses.CHANGED, new ChangeNotice(id, version, type).toJson());
    return cache.written(id, version, type == CatalogEvent.Type.ProductDeleted ? null : product).map(product);
  }

  private ApiReply productReply(JsonObject product) {
    return ApiReply.ok(product).etag(Product.etag(Product.version(product))).cacheControl(productCacheControl);
  }

  private static long productId(ApiRequest request) {
    return Ids.pathParam(request, "id", "A product id");
  }

  private static long requiredVersion(ApiRequest request) {
    String ifMatch = request.header(ApiRequest.IF_MATCH);
    if (ifMatch == null) {
      throw new ServiceException(FailureCode.PRECONDITION_REQUIRED,
          "Send If-Match with the ETag of the product as you read it (e.g. \"v3\")");
    }
    Long version = Product.versionFromEtag(ifMatch);
    if (version == null) {
      throw new ServiceException(FailureCode.PRECONDITION_FAILED, "If-Match " + ifMatch + " matches no version of this product");
    }
    return version;
  }

  private void requireAdmin(Message<JsonObject> message) {
    callers.admin(message, "change the catalog");
  }
}
