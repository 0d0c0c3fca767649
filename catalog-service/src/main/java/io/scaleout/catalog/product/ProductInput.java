package io.scaleout.catalog.product;

import io.scaleout.common.api.Text;
import io.scaleout.common.bus.ServiceException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.Set;
import java.util.regex.Pattern;

/**
 * A validated product body for create and update (PUT replaces every writable field). Each
 * problem is a 400 naming the field; read-only fields a client echoes back are ignored, unknown
 * fields are rejected so a typo is not silently dropped.
 */
public record ProductInput(String sku, String name, String description, String category, long priceCents,
                           String currency, int stock, JsonArray images) {
  private static final Pattern SKU = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
  private static final Pattern CATEGORY = Pattern.compile("[a-z0-9][a-z0-9-]{0,63}");
  private static final Pattern CURRENCY = Pattern.compile("[A-Z]{3}");
  private static final Set<String> WRITABLE = Set.of("sku", "name", "description", "category", "priceCents", "currency", "stock", "images");
  private static final Set<String> READ_ONLY = Set.of("id", "version", "createdAt", "updatedAt");
  static final long MAX_PRICE_CENTS = 1_000_000_000_000L;
  static final int MAX_STOCK = 1_000_000_000;
  static final int MAX_NAME = 200;
  private static final int MAX_DESCRIPTION = 5000;
  private static final int MAX_IMAGES = 20;
  private static final int MAX_IMAGE_NAME = 512;

  public static ProductInput parse(Object body) {
    if (!(body instanceof JsonObject json)) {
      throw ServiceException.badField("body", "The body must be a JSON object");
    }
    for (String field : json.fieldNames()) {
      if (!WRITABLE.contains(field) && !READ_ONLY.contains(field)) {
        throw ServiceException.badField(field, "Unknown field '" + field + "'");
      }
    }
    return new ProductInput(
        text(json, "sku", SKU, "1..64 letters, digits, '.', '_' or '-'"),
        name(json),
        description(json),
        text(json, "category", CATEGORY, "a slug of 1..64 lower-case letters, digits or '-'"),
        integer(json, "priceCents", 0, MAX_PRICE_CENTS),
        text(json, "currency", CURRENCY, "an ISO 4217 code such as EUR"),
        (int) integer(json, "stock", 0, MAX_STOCK),
        images(json));
  }

  private static String text(JsonObject json, String field, Pattern pattern, String expectation) {
    Object value = json.getValue(field);
    if (!(value instanceof String text) || !pattern.matcher(text).matches()) {
      throw ServiceException.badField(field, field + " must be " + expectation);
    }
    return text;
  }

  private static String name(JsonObject json) {
    Object value = json.getValue("name");
    if (!(value instanceof String name) || !isName(name)) {
      throw ServiceException.badField("name", "name must be 1.." + MAX_NAME + " characters of text");
    }
    return name.strip();
  }

  /** What a product's name can be (so also the key of a cursor in name order). */
  static boolean isName(String name) {
    return !name.isBlank() && name.length() <= MAX_NAME && Text.clean(name);
  }

  private static String description(JsonObject json) {
    Object value = json.getValue("description", "");
    if (!(value instanceof String text) || text.length() > MAX_DESCRIPTION || !Text.cleanLines(text)) {
      throw ServiceException.badField("description", "description must be text (no control characters but tabs and line breaks) "
          + "of at most " + MAX_DESCRIPTION + " characters");
    }
    return text;
  }

  private static long integer(JsonObject json, String field, long min, long max) {
    Object value = json.getValue(field);
    boolean integral = value instanceof Integer || value instanceof Long
        || (value instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue()) && !Double.isInfinite(n.doubleValue()));
    if (!integral || ((Number) value).doubleValue() < min || ((Number) value).doubleValue() > max) {
      throw ServiceException.badField(field, field + " must be an integer in " + min + ".." + max);
    }
    return ((Number) value).longValue();
  }

  static JsonArray images(JsonObject json) {
    Object value = json.getValue("images", new JsonArray());
    if (!(value instanceof JsonArray images) || images.size() > MAX_IMAGES) {
      throw ServiceException.badField("images", "images must be an array of at most " + MAX_IMAGES + " names");
    }
    for (Object image : images) {
      if (!(image instanceof String name) || name.isEmpty() || name.length() > MAX_IMAGE_NAME || !Text.clean(name)) {
        throw ServiceException.badField("images", "every image must be a name of 1.." + MAX_IMAGE_NAME + " characters");
      }
    }
    return images;
  }

  /** "kitchen-tools" → "Kitchen tools": the display name of a category made by a product write. */
  public String categoryName() {
    String spaced = category.replace('-', ' ');
    return Character.toUpperCase(spaced.charAt(0)) + spaced.substring(1);
  }
}
