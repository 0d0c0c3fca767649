package io.scaleout.gateway.cache;

import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpServerRequest;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.TreeMap;

/** Cache keys: the path, the query in a canonical order, and the request headers the reply varies on. */
public final class CacheKeys {
  private CacheKeys() {
  }

  /**
   * Path and query, parameters sorted so that ?a=1&b=2 and ?b=2&a=1 share an entry. Names and values
   * are decoded by then, so they are encoded again: else ?q=a%26limit%3D40 (one parameter) and
   * ?limit=40&q=a had one key, and one client's reply was served for the other query.
   */
  public static String base(HttpServerRequest request) {
    MultiMap params = request.params();
    if (params.isEmpty()) {
      return request.path();
    }
    TreeMap<String, List<String>> sorted = new TreeMap<>();
    params.names().forEach(name -> sorted.put(name, params.getAll(name)));
    StringBuilder key = new StringBuilder(request.path()).append('?');
    sorted.forEach((name, values) -> values.forEach(value -> key.append(encode(name)).append('=').append(encode(value)).append('&')));
    return key.toString();
  }

  /** The full key: the base plus the value of each header named by the reply's Vary. */
  public static String withVary(String base, List<String> varyNames, HttpServerRequest request) {
    if (varyNames.isEmpty()) {
      return base;
    }
    StringBuilder key = new StringBuilder(base);
    for (String name : varyNames) {
      String value = request.getHeader(name);
      key.append('|').append(name).append('=').append(value == null ? "" : encode(value));
    }
    return key.toString();
  }

  private static String encode(String text) {
    return URLEncoder.encode(text, StandardCharsets.UTF_8);
  }

  /** The header names of a Vary value, lower-cased and sorted; null for "*" (never cacheable). */
  public static List<String> varyNames(String vary) {
    if (vary == null || vary.isBlank()) {
      return List.of();
    }
    if (vary.contains("*")) {
      return null;
    }
    return Arrays.stream(vary.split(",")).map(name -> name.trim().toLowerCase(Locale.ROOT))
        .filter(name -> !name.isEmpty()).sorted().distinct().toList();
  }
}
