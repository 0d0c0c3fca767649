package io.scaleout.catalog.db;

import io.scaleout.catalog.product.ListQuery;
import io.vertx.sqlclient.Tuple;

import java.time.Instant;
import java.time.ZoneOffset;

/** Every SQL statement of the catalog. All are prepared; list SQL is assembled from fixed fragments. */
public final class CatalogQueries {
  private static final String COLUMNS =
      "id, sku, name, description, category, price_cents, currency, stock, images, version, created_at, updated_at";

  public static final String GET_PRODUCT = "SELECT " + COLUMNS + " FROM products WHERE id = $1";

  public static final String ENSURE_CATEGORY =
      "INSERT INTO categories (slug, name) VALUES ($1, $2) ON CONFLICT (slug) DO NOTHING";

  public static final String INSERT_PRODUCT =
      "INSERT INTO products (sku, name, description, category, price_cents, currency, stock, images) "
          + "VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING " + COLUMNS;

  /** Updates only the version the caller read: no row back means gone (404) or stale (412). */
  public static final String UPDATE_PRODUCT =
      "UPDATE products SET sku = $2, name = $3, description = $4, category = $5, price_cents = $6, currency = $7, "
          + "stock = $8, images = $9, version = version + 1, updated_at = now() "
          + "WHERE id = $1 AND version = $10 RETURNING " + COLUMNS;

  /**
   * Create by sku, or update when a field differs; images are left as they are (imports do not
   * carry them). No row back: the stored product is identical and keeps its version.
   */
  public static final String UPSERT_PRODUCT =
      "INSERT INTO products AS p (sku, name, description, category, price_cents, currency, stock, images) "
          + "VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (sku) DO UPDATE SET name = EXCLUDED.name, "
          + "description = EXCLUDED.description, category = EXCLUDED.category, price_cents = EXCLUDED.price_cents, "
          + "currency = EXCLUDED.currency, stock = EXCLUDED.stock, version = p.version + 1, updated_at = now() "
          + "WHERE (p.name, p.description, p.category, p.price_cents, p.currency, p.stock) IS DISTINCT FROM "
          + "(EXCLUDED.name, EXCLUDED.description, EXCLUDED.category, EXCLUDED.price_cents, EXCLUDED.currency, EXCLUDED.stock) "
          + "RETURNING " + COLUMNS + ", (xmax = 0) AS inserted";

  public static final String ID_BY_SKU = "SELECT id FROM products WHERE sku = $1";

  /** No row back: unknown product, or these are its images already (nothing to write). */
  public static final String SET_IMAGES =
      "UPDATE products SET images = $2, version = version + 1, updated_at = now() "
          + "WHERE id = $1 AND images IS DISTINCT FROM $2 RETURNING " + COLUMNS;

  public static final String DELETE_PRODUCT =
      "DELETE FROM products WHERE id = $1 AND ($2::bigint IS NULL OR version = $2) RETURNING " + COLUMNS;

  public static final String PRODUCT_VERSION = "SELECT version FROM products WHERE id = $1";

  /** Never below zero: no row back means unknown product (404) or not enough stock (409). */
  public static final String ADJUST_STOCK =
      "UPDATE products SET stock = stock + $2, version = version + 1, updated_at = now() "
          + "WHERE id = $1 AND stock + $2 >= 0 RETURNING " + COLUMNS;

  public static final String LIST_CATEGORIES =
      "SELECT c.slug, c.name, count(p.id) AS count FROM categories c "
          + "LEFT JOIN products p ON p.category = c.slug GROUP BY c.slug, c.name ORDER BY c.slug";

  public static final String INSERT_OUTBOX =
      "INSERT INTO outbox (event_id, product_id, type, payload, request_id) VALUES ($1, $2, $3, $4, $5)";

  /** The advisory lock that makes one instance relay at a time. */
  public static final String TRY_RELAY_LOCK = "SELECT pg_try_advisory_xact_lock($1) AS locked";
  /**
   * The relay's batch: the oldest unsent event of each product, oldest first. One event per product
   * per batch means a later event of a product is sent only once the earlier one was acknowledged,
   * so a batch that fails half-way can never publish a product's events out of order.
   */
  public static final String UNSENT_OUTBOX =
      "SELECT id, product_id, payload, request_id FROM ("
          + "SELECT DISTINCT ON (product_id) id, product_id, payload, request_id FROM outbox "
          + "WHERE sent_at IS NULL ORDER BY product_id, id) oldest ORDER BY id LIMIT $1";
  public static final String MARK_SENT = "UPDATE outbox SET sent_at = now() WHERE id = ANY($1)";

  private CatalogQueries() {
  }

  /** A list query's SQL and parameters; fetches limit + 1 rows to tell whether a next page exists. */
  public record Statement(String sql, Tuple params) {
  }

  public static Statement listProducts(ListQuery query) {
    StringBuilder sql = new StringBuilder("SELECT ").append(COLUMNS).append(" FROM products WHERE true");
    Tuple params = Tuple.tuple();
    if (query.category() != null) {
      params.addString(query.category());
      sql.append(" AND category = $").append(params.size());
    }
    if (query.q() != null) {
      params.addString(query.q());
      sql.append(" AND search @@ websearch_to_tsquery('english', $").append(params.size()).append(")");
    }
    if (query.minPrice() != null) {
      params.addLong(query.minPrice());
      sql.append(" AND price_cents >= $").append(params.size());
    }
    if (query.maxPrice() != null) {
      params.addLong(query.maxPrice());
      sql.append(" AND price_cents <= $").append(params.size());
    }
    ListQuery.Sort sort = query.sort();
    if (query.after() != null) {
      Object key = query.after().key();
      params.addValue(key instanceof Instant instant ? instant.atOffset(ZoneOffset.UTC) : key);
      params.addLong(query.after().id());
      sql.append(" AND (").append(sort.column).append(", id) ").append(sort.ascending ? ">" : "<")
          .append(" ($").append(params.size() - 1).append(", $").append(params.size()).append(")");
    }
    String direction = sort.ascending ? " ASC" : " DESC";
    params.addInteger(query.limit() + 1);
    sql.append(" ORDER BY ").append(sort.column).append(direction).append(", id").append(direction)
        .append(" LIMIT $").append(params.size());
    return new Statement(sql.toString(), params);
  }
}
