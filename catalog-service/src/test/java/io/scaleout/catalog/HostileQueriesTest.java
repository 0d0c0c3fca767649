package io.scaleout.catalog;

import io.scaleout.common.catalog.CatalogAddresses;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Values no client of the gateway should be able to turn into a 500: cursors this service never
 * issued (NUL and other control characters, keys of the wrong type or out of Postgres's range),
 * text with characters Postgres or UTF-8 cannot take, a stock change that would overflow. Each is a
 * 400 naming the field. Over the bus, against a real Postgres database of its own.
 */
class HostileQueriesTest {
  private static OwnCatalog own;
  private static CatalogClient catalog;

  @BeforeAll
  static void start() {
    own = new OwnCatalog("catalog_hostile");
    catalog = own.client();
  }

  @AfterAll
  static void stop() {
    own.close();
  }

  /** The cursor of a page as a client could forge it: base64url of any JSON. */
  static String cursor(String sort, Object key, Object id) {
    return encoded(new JsonObject().put("s", sort).put("k", key).put("i", id).encode());
  }

  static String encoded(String json) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
  }

  static Stream<Map<String, String>> forgedCursors() {
    return Stream.of(
        Map.of("sort", "name", "cursor", cursor("name", "\u0000", 1)),
        Map.of("sort", "-name", "cursor", cursor("-name", "Product\u0000x", 1)),
        Map.of("sort", "name", "cursor", cursor("name", "tab\tin a name", 1)),
        // a lone surrogate has no UTF-8 form, so it comes as a JSON escape
        Map.of("sort", "name", "cursor", encoded("{\"s\":\"name\",\"k\":\"lone \\ud800 surrogate\",\"i\":1}")),
        Map.of("sort", "name", "cursor", cursor("name", "x".repeat(201), 1)),
        Map.of("sort", "newest", "cursor", cursor("newest", "+294277-01-01T00:00:00Z", 1)),
        Map.of("sort", "newest", "cursor", cursor("newest", "-4714-01-01T00:00:00Z", 1)),
        Map.of("sort", "price", "cursor", cursor("price", 12.5, 1)),
        Map.of("sort", "price", "cursor", cursor("price", -1, 1)),
        Map.of("sort", "price", "cursor", cursor("price", 5, 0)),
        Map.of("sort", "price", "cursor", cursor("price", 5, 1.5)),
        Map.of("sort", "price", "cursor", cursor("price", 5, "1")),
        Map.of("sort", "price", "cursor", cursor("price", 5, 1e30)),
        Map.of("sort", "price", "cursor", encoded("null")),
        Map.of("sort", "price", "cursor", encoded("[1]")),
        Map.of("sort", "price", "cursor", encoded("{}")));
  }

  @ParameterizedTest
  @MethodSource("forgedCursors")
  void aCursorThisServiceNeverIssuedIs400(Map<String, String> query) {
    CatalogClient.Reply reply = catalog.list(query);

    assertThat(reply.status()).as(query + ": " + reply.problem()).isEqualTo(400);
    assertThat(reply.problem().extensions().getString("field")).isEqualTo("cursor");
  }

  @Test
  void searchTextThatUtf8CannotCarryIs400() {
    CatalogClient.Reply reply = catalog.list(Map.of("q", "lone \udc00 surrogate"));

    assertThat(reply.status()).as(String.valueOf(reply.problem())).isEqualTo(400);
    assertThat(reply.problem().extensions().getString("field")).isEqualTo("q");
  }

  @Test
  void productTextPostgresOrUtf8CannotTakeIs400NamingTheField() {
    for (JsonObject body : List.of(
        CatalogClient.product("nul-1", "kitchen", 100).put("description", "before\u0000after"),
        CatalogClient.product("ctl-1", "kitchen", 100).put("description", "bell\u0007"),
        CatalogClient.product("sur-1", "kitchen", 100).put("description", "lone \ud800"))) {
      CatalogClient.Reply reply = catalog.create(body, CatalogClient.ADMIN);
      assertThat(reply.status()).as(body.getString("sku") + ": " + reply.problem()).isEqualTo(400);
      assertThat(reply.problem().extensions().getString("field")).isEqualTo("description");
    }
    CatalogClient.Reply name = catalog.create(CatalogClient.product("sur-2", "kitchen", 100).put("name", "lone \ud800"),
        CatalogClient.ADMIN);
    assertThat(name.status()).isEqualTo(400);
    assertThat(name.problem().extensions().getString("field")).isEqualTo("name");
    // line breaks and tabs are text in a description
    CatalogClient.Reply lines = catalog.create(CatalogClient.product("lines-1", "kitchen", 100)
        .put("description", "First line\n\tindented\r\nlast"), CatalogClient.ADMIN);
    assertThat(lines.status()).as(String.valueOf(lines.problem())).isEqualTo(201);
  }

  @Test
  void aStockChangeBeyondTheStockRangeIs400() {
    long id = catalog.create(CatalogClient.product("stock-big", "garden", 100).put("stock", 1_000_000_000), CatalogClient.ADMIN)
        .json().getLong("id");

    CatalogClient.Reply reply = catalog.await(catalog.vertxRequest(CatalogAddresses.STOCK_ADJUST,
        new JsonObject().put("id", id).put("delta", Integer.MAX_VALUE)));

    assertThat(reply.status()).as(String.valueOf(reply.problem())).isEqualTo(400);
    assertThat(reply.problem().extensions().getString("field")).isEqualTo("delta");
  }

  @Test
  void theCursorsThisServiceIssuesStillWalkEverySort() {
    for (int i = 0; i < 3; i++) {
      assertThat(catalog.create(CatalogClient.product("walk-" + i, "walking", 100 + i), CatalogClient.ADMIN).status()).isEqualTo(201);
    }
    for (String sort : List.of("price", "-price", "name", "-name", "newest")) {
      CatalogClient.Reply first = catalog.list(Map.of("category", "walking", "sort", sort, "limit", "2"));
      String next = first.json().getString("nextCursor");
      CatalogClient.Reply second = catalog.list(Map.of("category", "walking", "sort", sort, "limit", "2", "cursor", next));
      assertThat(second.status()).as(sort + ": " + second.problem()).isEqualTo(200);
      assertThat(second.json().getJsonArray("items")).as(sort).hasSize(1);
    }
  }
}
