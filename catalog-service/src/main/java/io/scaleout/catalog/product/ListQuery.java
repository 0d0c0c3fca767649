package io.scaleout.catalog.product;

import io.scaleout.common.api.ApiRequest;
import io.scaleout.common.api.Text;
import io.scaleout.common.bus.ServiceException;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A validated product list request. Pages are keyset pages: the opaque cursor holds the sort key
 * and id of the last item shown, so a page never repeats or skips rows when others are inserted.
 */
public record ListQuery(String category, String q, Long minPrice, Long maxPrice, Sort sort, int limit, Cursor after) {
  public static final int DEFAULT_LIMIT = 20;
  public static final int MAX_LIMIT = 100;
  private static final Pattern CATEGORY = Pattern.compile("[a-z0-9][a-z0-9-]{0,63}");
  private static final int MAX_Q = 200;
  private static final int MAX_CURSOR = 1024;
  /** Bounds of a cursor's timestamp: well inside what Postgres and ISO 8601 both hold. */
  private static final Instant EARLIEST = Instant.parse("0001-01-01T00:00:00Z");
  private static final Instant LATEST = Instant.parse("9999-12-31T23:59:59.999999Z");

  /** A sort: the column it orders by (then id, in the same direction) and how items name their key. */
  public enum Sort {
    PRICE("price", "price_cents", true, "priceCents"),
    PRICE_DESC("-price", "price_cents", false, "priceCents"),
    NAME("name", "name", true, "name"),
    NAME_DESC("-name", "name", false, "name"),
    NEWEST("newest", "created_at", false, "createdAt");

    public final String param;
    public final String column;
    public final boolean ascending;
    final String field;

    Sort(String param, String column, boolean ascending, String field) {
      this.param = param;
      this.column = column;
      this.ascending = ascending;
      this.field = field;
    }

    static Sort of(String param) {
      for (Sort sort : values()) {
        if (sort.param.equals(param)) {
          return sort;
        }
      }
      return null;
    }
  }

  /** Position after the last item of a page: its sort key (Long, String or Instant) and id. */
  public record Cursor(Object key, long id) {
  }

  public static ListQuery parse(ApiRequest request) {
    String category = request.queryParam("category");
    if (category != null && !CATEGORY.matcher(category).matches()) {
      throw ServiceException.badField("category", "category must be a category slug");
    }
    String q = request.queryParam("q");
    if (q != null && (q.isBlank() || q.length() > MAX_Q || !Text.clean(q))) {
      throw ServiceException.badField("q", "q must be 1.." + MAX_Q + " characters of text");
    }
    Long minPrice = price(request, "minPrice");
    Long maxPrice = price(request, "maxPrice");
    if (minPrice != null && maxPrice != null && minPrice > maxPrice) {
      throw ServiceException.badField("minPrice", "minPrice must not exceed maxPrice");
    }
    String sortParam = request.queryParam("sort");
    Sort sort = sortParam == null ? Sort.NEWEST : Sort.of(sortParam);
    if (sort == null) {
      throw ServiceException.badField("sort", "sort must be one of price, -price, name, -name, newest");
    }
    int limit = limit(request.queryParam("limit"));
    String cursor = request.queryParam("cursor");
    return new ListQuery(category, q == null ? null : q.strip(), minPrice, maxPrice, sort, limit,
        cursor == null ? null : decode(cursor, sort));
  }

  private static Long price(ApiRequest request, String field) {
    String value = request.queryParam(field);
    if (value == null) {
      return null;
    }
    if (!value.matches("[0-9]{1,13}") || Long.parseLong(value) > ProductInput.MAX_PRICE_CENTS) {
      throw ServiceException.badField(field, field + " must be an integer number of cents in 0.." + ProductInput.MAX_PRICE_CENTS);
    }
    return Long.parseLong(value);
  }

  private static int limit(String value) {
    if (value == null) {
      return DEFAULT_LIMIT;
    }
    if (!value.matches("[0-9]{1,3}") || Integer.parseInt(value) < 1 || Integer.parseInt(value) > MAX_LIMIT) {
      throw ServiceException.badField("limit", "limit must be an integer in 1.." + MAX_LIMIT);
    }
    return Integer.parseInt(value);
  }

  /** The cursor that continues after {@code last}, an item of a page of this query. */
  public String cursorAfter(JsonObject last) {
    JsonObject json = new JsonObject().put("s", sort.param).put("k", last.getValue(sort.field)).put("i", last.getLong("id"));
    return Base64.getUrlEncoder().withoutPadding().encodeToString(json.encode().getBytes(StandardCharsets.UTF_8));
  }

  /**
   * The cursor, checked as strictly as any other input: it comes back from the client, so its key
   * must be a value this service could have issued (a price, a product name, a timestamp Postgres
   * can hold) before it goes into a query.
   */
  private static Cursor decode(String cursor, Sort sort) {
    try {
      if (cursor.length() > MAX_CURSOR) {
        throw new IllegalArgumentException("too long");
      }
      JsonObject json = new JsonObject(new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8));
      if (!sort.param.equals(json.getValue("s"))) {
        throw ServiceException.badField("cursor", "cursor belongs to another sort order; start again without it");
      }
      Object key = switch (sort) {
        case PRICE, PRICE_DESC -> integer(json.getValue("k"), 0, ProductInput.MAX_PRICE_CENTS);
        case NAME, NAME_DESC -> name(json.getValue("k"));
        case NEWEST -> instant(json.getValue("k"));
      };
      return new Cursor(key, integer(json.getValue("i"), 1, Long.MAX_VALUE));
    } catch (IllegalArgumentException | DecodeException | DateTimeParseException e) {
      throw ServiceException.badField("cursor", "cursor is not one this service issued");
    }
  }

  private static long integer(Object value, long min, long max) {
    if (!(value instanceof Integer || value instanceof Long) || ((Number) value).longValue() < min || ((Number) value).longValue() > max) {
      throw new IllegalArgumentException("not an integer in range");
    }
    return ((Number) value).longValue();
  }

  private static String name(Object value) {
    if (!(value instanceof String name) || !ProductInput.isName(name)) {
      throw new IllegalArgumentException("not a product name");
    }
    return name;
  }

  private static Instant instant(Object value) {
    if (!(value instanceof String text)) {
      throw new IllegalArgumentException("not a timestamp");
    }
    Instant instant = Instant.parse(text);
    if (instant.isBefore(EARLIEST) || instant.isAfter(LATEST)) {
      throw new IllegalArgumentException("outside the years 1..9999");
    }
    return instant;
  }

  /**
   * A stable text form of the query, for cache keys: a JSON array, unambiguous whatever a value
   * holds (a separator, the word "null") without relying on which fields are validated.
   */
  public String cacheKey() {
    return new JsonArray().add(category).add(q == null ? null : q.toLowerCase(Locale.ROOT)).add(minPrice).add(maxPrice)
        .add(sort.param).add(limit).add(after == null ? null : after.key() + "/" + after.id()).encode();
  }
}
