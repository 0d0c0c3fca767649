package io.scaleout.catalog.product;

import io.scaleout.catalog.db.CatalogQueries;
import io.scaleout.catalog.db.DatabaseGuard;
import io.scaleout.catalog.replica.ReadRouter;
import io.scaleout.common.bus.FailureCode;
import io.scaleout.common.bus.ServiceException;
import io.scaleout.common.catalog.CatalogEvent;
import io.scaleout.common.observability.RequestId;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;

/**
 * Products in Postgres. Writes run in a primary transaction that also stores the domain event in
 * the outbox, through the primary's {@link DatabaseGuard} (a transaction that times out may still
 * commit: a retried create then meets its own sku, 409); reads go where the {@link ReadRouter} says
 * (a healthy replica, or the primary).
 */
public final class ProductStore {
  private static final String UNIQUE_VIOLATION = "23505";

  private final Pool primary;
  private final DatabaseGuard guard;
  private final ReadRouter reads;

  public ProductStore(Pool primary, DatabaseGuard guard, ReadRouter reads) {
    this.primary = primary;
    this.guard = guard;
    this.reads = reads;
  }

  /** The product, or null when there is none. */
  public Future<JsonObject> get(long id) {
    return reads.readProduct(id, CatalogQueries.GET_PRODUCT, Tuple.of(id))
        .map(rows -> rows.size() == 0 ? null : Product.fromRow(rows.iterator().next()));
  }

  public Future<JsonObject> list(ListQuery query) {
    CatalogQueries.Statement statement = CatalogQueries.listProducts(query);
    return reads.read(statement.sql(), statement.params()).map(rows -> {
      List<JsonObject> items = new ArrayList<>(rows.size());
      rows.forEach(row -> items.add(Product.fromRow(row)));
      String next = null;
      if (items.size() > query.limit()) {
        items.remove(items.size() - 1);
        next = query.cursorAfter(items.get(items.size() - 1));
      }
      return new JsonObject().put("items", new JsonArray(new ArrayList<>(items))).put("nextCursor", next);
    });
  }

  public Future<JsonArray> categories() {
    return reads.read(CatalogQueries.LIST_CATEGORIES, Tuple.tuple()).map(rows -> {
      JsonArray categories = new JsonArray();
      rows.forEach(row -> categories.add(new JsonObject()
          .put("slug", row.getString("slug")).put("name", row.getString("name")).put("count", row.getLong("count"))));
      return categories;
    });
  }

  public Future<JsonObject> create(ProductInput input) {
    return inTransaction(conn -> ensureCategory(conn, input)
            .compose(v -> conn.preparedQuery(CatalogQueries.INSERT_PRODUCT).execute(Tuple.of(
                input.sku(), input.name(), input.description(), input.category(), input.priceCents(),
                input.currency(), input.stock(), input.images())))
            .map(rows -> Product.fromRow(rows.iterator().next()))
            .compose(product -> recordEvent(conn, CatalogEvent.Type.ProductCreated, product, null)))
        .recover(ProductStore::skuConflict);
  }

  public Future<JsonObject> update(long id, long expectedVersion, ProductInput input) {
    return inTransaction(conn -> ensureCategory(conn, input)
            .compose(v -> conn.preparedQuery(CatalogQueries.UPDATE_PRODUCT).execute(Tuple.from(new Object[] {
                id, input.sku(), input.name(), input.description(), input.category(), input.priceCents(),
                input.currency(), input.stock(), input.images(), expectedVersion})))
            .compose(rows -> rows.size() == 1
                ? recordEvent(conn, CatalogEvent.Type.ProductUpdated, Product.fromRow(rows.iterator().next()), null)
                : whyNotWritten(conn, id, expectedVersion)))
        .recover(ProductStore::skuConflict);
  }

  /** Deletes the product (only at {@code expectedVersion} when given); answers what was deleted. */
  public Future<JsonObject> delete(long id, Long expectedVersion) {
    return inTransaction(conn -> conn.preparedQuery(CatalogQueries.DELETE_PRODUCT).execute(Tuple.of(id, expectedVersion))
        .compose(rows -> rows.size() == 1
            ? recordEvent(conn, CatalogEvent.Type.ProductDeleted, Product.fromRow(rows.iterator().next()), null)
            : whyNotWritten(conn, id, expectedVersion)));
  }

  /** Adds {@code delta} (may be negative) to the stock atomically; never below zero (409). */
  public Future<JsonObject> adjustStock(long id, int delta) {
    return inTransaction(conn -> conn.preparedQuery(CatalogQueries.ADJUST_STOCK).execute(Tuple.of(id, delta))
        .compose(rows -> {
          if (rows.size() == 1) {
            return recordEvent(conn, CatalogEvent.Type.StockChanged, Product.fromRow(rows.iterator().next()), delta);
          }
          return conn.preparedQuery(CatalogQueries.PRODUCT_VERSION).execute(Tuple.of(id))
              .compose(found -> Future.failedFuture(found.size() == 0
                  ? new ServiceException(FailureCode.NOT_FOUND, "No product " + id)
                  : ServiceException.badField("delta", "Not enough stock for a change of " + delta)
                      .withCode(FailureCode.CONFLICT)));
        }));
  }

  /**
   * Creates or updates each product by sku in one transaction (statements batched), recording an
   * event for each one that changed; identical products are left with their version. Not through
   * the guard's timeout: a large batch may rightly take longer (DB_STATEMENT_TIMEOUT_MS bounds it).
   */
  public Future<List<ProductChange>> upsert(List<ProductInput> inputs) {
    if (inputs.isEmpty()) {
      return Future.succeededFuture(List.of());
    }
    List<Tuple> rows = inputs.stream().map(input -> Tuple.of(input.sku(), input.name(), input.description(), input.category(),
        input.priceCents(), input.currency(), input.stock(), input.images())).toList();
    List<Tuple> categories = inputs.stream().map(input -> Tuple.of(input.category(), input.categoryName())).distinct().toList();
    return primary.withTransaction(conn -> conn.preparedQuery(CatalogQueries.ENSURE_CATEGORY).executeBatch(categories)
        .compose(v -> conn.preparedQuery(CatalogQueries.UPSERT_PRODUCT).executeBatch(rows))
        .compose(results -> {
          List<Future<ProductChange>> changes = new ArrayList<>(inputs.size());
          RowSet<Row> result = results;
          for (ProductInput input : inputs) {
            changes.add(upserted(conn, input, result));
            result = result.next();
          }
          return Future.all(changes).map(all -> all.<ProductChange>list());
        }));
  }

  /** One write transaction on the primary, through its guard. */
  private <T> Future<T> inTransaction(Function<SqlConnection, Future<T>> work) {
    return guard.write(() -> primary.withTransaction(work));
  }

  private static Future<ProductChange> upserted(SqlConnection conn, ProductInput input, RowSet<Row> result) {
    if (result.size() == 0) {
      return conn.preparedQuery(CatalogQueries.ID_BY_SKU).execute(Tuple.of(input.sku()))
          .map(found -> new ProductChange(found.iterator().next().getLong("id"), null, null));
    }
    Row row = result.iterator().next();
    CatalogEvent.Type type = row.getBoolean("inserted") ? CatalogEvent.Type.ProductCreated : CatalogEvent.Type.ProductUpdated;
    JsonObject product = Product.fromRow(row);
    return recordEvent(conn, type, product, null).map(p -> new ProductChange(Product.id(p), p, type));
  }

  /** Replaces the product's images; unchanged (no new version) when they are these already. */
  public Future<ProductChange> setImages(long id, JsonArray images) {
    return inTransaction(conn -> conn.preparedQuery(CatalogQueries.SET_IMAGES).execute(Tuple.of(id, images))
        .compose(rows -> {
          if (rows.size() == 1) {
            return recordEvent(conn, CatalogEvent.Type.ProductUpdated, Product.fromRow(rows.iterator().next()), null)
                .map(product -> new ProductChange(id, product, CatalogEvent.Type.ProductUpdated));
          }
          return conn.preparedQuery(CatalogQueries.GET_PRODUCT).execute(Tuple.of(id)).map(found -> {
            if (found.size() == 0) {
              throw new ServiceException(FailureCode.NOT_FOUND, "No product " + id);
            }
            return new ProductChange(id, Product.fromRow(found.iterator().next()), null);
          });
        }));
  }

  private static Future<RowSet<Row>> ensureCategory(SqlConnection conn, ProductInput input) {
    return conn.preparedQuery(CatalogQueries.ENSURE_CATEGORY).execute(Tuple.of(input.category(), input.categoryName()));
  }

  /**
   * Stores the event in the outbox (same transaction) and passes the product on. A deletion is the
   * product's next version: with the deleted row's own version, a reader that applies only newer
   * versions (the facets) took it for a repeat of the last write and kept the product.
   */
  private static Future<JsonObject> recordEvent(SqlConnection conn, CatalogEvent.Type type, JsonObject product, Integer delta) {
    boolean deleted = type == CatalogEvent.Type.ProductDeleted;
    CatalogEvent event = new CatalogEvent(UUID.randomUUID(), type, Product.id(product),
        deleted ? Product.version(product) + 1 : Product.version(product), Instant.now(), deleted ? null : product, delta);
    return conn.preparedQuery(CatalogQueries.INSERT_OUTBOX)
        .execute(Tuple.of(event.eventId(), event.productId(), type.name(), event.toJson(), RequestId.current()))
        .map(product);
  }

  private static <T> Future<T> whyNotWritten(SqlConnection conn, long id, Long expectedVersion) {
    return conn.preparedQuery(CatalogQueries.PRODUCT_VERSION).execute(Tuple.of(id)).compose(rows -> {
      if (rows.size() == 0) {
        return Future.failedFuture(new ServiceException(FailureCode.NOT_FOUND, "No product " + id));
      }
      long current = rows.iterator().next().getLong("version");
      return Future.failedFuture(new ServiceException(FailureCode.PRECONDITION_FAILED,
          "Product " + id + " is at version " + current + ", not " + expectedVersion + "; read it again",
          new JsonObject().put("currentVersion", current)));
    });
  }

  private static <T> Future<T> skuConflict(Throwable failure) {
    if (failure instanceof PgException pg && UNIQUE_VIOLATION.equals(pg.getSqlState())) {
      return Future.failedFuture(new ServiceException(FailureCode.CONFLICT, "Another product has this sku",
          new JsonObject().put("field", "sku")));
    }
    return Future.failedFuture(failure);
  }
}
