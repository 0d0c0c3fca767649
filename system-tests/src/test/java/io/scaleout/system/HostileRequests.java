package io.scaleout.system;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Random;

/**
 * Generated malformed requests over every public route, as raw HTTP/1.1 text: broken encodings,
 * values out of range or of the wrong type, oversized parts, abused headers, forged cursors and
 * tokens, odd methods. Seeded, so a failing request can be made again. Writes that could touch
 * what other tests made (existing product ids, imports, uploads) are sent without an administrator's
 * token, or with ids no product has.
 */
final class HostileRequests {
  /** What a request is, for reporting: the category and the text sent. */
  record Request(String category, String text) {
  }

  private static final List<String> READS = List.of("/api/products", "/api/categories", "/api/catalog/facets",
      "/api/storefront", "/api/ping", "/api/cart", "/api/sessions/current", "/api/admin/dlq", "/api/admin/cluster", "/");
  private static final List<String> ID_ROUTES = List.of("GET /api/products/%s", "PUT /api/products/%s", "DELETE /api/products/%s",
      "PUT /api/cart/items/%s", "DELETE /api/cart/items/%s", "GET /api/jobs/%s", "POST /api/admin/dlq/%s/replay",
      "DELETE /api/admin/dlq/%s", "GET /files/%s", "GET /assets/%s", "POST /api/products/%s/image");
  private static final List<String> JSON_ROUTES = List.of("POST /api/products", "POST /api/users", "POST /api/sessions",
      "PUT /api/cart/items/1", "PUT /api/products/987654321");
  private static final List<String> BAD_IDS = List.of("-1", "0", "99999999999999999999999", "1e400", "%00", "%zz", "%",
      "..%2f..%2fetc%2fpasswd", "%2e%2e", "null", "%20", "1.5", "0x10", "%E2%80%AE", "a".repeat(3000), "%C0%AF", "[1]", "1;2");
  private static final List<String> QUERY_NAMES = List.of("category", "q", "minPrice", "maxPrice", "sort", "limit", "cursor",
      "includeHandled", "lastEventId", "since", "unknown");
  private static final List<String> BAD_VALUES = List.of("%", "%zz", "%00", "-1", "0", "1e309", "NaN", "99999999999999999999",
      "%FF%FE", "%E0%80%80", "name,price", "true", "", "%2B", "'; DROP TABLE products; --", "\u00e9".repeat(2),
      "x".repeat(5000), "%u0041", "1&limit=2&limit=3");
  private static final List<String> BAD_JSON = List.of("{", "[]", "null", "1", "\"text\"", "{\"a\":", "{\"sku\":1e99999}",
      "{\"priceCents\":\"100\"}", "{\"quantity\":-1}", "{\"quantity\":1.5}", "{\"quantity\":100}", "{\"quantity\":\"1\"}",
      "{\"email\":[],\"password\":{}}", "{\"name\":\"\\u0000\"}", "{\"sku\":\"" + "s".repeat(20_000) + "\"}",
      "[".repeat(5000) + "]".repeat(5000), "{\"a\":1,\"a\":2}", "{\"sku\":null,\"name\":null}", "\uFEFF{}",
      "{\"priceCents\":-0,\"stock\":-5,\"currency\":\"EURO\"}", "{\"id\":1,\"version\":\"x\"}");
  private static final List<String> BAD_HEADERS = List.of("Authorization: Bearer", "Authorization: Bearer " + "A".repeat(43),
      "Authorization: Basic YWRtaW46YWRtaW4=", "Authorization: Bearer ../../..", "Cookie: SID=%zz", "Cookie: SID=" + "x".repeat(43),
      "Cookie: " + "a=b; ".repeat(500), "If-Match: *", "If-Match: \"v-1\"", "If-None-Match: " + "\"x\",".repeat(200),
      "X-Request-Id: " + "bad id\t".repeat(30), "Accept-Encoding: gzip;q=2, br;q=-1, *;q=NaN", "Range: bytes=-1-",
      "X-Forwarded-For: 999.999.999.999, ::::", "Content-Type: application/json; charset=ebcdic", "Expect: 100-continue",
      "X-Requested-With: " + "y".repeat(4000), "Accept: */*;q=x", "Transfer-Encoding: gzip");

  private final Random random;
  private final String adminToken;

  HostileRequests(long seed, String adminToken) {
    this.random = new Random(seed);
    this.adminToken = adminToken;
  }

  Request next() {
    return switch (random.nextInt(6)) {
      case 0 -> new Request("path id", line(String.format(pick(ID_ROUTES), pick(BAD_IDS)), anonymousOr(false), null, null));
      case 1 -> new Request("query", line("GET " + pick(READS) + "?" + query(), anonymousOr(true), null, null));
      case 2 -> json();
      case 3 -> new Request("header", line("GET " + pick(READS), List.of(pick(BAD_HEADERS), pick(BAD_HEADERS)), null, null));
      case 4 -> new Request("cursor", line("GET /api/products?" + (random.nextBoolean() ? "sort=name&" : "") + "cursor="
          + cursor(), List.of(), null, null));
      default -> new Request("method", line(pick(List.of("PATCH", "TRACE", "FOO", "OPTIONS", "CONNECT", "M-SEARCH")) + " "
          + pick(READS), List.of(), null, null));
    };
  }

  private Request json() {
    String route = pick(JSON_ROUTES);
    // only the routes that create nothing another test depends on get the administrator's token
    boolean admin = route.startsWith("PUT /api/products/987654321") || route.startsWith("POST /api/products");
    String type = pick(List.of("Content-Type: application/json", "Content-Type: application/json", "Content-Type: text/plain",
        "Content-Type: application/json; charset=utf-16"));
    return new Request("json body", line(route, admin ? adminOrNot() : anonymousOr(true), type, pick(BAD_JSON)));
  }

  private String query() {
    StringBuilder query = new StringBuilder();
    int count = 1 + random.nextInt(4);
    for (int i = 0; i < count; i++) {
      query.append(i == 0 ? "" : "&").append(pick(QUERY_NAMES)).append('=').append(pick(BAD_VALUES));
    }
    return query.toString();
  }

  /** base64 of random bytes, of JSON with the right keys and wrong values, or of nothing at all. */
  private String cursor() {
    String json = switch (random.nextInt(4)) {
      case 0 -> "{\"s\":\"name\",\"k\":\"\\u0000\",\"i\":1}";
      case 1 -> "{\"s\":\"" + pick(List.of("name", "price", "newest", "x")) + "\",\"k\":" + pick(List.of("[]", "{}", "1e400",
          "\"" + "k".repeat(3000) + "\"", "null", "-1")) + ",\"i\":" + pick(List.of("\"1\"", "-9223372036854775809", "1.5", "[]")) + "}";
      case 2 -> "not json";
      default -> null;
    };
    byte[] bytes = json != null ? json.getBytes(StandardCharsets.UTF_8) : randomBytes(1 + random.nextInt(200));
    return pick(List.of(Base64.getUrlEncoder().withoutPadding(), Base64.getEncoder())).encodeToString(bytes)
        .replace("+", random.nextBoolean() ? "+" : "%2B");
  }

  private byte[] randomBytes(int length) {
    byte[] bytes = new byte[length];
    random.nextBytes(bytes);
    return bytes;
  }

  private List<String> anonymousOr(boolean mayBeUser) {
    return mayBeUser && random.nextBoolean() ? List.of("Authorization: Bearer " + adminToken) : List.of();
  }

  private List<String> adminOrNot() {
    return random.nextInt(3) > 0 ? List.of("Authorization: Bearer " + adminToken) : List.of();
  }

  private String line(String methodAndPath, List<String> headers, String contentType, String body) {
    StringBuilder text = new StringBuilder(methodAndPath).append(" HTTP/1.1\r\nHost: 127.0.0.1\r\n");
    headers.forEach(header -> text.append(header).append("\r\n"));
    if (body != null) {
      byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
      text.append(contentType).append("\r\nContent-Length: ").append(bytes.length).append("\r\n");
      text.append("Connection: close\r\n\r\n").append(new String(bytes, StandardCharsets.ISO_8859_1));
    } else {
      text.append("Connection: close\r\n\r\n");
    }
    return text.toString();
  }

  private <T> T pick(List<T> from) {
    return from.get(random.nextInt(from.size()));
  }
}
